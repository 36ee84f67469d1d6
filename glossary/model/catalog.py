"""gettext catalogues as plain frozen records, shared by the .po reader and writer and the store."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields

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


def _quick_init(cls: type[PoMessage]) -> None:
    """Give ``PoMessage`` an ``__init__`` that sets each slot through its own descriptor.

    A frozen dataclass's own ``__init__`` sets each field with ``object.__setattr__``, which looks
    the field up by name each time: 14 fields make a record cost several microseconds, and a
    catalogue is read and written by the hundred thousand records. The arguments and defaults are
    the dataclass's (tests/test_formats_po_records.py holds the two to the same signature); the
    record stays frozen.
    """
    (set_msgid, set_msgstr, set_msgctxt, set_msgid_plural, set_msgstr_plural, set_translator,
     set_extracted, set_references, set_flags, set_previous_msgctxt, set_previous_msgid,
     set_previous_plural, set_obsolete, set_line) = (vars(cls)[f.name].__set__ for f in fields(cls))

    def __init__(
        self: PoMessage, msgid: str, msgstr: str = "", msgctxt: str | None = None,
        msgid_plural: str | None = None, msgstr_plural: tuple[str, ...] = (),
        translator_comments: tuple[str, ...] = (), extracted_comments: tuple[str, ...] = (),
        references: tuple[str, ...] = (), flags: tuple[str, ...] = (),
        previous_msgctxt: str | None = None, previous_msgid: str | None = None,
        previous_msgid_plural: str | None = None, obsolete: bool = False, line: int = 0,
    ) -> None:
        set_msgid(self, msgid)
        set_msgstr(self, msgstr)
        set_msgctxt(self, msgctxt)
        set_msgid_plural(self, msgid_plural)
        set_msgstr_plural(self, msgstr_plural)
        set_translator(self, translator_comments)
        set_extracted(self, extracted_comments)
        set_references(self, references)
        set_flags(self, flags)
        set_previous_msgctxt(self, previous_msgctxt)
        set_previous_msgid(self, previous_msgid)
        set_previous_plural(self, previous_msgid_plural)
        set_obsolete(self, obsolete)
        set_line(self, line)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    __init__.__doc__ = cls.__init__.__doc__
    cls.__init__ = __init__  # type: ignore[method-assign]


_quick_init(PoMessage)


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
