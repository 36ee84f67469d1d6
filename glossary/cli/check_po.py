"""The .po/.pot adapter of ``glossary check``: catalogue messages as check units, and where each letter sits.

The catalogue is read by the project's reader (``glossary.formats.po``). A check also needs what a
catalogue model does not keep: the line and column of every character of a quoted, escaped,
wrapped msgstr, to report columns and to fix a name in place without rewrapping the file. Those
are found when a finding needs them, by reading the message's lines again from its msgid line.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from glossary.checks.model import CheckUnit
from glossary.model.catalog import PoMessage

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
            "\\": "\\", '"': '"', "'": "'", "?": "?"}
_UNESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_LANGUAGE = re.compile(r"^Language:\s*(\S+)", re.MULTILINE)
_SOURCE_LANGUAGE = re.compile(r"^X-Source-Language:\s*(\S+)", re.MULTILINE)
_KEYWORD = re.compile(r"\s*(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+\"")


@dataclass(slots=True)
class Piece:
    """One quoted string of a field as written: its line, the column after its quote, its raw text."""

    line: int  # 1-based
    column: int  # 0-based offset of the first character after the opening quote
    raw: str


@dataclass(slots=True)
class Field:
    """A field (msgid, msgstr...) as the file writes it: its quoted strings, line by line."""

    pieces: list[Piece] = field(default_factory=list)

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


def _piece(line: str, number: int, begin: int) -> Piece:
    body = line[begin + 1 :].rstrip(" \t")
    return Piece(number, begin + 1, body[:-1] if body.endswith('"') else body)


def fields_at(lines: list[str], first: int) -> dict[str, Field]:
    """The fields of the message whose msgid is on line ``first`` (1-based): ``msgid``,
    ``msgid_plural`` and ``msgstr[n]`` (a singular msgstr is ``msgstr[0]``), as the file lays them out."""
    fields: dict[str, Field] = {}
    current: Field | None = None
    for number in range(first, len(lines) + 1):
        line = lines[number - 1]
        stripped = line.strip()
        if stripped.startswith('"') and current is not None:
            current.pieces.append(_piece(line, number, line.index('"')))
            continue
        match = _KEYWORD.match(line)
        if match is None or (match.group(1) in ("msgid", "msgctxt") and fields):
            break  # a comment, a blank line or the next message: this one is complete
        name = match.group(1)
        if name.startswith("msgstr"):
            name = f"msgstr[{match.group(2) or 0}]"
        current = fields[name] = Field([_piece(line, number, match.end() - 1)])
    return fields


def decoded(data: bytes, charset: str) -> str:
    """The file's text in the charset the reader found (as the reader decoded it)."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    codec = "ascii" if charset.upper() == "CHARSET" else charset
    return data.decode(codec).replace("\r\n", "\n")


def header_language(messages: tuple[PoMessage, ...]) -> tuple[str | None, str | None]:
    """(Language, X-Source-Language) from the header message, where given."""
    for message in messages:
        if message.is_header:
            language = _LANGUAGE.search(message.msgstr)
            source = _SOURCE_LANGUAGE.search(message.msgstr)
            return (language.group(1) if language else None), (source.group(1) if source else None)
    return None, None


def message_key(message: PoMessage, plural: int = 0) -> str:
    """The message's key: its context and msgid (and which plural form), as gettext identifies it."""
    key = message.msgid if message.msgctxt is None else f"{message.msgctxt}\x04{message.msgid}"
    return key if plural == 0 else f"{key}[{plural}]"


def units_of(
    messages: tuple[PoMessage, ...], path: str, source_lang: str, target_lang: str | None
) -> list[tuple[CheckUnit, PoMessage, int]]:
    """Check units of the live messages (the header and obsolete ones left out), with their message
    and plural index; a template (``target_lang`` None) gives source-only units. A unit's lines are
    its msgid's until a finding asks for the exact place."""
    result = []
    for message in messages:
        if message.obsolete or message.is_header:
            continue
        targets = message.msgstr_plural if message.msgid_plural is not None else (message.msgstr,)
        for plural, text in enumerate(targets or ("",)):
            if target_lang is None and plural > 0:
                break
            source = message.msgid if plural == 0 or message.msgid_plural is None else message.msgid_plural
            target = text if target_lang is not None else None
            state = "fuzzy" if message.fuzzy else "translated" if target else "new"
            unit = CheckUnit(
                key=message_key(message, plural),
                source=source,
                source_lang=source_lang,
                target=target,
                target_lang=target_lang,
                path=path,
                line=message.line,
                source_line=message.line,
                comments=message.translator_comments,
                state=state if target_lang is not None else None,
            )
            result.append((unit, message, plural))
    return result
