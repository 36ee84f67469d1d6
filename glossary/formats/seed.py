"""Reads the bundled, human-edited seed term base (TOML) into plain records."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path

from glossary.model.chars import check_chars
from glossary.model.conceptid import parse_concept_id
from glossary.model.errors import ParseError
from glossary.model.langtag import parse_lang
from glossary.model.limits import check_concept, check_term
from glossary.model.records import (
    CONCEPT_KINDS,
    STATUSES,
    TERM_TYPES,
    ConceptRecord,
    TermRecord,
    checked_choice,
)

_TERM_KEYS = {"lang", "text", "status", "type", "note", "source", "valid_from", "valid_until"}
_CONCEPT_KEYS = {"id", "kind", "note", "external_id", "valid_from", "valid_until", "term"}
_CONCEPT_HEADER = re.compile(r"^\s*\[\[\s*concept\s*\]\]")
_TERM_HEADER = re.compile(r"^\s*\[\[\s*concept\.term\s*\]\]")
_TOML_LINE = re.compile(r"at line (\d+)")


def bundled_path(name: str) -> Path:
    """Path of a file in ``glossary/data``."""
    return Path(str(resources.files("glossary") / "data" / name))


def read_termbase_toml(path: str | Path | None = None) -> list[ConceptRecord]:
    """Concepts of a seed TOML file (the bundled one by default); errors name the file and line."""
    path = Path(path) if path is not None else bundled_path("termbase.toml")
    try:
        raw = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(path, None, f"not UTF-8 text (byte {exc.start})") from exc
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        raise ParseError(path, int(found.group(1)) if found else None, f"invalid TOML: {exc}") from exc
    concept_lines = iter(_header_lines(raw, _CONCEPT_HEADER))
    term_lines = iter(_header_lines(raw, _TERM_HEADER))
    entries = data.get("concept", [])
    if not isinstance(entries, list):
        raise ParseError(path, None, "'concept' must be an array of tables ([[concept]])")
    concepts: list[ConceptRecord] = []
    for entry in entries:
        line = next(concept_lines, None)
        if not isinstance(entry, dict):
            raise ParseError(path, line, "'concept' must be an array of tables ([[concept]])")
        unknown = set(entry) - _CONCEPT_KEYS
        if unknown or "id" not in entry:
            problem = f"unknown or missing keys {sorted(unknown)}"
            raise ParseError(path, line, f"concept {entry.get('id')!r}: {problem}")
        fields = {k: v for k, v in entry.items() if k != "term"}
        _check_strings(fields, path, line)
        parse_concept_id(fields["id"], path, line)
        checked_choice(fields.get("kind", "other"), CONCEPT_KINDS, "kind", str(path), line)
        raw_terms = entry.get("term", [])
        if not isinstance(raw_terms, list) or not all(isinstance(term, dict) for term in raw_terms):
            raise ParseError(path, line, f"concept {entry['id']!r}: 'term' must be an array of tables")
        terms = []
        for term in raw_terms:
            term_line = next(term_lines, line)
            if set(term) - _TERM_KEYS or "lang" not in term or "text" not in term:
                raise ParseError(path, term_line, f"concept {entry['id']!r}: bad term {term!r}")
            _check_strings(term, path, term_line)
            lang = parse_lang(term["lang"], path, term_line)
            checked_choice(term.get("status", "preferred"), STATUSES, "status", str(path), term_line)
            checked_choice(term.get("type", "full_form"), TERM_TYPES, "type", str(path), term_line)
            terms.append(check_term(TermRecord(**{**term, "lang": lang}, origin="entered"), path, term_line))
        concepts.append(check_concept(ConceptRecord(**fields, terms=terms), path, line))
    return concepts


def _check_strings(table: dict[str, object], path: Path, line: int | None) -> None:
    """Every value of ``table`` must be a string XML can carry."""
    for key, value in table.items():
        if not isinstance(value, str):
            raise ParseError(path, line, f"{key} must be a string, not {value!r}")
        check_chars(value, path, line)


def _header_lines(raw: str, header: re.Pattern[str]) -> list[int]:
    """The line of each table header matching ``header``, in file order."""
    return [number for number, text in enumerate(raw.splitlines(), start=1) if header.match(text)]
