"""Write a PoCatalog as ``msgcat`` writes it: the same lines, comments, flags and order, byte for byte.

Which writer, measured: each library read and wrote back the four exported article catalogues
(6,938 lines) and the six .po catalogues of tests/data/po/ (357 lines), and its output was
compared with ``msgcat`` 0.21's (lines that differ, by ``diff``):

- polib 1.2 ``save()``: 869 and 51 lines. It wraps at 78 columns with ``textwrap`` (no
  line-breaking rules), drops an obsolete entry's ``#~|`` and keeps flags in input order.
- Babel 2.19 ``write_po``: 3,048 and 216 lines. It wraps at 76 and cannot read ``#|``.
- translate-toolkit 3.20 (it wraps with unicode-segmentation-rs's ``gettext_wrap``): 0 and 103
  lines: escapes, the ``#~|`` of obsolete entries, flag order, non-UTF-8 charsets. It is
  also only a test dependency here.
- This writer, over its own reader's model: 0 and 0.

So Glossary writes its own catalogues; the wrapping rules live in ``po_wrap``.

What ``msgcat`` normalises, this writer normalises the same way: obsolete entries move to the
end; flags are ordered (``fuzzy``, the format flags in gettext's order, ``range:``,
``no-wrap``), ``wrap`` and ``impossible-…-format`` are dropped, ``possible-…-format`` becomes
``…-format``, ``fuzzy`` is dropped from an untranslated entry; references are re-flowed to
79 columns, line numbers written without leading zeros and repeats dropped. One deliberate
difference: a flag gettext does not know is kept (after the known ones) rather than lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from glossary.atomic import write_atomic_bytes
from glossary.formats.po_wrap import PAGE_WIDTH, wrap_text
from glossary.model.catalog import FUZZY, PoCatalog, PoMessage
from glossary.model.errors import GlossaryError

# The format flags gettext 0.21 knows, in the order it writes them.
FORMAT_TYPES = (
    "c", "objc", "python", "python-brace", "java", "java-printf", "csharp", "javascript", "scheme",
    "lisp", "elisp", "librep", "ruby", "sh", "awk", "lua", "object-pascal", "smalltalk", "qt",
    "qt-plural", "kde", "kde-kuit", "boost", "tcl", "perl", "perl-brace", "php", "gcc-internal",
    "gfc-internal", "ycp",
)
_FORMAT_FLAGS = {f"{kind}-format": kind for kind in FORMAT_TYPES}
_RANGE = re.compile(r"range:\s*(\d+)\s*\.\.\s*(\d+)")
_REFERENCE_LINE = re.compile(r"(.*):(\d+)")


def ordered_flags(message: PoMessage) -> list[str]:
    """The entry's flags as gettext writes them (see the module docstring)."""
    flags = message.flags
    if not flags:
        return []
    result = [FUZZY] if FUZZY in flags and (message.translated or message.is_header) else []
    formats: dict[str, str] = {}
    range_flag = None
    no_wrap = False
    unknown = []
    for flag in flags:
        if flag in (FUZZY, "wrap"):
            continue
        if flag == "no-wrap":
            no_wrap = True
        elif flag.startswith("range:"):
            found = _RANGE.fullmatch(flag)
            range_flag = f"range: {int(found.group(1))}..{int(found.group(2))}" if found else flag
        elif flag.startswith("possible-") and flag[9:] in _FORMAT_FLAGS:
            formats.setdefault(_FORMAT_FLAGS[flag[9:]], flag[9:])
        elif flag.startswith("no-") and flag[3:] in _FORMAT_FLAGS:
            formats.setdefault(_FORMAT_FLAGS[flag[3:]], flag)
        elif flag in _FORMAT_FLAGS:
            formats.setdefault(_FORMAT_FLAGS[flag], flag)
        elif not (flag.startswith("impossible-") and flag[11:] in _FORMAT_FLAGS) and flag not in unknown:
            unknown.append(flag)
    result.extend(formats[kind] for kind in FORMAT_TYPES if kind in formats)
    if range_flag:
        result.append(range_flag)
    if no_wrap:
        result.append("no-wrap")
    return result + unknown


def reference_lines(references: Iterable[str]) -> list[str]:
    """``#:`` lines: references re-flowed to 79 columns, ``file:007`` as ``file:7``, repeats dropped."""
    seen: set[str] = set()
    lines: list[str] = []
    current = "#:"
    for reference in references:
        if ":0" in reference:
            found = _REFERENCE_LINE.fullmatch(reference)
            if found:
                reference = f"{found.group(1)}:{int(found.group(2))}"
        if reference in seen:
            continue
        seen.add(reference)
        if current != "#:" and len(current) + 1 + len(reference) > PAGE_WIDTH:
            lines.append(current)
            current = "#:"
        current += " " + reference
    if current != "#:":
        lines.append(current)
    return lines


