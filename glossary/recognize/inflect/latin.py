"""Endings and articles around names in German, English and French text."""

from __future__ import annotations

import re

# German genitive -s is not added after a sibilant (des Kasachstans, but: Tokajews, Minsks).
_GERMAN_NO_S = ("s", "ß", "x", "z", "sch")
# Heads with these feminine suffixes take no genitive ending (der Organisation); other heads
# may (des Komitees), and a form no one writes costs nothing but a key.
_GERMAN_FEMININE = ("ung", "ion", "heit", "keit", "schaft", "tät")
_GERMAN_ADJECTIVE = re.compile(r"^(\w+?)(?:e|es|er|en|em)$")


def possessive_end(lang: str, text: str, end: int) -> int:
    """End of an English possessive after a name (``Tokayev's``, ``Tokayev’s``), else ``end``."""
    if lang.split("-")[0] != "en" or text[end : end + 2][1:].lower() != "s":
        return end
    after = end + 2
    if after < len(text) and text[after].isalnum():
        return end
    return after


def german_forms(text: str) -> set[str]:
    """Case forms of a German multiword name: adjectives before the head take -e/-en/-em/-er/-es,
    the head noun an optional genitive -s/-es (``Nationalen Sicherheitskomitees``,
    ``Roten Armee``, ``Vertrags über kollektive Sicherheit``). One-word names get their
    genitive -s at match time instead.
    """
    words = text.split(" ")
    if len(words) < 2:
        return set()
    head = 0
    while head < len(words) - 1 and _GERMAN_ADJECTIVE.match(words[head]) and words[head + 1][:1].isupper():
        head += 1
    stems = [_GERMAN_ADJECTIVE.match(word).group(1) for word in words[:head]]  # type: ignore[union-attr]
    noun = words[head]
    lower = noun.lower()
    if lower.endswith(_GERMAN_NO_S + _GERMAN_FEMININE):
        heads = {noun}
    elif lower[-1:] in "aeiouäöüy":
        heads = {noun, noun + "s"}
    else:
        heads = {noun, noun + "s", noun + "es"}
    endings = ("e", "en", "em", "er", "es") if stems else ("",)
    forms = set()
    for ending in endings:
        for head_form in heads:
            forms.add(" ".join([*(stem + ending for stem in stems), head_form, *words[head + 1 :]]))
    forms.discard(text)
    return forms


def accepts(lang: str, stem: str, suffix: str) -> bool:
    """Whether ``suffix`` glued to a name (no apostrophe) is a case ending in ``lang``.

    English possessives (``Tokayev's``, ``Tokayev’s``) need no rule: the apostrophe already
    ends the word.
    """
    primary = lang.split("-")[0]
    if primary == "de":
        return suffix.lower() == "s" and not stem.lower().endswith(_GERMAN_NO_S)
    return False
