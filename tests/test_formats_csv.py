"""Tests for glossary/formats/csv.py (the round trip shared with TBX is in test_formats_tbx.py)."""

from __future__ import annotations

import csv
import io

import pytest

from glossary.formats.csv import COLUMNS, generate_csv, read_csv
from glossary.model.errors import ParseError
from glossary.model.records import ConceptRecord, SourceRecord, TermRecord


def _read(text: str, path: str = "terms.csv") -> list[ConceptRecord]:
    return list(read_csv(io.StringIO(text, newline=""), path))


def _error(text: str) -> ParseError:
    with pytest.raises(ParseError) as caught:
        _read(text)
    assert caught.value.path == "terms.csv"
    return caught.value


def test_minimal_columns_get_the_defaults():
    (concept,) = _read("concept,lang,text\ntokayev,kk,Тоқаев\n")
    assert concept == ConceptRecord(id="tokayev", terms=[TermRecord("kk", "Тоқаев", origin="imported")])


def test_unknown_columns_are_ignored_and_order_is_free():
    text = "Text,colour,LANG,concept,status\nҚазақстан,blue,kk,kazakhstan,admitted\n"
    (concept,) = _read(text)
    assert concept.terms == [TermRecord("kk", "Қазақстан", status="admitted", origin="imported")]


def test_rows_group_by_concept_in_first_seen_order():
    text = (
        "concept,kind,lang,text\n"
        "almaty,place,en,Almaty\n"
        "tokayev,person,en,Tokayev\n"
        "almaty,,kk,Алматы\n"
        "tokayev,person,kk,Тоқаев\n"
    )
    concepts = _read(text)
    assert [(c.id, c.kind, [t.text for t in c.terms]) for c in concepts] == [
        ("almaty", "place", ["Almaty", "Алматы"]),
        ("tokayev", "person", ["Tokayev", "Тоқаев"]),
    ]


def test_byte_order_mark_and_blank_rows_are_tolerated():
    (concept,) = _read("\ufeffconcept,lang,text\n\n,,\nusa,en,USA\n")
    assert (concept.id, concept.terms[0].text) == ("usa", "USA")


def test_row_without_term_declares_a_concept():
    (concept,) = _read("concept,kind,lang,text,concept_note\nelection_2022,event,,,Snap election\n")
    assert concept == ConceptRecord(id="election_2022", kind="event", note="Snap election")


def test_output_is_plain_csv_with_the_documented_header():
    concepts = [
        ConceptRecord("csto", "organisation", note='A "treaty", 1992', terms=[TermRecord("ru", "ОДКБ")])
    ]
    rows = list(csv.DictReader(io.StringIO("".join(generate_csv(concepts)), newline="")))
    assert list(rows[0]) == list(COLUMNS)
    assert (rows[0]["concept_note"], rows[0]["text"], rows[0]["origin"]) == (
        'A "treaty", 1992',
        "ОДКБ",
        "entered",
    )


def test_bad_status_reports_the_physical_line_after_multiline_fields():
    text = (
        "concept,lang,text,status,note\n"  # line 1
        'almaty,en,Alma-Ata,superseded,"Soviet-era name,\n'  # line 2
        'used until 1993"\n'  # line 3
        "almaty,kk,Алматы,preferred,\n"  # line 4
        "almaty,ru,Алма-Ата,obsolete-ish,\n"  # line 5
    )
    error = _error(text)
    assert error.line == 5
    assert "unknown status 'obsolete-ish'" in error.message
    assert str(error).startswith("terms.csv:5: ")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "expected a header row"),
        ("concept,text\nx,y\n", 1, "missing required column(s): lang"),
        ("concept,lang,text,lang\nx,en,y,en\n", 1, "appears twice"),
        ("concept,lang,text,type\nx,en,y,full_form\nx,en,z,nickname\n", 3, "unknown type 'nickname'"),
        ("concept,lang,text,kind\nx,en,y,planet\n", 2, "unknown kind 'planet'"),
        ("concept,lang,text,origin\nx,en,y,dreamt\n", 2, "unknown origin 'dreamt'"),
        ("concept,lang,text\n,en,y\n", 2, "empty concept id"),
        ("concept,lang,text\nx,en,\n", 2, "needs both lang and text"),
        (
            "concept,lang,text,kind\nx,en,y,person\n\nx,kk,z,place\n",
            4,
            "kind 'place' contradicts 'person' on line 2",
        ),
        ('concept,lang,text\nx,en,"unterminated\n', 2, "malformed CSV"),
        ("concept,lang,text\nx,en,y\nx,english,z\n", 3, "'english' is not a valid BCP 47 language tag"),
        ("concept,lang,text\nx,en,y\nx,en,bell\x07\n", 3, "U+0007 (a control character) cannot be stored"),
        ('concept,lang,text,note\nx,en,y,"two\nlines\x0b"\n', 3, "U+000B"),
    ],
    ids=[
        "empty",
        "missing-column",
        "duplicate-column",
        "bad-type",
        "bad-kind",
        "bad-origin",
        "no-concept",
        "no-text",
        "contradiction",
        "unterminated-quote",
        "bad-language-tag",
        "control-character",
        "control-character-on-a-later-line-of-a-cell",
    ],
)
def test_malformed_csv_reports_path_and_line(text, line, message):
    error = _error(text)
    assert error.line == line
    assert message in error.message


def test_the_register_adds_the_source_title_and_url():
    register = {
        "akorda": SourceRecord(
            id="akorda", title="Akorda", basis="official", langs=("kk",), url="https://www.akorda.kz"
        )
    }
    concepts = [
        ConceptRecord(
            "tokayev",
            "person",
            terms=[
                TermRecord("kk", "Тоқаев", source="akorda"),
                TermRecord("kk", "Тоқаев Қ.", source="a book"),
            ],
        )
    ]
    text = "".join(generate_csv(concepts, sources=register))
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(rows[0]) == [*COLUMNS, "source_title", "source_url"]
    assert [(r["source"], r["source_title"], r["source_url"]) for r in rows] == [
        ("akorda", "Akorda", "https://www.akorda.kz"),
        ("a book", "", ""),  # a source outside the register is kept as it is
    ]
    assert [t.source for t in _read(text)[0].terms] == ["akorda", "a book"]


def test_language_tags_are_canonical():
    (concept,) = _read("concept,lang,text\nx,EN_us,y\nx,iw,z\n")
    assert [t.lang for t in concept.terms] == ["en-US", "he"]