def message_lines(message: PoMessage) -> list[str]:
    """The lines of one entry, without line ends."""
    return message_text(message).split("\n")


def message_text(message: PoMessage) -> str:
    """The lines of one entry joined by newlines, without a final one."""
    parts = []
    if message.translator_comments:
        parts.extend(f"# {comment}" if comment else "#" for comment in message.translator_comments)
    if message.extracted_comments:
        parts.extend(f"#. {comment}" if comment else "#." for comment in message.extracted_comments)
    references = message.references
    if references:
        if len(references) == 1 and ":0" not in references[0]:
            parts.append("#: " + references[0])  # the usual one reference: a line of its own
        else:
            parts.extend(reference_lines(references))
    flags = message.flags
    wrap = True
    if flags:
        ordered = ordered_flags(message)
        if ordered:
            parts.append("#, " + ", ".join(ordered))
        wrap = "no-wrap" not in flags
    obsolete = message.obsolete
    if message.previous_msgid is not None or message.previous_msgctxt is not None \
            or message.previous_msgid_plural is not None:
        previous = "#~| " if obsolete else "#| "
        if message.previous_msgctxt is not None:
            parts.append(wrap_text("msgctxt", message.previous_msgctxt, wrap=wrap, line_prefix=previous))
        if message.previous_msgid is not None:
            parts.append(wrap_text("msgid", message.previous_msgid, wrap=wrap, line_prefix=previous))
        if message.previous_msgid_plural is not None:
            plural = message.previous_msgid_plural
            parts.append(wrap_text("msgid_plural", plural, wrap=wrap, line_prefix=previous))
    prefix = "#~ " if obsolete else ""
    if message.msgctxt is not None:
        parts.append(wrap_text("msgctxt", message.msgctxt, wrap=wrap, line_prefix=prefix))
    parts.append(wrap_text("msgid", message.msgid, wrap=wrap, line_prefix=prefix))
    if message.msgid_plural is not None:
        parts.append(wrap_text("msgid_plural", message.msgid_plural, wrap=wrap, line_prefix=prefix))
        for index, text in enumerate(message.msgstr_plural):
            parts.append(wrap_text(f"msgstr[{index}]", text, wrap=wrap, line_prefix=prefix))
    else:
        parts.append(wrap_text("msgstr", message.msgstr, wrap=wrap, line_prefix=prefix))
    return "\n".join(parts)


def generate_po(catalog: PoCatalog) -> Iterator[str]:
    """The catalogue's text, one chunk per entry: live entries in order, then obsolete ones."""
    messages = catalog.messages
    obsolete = [message for message in messages if message.obsolete]
    if obsolete:
        messages = (*(message for message in messages if not message.obsolete), *obsolete)
    first = True
    for message in messages:
        if first:
            yield message_text(message) + "\n"
            first = False
        else:
            yield "\n" + message_text(message) + "\n"


_ENCODE_BATCH = 1000  # chunks encoded at a time: one call per chunk costs more than the encoding


def encode_po(catalog: PoCatalog, chunks: Iterable[str]) -> Iterator[bytes]:
    """``chunks`` encoded in the catalogue's charset; a character it cannot hold is an error."""
    codec = "ascii" if catalog.charset.upper() == "CHARSET" else catalog.charset
    batch: list[str] = []
    for chunk in chunks:
        batch.append(chunk)
        if len(batch) == _ENCODE_BATCH:
            yield _encode("".join(batch), codec, catalog.charset)
            batch.clear()
    if batch:
        yield _encode("".join(batch), codec, catalog.charset)


def _encode(text: str, codec: str, charset: str) -> bytes:
    try:
        return text.encode(codec)
    except UnicodeEncodeError as exc:
        raise GlossaryError(
            f"{exc.object[exc.start]!r} cannot be written in the catalogue's charset {charset}"
        ) from exc
    except LookupError as exc:
        raise GlossaryError(f"unknown charset {charset!r}") from exc


def write_po(path: str | Path, catalog: PoCatalog) -> None:
    """Write ``catalog`` to ``path`` atomically, in its charset."""
    write_atomic_bytes(path, encode_po(catalog, generate_po(catalog)))


_DATE_LINE = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date): [^"\\]*\\n"$', re.MULTILINE)


def same_apart_from_dates(old: bytes, new: bytes) -> bool:
    """Whether two written catalogues differ at most in their header's two dates.

    An export leaves such a file as it is: a re-export of unchanged data changes nothing,
    even from another database holding the same data.
    """
    return old == new or _DATE_LINE.sub(rb'"\1"', old) == _DATE_LINE.sub(rb'"\1"', new)
