"""Decodes an article file to text: UTF-8, or UTF-16 with a byte-order mark; refuses what is no article."""

from __future__ import annotations

import codecs
from pathlib import Path

from glossary.model.chars import check_chars
from glossary.model.errors import ParseError

# How many leading bytes are looked at to tell UTF-16 without a byte-order mark.
_SNIFF = 64 * 1024


def decode_article(data: bytes, path: str | Path) -> str:
    """The text of an article file; a ParseError naming the file and line for anything else.

    UTF-8 (a BOM is dropped) and UTF-16 with a BOM are decoded. UTF-16 without a BOM is refused
    with a message saying so (it cannot be told from UTF-8 reliably in general: text in Cyrillic
    without spaces is valid UTF-8 made of control characters): it is recognised by NUL bytes
    standing only at odd offsets (little-endian) or only at even ones (big-endian), one code unit
    in sixteen at least, which the spaces of any prose put there. Whatever is not recognised so
    is still refused, as not UTF-8 or as holding control characters. A NUL byte or another
    control character (other than tab, line feed and carriage return) is refused with its line,
    on every database alike, and so is a file with nothing but white space in it.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            message = f"not UTF-16 text after its byte-order mark (byte {exc.start})"
            raise ParseError(path, None, message) from exc
    else:
        endian = _utf16_without_bom(data)
        if endian:
            raise ParseError(
                path, 1, f"looks like UTF-16{endian} text without a byte-order mark; save it as UTF-8"
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise ParseError(path, line, f"not UTF-8 text (byte {exc.start})") from exc
    check_chars(text, path, 1)
    if not text.strip():
        raise ParseError(path, None, "empty article: nothing but white space to import")
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    """``"LE"`` or ``"BE"`` when the NUL bytes at the start of ``data`` say UTF-16, else None."""
    head = data[:_SNIFF]
    if len(head) < 2 or b"\0" not in head:
        return None
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    # One code unit in sixteen at least: spaces alone are more than that in any prose, while a
    # stray NUL in UTF-8 text is reported as a control character on its line.
    enough = max(2, len(head) // 32)
    if odd >= enough and not even:
        return "LE"
    if even >= enough and not odd:
        return "BE"
    return None
