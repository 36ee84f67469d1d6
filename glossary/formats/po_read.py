"""Read a gettext .po/.pot file into a PoCatalog in its declared charset; defects name their line."""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import IO

from glossary.gcpause import collector_paused
from glossary.model.catalog import PoCatalog, PoMessage, declared_charset, plural_count
from glossary.model.errors import ParseError

DEFAULT_CHARSET = "UTF-8"
# Possessive quantifiers: a string's text splits into runs and escapes one way only, and without
# them a line that fails to match (text after the closing quote) takes time exponential in its length.
_STRING = re.compile(r'"((?:[^"\\]++|\\.)*+)"[ \t\r]*')
_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]{1,2})|(.))", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
                   "\\": "\\", '"': '"', "'": "'", "?": "?"}
_PLURAL_KEYWORD = re.compile(r"msgstr\[(\d+)\]")
_KEYWORDS = ("msgctxt", "msgid_plural", "msgid", "msgstr")
# The usual shape of an entry, for one match: comments (not obsolete "#~"), optional msgctxt,
# msgid, then msgstr or msgid_plural with msgstr[n]; each string on lines of exactly "...".
# Comments in gettext's order (translator, extracted, references, flags, previous strings) come
# in a group per kind, in any other order all in the group ``comments``. Possessive quantifiers
# throughout: every line has one reading, and without them a block that fails to match takes
# time exponential in its length.
_STRINGS = r'(?:"(?:[^"\\\n]++|\\.)*+"\n)++'
_ORDERED_COMMENTS = (
    r"(?P<translator>(?:#(?![.:,|~])[^\n]*+\n)*+)(?P<extracted>(?:#\.[^\n]*+\n)*+)"
    r"(?P<references>(?:#:[^\n]*+\n)*+)(?P<flags>(?:#,[^\n]*+\n)*+)(?P<previous>(?:#\|[^\n]*+\n)*+)"
)
_ENTRY = (
    rf"(?:{_ORDERED_COMMENTS}(?=msg)|(?P<comments>(?:#(?!~)[^\n]*+\n)*+))"
    rf"(?:msgctxt[ \t]+(?P<ctx>{_STRINGS}))?"
    rf"msgid[ \t]+(?P<id>{_STRINGS})"
    rf"(?:msgstr[ \t]+(?P<str>{_STRINGS})"
    rf"|msgid_plural[ \t]+(?P<plural>{_STRINGS})(?P<forms>(?:msgstr\[\d+\][ \t]+{_STRINGS})++))"
)
_BLOCK = r"(?:[^\n]*[^\s\n][^\n]*\n)+"  # lines with something on them, up to a blank line
# The next block of lines: one entry of the usual shape that fills it (the groups of _ENTRY are
# set), or any other block (they are all None).
_NEXT_BLOCK = re.compile(rf"{_ENTRY}(?=[^\S\n]*(?:\n|\Z))|{_BLOCK}")
_FORM = re.compile(rf"msgstr\[(\d+)\][ \t]+({_STRINGS})")
_PART = re.compile(r'"((?:[^"\\\n]++|\\.)*+)"')
_NO_LINES: list[int] = []  # the msgstr[n] lines of a singular entry (shared, never changed)
# gettext accepts "CHARSET" (a template not filled in yet); its strings are ASCII.
_PLACEHOLDER_CHARSETS = {"CHARSET": "ascii"}


def read_po(fileobj: IO[bytes], path: str | Path) -> PoCatalog:
    """The catalogue in ``fileobj``; any defect raises ParseError with the file and line."""
    where = str(path)
    data = fileobj.read()
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    charset, codec = _charset_of(data, where)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ParseError(
            where, line, f"invalid {charset} text: byte 0x{data[exc.start]:02X} cannot be decoded"
        ) from exc
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    with collector_paused():
        messages = _Parser(where).parse_blocks(text)
        _check_plurals(messages, where)
        return PoCatalog(messages=tuple(message for message, _lines in messages), charset=charset)


