"""PO string escaping and line wrapping exactly as gettext's ``msgcat`` writes them.

Written from gettext's observed behaviour, not from its source (GPL): every rule and the two
tables in ``po_linebreak`` were found by feeding strings to ``msgcat`` 0.21 and reading its
output; tests/test_formats_po_wrap.py compares this module with ``msgcat`` on fixed cases and
on thousands of random strings of Latin, Cyrillic, CJK, punctuation, escapes and spaces.

- A string is escaped first: ``\\\\ \\" \\a \\b \\f \\n \\r \\t \\v``; every other character,
  control characters included, is written as it is.
- A line, prefix and quotes included, is at most 79 columns wide. Columns are display
  columns: East Asian wide and full-width characters take two, combining marks, format and
  control characters none.
- Lines break at the line-break opportunities of the *escaped* text (Unicode line breaking,
  UAX #14, in the older pair-table form gettext uses: a break is allowed after ``.`` or ``,``
  before a letter), never inside an escape sequence, and always after an escaped newline that
  is not the end of the string. A break after spaces keeps them at the end of the line.
- Greedy filling; a piece with no opportunity in it overflows its line rather than being cut.
- If the string fits on the keyword's line it stays there. Otherwise, if any break is made,
  the keyword line holds ``""`` and the text continues on lines of its own, filled afresh;
  if no break can be made, the over-long line is written as it is.
- ``no-wrap`` keeps only the breaks after newlines.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Set

from glossary.formats.po_linebreak import can_break, char_width, is_narrow, simple_text_patterns

PAGE_WIDTH = 79

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n",
            "\r": "\\r", "\t": "\\t", "\v": "\\v"}
_NEEDS_ESCAPE = re.compile('[\\\\"\a\b\f\n\r\t\v]')
_ESCAPE_SEQUENCE = re.compile(r"\\.")
# Letters and digits of the scripts met most: no line may break between two of them.
_PLAIN = re.compile(
    "[0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0386-\u03ff\u0400-\u0481\u048a-\u052f]*"
)
_PLAIN_CHARS = frozenset(
    chr(code) for code in range(0x30, 0x530) if _PLAIN.fullmatch(chr(code)) is not None
)
# A word, spaces, a word: a line can certainly break after those spaces.
_WORD_SPACE_WORD = re.compile(r"[^\W_] +[^\W_]")


def escape(text: str) -> str:
    """``text`` as it stands between the quotes of a PO string."""
    if _NEEDS_ESCAPE.search(text) is None:
        return text
    return _NEEDS_ESCAPE.sub(lambda m: _ESCAPES[m.group()], text)


def text_width(text: str) -> int:
    """Display columns of ``text`` as gettext counts them."""
    if is_narrow(text):
        return len(text)
    return sum(char_width(ch) for ch in text)


def wrap_string(keyword: str, text: str, *, wrap: bool = True, line_prefix: str = "") -> list[str]:
    """The lines of one keyword and its string: ``msgid "..."`` and any continuation lines.

    ``line_prefix`` is ``"#~ "`` for obsolete entries, ``"#| "`` or ``"#~| "`` for previous
    strings.
    """
    return wrap_text(keyword, text, wrap=wrap, line_prefix=line_prefix).split("\n")


def wrap_text(keyword: str, text: str, *, wrap: bool = True, line_prefix: str = "") -> str:
    """The lines of :func:`wrap_string` joined by newlines (no line holds one: they are escaped)."""
    if wrap and "  " not in text:
        patterns = _SIMPLE.get(line_prefix)
        if patterns is None:
            patterns = _SIMPLE[line_prefix] = _simple_patterns(PAGE_WIDTH - 2 - len(line_prefix))
        simple, line_pattern, any_break = patterns
        if simple.fullmatch(text) is not None:
            # Most strings: the regular expression of ``_simple_patterns`` fills the lines.
            if len(line_prefix) + len(keyword) + len(text) + 3 <= PAGE_WIDTH:
                return f'{line_prefix}{keyword} "{text}"'
            lines = line_pattern.findall(text)
            if len(lines) == 1 and any_break.search(text) is None:
                return f'{line_prefix}{keyword} "{text}"'
            joint = f'"\n{line_prefix}"'
            return f'{line_prefix}{keyword} ""\n{line_prefix}"{joint.join(lines)}"'
    return "\n".join(_wrap_any(f"{line_prefix}{keyword} ", text, wrap=wrap, line_prefix=line_prefix))


_SIMPLE: dict[str, tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]] = {}  # by line prefix


def _wrap_any(head: str, text: str, *, wrap: bool, line_prefix: str) -> list[str]:
    """``wrap_string`` the general way, for any text (``head`` is the keyword with its prefix)."""
    escaped = escape(text)
    newline_inside = text.find("\n", 0, len(text) - 1) >= 0
    narrow = escaped.isprintable() if escaped.isascii() else is_narrow(escaped)
    width = len(escaped) if narrow else text_width(escaped)
    if not newline_inside and (not wrap or len(head) + width + 2 <= PAGE_WIDTH):
        return [f'{head}"{escaped}"']
    banned, ends = _escape_positions(escaped)
    if not wrap:
        bounds = [0, *ends, len(escaped)]
        lines = [escaped[start:end] for start, end in itertools.pairwise(bounds)]
        return [f'{head}""', *(f'{line_prefix}"{line}"' for line in lines)]
    widths = None if narrow else list(itertools.accumulate(map(char_width, escaped), initial=0))
    available = PAGE_WIDTH - 2 - len(line_prefix)
    if ends:
        lines = []
        for start, end in itertools.pairwise([0, *ends, len(escaped)]):
            lines.extend(_fill(escaped, start, end, available, banned, widths))
    else:
        lines = _fill(escaped, 0, len(escaped), available, banned, widths)
        # One line: either it fits once on a line of its own, or it has no break at all.
        if len(lines) == 1 and _WORD_SPACE_WORD.search(escaped) is None and not any(
            offset not in banned and can_break(escaped, offset) for offset in range(1, len(escaped))
        ):
            return [f'{head}"{escaped}"']
    return [f'{head}""', *[f'{line_prefix}"{line}"' for line in lines]]


def _escape_positions(escaped: str) -> tuple[set[int], list[int]]:
    """Offsets where no line may break (inside an escape, before an escaped newline), and the
    offsets just after each escaped newline that is not the end of the string."""
    banned: set[int] = set()
    ends: list[int] = []
    if "\\" not in escaped:
        return banned, ends
    size = len(escaped)
    for match in _ESCAPE_SEQUENCE.finditer(escaped):
        banned.add(match.start() + 1)
        if match.group() == "\\n":
            banned.add(match.start())
            if match.end() < size:
                ends.append(match.end())
    return banned, ends


def _fill(
    escaped: str, start: int, end: int, available: int, banned: Set[int], widths: list[int] | None
) -> list[str]:
    """Greedy filling of ``escaped[start:end]``: each line ends at the last break that keeps it
    within ``available`` columns, or, when none does, at the first break after that."""
    lines = []
    while True:
        if widths is None:
            limit = start + available
        else:
            limit = bisect.bisect_right(widths, widths[start] + available) - 1
        if limit >= end:
            lines.append(escaped[start:end])
            return lines
        offset = _last_break(escaped, start, limit, banned)
        if offset == start:
            offset = limit + 1
            while offset < end and (offset in banned or not can_break(escaped, offset)):
                offset += 1
            if offset >= end:
                lines.append(escaped[start:end])
                return lines
        lines.append(escaped[start:offset])
        start = offset


@functools.lru_cache(maxsize=8)
def _simple_patterns(available: int) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """For text of one-column characters that needs no escape, has no combining mark and no two
    spaces in a row: its characters, the greedy filling of lines ``available`` columns wide,
    and a break opportunity, as regular expressions.

    A line takes as many characters as fit and ends at a break opportunity, or at the end of
    the text; if none is within reach, it ends at the first one after. The engine tries the
    longest line first, so one ``findall`` fills all the lines as ``_fill`` does
    (tests/test_properties_po_wrap.py holds the two to the same result).
    """
    chars, at_break = simple_text_patterns()
    lines = re.compile(f"(?s).{{1,{available}}}(?:\\Z|{at_break})|.+?(?:\\Z|{at_break})")
    return re.compile(f"{chars}*"), lines, re.compile(at_break)


def _last_break(escaped: str, start: int, limit: int, banned: Set[int]) -> int:
    """The last offset in (start, limit] where the line may break; ``start`` if there is none.

    Most lines end in plain letters after a space, and after a plain word: no break is possible
    between letters, so the offset after the spaces is the answer without further tests.
    """
    space = escaped.rfind(" ", start, limit)
    if space > start and _PLAIN.fullmatch(escaped, space + 1, limit + 1):
        word_end = space
        while word_end > start and escaped[word_end - 1] == " ":
            word_end -= 1
        if word_end > start and escaped[word_end - 1] in _PLAIN_CHARS:
            return space + 1
    plain = _PLAIN_CHARS
    offset = limit
    while offset > start:
        # Between two plain letters no line can break: only the other offsets need the full test.
        if not (escaped[offset - 1] in plain and escaped[offset] in plain) and offset not in banned \
                and can_break(escaped, offset):
            return offset
        offset -= 1
    return offset
