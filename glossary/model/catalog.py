"""gettext catalogues as plain frozen records, shared by the .po reader and writer and the store."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FUZZY = "fuzzy"
_PLURAL_FORMS = re.compile(r"nplurals\s*=\s*(\d+)")
_CHARSET = re.compile(r"charset\s*=\s*([^\s;]+)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class PoMessage:
    """One entry of a catalogue, with every part gettext keeps.

    ``msgstr`` holds the translation of a singular message; a message with ``msgid_plural``
    has its ``msgstr[n]`` in ``msgstr_plural`` instead. Comments are kept line by line
    without their ``# `` / ``#. `` markers; references as written (``file:line``).
    """

    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr_plural: tuple[str, ...] = ()
    translator_comments: tuple[str, ...] = ()
    extracted_comments: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    previous_msgctxt: str | None = None
    previous_msgid: str | None = None
    previous_msgid_plural: str | None = None
    obsolete: bool = False
    line: int = field(default=0, compare=False)

    @property
    def fuzzy(self) -> bool:
        """Whether the ``fuzzy`` flag is set."""
        return FUZZY in self.flags

    @property
    def is_header(self) -> bool:
        """The header entry: ``msgid ""`` without a context."""
        return self.msgid == "" and self.msgctxt is None and not self.obsolete

    @property
    def translated(self) -> bool:
        """Whether any translation text is present."""
        return any(self.msgstr_plural) if self.msgid_plural is not None else bool(self.msgstr)


@dataclass(frozen=True, slots=True)
class PoCatalog:
    """A whole catalogue: its messages in file order (the header among them) and its charset."""

    messages: tuple[PoMessage, ...]
    charset: str = "UTF-8"

    @property
    def header(self) -> PoMessage | None:
        """The header entry, if the catalogue has one."""
        return next((message for message in self.messages if message.is_header), None)

    def header_fields(self) -> dict[str, str]:
        """The ``Name: value`` lines of the header, by name."""
        header = self.header
        return header_fields(header.msgstr) if header is not None else {}


def header_fields(text: str) -> dict[str, str]:
    """``Name: value`` pairs of a header text, in order; lines without a colon are skipped."""
    fields: dict[str, str] = {}
    for line in text.split("\n"):
        name, colon, value = line.partition(":")
        if colon and name.strip():
            fields.setdefault(name.strip(), value.strip())
    return fields


def declared_charset(header_text: str) -> str | None:
    """The charset named by the header's ``Content-Type``, if any."""
    content_type = header_fields(header_text).get("Content-Type", "")
    found = _CHARSET.search(content_type)
    return found.group(1) if found else None


def plural_count(header_text: str) -> int | None:
    """``nplurals`` of the header's ``Plural-Forms``, if it states one."""
    found = _PLURAL_FORMS.search(header_fields(header_text).get("Plural-Forms", ""))
    return int(found.group(1)) if found else None