def _charset_of(data: bytes, where: str) -> tuple[str, str]:
    """The declared charset and the Python codec for it, read from the header entry."""
    start = data.find(b'msgid ""')
    if start < 0:
        return DEFAULT_CHARSET, "utf-8"
    end = data.find(b"\n\n", start)
    head = data if end < 0 else data[:end]
    try:
        messages = _Parser(where, first_only=True).parse(head.decode("latin-1"))
    except ParseError:
        return DEFAULT_CHARSET, "utf-8"  # the full parse reports it, with the right line
    header = next((message for message, _lines in messages if message.is_header), None)
    if header is None:
        return DEFAULT_CHARSET, "utf-8"
    charset = declared_charset(header.msgstr)
    if charset is None:
        return DEFAULT_CHARSET, "utf-8"
    codec = _PLACEHOLDER_CHARSETS.get(charset.upper(), charset)
    try:
        return charset, codecs.lookup(codec).name
    except LookupError as exc:
        raise ParseError(where, header.line, f"unknown charset {charset!r} in the header's Content-Type") \
            from exc


def _check_plurals(messages: list[tuple[PoMessage, list[int]]], where: str) -> None:
    header = next((message for message, _lines in messages if message.is_header), None)
    count = plural_count(header.msgstr) if header is not None else None
    if count is None:
        return
    for message, lines in messages:
        if len(message.msgstr_plural) > count:
            raise ParseError(
                where, lines[count], f"msgstr[{count}] but the header's Plural-Forms says nplurals={count}"
            )


