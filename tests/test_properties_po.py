"""Property tests of the .po reader: a written catalogue reads back the same, a corrupt one fails cleanly."""

from __future__ import annotations

import io
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st
from property_helpers import mutated, names_its_place, one_line, refusal, texts

from glossary.formats.po import encode_po, generate_po, read_po
from glossary.formats.po_check import check_messages
from glossary.formats.po_write import ordered_flags
from glossary.model.catalog import PoCatalog, PoMessage

_FLAGS = ("fuzzy", "c-format", "no-c-format", "python-format", "python-brace-format", "no-wrap", "read-only")
_optional = lambda strategy: st.none() | strategy  # noqa: E731
_strings = texts(max_size=120)  # line breaks, quotes, backslashes and tabs included


@st.composite
def messages(draw: st.DrawFn) -> PoMessage:
    plural = draw(st.booleans())
    obsolete = draw(st.booleans())
    return PoMessage(
        msgid=draw(texts(min_size=1, max_size=120)),
        msgstr="" if plural else draw(_strings),
        msgctxt=draw(_optional(_strings)),
        msgid_plural=draw(texts(min_size=1)) if plural else None,
        msgstr_plural=tuple(draw(st.lists(_strings, min_size=2, max_size=3))) if plural else (),
        translator_comments=tuple(draw(st.lists(one_line(), max_size=2))),
        extracted_comments=tuple(draw(st.lists(one_line(), max_size=2))),
        references=tuple(draw(st.lists(st.from_regex(r"[a-z]{1,8}\.(txt|md|py):[1-9][0-9]{0,3}",
                                                      fullmatch=True), max_size=3, unique=True))),
        flags=tuple(draw(st.lists(st.sampled_from(_FLAGS), max_size=3, unique=True))),
        previous_msgid=draw(_optional(texts(min_size=1, max_size=40))),
        obsolete=obsolete,
    )


@st.composite
def catalogues(draw: st.DrawFn) -> PoCatalog:
    found = draw(st.lists(messages(), max_size=6, unique_by=lambda m: (m.msgctxt, m.msgid)))
    return PoCatalog(messages=tuple(found))


def _bytes(catalog: PoCatalog) -> bytes:
    return b"".join(encode_po(catalog, generate_po(catalog)))


@given(catalog=catalogues())
def test_a_written_catalogue_reads_back_the_same(catalog: PoCatalog) -> None:
    back = read_po(io.BytesIO(_bytes(catalog)), "fuzz.po")
    live = [m for m in catalog.messages if not m.obsolete]
    gone = [m for m in catalog.messages if m.obsolete]
    # The writer puts obsolete entries last and flags in gettext's order.
    assert back.messages == tuple(replace(m, flags=tuple(ordered_flags(m))) for m in (*live, *gone))


@given(data=st.data(), catalog=catalogues())
def test_a_corrupted_catalogue_raises_only_a_parse_error(data: st.DataObject, catalog: PoCatalog) -> None:
    corrupt = data.draw(mutated(_bytes(catalog)))

    def read_and_check() -> None:
        check_messages(read_po(io.BytesIO(corrupt), "fuzz.po").messages, "fuzz.po")

    assert names_its_place(refusal(read_and_check), "fuzz.po", corrupt)
