"""gettext's view of a language: Language header, team name, plural forms, a file's language."""

from __future__ import annotations

from pathlib import PurePath

from babel import Locale, UnknownLocaleError
from babel.messages.plurals import get_plural

from glossary.model.catalog import PoCatalog
from glossary.model.langtag import canonical_lang

# French: gettext's two forms, not CLDR's three (see glossary/catalogs.py).
PLURAL_FORMS = {"fr": "nplurals=2; plural=(n > 1);"}


def plural_forms(lang: str) -> str:
    """The ``Plural-Forms`` value for ``lang``."""
    primary = lang.split("-")[0]
    if primary in PLURAL_FORMS:
        return PLURAL_FORMS[primary]
    return str(get_plural(_locale_name(lang)))


def language_team(lang: str) -> str:
    """The language's name in itself (``русский``, ``қазақ тілі``, ``Deutsch``, ``français``)."""
    try:
        return Locale.parse(_locale_name(lang)).display_name or lang
    except (UnknownLocaleError, ValueError):
        return lang


def _locale_name(lang: str) -> str:
    return lang.replace("-", "_")


def gettext_language(lang: str) -> str:
    """The ``Language`` header value: gettext writes ``pt_BR``, ``kk@latin``."""
    parts = lang.split("-")
    script = {"Latn": "latin", "Cyrl": "cyrillic"}
    rest = [p for p in parts[1:] if p not in script]
    value = "_".join([parts[0], *rest])
    marks = [script[p] for p in parts[1:] if p in script]
    return value + (f"@{marks[0]}" if marks else "")


def english_name(lang: str) -> str:
    try:
        return Locale.parse(_locale_name(lang)).english_name or lang
    except (UnknownLocaleError, ValueError):
        return lang


def language_of(catalog: PoCatalog, path: str) -> str | None:
    """The catalogue's language: its ``Language`` header, else the folder (``ru/LC_MESSAGES/x.po``)
    or file name (``ru.po``); ``None`` when neither says."""
    candidates = [catalog.header_fields().get("Language", "")]
    where = PurePath(path)
    if where.parent.name == "LC_MESSAGES":
        candidates.append(where.parent.parent.name)
    candidates.append(where.stem)
    for candidate in candidates:
        tag = _from_gettext(candidate)
        if tag:
            found = canonical_lang(tag)
            if found:
                return found
    return None


def gettext_lang(value: str) -> str | None:
    """A gettext language name (``pt_BR``, ``kk@latin``) as a canonical BCP 47 tag, or None."""
    tag = _from_gettext(value)
    return canonical_lang(tag) if tag else None


def _from_gettext(value: str) -> str:
    """``pt_BR`` → ``pt-BR``, ``kk@latin`` → ``kk-Latn``."""
    value = value.strip()
    base, _at, modifier = value.partition("@")
    script = {"latin": "Latn", "cyrillic": "Cyrl"}.get(modifier.lower())
    parts = base.replace("_", "-").split("-")
    if script and parts and parts[0]:
        parts.insert(1, script)
    return "-".join(part for part in parts if part)
