"""Property tests of the term-base readers (TBX, CSV, seed TOML): round trips and corrupted files."""

from __future__ import annotations

import io
import json
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from property_helpers import LANGS, concept_ids, mutated, names_its_place, one_line, refusal, texts

from glossary.formats import TERMBASE_FORMATS
from glossary.formats.seed import read_termbase_toml
from glossary.model.records import CONCEPT_KINDS, ORIGINS, STATUSES, TERM_TYPES, ConceptRecord, TermRecord

_optional = lambda strategy: st.none() | strategy  # noqa: E731

terms = st.builds(
    TermRecord,
    lang=st.sampled_from(LANGS),
    text=texts(max_size=40, stripped=True),
    status=st.sampled_from(STATUSES),
    type=st.sampled_from(TERM_TYPES),
    scheme=_optional(st.sampled_from(["iso9", "bgn_pcgn", "kazakh_latin_2021"])),
    origin=st.sampled_from(ORIGINS),
    note=_optional(texts(stripped=True)),
    source=_optional(one_line()),
    valid_from=_optional(st.dates().map(str)),
    valid_until=_optional(st.dates().map(str)),
)


@st.composite
def concepts(draw: st.DrawFn) -> list[ConceptRecord]:
    ids = draw(st.lists(concept_ids, min_size=1, max_size=4, unique=True))
    return [
        ConceptRecord(
            id=concept_id,
            kind=draw(st.sampled_from(CONCEPT_KINDS)),
            note=draw(_optional(texts(stripped=True))),
            external_id=draw(_optional(st.from_regex(r"Q[1-9][0-9]{0,8}", fullmatch=True) | one_line())),
            valid_from=draw(_optional(st.dates().map(str))),
            valid_until=draw(_optional(st.dates().map(str))),
            terms=draw(st.lists(terms, max_size=5)),
        )
        for concept_id in ids
    ]


def _grouped(concept: ConceptRecord) -> list[TermRecord]:
    """A concept's terms as TBX writes them: grouped by language, languages in first-seen order."""
    order = list(dict.fromkeys(term.lang for term in concept.terms))
    return sorted(concept.terms, key=lambda term: order.index(term.lang))


def _read(fmt: str, data: bytes) -> list[ConceptRecord]:
    spec = TERMBASE_FORMATS[fmt]
    handle = io.BytesIO(data) if spec.binary else io.StringIO(data.decode("utf-8"), newline="")
    return list(spec.read(handle, f"fuzz.{fmt}"))


def _written(fmt: str, records: list[ConceptRecord]) -> bytes:
    return "".join(TERMBASE_FORMATS[fmt].generate(records)).encode("utf-8")


@pytest.mark.parametrize("fmt", sorted(TERMBASE_FORMATS))
@given(records=concepts())
def test_written_concepts_read_back_the_same(fmt: str, records: list[ConceptRecord]) -> None:
    back = _read(fmt, _written(fmt, records))
    if fmt == "tbx":
        for record in records:
            record.terms = _grouped(record)
    assert back == records


@pytest.mark.parametrize("fmt", sorted(TERMBASE_FORMATS))
@given(data=st.data(), records=concepts())
def test_a_corrupted_file_raises_only_a_parse_error_naming_it(fmt: str, data: st.DataObject,
                                                               records: list[ConceptRecord]) -> None:
    corrupt = data.draw(mutated(_written(fmt, records)))
    if fmt == "csv":
        try:
            corrupt.decode("utf-8")
        except UnicodeDecodeError:
            return  # the command line decodes a CSV first and names the line (see read_text_file)
    assert names_its_place(refusal(lambda: _read(fmt, corrupt)), f"fuzz.{fmt}", corrupt)


@given(records=concepts())
def test_a_written_seed_file_reads_back_the_same(records: list[ConceptRecord]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "seed.toml"
        path.write_text(_seed(records), encoding="utf-8")
        read = read_termbase_toml(path)
    for record in records:  # what a seed file holds of a term: no scheme, and every form was entered
        record.terms = [replace(term, origin="entered", scheme=None) for term in record.terms]
    assert read == records


@given(data=st.data(), records=concepts())
def test_a_corrupted_seed_file_raises_only_a_glossary_error(data: st.DataObject,
                                                            records: list[ConceptRecord]) -> None:
    corrupt = data.draw(mutated(_seed(records).encode("utf-8")))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "seed.toml"
        path.write_bytes(corrupt)
        assert names_its_place(refusal(lambda: read_termbase_toml(path)), str(path), corrupt)


@given(values=st.lists(
    st.tuples(st.sampled_from(["id", "kind", "note", "lang", "text", "status", "type", "term", "concept"]),
              st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts(),
                           lambda inner: st.lists(inner, max_size=3), max_leaves=5)),
    max_size=4,
))
def test_values_of_the_wrong_type_in_a_seed_file_raise_only_a_glossary_error(
    values: list[tuple[str, object]],
) -> None:
    lines = ['[[concept]]', 'id = "tokayev"', '[[concept.term]]', 'lang = "en"', 'text = "Tokayev"']
    for key, value in values:
        if value is not None:
            lines.insert(1 if key in ("id", "kind", "note") else len(lines), f"{key} = {json.dumps(value)}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "seed.toml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        assert names_its_place(refusal(lambda: read_termbase_toml(path)), str(path), path.read_bytes())


def _seed(records: list[ConceptRecord]) -> str:
    """A seed TOML file holding ``records`` (as the bundled term base is written)."""
    out: list[str] = []
    for concept in records:
        out.append("[[concept]]")
        for name in ("id", "kind", "note", "external_id", "valid_from", "valid_until"):
            value = getattr(concept, name)
            if value is not None:
                out.append(f"{name} = {json.dumps(value, ensure_ascii=False)}")
        for term in concept.terms:
            out.append("[[concept.term]]")
            for name in ("lang", "text", "status", "type", "note", "source", "valid_from", "valid_until"):
                value = getattr(term, name)
                if value is not None:
                    out.append(f"{name} = {json.dumps(value, ensure_ascii=False)}")
        out.append("")
    return "\n".join(out) + "\n"
