"""Romanize Russian, Kazakh, Kyrgyz, Belarusian, Tajik and Armenian text with the schemes in ``schemes/``."""

from __future__ import annotations

import re

from glossary.model.errors import UsageError
from glossary.translit.engine import apply
from glossary.translit.registry import Rules, Scheme, load_schemes

__all__ = ["Scheme", "has_cyrillic", "list_schemes", "romanize", "romanize_all", "source_langs"]

DEFAULT_SCHEME = "bgn_pcgn"

_CYRILLIC = re.compile("[\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f]")


def has_cyrillic(text: str) -> bool:
    """Whether ``text`` holds any Cyrillic character."""
    return _CYRILLIC.search(text) is not None


def source_langs() -> tuple[str, ...]:
    """The languages that have at least one scheme, in a stable order."""
    return tuple(dict.fromkeys(lang for lang, _ in load_schemes()))


def list_schemes(lang: str | None = None) -> list[Scheme]:
    """Every scheme, or those of one source language, ordered by language and name."""
    if lang is not None:
        _check_lang(lang)
    return [scheme for (code, _), (scheme, _) in load_schemes().items() if lang in (None, code)]


def _check_lang(lang: str) -> None:
    if lang not in source_langs():
        raise UsageError(f"unknown language {lang!r}; valid: {', '.join(source_langs())}")


def _rules(lang: str, scheme: str) -> Rules:
    _check_lang(lang)
    found = load_schemes().get((lang, scheme))
    if found is None:
        names = ", ".join(s.name for s in list_schemes(lang))
        raise UsageError(f"unknown scheme {scheme!r} for {lang}; valid: {names}")
    return found[1]


def romanize(text: str, lang: str, scheme: str = DEFAULT_SCHEME) -> str:
    """``text`` in ``lang`` romanized with one scheme; UsageError names the valid choices."""
    return apply(_rules(lang, scheme), text)


def romanize_all(text: str, lang: str) -> dict[str, str]:
    """``text`` romanized with every scheme of ``lang``, keyed by scheme name in name order."""
    return {scheme.name: romanize(text, lang, scheme.name) for scheme in list_schemes(lang)}
