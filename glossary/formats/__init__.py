"""Interchange formats of the term base: readers take file objects, writers yield text."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from glossary.atomic import write_atomic, write_atomic_bytes
from glossary.formats.csv import generate_csv, read_csv
from glossary.formats.tbx import generate_tbx, read_tbx
from glossary.model.records import ConceptRecord


@dataclass(frozen=True)
class TermbaseFormat:
    """A term-base file format: how to open it (``binary``) and its reader and writer."""

    name: str
    suffix: str
    binary: bool
    read: Callable[[IO[Any], str], Iterator[ConceptRecord]]
    generate: Callable[[Iterable[ConceptRecord]], Iterator[str]]


TERMBASE_FORMATS: dict[str, TermbaseFormat] = {
    "tbx": TermbaseFormat("tbx", ".tbx", True, read_tbx, generate_tbx),
    "csv": TermbaseFormat("csv", ".csv", False, read_csv, generate_csv),
}

__all__ = [
    "TERMBASE_FORMATS",
    "TermbaseFormat",
    "generate_csv",
    "generate_tbx",
    "read_csv",
    "read_tbx",
    "write_atomic",
    "write_atomic_bytes",
]
