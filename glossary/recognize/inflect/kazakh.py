"""Kazakh case and possessive endings after names, from the rules in ``kazakh_suffixes.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from glossary.text.fold import fold

HYPHENS = "-‐‑"


@dataclass(frozen=True, slots=True)
class KazakhRules:
    """Endings by final-sound class and harmony, read once from the data file."""

    classes: dict[str, str]
    back: str
    front: str
    neutral: str
    skip_endings: tuple[str, ...]
    skip_min_root_vowels: int
    soft_sign: str
    possessive_finals: str
    endings: dict[str, dict[str, list[str]]]
    after_possessive: dict[str, list[str]]
    samples: dict[str, list[str]]

    def harmonies(self, stem: str) -> tuple[int, ...]:
        """0 for back, 1 for front; both when the stem shows no vowel (abbreviations)."""
        word = stem.lower()
        if word.endswith(self.soft_sign):
            return (1,)
        for ending in self.skip_endings:
            root = word[: -len(ending)]
            vowels = sum(ch in self.back or ch in self.front for ch in root)
            if word.endswith(ending) and vowels >= self.skip_min_root_vowels:
                word = root
                break
        for ch in reversed(word):
            if ch in self.back:
                return (0,)
            if ch in self.front:
                return (1,)
        return (0, 1)

    def final_classes(self, stem: str) -> tuple[str, ...]:
        """The sound classes of the stem's last letter ('' class list when it is no Cyrillic letter)."""
        last = stem.lower().rstrip(self.soft_sign)[-1:]
        return tuple(name for name, letters in self.classes.items() if last and last in letters)

    def endings_for(self, stem: str) -> list[str]:
        """Every ending this stem can take, in Kazakh spelling."""
        endings = self.endings_by(self.final_classes(stem), self.harmonies(stem))
        if self.is_possessed_compound(stem):
            endings += self.possessed_endings(self.harmonies(stem))
        return endings

    def is_possessed_compound(self, stem: str) -> bool:
        """A multiword name ending in a possessive (``Тяньаньмэнь алаңы``)."""
        return " " in stem.strip() and stem[-1:].lower() in self.possessive_finals

    def possessed_endings(self, harmonies: tuple[int, ...]) -> list[str]:
        """The endings after a third-person possessive."""
        keys = ["back" if harmony == 0 else "front" for harmony in harmonies]
        return [tail for key in keys for tail in self.after_possessive[key] if tail]

    def endings_by(self, classes: tuple[str, ...], harmonies: tuple[int, ...]) -> list[str]:
        """Every ending for a stem of these final-sound classes and harmonies."""
        result: list[str] = []
        for cls in classes:
            for name, forms in self.endings.items():
                for harmony in harmonies:
                    for ending in forms[cls][harmony].split("|"):
                        if name == "possessive_3":
                            key = "back" if harmony == 0 else "front"
                            result.extend(ending + tail for tail in self.after_possessive[key])
                        else:
                            result.append(ending)
        return list(dict.fromkeys(result))


def _parse(data: dict[str, Any]) -> KazakhRules:
    harmony = data["harmony"]
    return KazakhRules(
        classes=dict(data["classes"]),
        back=harmony["back"],
        front=harmony["front"],
        neutral=harmony["neutral"],
        skip_endings=tuple(harmony["skip_endings"]),
        skip_min_root_vowels=harmony["skip_min_root_vowels"],
        soft_sign=harmony["soft_sign"],
        possessive_finals=data["compound"]["possessive_finals"],
        endings={name: dict(forms) for name, forms in data["ending"].items()},
        after_possessive=dict(data["after_possessive"]),
        samples=dict(data["samples"]),
    )


@cache
def rules() -> KazakhRules:
    """The bundled rules (read once)."""
    data = resources.files("glossary.recognize.inflect") / "kazakh_suffixes.toml"
    text = data.read_text(encoding="utf-8")
    return _parse(tomllib.loads(text))


def inflect(stem: str) -> list[str]:
    """All suffixed forms of ``stem`` (``Алматы`` → ``Алматыда``, ``Алматыдан``...)."""
    return [stem + ending for ending in rules().endings_for(stem)]


@cache
def _folded_endings(classes: tuple[str, ...], harmonies: tuple[int, ...]) -> frozenset[str]:
    return frozenset(fold(ending) for ending in rules().endings_by(classes, harmonies))


@cache
def _folded_possessed(harmonies: tuple[int, ...]) -> frozenset[str]:
    return frozenset(fold(ending) for ending in rules().possessed_endings(harmonies))


@cache
def _all_folded_endings() -> frozenset[str]:
    result: set[str] = set()
    for forms in rules().endings.values():
        for pair in forms.values():
            result.update(fold(form) for spelling in pair for form in spelling.split("|"))
    for tails in rules().after_possessive.values():
        result.update(fold(tail) for tail in tails if tail)
    return frozenset(result)


def accepts(stem: str, suffix: str) -> bool:
    """Whether ``suffix`` (the letters after a matched name) is a Kazakh ending of ``stem``.

    After a hyphen (``ҰҚШҰ-ның``, ``ҚР-дың``) any ending is accepted: abbreviations are read
    by their letter names, so their harmony cannot be told from the spelling.
    """
    if not suffix:
        return False
    if suffix[0] in HYPHENS:
        return fold(suffix[1:]) in _all_folded_endings()
    table = rules()
    folded = fold(suffix)
    harmonies = table.harmonies(stem)
    if folded in _folded_endings(table.final_classes(stem), harmonies):
        return True
    return table.is_possessed_compound(stem) and folded in _folded_possessed(harmonies)
