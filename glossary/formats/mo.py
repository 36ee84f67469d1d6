"""Compile a PoCatalog into a GNU .mo file, choosing the messages ``msgfmt`` would.

Like ``msgfmt``: the header is kept even when fuzzy; other fuzzy, obsolete and untranslated
messages (an empty ``msgstr`` or ``msgstr[0]``) are left out; keys are ``msgctxt\\x04msgid``
(plus ``\\x00msgid_plural``), sorted by their bytes, and strings are in the catalogue's
charset; the header loses its ``POT-Creation-Date`` line, as with msgfmt. No hash table is
written (its size is 0): readers fall back to binary search, and ``msgunfmt`` decompiles
the file to the same text as ``msgfmt``'s.
"""

from __future__ import annotations

import struct
from pathlib import Path

from glossary.atomic import write_atomic_bytes
from glossary.model.catalog import PoCatalog, PoMessage

MAGIC = 0x950412DE
_HEADER_SIZE = 7 * 4


def compiled_messages(catalog: PoCatalog) -> list[PoMessage]:
    """The messages ``msgfmt`` puts in the .mo file."""
    chosen = []
    for message in catalog.messages:
        if message.obsolete:
            continue
        if message.is_header:
            chosen.append(message)
            continue
        first = message.msgstr_plural[0] if message.msgid_plural is not None and message.msgstr_plural \
            else message.msgstr
        if first and not message.fuzzy:
            chosen.append(message)
    return chosen


def generate_mo(catalog: PoCatalog) -> bytes:
    """The .mo file of ``catalog`` (little-endian, revision 0)."""
    codec = "ascii" if catalog.charset.upper() == "CHARSET" else catalog.charset
    pairs = []
    for message in compiled_messages(catalog):
        key = message.msgid if message.msgctxt is None else f"{message.msgctxt}\x04{message.msgid}"
        if message.msgid_plural is not None:
            key += "\x00" + message.msgid_plural
            value = "\x00".join(message.msgstr_plural)
        elif message.is_header:
            value = _without_creation_date(message.msgstr)
        else:
            value = message.msgstr
        pairs.append((key.encode(codec), value.encode(codec)))
    pairs.sort()
    count = len(pairs)
    originals_at = _HEADER_SIZE
    translations_at = originals_at + 8 * count
    data_at = translations_at + 8 * count
    table_originals, table_translations, blob = [], [], bytearray()
    for key, _value in pairs:
        table_originals.append((len(key), data_at + len(blob)))
        blob += key + b"\x00"
    for _key, value in pairs:
        table_translations.append((len(value), data_at + len(blob)))
        blob += value + b"\x00"
    header = struct.pack("<7I", MAGIC, 0, count, originals_at, translations_at, 0, data_at)
    tables = b"".join(struct.pack("<2I", *entry) for entry in (*table_originals, *table_translations))
    return header + tables + bytes(blob)


def _without_creation_date(header: str) -> str:
    """The header as msgfmt compiles it: without the template's creation date, so a .mo depends
    only on the translations."""
    lines = header.splitlines(keepends=True)
    return "".join(line for line in lines if not line.startswith("POT-Creation-Date:"))


def write_mo(path: str | Path, catalog: PoCatalog) -> None:
    """Write the .mo file of ``catalog`` to ``path`` atomically."""
    write_atomic_bytes(path, [generate_mo(catalog)])
