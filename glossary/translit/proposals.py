"""Forms to propose for a new Cyrillic name: each scheme's romanization and the press spellings."""

from __future__ import annotations

from dataclasses import dataclass

from glossary.translit import has_cyrillic, list_schemes, romanize, source_langs

# The languages whose newspapers have their own transcription of Cyrillic names (the *_press schemes).
PRESS_LANGS = ("en", "de", "fr")


@dataclass(frozen=True, slots=True)
class Proposal:
    """One proposed form: the romanization ``text`` of a name under ``scheme``."""

    scheme: str
    title: str
    text: str


def propose_romanizations(text: str, lang: str) -> list[Proposal]:
    """Every scheme's romanization of ``text`` (written in ``lang``), in scheme-name order.

    Empty when the text is not Cyrillic or the language has no schemes.
    """
    if not has_cyrillic(text) or lang not in source_langs():
        return []
    return [Proposal(s.name, s.title, romanize(text, lang, s.name)) for s in list_schemes(lang)]


def propose_press_spellings(text: str, lang: str) -> dict[str, Proposal]:
    """The spelling each press language would print for the name (``en`` → Tokayev, ``de`` →
    Tokajew, ``fr`` → Tokaïev), keyed by that language; languages without a press scheme are left out."""
    by_scheme = {p.scheme: p for p in propose_romanizations(text, lang)}
    return {target: by_scheme[f"{target}_press"] for target in PRESS_LANGS if f"{target}_press" in by_scheme}
