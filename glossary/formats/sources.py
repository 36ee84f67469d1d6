"""Reads the bundled sources register (TOML): the publications term-base forms are cited from."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from glossary.formats.seed import bundled_path
from glossary.model.errors import ParseError
from glossary.model.records import CONCEPT_KINDS, SOURCE_BASES, TERM_TYPES, SourceRecord, checked_choice

_REQUIRED = ("id", "title", "basis", "langs")
_KEYS = {*_REQUIRED, "publisher", "url", "kinds", "types", "consulted", "note"}
_ID = re.compile(r"[a-z0-9_]+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def read_sources(path: str | Path | None = None) -> dict[str, SourceRecord]:
    """Register entries by id, in file order (the bundled ``sources.toml`` by default)."""
    path = Path(path) if path is not None else bundled_path("sources.toml")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ParseError(path, getattr(exc, "lineno", None), f"invalid TOML: {exc}") from exc
    unknown = set(data) - {"source"}
    if unknown:
        raise ParseError(path, None, f"unknown top-level keys {sorted(unknown)}")
    sources: dict[str, SourceRecord] = {}
    for entry in data.get("source", []):
        record = _record(entry, str(path))
        if record.id in sources:
            raise ParseError(path, None, f"source {record.id!r} appears twice")
        sources[record.id] = record
    return sources


def _record(entry: dict[str, Any], path: str) -> SourceRecord:
    name = entry.get("id")
    unknown = set(entry) - _KEYS
    missing = [key for key in _REQUIRED if key not in entry]
    if unknown or missing:
        raise ParseError(path, None, f"source {name!r}: unknown keys {sorted(unknown)}, missing {missing}")
    if not isinstance(name, str) or not _ID.fullmatch(name):
        raise ParseError(path, None, f"source id {name!r} is not a lowercase slug")
    consulted = entry.get("consulted")
    if consulted is not None and not (isinstance(consulted, str) and _DATE.fullmatch(consulted)):
        raise ParseError(path, None, f"source {name!r}: consulted {consulted!r} is not an ISO date")
    kinds = _strings(entry, "kinds", name, path)
    types = _strings(entry, "types", name, path)
    for kind in kinds or ():
        checked_choice(kind, CONCEPT_KINDS, "kind", path, None)
    for type_ in types or ():
        checked_choice(type_, TERM_TYPES, "type", path, None)
    return SourceRecord(
        id=name,
        title=str(entry["title"]),
        basis=checked_choice(str(entry["basis"]), SOURCE_BASES, "basis", path, None),
        langs=_strings(entry, "langs", name, path) or (),
        publisher=entry.get("publisher"),
        url=entry.get("url"),
        kinds=kinds,
        types=types,
        consulted=consulted,
        note=entry.get("note"),
    )


def _strings(entry: dict[str, Any], key: str, name: str, path: str) -> tuple[str, ...] | None:
    value = entry.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise ParseError(path, None, f"source {name!r}: {key} must be a non-empty list of strings")
    return tuple(value)
