"""Reads the bundled, human-edited seed term base (TOML) into plain records."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from glossary.model.errors import ParseError
from glossary.model.records import ConceptRecord, TermRecord

_TERM_KEYS = {"lang", "text", "status", "type", "note", "source", "valid_from", "valid_until"}
_CONCEPT_KEYS = {"id", "kind", "note", "external_id", "valid_from", "valid_until", "term"}


def bundled_path(name: str) -> Path:
    """Path of a file in ``glossary/data``."""
    return Path(str(resources.files("glossary") / "data" / name))


def read_termbase_toml(path: str | Path | None = None) -> list[ConceptRecord]:
    """Concepts of a seed TOML file (the bundled one by default)."""
    path = Path(path) if path is not None else bundled_path("termbase.toml")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise ParseError(path, line, f"invalid TOML: {exc}") from exc
    concepts: list[ConceptRecord] = []
    for entry in data.get("concept", []):
        unknown = set(entry) - _CONCEPT_KEYS
        if unknown or "id" not in entry:
            problem = f"unknown or missing keys {sorted(unknown)}"
            raise ParseError(path, None, f"concept {entry.get('id')!r}: {problem}")
        terms = []
        for term in entry.get("term", []):
            if set(term) - _TERM_KEYS or "lang" not in term or "text" not in term:
                raise ParseError(path, None, f"concept {entry['id']!r}: bad term {term!r}")
            terms.append(TermRecord(**term, origin="entered"))
        fields = {k: v for k, v in entry.items() if k != "term"}
        concepts.append(ConceptRecord(**fields, terms=terms))
    return concepts
