"""The grammar of concept ids, checked the same way by every reader, `terms add` and the TUI."""

from __future__ import annotations

import re
from pathlib import Path

from glossary.model.errors import ParseError, UsageError

MAX_LENGTH = 100
# ASCII letters, digits, "_", "-" and "."; not starting with "-" or ".". Such an id is safe as a TBX
# conceptEntry/@id, in a URL path, a file name and on a command line (no space, slash, quote or
# option dash); ids of other tools (c12, IATE-1234, TE_5.1) fit it, and Glossary's own are slugs.
CONCEPT_ID = re.compile(rf"[A-Za-z0-9_][A-Za-z0-9_.\-]{{0,{MAX_LENGTH - 1}}}")
GRAMMAR = f"ASCII letters, digits, _, - and . (not first), at most {MAX_LENGTH} characters"


def concept_id_problem(value: str) -> str | None:
    """Why ``value`` is not a concept id, or None when it is one."""
    if CONCEPT_ID.fullmatch(value):
        return None
    if not value:
        return "empty concept id"
    return f"concept id {value[:MAX_LENGTH + 20]!r} is not valid: {GRAMMAR}"


def parse_concept_id(value: str, path: str | Path | None, line: int | None) -> str:
    """``value`` when it is a concept id; else a ParseError naming the file and line."""
    problem = concept_id_problem(value)
    if problem:
        raise ParseError(path, line, problem)
    return value


def require_concept_id(value: str) -> str:
    """``value`` when it is a concept id; else a UsageError (for ids given on a command line)."""
    problem = concept_id_problem(value)
    if problem:
        raise UsageError(problem)
    return value