class _Parser:
    """A line-by-line state machine over the text of one file."""

    def __init__(self, where: str, *, first_only: bool = False) -> None:
        self.where = where
        self.first_only = first_only
        self.seen: dict[tuple[str | None, str], int] = {}
        self.result: list[tuple[PoMessage, list[int]]] = []
        self._reset()

    def _reset(self) -> None:
        self.fields: dict[str, str | None] = {}
        self.previous: dict[str, str | None] = {}
        self.plurals: list[str] = []
        self.plural_lines: list[int] = []
        self.translator: list[str] = []
        self.extracted: list[str] = []
        self.references: list[str] = []
        self.flags: list[str] = []
        self.obsolete = False
        self.target: tuple[dict[str, str | None] | list[str], str | int] | None = None
        self.msgid_line = 0
        self.done = False
        self.started = False

    def parse(self, text: str) -> list[tuple[PoMessage, list[int]]]:
        lines = text.split("\n")
        first_only = self.first_only
        number = 0
        for line in lines:
            number += 1
            if first_only and self.result:
                break
            # Continuation strings are most of a catalogue's lines: they take the short way.
            if line[:1] == '"':
                if self.target is None:
                    raise ParseError(self.where, number, "a string with no keyword before it")
                container, key = self.target
                container[key] += _quoted(line) or self._string(line, number)  # type: ignore[index,operator]
                continue
            self._line(line, number)
        if self.started and not (self.first_only and self.result):
            if not self.done:
                raise ParseError(self.where, len(lines), "the file ends inside an entry: missing msgstr")
            self._finish(len(lines))
        return self.result

    def parse_blocks(self, text: str) -> list[tuple[PoMessage, list[int]]]:
        """Like :meth:`parse`, but an entry of the usual shape is taken in one regular-expression
        match instead of line by line; anything else (obsolete entries, odd spacing, errors) goes
        through the line parser, which reports the exact line."""
        if not text.endswith("\n"):
            text += "\n"
        line = 1
        position = 0
        take = self._take
        for block in _NEXT_BLOCK.finditer(text):
            start = block.start()
            line += text.count("\n", position, start)
            position = start
            # ``lastgroup`` is None for a block that is not one entry of the usual shape.
            if self.started or block.lastgroup is None or not take(block, line):
                body = block.group()
                for offset, text_line in enumerate(body.split("\n")[:-1]):
                    self._line(text_line, line + offset)
                if self.done:
                    self._finish(line + body.count("\n"))
        end = line + text.count("\n", position)
        if self.started:
            if not self.done:
                raise ParseError(self.where, end, "the file ends inside an entry: missing msgstr")
            self._finish(end)
        return self.result

    def _take(self, entry: re.Match[str], line: int) -> bool:
        """Add the entry of one match (its first line is ``line``); False (nothing taken) if the
        line parser must read it instead, as for any defect."""
        (translator_lines, extracted_lines, reference_lines, flag_lines, previous_lines, comments,
         ctx, ident, single, plural, _forms) = entry.groups()
        where = self.where
        translator: list[str] | tuple[()] = ()
        extracted: list[str] | tuple[()] = ()
        references: list[str] | tuple[()] = ()
        flags: list[str] | tuple[()] = ()
        stateful = False  # previous (#|) strings go through the line parser's state
        previous_msgid = None  # unless they are one msgid written the usual way
        plural_lines: list[int] = _NO_LINES
        text, begin = entry.string, entry.start()
        try:
            if comments is not None:  # comments of several kinds, in another order
                translator, extracted, references, flags = [], [], [], []
                for text_line in comments.split("\n")[:-1]:
                    second = text_line[1:2]
                    if second == ",":
                        flags.extend(flag.strip() for flag in text_line[2:].split(",") if flag.strip())
                    elif second == ":":
                        references.extend(text_line[2:].split())
                    elif second == ".":
                        extracted.append(_comment_text(text_line[2:]))
                    elif second == "|":
                        stateful = True
                        self._previous_line(text_line[2:].lstrip(), line)
                    else:
                        translator.append(_comment_text(text_line[1:]))
            else:
                if translator_lines:
                    translator = [_comment_text(part[1:]) for part in translator_lines.split("\n")[:-1]]
                if extracted_lines:
                    extracted = [_comment_text(part[2:]) for part in extracted_lines.split("\n")[:-1]]
                if reference_lines:  # "#:" starts every line: the references are the words after them
                    references = reference_lines[2:].replace("\n#:", "\n").split()
                if flag_lines:  # "#," starts every line: the flags are what the commas part
                    parts = flag_lines[2:].replace("\n#,", ",").split(",")
                    flags = [flag.strip() for flag in parts if flag.strip()]
                if previous_lines:
                    previous_msgid = _previous_msgid(previous_lines)
                    if previous_msgid is None:
                        stateful = True
                        for text_line in previous_lines.split("\n")[:-1]:
                            self._previous_line(text_line[2:].lstrip(), line)
            # The strings, as ``_joined`` makes them (written out: most entries take this way).
            value = ident[1:-2].replace('"\n"', "")
            msgid = _unescape(value, where, line) if "\\" in value else value
            if ctx is None:
                msgctxt = None
            else:
                value = ctx[1:-2].replace('"\n"', "")
                msgctxt = _unescape(value, where, line) if "\\" in value else value
            msgid_line = line + text.count("\n", begin, entry.start("id"))
            values: tuple[str, ...] = ()
            if single is not None:
                value = single[1:-2].replace('"\n"', "")
                msgstr = _unescape(value, where, line) if "\\" in value else value
            else:
                msgstr = ""
                plural = _joined(plural, where, line)
                plural_lines = []
                found = []
                for index, form in enumerate(_FORM.finditer(text, entry.start("forms"), entry.end())):
                    if int(form.group(1)) != index:
                        raise ParseError(where, line, "msgstr[] out of order")
                    found.append(_joined(form.group(2), where, line))
                    plural_lines.append(line + text.count("\n", begin, form.start()))
                values = tuple(found)
        except ParseError:
            self._reset()
            return False
        key = (msgctxt, msgid)
        seen = self.seen
        if key in seen:
            raise self._duplicate(key, msgid_line)
        seen[key] = msgid_line
        if stateful:
            previous = self.previous
            self._reset()
            message = PoMessage(
                msgid, msgstr, msgctxt, plural, values, tuple(translator), tuple(extracted),
                tuple(references), tuple(flags), previous.get("msgctxt"), previous.get("msgid"),
                previous.get("msgid_plural"), False, msgid_line,
            )
        else:
            message = PoMessage(
                msgid, msgstr, msgctxt, plural, values, tuple(translator), tuple(extracted),
                tuple(references), tuple(flags), None, previous_msgid, None, False, msgid_line,
            )
        self.result.append((message, plural_lines))
        return True

    def _duplicate(self, key: tuple[str | None, str], line: int) -> ParseError:
        context = " and msgctxt" if key[0] is not None else ""
        return ParseError(
            self.where, line, f"duplicate message: the same msgid{context} as line {self.seen[key]}"
        )

    def _line(self, line: str, number: int) -> None:
        if not line or line.isspace():
            if self.done:
                self._finish(number)
            return
        if line[0] == "#":
            self._comment(line, number)
            return
        line = line.lstrip()
        if line[0] == '"':
            self._continuation(line, 0, number)
        else:
            self._keyword(line, number, previous=False)

    def _comment(self, line: str, number: int) -> None:
        second = line[1:2]
        if second == "~":
            rest = line[2:]
            if rest.startswith("|"):
                self._previous_line(rest[1:].lstrip(), number)
                return
            rest = rest.lstrip()
            if rest.startswith("#"):
                self._comment(rest, number)  # a comment of an obsolete entry written as "#~ # ..."
                return
            if self.done and rest.startswith(("msgctxt", "msgid ", "msgid\t", 'msgid"')):
                self._finish(number)
            self.obsolete = True
            if rest.startswith('"'):
                self._continuation(rest, 0, number)
            elif rest:
                self._keyword(rest, number, previous=False)
            return
        if self.done:
            self._finish(number)
        if second == "|":
            self._previous_line(line[2:].lstrip(), number)
        elif second == ",":
            self.flags.extend(flag.strip() for flag in line[2:].split(",") if flag.strip())
        elif second == ":":
            self.references.extend(line[2:].split())
        elif second == ".":
            self.extracted.append(_comment_text(line[2:]))
        else:
            self.translator.append(_comment_text(line[1:]))
        self.started = True

    def _previous_line(self, rest: str, number: int) -> None:
        if self.done:
            self._finish(number)
        self.started = True
        if rest.startswith('"'):
            self._continuation(rest, 0, number)
        else:
            self._keyword(rest, number, previous=True)

    def _keyword(self, line: str, number: int, *, previous: bool) -> None:
        keyword, _space, rest = line.partition(" ")
        if not rest.lstrip().startswith('"'):
            keyword = line.split('"', 1)[0].strip()
            rest = line[len(keyword):]
        plural_index = None
        if keyword.startswith("msgstr["):
            found = _PLURAL_KEYWORD.fullmatch(keyword)
            if found is None:
                raise ParseError(self.where, number, f"malformed keyword {keyword!r}")
            plural_index = int(found.group(1))
        elif keyword not in _KEYWORDS:
            raise ParseError(self.where, number, f"unknown keyword {keyword!r}")
        value = self._string(rest, number)
        if previous:
            if keyword not in ("msgctxt", "msgid", "msgid_plural"):
                raise ParseError(self.where, number, f"{keyword} cannot be a previous (#|) string")
            self.previous[keyword] = value
            self.target = (self.previous, keyword)
            return
        if keyword in ("msgctxt", "msgid") and self.done:
            self._finish(number)
        self.started = True
        fields = self.fields
        if keyword == "msgctxt":
            if "msgctxt" in fields or "msgid" in fields:
                raise ParseError(self.where, number, "msgctxt after msgid: missing msgstr before it")
        elif keyword == "msgid":
            if "msgid" in fields:
                raise ParseError(self.where, number, "msgid after msgid: missing msgstr before it")
            self.msgid_line = number
        elif "msgid" not in fields:
            raise ParseError(self.where, number, f"{keyword} without a msgid before it")
        elif keyword == "msgid_plural":
            if "msgid_plural" in fields or self.done:
                raise ParseError(self.where, number, "msgid_plural in the wrong place")
        elif plural_index is None:
            if "msgid_plural" in fields:
                raise ParseError(self.where, number, "a plural message needs msgstr[0], msgstr[1] ...")
            if "msgstr" in fields:
                raise ParseError(self.where, number, "second msgstr in one entry")
            self.done = True
        else:
            if "msgid_plural" not in fields:
                raise ParseError(self.where, number, f"{keyword} in a message without msgid_plural")
            if plural_index != len(self.plurals):
                expected = f"msgstr[{len(self.plurals)}]"
                raise ParseError(self.where, number, f"{keyword} out of order: expected {expected}")
            self.plurals.append(value)
            self.plural_lines.append(number)
            self.target = (self.plurals, plural_index)
            self.done = True
            return
        fields[keyword] = value
        self.target = (fields, keyword)

    def _continuation(self, line: str, start: int, number: int) -> None:
        if self.target is None:
            raise ParseError(self.where, number, "a string with no keyword before it")
        container, key = self.target
        value = self._string(line[start:], number)
        container[key] += value  # type: ignore[index,operator]

    def _string(self, rest: str, number: int) -> str:
        rest = rest.lstrip(" \t")
        quoted = _quoted(rest)
        if quoted is not None:
            return quoted
        found = _STRING.fullmatch(rest)
        if found is None:
            if rest.startswith('"'):
                raise ParseError(self.where, number, "unterminated string (or text after its closing quote)")
            raise ParseError(self.where, number, "a keyword must be followed by a quoted string")
        value = found.group(1)
        return _unescape(value, self.where, number) if "\\" in value else value

    def _finish(self, number: int) -> None:
        fields = self.fields
        if "msgid" not in fields:
            raise ParseError(self.where, number, "comments with no entry after them")
        msgid = fields["msgid"] or ""
        msgctxt = fields.get("msgctxt")
        key = (msgctxt, msgid)
        if key in self.seen:
            raise self._duplicate(key, self.msgid_line)
        self.seen[key] = self.msgid_line
        plural = fields.get("msgid_plural")
        message = PoMessage(
            msgid=msgid,
            msgstr=(fields.get("msgstr") or "") if plural is None else "",
            msgctxt=msgctxt,
            msgid_plural=plural,
            msgstr_plural=tuple(self.plurals),
            translator_comments=tuple(self.translator),
            extracted_comments=tuple(self.extracted),
            references=tuple(self.references),
            flags=tuple(self.flags),
            previous_msgctxt=self.previous.get("msgctxt"),
            previous_msgid=self.previous.get("msgid"),
            previous_msgid_plural=self.previous.get("msgid_plural"),
            obsolete=self.obsolete,
            line=self.msgid_line,
        )
        self.result.append((message, self.plural_lines))
        self._reset()


