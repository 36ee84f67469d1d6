"""The .po/.pot adapter of ``glossary check``: entries as check units, with where each character sits in the file.

A check needs what a catalogue reader does not keep: the line and column of every character of
a quoted, escaped, wrapped msgstr, to report columns and to fix a name in place without
rewrapping the file. So this reads the few parts the check uses (context, msgid, msgstr,
translator comments, the fuzzy flag, the Language header) line by line, fast enough for
100,000 entries; ``tests/test_cli_check_po.py`` compares it with polib entry by entry.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

from glossary.checks.model import CheckUnit
from glossary.model.errors import ParseError

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
            "\\": "\\", '"': '"', "'": "'", "?": "?"}
_UNESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_KEYWORD = re.compile(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)[ \t]+(".*)$')
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"[ \t]*$')
_CHARSET = re.compile(r"charset\s*=\s*([^\s;\\]+)", re.IGNORECASE)
_LANGUAGE = re.compile(r"^Language:\s*(\S+)", re.MULTILINE)
_SOURCE_LANGUAGE = re.compile(r"^X-Source-Language:\s*(\S+)", re.MULTILINE)


@dataclass(slots=True)
class Piece:
    """One quoted string of a field as written: its line, the column after its quote, its raw text."""

    line: int  # 1-based
    column: int  # 0-based offset of the first character after the opening quote
    raw: str


@dataclass(slots=True)
class Field:
    """A field (msgid, msgstr...) as pieces; its text is the pieces unescaped and joined."""

    pieces: list[Piece] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(unescape(piece.raw) for piece in self.pieces)

    @property
    def line(self) -> int | None:
        """The line of the first piece holding text (``msgstr ""`` then lines is gettext's wrap)."""
        for piece in self.pieces:
            if piece.raw:
                return piece.line
        return self.pieces[0].line if self.pieces else None

    def where(self, offset: int) -> tuple[int, int, int, int]:
        """(piece index, line, raw column, raw end of that character) of text ``offset``."""
        position = 0
        last = (0, 0, 0, 0)
        for number, piece in enumerate(self.pieces):
            raw = piece.raw
            column = 0
            while column < len(raw):
                width = _escape_width(raw, column)
                if position == offset:
                    return number, piece.line, piece.column + column, piece.column + column + width
                position += 1
                column += width
                last = (number, piece.line, piece.column + column, piece.column + column)
        return last


@dataclass(slots=True)
class Entry:
    """The parts of one catalogue entry that the check reads."""

    line: int
    msgctxt: Field | None = None
    msgid: Field | None = None
    msgid_plural: Field | None = None
    msgstr: dict[int, Field] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


def _escape_width(raw: str, column: int) -> int:
    if raw[column] != "\\" or column + 1 >= len(raw):
        return 1
    following = raw[column + 1]
    if following in "01234567":
        width = 2
        while width < 4 and column + width < len(raw) and raw[column + width] in "01234567":
            width += 1
        return width
    if following == "x":
        width = 2
        while width < 4 and column + width < len(raw) and raw[column + width] in "0123456789abcdefABCDEF":
            width += 1
        return width
    return 2


def unescape(raw: str) -> str:
    """A C string's text (``\\n`` → newline)."""
    if "\\" not in raw:
        return raw
    out: list[str] = []
    column = 0
    while column < len(raw):
        width = _escape_width(raw, column)
        chunk = raw[column : column + width]
        if width == 1:
            out.append(chunk)
        elif chunk[1] in "01234567":
            out.append(chr(int(chunk[1:], 8)))
        elif chunk[1] == "x":
            out.append(chr(int(chunk[2:], 16)))
        else:
            out.append(_ESCAPES.get(chunk[1], chunk[1]))
        column += width
    return "".join(out)


def escape(text: str) -> str:
    """``text`` as the inside of a C string."""
    return "".join(_UNESCAPES.get(ch, ch) for ch in text)


def decode(data: bytes, path: str) -> str:
    """The catalogue's text in the charset its header declares (UTF-8 when none)."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    head_end = data.find(b"\n\n")
    head = data[: head_end if head_end > 0 else 4096].decode("latin-1")
    match = _CHARSET.search(head)
    charset = match.group(1) if match and match.group(1).upper() != "CHARSET" else "utf-8"
    try:
        codecs.lookup(charset)
    except LookupError as exc:
        line = head[: match.start()].count("\n") + 1 if match else 1
        raise ParseError(path, line, f"unknown charset {charset!r} in the header") from exc
    try:
        text = data.decode(charset)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ParseError(path, line, f"not valid {charset} (byte 0x{data[exc.start]:02X})") from exc
    return text.replace("\r\n", "\n")


def parse(text: str, path: str) -> list[Entry]:
    """Every entry of a catalogue in file order (obsolete ones marked); defects raise ParseError."""
    entries: list[Entry] = []
    entry: Entry | None = None
    current: Field | None = None
    seen_string = False
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            current = None
            continue
        if stripped.startswith("#~"):
            if entry is None or seen_string:
                entry, seen_string = Entry(number), False
                entries.append(entry)
            entry.obsolete = True
            current = None
            continue
        if stripped.startswith("#"):
            if entry is None or seen_string:
                entry, seen_string = Entry(number), False
                entries.append(entry)
            if stripped.startswith("#,"):
                entry.flags.update(flag.strip() for flag in stripped[2:].split(","))
            elif stripped[1:2] in (" ", "") or stripped[1:2].isalnum():
                entry.comments.append(stripped[1:].strip())
            current = None
            continue
        if stripped.startswith('"'):
            if current is None:
                raise ParseError(path, number, "a string with no keyword before it")
            current.pieces.append(_piece(line, number, path))
            continue
        match = _KEYWORD.match(stripped)
        if match is None:
            raise ParseError(path, number, f"unknown keyword: {stripped.split()[0]!r}")
        keyword = match.group(1)
        starts_entry = keyword in ("msgctxt", "msgid")
        if entry is None or (seen_string and starts_entry and (keyword == "msgctxt" or entry.msgid is not None)):
            entry = Entry(number)
            entries.append(entry)
        seen_string = True
        current = Field([_piece(line, number, path, start=line.index('"', line.index(keyword)))])
        if keyword == "msgctxt":
            entry.msgctxt = current
        elif keyword == "msgid":
            entry.msgid = current
        elif keyword == "msgid_plural":
            entry.msgid_plural = current
        else:
            index = int(match.group(2)) if match.group(2) is not None else 0
            entry.msgstr[index] = current
    for entry in entries:
        if not entry.obsolete and entry.msgid is None and (entry.msgstr or entry.msgctxt):
            raise ParseError(path, entry.line, "an entry without msgid")
        if not entry.obsolete and entry.msgid is not None and not entry.msgstr:
            raise ParseError(path, entry.msgid.pieces[0].line, "msgid without msgstr")
    return [entry for entry in entries if entry.msgid is not None or entry.obsolete]


def _piece(line: str, number: int, path: str, start: int | None = None) -> Piece:
    begin = line.index('"') if start is None else start
    match = _STRING.match(line, begin)
    if match is None:
        raise ParseError(path, number, "a string that is not closed or has text after it")
    return Piece(number, begin + 1, match.group(1))


def header_language(entries: list[Entry]) -> tuple[str | None, str | None]:
    """(Language, X-Source-Language) from the header entry, where given."""
    for entry in entries:
        if entry.msgid is not None and entry.msgid.text == "" and entry.msgctxt is None and 0 in entry.msgstr:
            header = entry.msgstr[0].text
            language = _LANGUAGE.search(header)
            source = _SOURCE_LANGUAGE.search(header)
            return (language.group(1) if language else None), (source.group(1) if source else None)
    return None, None


def entry_key(entry: Entry, plural: int = 0) -> str:
    """The entry's key: its context and msgid (and which plural form), as gettext identifies it."""
    assert entry.msgid is not None
    key = entry.msgid.text if entry.msgctxt is None else f"{entry.msgctxt.text}\x04{entry.msgid.text}"
    return key if plural == 0 else f"{key}[{plural}]"


def units_of(
    entries: list[Entry], path: str, source_lang: str, target_lang: str | None
) -> list[tuple[CheckUnit, Entry, int]]:
    """Check units of the live entries (the header and obsolete entries left out), with their entry
    and plural index; a template (``target_lang`` None) gives source-only units."""
    result = []
    for entry in entries:
        if entry.obsolete or entry.msgid is None:
            continue
        source = entry.msgid.text
        if source == "" and entry.msgctxt is None:
            continue  # the header
        for plural, field_ in sorted(entry.msgstr.items()):
            if target_lang is None and plural > 0:
                break
            msgid = entry.msgid if plural == 0 or entry.msgid_plural is None else entry.msgid_plural
            target = field_.text if target_lang is not None else None
            state = "fuzzy" if "fuzzy" in entry.flags else "translated" if target else "new"
            unit = CheckUnit(
                key=entry_key(entry, plural),
                source=msgid.text,
                source_lang=source_lang,
                target=target,
                target_lang=target_lang,
                path=path,
                line=field_.line if target_lang is not None else msgid.line,
                source_line=msgid.line,
                comments=tuple(entry.comments),
                state=state if target_lang is not None else None,
            )
            result.append((unit, entry, plural))
    return result


def read_units(path: Path, display: str, source_lang: str, target_lang: str | None) -> tuple[
    list[tuple[CheckUnit, Entry, int]], str | None, str | None
]:
    """(units, Language header, X-Source-Language header) of the catalogue at ``path``."""
    entries = parse(decode(path.read_bytes(), display), display)
    language, source = header_language(entries)
    return units_of(entries, display, source or source_lang, target_lang), language, source
