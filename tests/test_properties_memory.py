"""Property tests of the TMX reader: written units read back the same, corrupted files fail cleanly."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st
from property_helpers import LANGS, mutated, names_its_place, one_line, refusal, texts

from glossary.formats.tmx import generate_tmx, read_tmx
from glossary.model.errors import ParseWarning
from glossary.model.records import UnitRecord, UnitVariant

_optional = lambda strategy: st.none() | strategy  # noqa: E731
_props = st.lists(st.tuples(st.sampled_from(["x-context", "x-origin", "client"]), texts(max_size=20)),
                  max_size=2)

variants = st.builds(
    UnitVariant,
    lang=st.sampled_from(LANGS),
    text=texts(max_size=80),  # a segment's text is kept exactly, white space and line breaks included
    props=_props,
    notes=st.lists(texts(max_size=20), max_size=2),
)


@st.composite
def units(draw: st.DrawFn) -> UnitRecord:
    found = draw(st.lists(variants, min_size=2, max_size=4))
    return UnitRecord(
        variants=found,
        srclang=draw(_optional(st.sampled_from([v.lang for v in found]))),
        props=draw(_props),
        notes=draw(st.lists(texts(max_size=20), max_size=2)),
        tuid=draw(_optional(one_line(max_size=12))),
        creationdate=draw(_optional(st.datetimes(timezones=st.just(UTC)).map(
            lambda moment: moment.strftime("%Y%m%dT%H%M%SZ")))),
    )


def _bytes(found: list[UnitRecord]) -> bytes:
    lines = generate_tmx(found, srclang="en", tool_version="1", creationdate=datetime(2024, 1, 1, tzinfo=UTC))
    return "".join(lines).encode("utf-8")


@given(found=st.lists(units(), max_size=5))
def test_written_units_read_back_the_same(found: list[UnitRecord]) -> None:
    warnings: list[ParseWarning] = []
    back = list(read_tmx(io.BytesIO(_bytes(found)), "fuzz.tmx", warn=warnings.append))
    # A unit without srclang takes the header's ("en" here).
    expected = [replace(unit, srclang=unit.srclang or "en") for unit in found]
    assert [replace(unit, line=0) for unit in back] == expected
    assert warnings == []


@given(data=st.data(), found=st.lists(units(), min_size=1, max_size=4))
def test_a_corrupted_tmx_raises_only_a_parse_error(data: st.DataObject, found: list[UnitRecord]) -> None:
    corrupt = data.draw(mutated(_bytes(found)))
    warnings: list[ParseWarning] = []
    error = refusal(lambda: list(read_tmx(io.BytesIO(corrupt), "fuzz.tmx", warn=warnings.append)))
    assert names_its_place(error, "fuzz.tmx", corrupt)
    assert all(w.path == "fuzz.tmx" and w.line for w in warnings)