def _quoted(token: str) -> str | None:
    """The inside of ``"..."`` when it holds no escape and nothing follows it; else None.

    ``""`` gives "" (falsy), which callers treat like None and parse again: harmless.
    """
    if len(token) > 1 and token[-1] == '"' and "\\" not in token and token.count('"') == 2:
        return token[1:-1]
    return None


def _joined(group: str, where: str, number: int) -> str:
    """The value of a keyword's string lines, each exactly ``"..."`` (as ``_STRINGS`` matched them)."""
    value = group[1:-2].replace('"\n"', "")  # the quotes where one line meets the next go
    return _unescape(value, where, number) if "\\" in value else value


def _previous_msgid(lines: str) -> str | None:
    """The text of ``#|`` lines that hold a previous msgid and nothing else, each line written the
    usual way (``#| msgid "..."``, then ``#| "..."``) with no escape in it; None for anything else."""
    if not lines.startswith('#| msgid "'):
        return None
    value = lines[9:-1].replace('"\n#| "', "")  # the quotes where one line meets the next go
    if value[-1:] != '"' or len(value) < 2 or "\\" in value or "\n" in value or '"' in value[1:-1]:
        return None
    return value[1:-1]


def _comment_text(rest: str) -> str:
    """A comment line's text: one space after the marker belongs to the marker."""
    return rest[1:] if rest.startswith(" ") else rest


def _unescape(value: str, where: str, number: int) -> str:
    def replace(match: re.Match[str]) -> str:
        octal, hexadecimal, char = match.groups()
        if octal is not None:
            return chr(int(octal, 8))
        if hexadecimal is not None:
            return chr(int(hexadecimal, 16))
        if char in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[char]
        raise ParseError(where, number, f"invalid escape sequence \\{char}")

    return _ESCAPE.sub(replace, value)
