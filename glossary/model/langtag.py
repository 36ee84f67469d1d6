"""BCP 47 language tags (through langcodes): one check and one canonical spelling for every input."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from glossary.model.errors import ParseError, UsageError
from glossary.model.limits import LANG


@lru_cache(maxsize=4096)
def canonical_lang(tag: str) -> str | None:
    """``tag`` in canonical BCP 47 form if it is a valid tag of a language, else None.

    langcodes gives the canonical spelling: case by subtag (``kk-latn`` → ``kk-Latn``,
    ``ru-ru`` → ``ru-RU``; extensions and private use lower case: ``en-x-ab``), ``_`` read as
    ``-`` (``en_US`` → ``en-US``), deprecated and extended-language codes replaced by their
    preferred ones (``iw`` → ``he``, ``zh-yue`` → ``yue``), three-letter codes by two-letter ones
    (``kaz`` → ``kk``), a script the language is written in by default dropped (``kk-Cyrl`` →
    ``kk``); extensions are kept (``en-US-u-ca-gregory``). A tag of no language (``und``,
    ``x-…``) or with a subtag the IANA registry lacks (``zz``) is refused.
    """
    import langcodes

    text = tag.strip()
    if not text:
        return None
    try:
        canonical = langcodes.standardize_tag(text)
        if not langcodes.tag_is_valid(text):
            return None
        language = langcodes.Language.get(canonical).language
    except (ValueError, LookupError):  # langcodes' LanguageTagError is a ValueError
        return None
    if language is None or language == "und" or canonical.startswith("x-"):
        return None
    if len(canonical) > LANG:  # no database column holds it (real tags are far shorter)
        return None
    return canonical


def require_lang(tag: str, what: str = "language") -> str:
    """The canonical form of ``tag``; a UsageError naming ``what`` when it is no language tag."""
    canonical = canonical_lang(tag)
    if canonical is None:
        raise UsageError(f"{what} {tag!r} is not a language tag such as en, ru, kk or kk-Latn")
    return canonical


def parse_lang(tag: str, path: str | Path | None, line: int | None, what: str = "language tag") -> str:
    """The canonical form of ``tag`` read from a file; a ParseError naming the file and line."""
    canonical = canonical_lang(tag)
    if canonical is None:
        raise ParseError(path, line, f"{what} {tag!r} is not a valid BCP 47 language tag (en, kk-Latn ...)")
    return canonical
