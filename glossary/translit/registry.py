"""Transliteration schemes read from their data files: the public record and the rule tables."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from glossary.model.errors import ParseError

SCHEME_DIR = Path(__file__).parent / "schemes"
ENGINES = ("table", "iuliia")
CASINGS = ("standard", "turkic")
# The positions a context rule can name besides letters.
WORD_START = "^"
WORD_END = "$"


@dataclass(frozen=True)
class Scheme:
    """One romanization scheme of one source language, as the user sees it."""

    name: str
    lang: str
    title: str
    authority: str
    source: str
    target_langs: tuple[str, ...]
    samples: tuple[tuple[str, str], ...] = field(default=(), repr=False, compare=False)


@dataclass(frozen=True)
class ContextRule:
    """Letters mapped differently when a neighbouring letter is in ``letters``."""

    letters: frozenset[str]
    mapping: dict[str, str]


@dataclass(frozen=True)
class Rules:
    """What the engine needs to run one scheme; built from the scheme's data file."""

    engine: str
    casing: str = "standard"
    mapping: dict[str, str] = field(default_factory=dict)
    word_initial: dict[str, str] = field(default_factory=dict)
    after: tuple[ContextRule, ...] = ()
    before: tuple[ContextRule, ...] = ()
    between: tuple[ContextRule, ...] = ()
    word_ending: dict[str, str] = field(default_factory=dict)
    whole_word: dict[str, str] = field(default_factory=dict)
    separator: str = ""
    separate: frozenset[str] = frozenset()
    iuliia_schema: str = ""
    output_fixes: dict[str, str] = field(default_factory=dict)


def _require(data: dict[str, Any], key: str, kind: type, path: Path) -> Any:
    value = data.get(key)
    if not isinstance(value, kind):
        raise ParseError(path, None, f"field {key!r} must be a {kind.__name__}")
    return value


def _string_map(value: object, what: str, path: Path) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and k and isinstance(v, str) for k, v in value.items()
    ):
        raise ParseError(path, None, f"{what} must map non-empty strings to strings")
    return {key.lower(): val for key, val in value.items()}


def _context_rules(value: object, what: str, path: Path) -> tuple[ContextRule, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ParseError(path, None, f"{what} must be a list of {{letters, mapping}} objects")
    rules = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("letters"), str):
            raise ParseError(path, None, f"each entry of {what} needs a 'letters' string")
        rules.append(
            ContextRule(frozenset(item["letters"].lower()), _string_map(item.get("mapping"), what, path))
        )
    return tuple(rules)


def _samples(value: object, path: Path) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, list) or not all(
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(s, str) for s in pair) for pair in value
    ):
        raise ParseError(path, None, "field 'samples' must be a list of [cyrillic, expected] pairs")
    return tuple((source, expected) for source, expected in value)


def parse_scheme(data: dict[str, Any], path: Path) -> tuple[Scheme, Rules]:
    """Build the public record and the rule tables from one decoded data file."""
    name = _require(data, "name", str, path)
    lang = _require(data, "language", str, path)
    if path.stem != f"{lang}_{name}":
        raise ParseError(path, None, f"file must be named {lang}_{name}{path.suffix}")
    authority = _require(data, "authority", dict, path)
    targets = _require(data, "target_langs", list, path)
    scheme = Scheme(
        name=name,
        lang=lang,
        title=_require(data, "title", str, path),
        authority=_require(authority, "document", str, path),
        source=_require(authority, "source", str, path),
        target_langs=tuple(str(t) for t in targets),
        samples=_samples(data.get("samples"), path),
    )
    engine = data.get("engine", "table")
    casing = data.get("casing", "standard")
    if engine not in ENGINES:
        raise ParseError(path, None, f"engine must be one of {', '.join(ENGINES)}")
    if casing not in CASINGS:
        raise ParseError(path, None, f"casing must be one of {', '.join(CASINGS)}")
    context = data.get("context") or {}
    if not isinstance(context, dict):
        raise ParseError(path, None, "field 'context' must be an object")
    separators = context.get("separators") or {}
    rules = Rules(
        engine=engine,
        casing=casing,
        mapping=_string_map(data.get("mapping"), "mapping", path),
        word_initial=_string_map(context.get("word_initial"), "word_initial", path),
        after=_context_rules(context.get("after"), "after", path),
        before=_context_rules(context.get("before"), "before", path),
        between=_context_rules(context.get("between"), "between", path),
        word_ending=_string_map(context.get("word_ending"), "word_ending", path),
        whole_word=_string_map(context.get("whole_word"), "whole_word", path),
        separator=str(separators.get("mark", "")),
        separate=frozenset(c.lower() for c in separators.get("clusters", ())),
        iuliia_schema=str(data.get("iuliia_schema", "")),
        output_fixes=_string_map(data.get("output_fixes"), "output_fixes", path),
    )
    if engine == "table" and not rules.mapping:
        raise ParseError(path, None, "a table scheme needs a 'mapping'")
    if engine == "iuliia" and not rules.iuliia_schema:
        raise ParseError(path, None, "an iuliia scheme needs 'iuliia_schema'")
    return scheme, rules


def read_scheme(path: Path) -> tuple[Scheme, Rules]:
    """Read one scheme data file; malformed files raise ParseError naming the line."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ParseError(path, exc.lineno, exc.msg) from exc
    if not isinstance(data, dict):
        raise ParseError(path, 1, "a scheme file holds one JSON object")
    return parse_scheme(data, path)


@cache
def load_schemes(folder: Path = SCHEME_DIR) -> dict[tuple[str, str], tuple[Scheme, Rules]]:
    """Every scheme in ``folder`` keyed by (lang, name), ordered by language and then name."""
    found = [read_scheme(path) for path in sorted(folder.glob("*.json"))]
    found.sort(key=lambda pair: (pair[0].lang, pair[0].name))
    return {(scheme.lang, scheme.name): (scheme, rules) for scheme, rules in found}
