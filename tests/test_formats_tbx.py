"""Tests for glossary/formats/tbx.py and xmlsafe.py, plus the round trip every term-base format passes."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from translate.storage import tbx as tt_tbx

from glossary.formats import TERMBASE_FORMATS, TermbaseFormat, write_atomic
from glossary.formats.tbx import TBX_NAMESPACE, generate_tbx, read_tbx
from glossary.formats.xmlsafe import iter_elements
from glossary.model.errors import ParseError
from glossary.model.records import (
    CONCEPT_KINDS,
    ORIGINS,
    STATUSES,
    TERM_TYPES,
    ConceptRecord,
    SourceRecord,
    TermRecord,
)

DATA = Path(__file__).parent / "data" / "tbx"
NS = {"t": TBX_NAMESPACE}

RECORDS = [
    ConceptRecord(
        id="tokayev",
        kind="person",
        note="President of Kazakhstan since 2019",
        external_id="Q2299",
        terms=[
            TermRecord("en", "Kassym-Jomart Tokayev", source="Akorda"),
            TermRecord("en", "Tokayev", type="short_form"),
            TermRecord("ru", "Токаев", type="short_form"),
            TermRecord("kk", "Тоқаев", type="short_form", note="Қазақстан Республикасының Президенті"),
            TermRecord("kk-Latn", "Toqaev", type="short_form", scheme="kz_latin_2021", origin="generated"),
            TermRecord("ru-Latn", "Tokaev", status="admitted", scheme="bgn_pcgn", origin="generated"),
        ],
    ),
    ConceptRecord(
        id="almaty",
        kind="place",
        external_id="https://www.geonames.org/1526384",
        terms=[
            TermRecord("en", "Almaty", valid_from="1993"),
            TermRecord("en", "Alma-Ata", status="superseded", valid_until="1993", note="Soviet-era name"),
            TermRecord("kk", "Алматы"),
            TermRecord("ru", "Алма-Ата", status="deprecated", source="Большая советская энциклопедия"),
        ],
    ),
    ConceptRecord(
        id="csto",
        kind="organisation",
        note="Treaty & \"alliance\" <military>, 1992; it's 'collective'",
        terms=[
            TermRecord("en", "Collective Security Treaty Organization"),
            TermRecord("en", "CSTO", type="abbreviation"),
            TermRecord("ru", "ОДКБ", type="abbreviation", note="A & B < C > D"),
        ],
    ),
    ConceptRecord(
        id="kazakh",
        kind="nationality",
        terms=[
            TermRecord("en", "Kazakh", type="adjective"),
            TermRecord("en", "Kazakhstani", type="adjective", status="admitted"),
            TermRecord("en", "Kazak", status="forbidden", origin="imported", note="Russian-era exonym"),
            TermRecord("kk", "қазақ", type="adjective", status="admitted"),
        ],
    ),
    ConceptRecord(
        id="ussr",
        kind="other",
        note="First line\nsecond line, with a tab\tinside",
        valid_from="1922-12-30",
        valid_until="1991-12-26",
        terms=[TermRecord("en", "Soviet Union", valid_from="1922", valid_until="1991")],
    ),
    ConceptRecord(id="election_2022", kind="event"),
]


# --- the round-trip contract, shared by every term-base format ---------------------------------


@pytest.fixture(params=sorted(TERMBASE_FORMATS), ids=str)
def fmt(request) -> TermbaseFormat:
    return TERMBASE_FORMATS[request.param]


def _dump(fmt: TermbaseFormat, concepts: list[ConceptRecord]) -> str:
    return "".join(fmt.generate(concepts))


def _load(fmt: TermbaseFormat, text: str) -> list[ConceptRecord]:
    stream = io.BytesIO(text.encode("utf-8")) if fmt.binary else io.StringIO(text, newline="")
    return list(fmt.read(stream, f"memory{fmt.suffix}"))


def test_test_records_cover_every_value():
    terms = [term for concept in RECORDS for term in concept.terms]
    assert {term.status for term in terms} == set(STATUSES)
    assert {term.type for term in terms} == set(TERM_TYPES)
    assert {term.origin for term in terms} == set(ORIGINS)
    assert {concept.kind for concept in RECORDS} == set(CONCEPT_KINDS)


def test_round_trip_gives_equal_records(fmt):
    assert _load(fmt, _dump(fmt, RECORDS)) == RECORDS


def test_export_import_export_gives_identical_text(fmt):
    first = _dump(fmt, RECORDS)
    assert _dump(fmt, _load(fmt, first)) == first


def test_round_trip_through_a_real_file(fmt, tmp_path):
    path = tmp_path / f"termbase{fmt.suffix}"
    write_atomic(path, fmt.generate(RECORDS))
    with open(path, "rb") if fmt.binary else open(path, encoding="utf-8", newline="") as handle:
        assert list(fmt.read(handle, str(path))) == RECORDS


def test_round_trip_changes_are_detected(fmt):
    changed = [ConceptRecord(id="tokayev", kind="person", terms=[TermRecord("kk", "Тоқаев")])]
    assert _load(fmt, _dump(fmt, changed)) != RECORDS[:1]


# --- TBX export ---------------------------------------------------------------------------------


def test_export_matches_golden_file_byte_for_byte(tmp_path):
    target = tmp_path / "export.tbx"
    write_atomic(target, generate_tbx(RECORDS))
    assert target.read_bytes() == (DATA / "golden_basic.tbx").read_bytes()


def test_golden_file_reads_back_to_the_records():
    with open(DATA / "golden_basic.tbx", "rb") as handle:
        assert list(read_tbx(handle, "golden_basic.tbx")) == RECORDS


def _exported_tree() -> ET.Element:
    # Our own output, parsed by the standard library as an independent reader.
    return ET.fromstring("".join(generate_tbx(RECORDS)).encode("utf-8"))


def test_export_is_tbx_basic_dca_in_the_iso_namespace():
    root = _exported_tree()
    assert root.tag == f"{{{TBX_NAMESPACE}}}tbx"
    assert (root.get("type"), root.get("style")) == ("TBX-Basic", "dca")
    ids = [entry.get("id") for entry in root.iterfind(".//t:conceptEntry", NS)]
    assert ids == [concept.id for concept in RECORDS]


def test_export_uses_only_tbx_basic_picklist_values():
    # Value lists of the TBX-Basic DCA Schematron rules.
    allowed = {
        "administrativeStatus": {
            "preferredTerm-admn-sts",
            "admittedTerm-admn-sts",
            "deprecatedTerm-admn-sts",
            "supersededTerm-admn-sts",
        },
        "termType": {"fullForm", "acronym", "abbreviation", "shortForm", "variant", "phrase"},
        "partOfSpeech": {"adjective", "noun", "other", "verb", "adverb"},
    }
    notes = list(_exported_tree().iterfind(".//t:termNote", NS))
    assert notes
    for note in notes:
        assert note.text in allowed[note.get("type")]


def test_forbidden_is_deprecated_plus_private_marker():
    root = _exported_tree()
    kazak = next(
        sec for sec in root.iterfind(".//t:termSec", NS) if sec.findtext("t:term", "", NS) == "Kazak"
    )
    assert kazak.find("t:termNote[@type='administrativeStatus']", NS).text == "deprecatedTerm-admn-sts"
    assert kazak.find("t:admin[@type='x-status']", NS).text == "forbidden"


def test_export_escapes_xml_special_characters():
    text = "".join(generate_tbx(RECORDS))
    assert 'Treaty &amp; "alliance" &lt;military&gt;' in text
    assert "A &amp; B &lt; C &gt; D" in text


def test_wikidata_id_links_to_wikidata():
    root = _exported_tree()
    xref = root.find(".//t:conceptEntry[@id='tokayev']/t:xref", NS)
    assert (xref.get("target"), xref.text) == ("https://www.wikidata.org/wiki/Q2299", "Q2299")


# --- reading files written by other tools -------------------------------------------------------


def test_reads_translate_toolkit_output():
    store = tt_tbx.tbxfile(sourcelanguage="en", targetlanguage="ru")
    expected = {
        "Kazakhstan": {"ru": "Казахстан", "kk": "Қазақстан", "de": "Kasachstan"},
        "Kassym-Jomart Tokayev": {"ru": "Касым-Жомарт Токаев", "kk": "Қасым-Жомарт Тоқаев"},
        "Tom & Jerry <cartoon>": {"fr": "Tom et Jerry"},
    }
    for source, targets in expected.items():
        unit = store.addsourceunit(source)
        for lang, text in targets.items():
            unit.settarget(text, lang=lang)
    store.units[0].addnote("Country in Central Asia", origin="definition")

    concepts = list(read_tbx(io.BytesIO(bytes(store)), "toolkit.tbx"))

    found = {c.terms[0].text: {t.lang: t.text for t in c.terms[1:]} for c in concepts}
    assert found == expected
    assert all(term.lang == "en" for concept in concepts for term in concept.terms[:1])
    assert concepts[0].note == "Country in Central Asia"
    ids = [concept.id for concept in concepts]
    assert ids == ["kazakhstan", "kassym_jomart_tokayev", "tom_jerry_cartoon"]


def test_weblate_style_martif_imports_every_term():
    with open(DATA / "weblate_martif.tbx", "rb") as handle:
        concepts = list(read_tbx(handle, "weblate_martif.tbx"))
    imported = {"origin": "imported"}
    assert [c.id for c in concepts[:4]] == ["kazakhstan", "kazakh", "csto", "nur_sultan"]
    assert concepts[0] == ConceptRecord(
        id="kazakhstan",
        note="Country in Central Asia",
        terms=[
            TermRecord("en", "Kazakhstan", **imported),
            TermRecord("kk", "Қазақстан", **imported),
            TermRecord("ru", "Казахстан", **imported),
            TermRecord("ru", "Казахская ССР", status="superseded", **imported),
        ],
    )
    assert concepts[1].terms == [
        TermRecord("en", "Kazakh", type="adjective", **imported),
        TermRecord("en", "Kazak", status="forbidden", **imported),
        TermRecord("ru", "казахский", type="adjective", **imported),
        TermRecord("ru", "казакский", status="deprecated", type="adjective", **imported),
    ]
    assert concepts[2].terms == [
        TermRecord("en", "CSTO", status="admitted", type="abbreviation", **imported),
        TermRecord("ru", "ОДКБ", type="abbreviation", **imported),
    ]
    assert [(t.lang, t.text, t.status) for t in concepts[3].terms] == [
        ("ru", "Нур-Султан", "superseded"),
        ("en", "Nur-Sultan", "preferred"),
    ]
    # No ASCII text to build a slug from: a stable hash-based id.
    assert re.fullmatch(r"term_[0-9a-f]{10}", concepts[4].id)
    assert concepts[4].terms == [TermRecord("kk", "Тоқаев", **imported)]
    # A generated id never takes one already used.
    assert concepts[5].id == "kazakhstan_2"


def test_translate_toolkit_and_we_agree_on_the_weblate_style_file():
    raw = (DATA / "weblate_martif.tbx").read_bytes()
    store = tt_tbx.tbxfile.parsestring(raw)
    theirs = [
        sorted((lang, term.text) for lang in ("en", "kk", "ru") for term in unit.get_target_terms(lang))
        for unit in store.units
    ]
    ours = [sorted((t.lang, t.text) for t in c.terms) for c in read_tbx(io.BytesIO(raw))]
    assert len(ours) == len(theirs) == 6
    # The toolkit reads <tig> only; the one <ntig> term of the file is ours alone.
    extra = [sorted(set(mine) - set(its)) for mine, its in zip(ours, theirs, strict=True)]
    assert extra == [[], [], [("en", "CSTO")], [], [], []]
    assert all(set(its) <= set(mine) for mine, its in zip(ours, theirs, strict=True))
    assert sum(len(terms) for terms in theirs) == 13


def test_tbx_basic_file_from_another_tool():
    with open(DATA / "basic_v3_other_tool.tbx", "rb") as handle:
        almaty, tokayev = read_tbx(handle, "basic_v3_other_tool.tbx")
    imported = {"origin": "imported"}
    assert almaty == ConceptRecord(
        id="c1",
        kind="other",  # subjectField "Geography" is not a concept kind
        note="Largest city of Kazakhstan",  # the definition wins over the image-source note
        terms=[
            TermRecord("en", "Almaty", **imported),  # the context's source is not the term's
            TermRecord(
                "en",
                "Alma-Ata",
                status="superseded",
                note="Name until 1993",
                source="Soviet atlas",
                **imported,
            ),
            TermRecord("kk", "Алматы", **imported),
        ],
    )
    assert tokayev == ConceptRecord(
        id="c2",
        kind="person",
        external_id="Q2299",
        terms=[
            TermRecord("en", "Kassym-Jomart Tokayev", **imported),
            TermRecord("en", "Tokayev", type="short_form", **imported),
        ],
    )


def test_reading_is_incremental():
    concepts = [ConceptRecord(id=f"c{n}", terms=[TermRecord("en", f"Name {n}")]) for n in range(3000)]
    raw = "".join(generate_tbx(concepts)).encode("utf-8")
    stream = io.BytesIO(raw)
    first = next(read_tbx(stream))
    assert first == concepts[0]
    assert stream.tell() < len(raw) // 2


def test_processed_elements_are_cleared():
    raw = b"<root>" + b"".join(b'<item n="%d"><sub>text</sub></item>' % n for n in range(100)) + b"</root>"
    seen = []
    for element, _line in iter_elements(io.BytesIO(raw), "x.xml", {"item"}):
        assert element.get("n") == str(len(seen)) and element.findtext("sub") == "text"
        seen.append(element)
    assert len(seen) == 100
    assert all(len(element) == 0 and not element.attrib for element in seen)


# --- errors ---------------------------------------------------------------------------------------


def _error(name: str) -> ParseError:
    path = str(DATA / name)
    with open(path, "rb") as handle, pytest.raises(ParseError) as caught:
        list(read_tbx(handle, path))
    assert caught.value.path == path
    return caught.value


def test_unclosed_tag_reports_its_line():
    error = _error("unclosed_tag.tbx")
    assert error.line == 13  # the </termSec> that meets the still-open <note>
    assert "mismatched tag" in error.message


def test_term_without_text_reports_its_line():
    error = _error("empty_term.tbx")
    assert error.line == 15
    assert "<term> without text" in error.message


def test_billion_laughs_is_refused_at_the_first_declaration():
    error = _error("billion_laughs.tbx")
    # Line 3 declares the first entity; the reference that would expand them is on line 20.
    assert error.line == 3
    assert "entity declarations are not allowed" in error.message
    assert "'lol'" in error.message


def test_external_entity_is_refused_without_reading_it():
    error = _error("external_entity.tbx")
    assert error.line == 4
    assert "'secret'" in error.message
    assert "root:" not in str(error)


@pytest.mark.parametrize(
    ("xml", "line", "message"),
    [
        ("<tbx>\n<text><body>\n<conceptEntry>\n</conceptEntry></body></text></tbx>", 3, "without id"),
        (
            '<tbx><text><body>\n<conceptEntry id="a"/>\n<conceptEntry id="a"/>\n</body></text></tbx>',
            3,
            "duplicate concept id 'a' (first on line 2)",
        ),
        (
            '<martif><text><body><termEntry id="a">\n<langSet>\n<tig><term>x</term></tig>'
            "</langSet></termEntry></body></text></martif>",
            2,
            "without xml:lang",
        ),
        (
            '<tbx><text><body><conceptEntry id="a"><langSec xml:lang="en"><termSec>\n<term>x</term>\n'
            '<termNote type="administrativeStatus">favourite</termNote>'
            "</termSec></langSec></conceptEntry></body></text></tbx>",
            3,
            "unknown administrative status 'favourite'",
        ),
        (
            '<tbx><text><body><conceptEntry id="a"><langSec xml:lang="en">\n<termSec>\n'
            "<note>no term here</note></termSec></langSec></conceptEntry></body></text></tbx>",
            2,
            "<termSec> without <term>",
        ),
        ("<?xml version='1.0'?>\n<html><body/></html>", 2, "not a TBX file"),
        ("<tbx>\n<text>\n<body>&nbsp;</body></text></tbx>", 3, "undefined entity"),
        ("", 1, "no element found"),
    ],
    ids=["no-id", "duplicate-id", "no-lang", "bad-status", "no-term", "not-tbx", "undefined-entity", "empty"],
)
def test_malformed_input_reports_path_and_line(xml, line, message):
    with pytest.raises(ParseError) as caught:
        list(read_tbx(io.BytesIO(xml.encode("utf-8")), "bad.tbx"))
    assert (caught.value.path, caught.value.line) == ("bad.tbx", line)
    assert message in caught.value.message
    assert str(caught.value).startswith(f"bad.tbx:{line}: ")


def test_unknown_elements_are_ignored():
    xml = (
        '<tbx xml:lang="de"><text><body><conceptEntry id="a"><mystery>?</mystery>'
        '<langSec><termSec><term>Kasachstan</term><termNote type="grammaticalGender">neuter</termNote>'
        "<weird><deeper/></weird></termSec></langSec></conceptEntry></body></text></tbx>"
    )
    (concept,) = read_tbx(io.BytesIO(xml.encode("utf-8")))
    # The langSec without xml:lang takes the document's language.
    assert concept.terms == [TermRecord("de", "Kasachstan", origin="imported")]


# --- the sources register in exports -------------------------------------------------------------

REGISTER = {
    "Akorda": SourceRecord(
        id="Akorda", title="Akorda: official website", basis="official", langs=("en",), url="https://www.akorda.kz"
    ),
    "unused": SourceRecord(id="unused", title="Never cited", basis="press", langs=("en",), url="https://x.example"),
}


def test_a_registered_source_is_linked_with_its_title_and_url():
    root = ET.fromstring("".join(generate_tbx(RECORDS, sources=REGISTER)).encode("utf-8"))
    linked = {
        sec.findtext("t:term", "", NS): sec.find("t:xref", NS)
        for sec in root.iterfind(".//t:termSec", NS)
        if sec.find("t:xref", NS) is not None
    }
    assert list(linked) == ["Kassym-Jomart Tokayev"]  # the one term whose source is in the register
    xref = linked["Kassym-Jomart Tokayev"]
    assert (xref.get("type"), xref.get("target"), xref.text) == (
        "externalCrossReference",
        "https://www.akorda.kz",
        "Akorda: official website",
    )
    admin = root.find(".//t:termSec[t:term='Kassym-Jomart Tokayev']/t:admin[@type='source']", NS)
    assert admin.text == "Akorda"  # the register id stays the term's source


def test_linked_sources_read_back_to_the_same_records():
    raw = "".join(generate_tbx(RECORDS, sources=REGISTER)).encode("utf-8")
    assert list(read_tbx(io.BytesIO(raw), "linked.tbx")) == RECORDS


def test_without_the_register_the_export_is_unchanged():
    assert "".join(generate_tbx(RECORDS, sources={})) == "".join(generate_tbx(RECORDS))


def test_export_refuses_what_xml_cannot_carry_and_keeps_carriage_returns():
    from glossary.model.errors import GlossaryError

    kept = ConceptRecord(id="cr", note="line\r\nnext", terms=[TermRecord("en", "A")])
    text = "".join(generate_tbx([kept]))
    assert "line&#13;\nnext" in text
    [back] = read_tbx(io.BytesIO(text.encode()), "x.tbx")
    assert back.note == "line\r\nnext"
    with pytest.raises(GlossaryError, match="U\\+0007"):
        "".join(generate_tbx([ConceptRecord(id="bell", terms=[TermRecord("en", "bell\x07")])]))


def test_language_tags_are_checked_with_their_line_and_made_canonical():
    head = '<?xml version="1.0"?>\n<tbx xmlns="urn:iso:std:iso:30042:ed-2"><text><body>\n'
    entry = '<conceptEntry id="c">\n<langSec xml:lang="{}"><termSec><term>T</term></termSec></langSec>\n'
    good = head + entry.format("EN_us") + "</conceptEntry></body></text></tbx>\n"
    [concept] = read_tbx(io.BytesIO(good.encode()), "x.tbx")
    assert concept.terms[0].lang == "en-US"
    bad = head + entry.format("english") + "</conceptEntry></body></text></tbx>\n"
    with pytest.raises(ParseError, match=r"^x\.tbx:4: xml:lang 'english' is not a valid BCP 47"):
        list(read_tbx(io.BytesIO(bad.encode()), "x.tbx"))
