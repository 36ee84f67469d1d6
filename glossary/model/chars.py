"""Characters XML 1.0 cannot carry: refused on every import (with file and line), never dropped on export."""

from __future__ import annotations

import re
from pathlib import Path

from glossary.model.errors import ParseError

# XML 1.0 allows tab, line feed and carriage return among the controls, and no surrogates or
# U+FFFE/U+FFFF, escaped or not. TBX and TMX are XML, so a term or a unit holding one of these
# could never be exported: such text is refused where it comes in.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def describe(char: str) -> str:
    """``U+0007`` and what the character is, for messages."""
    return f"U+{ord(char):04X} ({'a control character' if ord(char) < 0x20 else 'not a character'})"


def unstorable(text: str) -> str | None:
    """A message about the first character of ``text`` that XML cannot carry, or None."""
    found = NOT_XML.search(text)
    if found is None:
        return None
    return f"{describe(found.group())} cannot be stored: XML, and so TBX and TMX, cannot carry it"


def check_chars(text: str, path: str | Path | None, line: int | None) -> None:
    """Refuse ``text`` read at ``line`` of ``path`` if it holds a character XML cannot carry.

    The line reported is the line of the character itself when ``text`` spans several lines.
    """
    found = NOT_XML.search(text)
    if found is None:
        return
    where = line + text.count("\n", 0, found.start()) if line else None
    raise ParseError(path, where, unstorable(text) or "")
