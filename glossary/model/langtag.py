"""BCP 47 language tags: one check and one canonical spelling for every input of Glossary."""

from __future__ import annotations

import re
from functools import cache

from glossary.model.errors import UsageError

# Language, optional script, region, variants, private use: the shapes TMX, TBX and CSV files use.
_TAG = re.compile(
    r"^(?P<lang>[A-Za-z]{2,3})(?:-(?P<script>[A-Za-z]{4}))?(?:-(?P<region>[A-Za-z]{2}|\d{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}))*(?:-[xX](?:-[A-Za-z0-9]{1,8})+)?$"
)


def canonical_lang(tag: str) -> str | None:
    """``tag`` in canonical case (``kk-latn`` → ``kk-Latn``) if it is a BCP 47 tag of a known language."""
    match = _TAG.match(tag.strip())
    if match is None or not _known_language(match["lang"].lower()):
        return None
    parts = tag.strip().split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


@cache
def _known_language(code: str) -> bool:
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return False
    return True


def require_lang(tag: str, what: str = "language") -> str:
    """The canonical form of ``tag``; a UsageError naming ``what`` when it is no known language tag."""
    canonical = canonical_lang(tag)
    if canonical is None:
        raise UsageError(f"{what} {tag!r} is not a language tag such as en, ru, kk or kk-Latn")
    return canonical
