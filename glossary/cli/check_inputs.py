"""The files ``glossary check`` reads: which ones, in which language, as units; how fixes go back in."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from glossary.checks.model import CheckUnit, Finding
from glossary.cli import check_po
from glossary.cli.check_text import Block, text_units
from glossary.model.catalog import PoMessage
from glossary.model.errors import ParseError, UsageError
from glossary.model.langtag import canonical_lang as _canonical_lang

CATALOGUE_SUFFIXES = (".po", ".pot")
MARKDOWN_SUFFIXES = (".md", ".markdown")
TEXT_SUFFIXES = (".txt", *MARKDOWN_SUFFIXES)
_SKIPPED_FOLDERS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox"}
# Tags that are their own canonical form: a catalogue's header names one without loading the
# language registry (a tenth of a second at start-up).
_CANONICAL = frozenset({"en", "ru", "kk", "kk-Latn", "de", "fr", "be", "tg", "ky", "uk", "uz", "hy"})
_TAG_PART = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z]{4})?(?:[-_](?:[A-Za-z]{2}|\d{3}))?$")


def canonical_lang(tag: str) -> str | None:
    """``tag`` in canonical BCP 47 form (see :func:`glossary.model.langtag.canonical_lang`)."""
    return tag if tag in _CANONICAL else _canonical_lang(tag)


def discover(paths: Iterable[str]) -> Iterator[Path]:
    """The files to check: each named file, and the catalogues, text and Markdown files under each
    named folder (hidden and tool folders skipped), in a stable order."""
    for name in paths:
        path = Path(name)
        if not path.is_dir():
            yield path
            continue
        for folder, folders, files in os.walk(path):
            folders[:] = sorted(f for f in folders if f not in _SKIPPED_FOLDERS and not f.startswith("."))
            for file in sorted(files):
                if file.lower().endswith(CATALOGUE_SUFFIXES + TEXT_SUFFIXES):
                    yield Path(folder) / file


def display_path(path: Path) -> str:
    """The path as findings show it: relative to the working folder where it is inside it, with ``/``."""
    try:
        shown = path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        shown = path
    return shown.as_posix()


def language_from_path(path: Path) -> str | None:
    """A language named by the path: ``ru.po``, ``article.de.md``, ``locales/kk/LC_MESSAGES/x.po``."""
    candidates = []
    stem_parts = path.name.split(".")[:-1]
    candidates += list(reversed(stem_parts))
    parents = list(path.parent.parts)
    if parents and parents[-1] == "LC_MESSAGES":
        parents = parents[:-1]
    candidates += list(reversed(parents[-1:]))
    for candidate in candidates:
        if _TAG_PART.match(candidate):
            tag = canonical_lang(candidate.replace("_", "-"))
            if tag is not None:
                return tag
    return None


@dataclass(slots=True)
class CheckedFile:
    """One input file read for checking: its units, and what turns unit offsets into file positions."""

    path: Path
    display: str
    kind: str  # "po" | "text"
    text: str
    units: list[CheckUnit]
    messages: dict[int, tuple[PoMessage, int]] = field(default_factory=dict)
    blocks: dict[int, Block] = field(default_factory=dict)
    by_key: dict[str | None, CheckUnit] | None = None
    charset: str = "utf-8"
    _lines: list[str] | None = None
    _fields: dict[int, dict[str, check_po.Field]] = field(default_factory=dict)

    def _field(self, unit: CheckUnit, side: str) -> check_po.Field | None:
        """The field of ``unit`` on ``side`` as the file lays it out (read when first asked for)."""
        located = self.messages.get(id(unit))
        if located is None:
            return None
        message, plural = located
        if self._lines is None:
            self._lines = self.text.split("\n")
        fields = self._fields.get(message.line)
        if fields is None:
            fields = self._fields[message.line] = check_po.fields_at(self._lines, message.line)
        if side == "target":
            return fields.get(f"msgstr[{plural}]")
        if plural > 0 and "msgid_plural" in fields:
            return fields["msgid_plural"]
        return fields.get("msgid")

    def locate(self, unit: CheckUnit, side: str, start: int, end: int) -> tuple[int, int, int] | None:
        """(line, column, end column) in the file of ``start:end`` of one side of ``unit``."""
        if self.kind == "text":
            block = self.blocks.get(id(unit))
            if block is None:
                return None
            begin = block.offset + start
            line_start = self.text.rfind("\n", 0, begin) + 1
            line_end = self.text.find("\n", begin)
            stop = min(block.offset + end, line_end if line_end >= 0 else len(self.text))
            return (
                self.text.count("\n", 0, begin) + 1,
                begin - line_start + 1,
                max(stop, begin) - line_start + 1,
            )
        target_field = self._field(unit, side)
        if target_field is None or not target_field.pieces:
            return None
        _, line, column, _ = target_field.where(start)
        if end <= start:
            return line, column + 1, column + 1
        _, last_line, _, last_end = target_field.where(end - 1)
        if last_line != line:
            last_end = len(self._line(line))
        return line, column + 1, last_end + 1

    def _line(self, number: int) -> str:
        lines = self._lines if self._lines is not None else self.text.split("\n")
        return lines[number - 1] if 0 < number <= len(lines) else ""

    def edits(self, fixes: list[tuple[CheckUnit, str, int, int, str]]) -> list[tuple[int, int, str]]:
        """File offsets and texts of the replacements (unit, side, start, end, text): in place, so
        the file keeps its layout (a wrapped msgstr stays wrapped)."""
        starts = _line_starts(self.text)
        result: list[tuple[int, int, str]] = []
        for unit, side, start, end, replacement in fixes:
            if self.kind == "text":
                block = self.blocks.get(id(unit))
                if block is not None:
                    result.append((block.offset + start, block.offset + end, replacement))
                continue
            target_field = self._field(unit, side)
            if target_field is None or end <= start:
                continue
            first, line, column, _ = target_field.where(start)
            last, last_line, _, last_end = target_field.where(end - 1)
            if first == last:
                base = starts[line - 1]
                result.append((base + column, base + last_end, check_po.escape(replacement)))
                continue
            # A name wrapped over two lines: the new text goes where it began, the rest is removed.
            piece = target_field.pieces[first]
            base = starts[line - 1]
            result.append((base + column, base + piece.column + len(piece.raw), check_po.escape(replacement)))
            for number in range(first + 1, last):
                middle = target_field.pieces[number]
                middle_base = starts[middle.line - 1] + middle.column
                result.append((middle_base, middle_base + len(middle.raw), ""))
            tail = target_field.pieces[last]
            result.append((starts[last_line - 1] + tail.column, starts[last_line - 1] + last_end, ""))
        return result


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for number, ch in enumerate(text):
        if ch == "\n":
            starts.append(number + 1)
    return starts


def read_catalogue(path: Path, source_lang: str, languages: tuple[str, ...] | None) -> CheckedFile | None:
    """A .po/.pot file as units (``None`` when its language is not among ``languages``)."""
    from glossary.formats.po_read import read_po  # the reader alone: no writer, no .mo

    display = display_path(path)
    data = path.read_bytes()
    catalogue = read_po(io.BytesIO(data), display)
    header_lang, header_source = check_po.header_language(catalogue.messages)
    target_lang = None
    if path.suffix.lower() != ".pot":
        named = canonical_lang(header_lang) if header_lang else None
        target_lang = named or language_from_path(path)
        if target_lang is None:
            raise ParseError(
                display, 1, "no language: give a Language header or name the file ru.po, "
                "locales/ru/LC_MESSAGES/x.po and the like"
            )
        if languages is not None and target_lang not in languages:
            return None
    source = canonical_lang(header_source) if header_source else None
    triples = check_po.units_of(catalogue.messages, display, source or source_lang, target_lang)
    text = check_po.decoded(data, catalogue.charset)
    units = [unit for unit, _, _ in triples]
    checked = CheckedFile(path, display, "po", text, units, charset=catalogue.charset)
    checked.messages = {id(unit): (message, plural) for unit, message, plural in triples}
    return checked


def read_text(path: Path, lang: str | None) -> CheckedFile:
    """A plain text or Markdown file as source-only units in ``lang`` (or the language its name gives)."""
    from glossary.cli.common import read_text_file

    display = display_path(path)
    language = lang or language_from_path(path)
    if language is None:
        raise UsageError(f"{display}: no language: give --lang or name the file like article.ru.md")
    text = read_text_file(path).replace("\r\n", "\n")
    markdown = path.suffix.lower() in MARKDOWN_SUFFIXES
    pairs = text_units(text, display, language, markdown)
    checked = CheckedFile(path, display, "text", text, [unit for unit, _ in pairs])
    checked.blocks = {id(unit): block for unit, block in pairs}
    return checked


def read_input(
    path: Path, *, lang: str | None, source_lang: str, languages: tuple[str, ...] | None
) -> CheckedFile | None:
    """One input file by its suffix; ParseError or UsageError when it cannot be read."""
    if not path.exists():
        raise UsageError(f"{path}: no such file")
    if path.suffix.lower() in CATALOGUE_SUFFIXES:
        return read_catalogue(path, source_lang, languages)
    return read_text(path, lang)


def unit_of(finding: Finding, checked: CheckedFile) -> CheckUnit | None:
    """The unit a finding is about (by key in catalogues, by line in text files)."""
    if checked.kind == "po":
        if checked.by_key is None:
            checked.by_key = {unit.key: unit for unit in checked.units}
        return checked.by_key.get(finding.key)
    for unit in checked.units:
        block = checked.blocks[id(unit)]
        if finding.line is not None and block.line <= finding.line <= block.line + block.text.count("\n"):
            return unit
    return None
