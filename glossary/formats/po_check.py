"""Checks a catalogue before it goes into the database: characters XML can hold, a valid header Language."""

from __future__ import annotations

from collections.abc import Iterable

from glossary.model.catalog import PoMessage, header_fields
from glossary.model.catalog_langs import gettext_lang
from glossary.model.chars import unstorable
from glossary.model.errors import ParseError
from glossary.model.limits import CONTEXT, FLAGS, check_length


def check_messages(messages: Iterable[PoMessage], where: str) -> None:
    """Refuse a control character (an escape such as ``\\0`` or ``\\001`` included) in any string or
    comment of an entry, and a header ``Language`` that is no language tag; errors name the entry's line.

    SQLite would store a NUL and PostgreSQL refuse it without saying where: both are told here.
    """
    for message in messages:
        for name, value in _texts(message):
            problem = unstorable(value)
            if problem:
                raise ParseError(where, message.line or None, f"{name}: {problem}")
        check_length(message.msgctxt, CONTEXT, "msgctxt", where, message.line or None)
        check_length(", ".join(message.flags), FLAGS, "the flags", where, message.line or None)
        if message.is_header:
            language = header_fields(message.msgstr).get("Language", "")
            if language and gettext_lang(language) is None:
                raise ParseError(
                    where, message.line or None,
                    f"the header's Language {language!r} is not a language tag (ru, kk, kk@latin, pt_BR ...)",
                )


def _texts(message: PoMessage) -> Iterable[tuple[str, str]]:
    yield "msgid", message.msgid
    yield "msgstr", message.msgstr
    for name in ("msgctxt", "msgid_plural", "previous_msgctxt", "previous_msgid", "previous_msgid_plural"):
        value = getattr(message, name)
        if value is not None:
            yield name, value
    for index, form in enumerate(message.msgstr_plural):
        yield f"msgstr[{index}]", form
    for name in ("translator_comments", "extracted_comments", "references", "flags"):
        for value in getattr(message, name):
            yield "comment", value
