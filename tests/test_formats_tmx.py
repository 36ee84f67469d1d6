"""TMX 1.4b reading and writing: real files from translate-toolkit, its reader on ours, malformed input."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import polib
import pytest

from glossary.formats.tmx import TmxUnit, TmxVariant, canonical_lang, generate_tmx, read_tmx, write_tmx
from glossary.model.errors import ParseError

PAIRS = [
    ("The situation is stable in all regions.", "Ситуация стабильна во всех регионах."),
    ("We have defended Almaty.", "Мы отстояли Алматы."),
    ("Tokayev spoke to the Mazhilis & the press <live>.",
     "Токаев выступил в Мажилисе и перед прессой <live>."),
    ("Nazarbayev's \"Elbasy\" title was removed.", "Титул «Елбасы» Назарбаева отменён."),
]


def _read(data: str | bytes, path: str = "mem.tmx") -> list[TmxUnit]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return list(read_tmx(io.BytesIO(raw), path))


def test_po2tmx_output_imports_every_unit(tmp_path: Path) -> None:
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ru"}
    for source, target in PAIRS:
        catalog.append(polib.POEntry(msgid=source, msgstr=target))
    catalog.append(polib.POEntry(msgid="Untranslated.", msgstr=""))
    po_path, tmx_path = tmp_path / "article.po", tmp_path / "article.tmx"
    catalog.save(str(po_path))
    po2tmx = Path(sys.executable).with_name("po2tmx")
    subprocess.run([str(po2tmx), "-l", "ru", str(po_path), str(tmx_path)], check=True, capture_output=True)

    with tmx_path.open("rb") as handle:
        units = list(read_tmx(handle, tmx_path))

    got = [(u.source().text, next(v.text for v in u.variants if v.lang == "ru")) for u in units]
    assert got == PAIRS
    assert all(u.source().lang == "en" for u in units)


def test_translate_toolkit_reads_every_unit_and_language_we_write(tmp_path: Path) -> None:
    from translate.storage.tmx import tmxfile

    units = [
        TmxUnit([TmxVariant("en", s), TmxVariant(lang, t)], srclang="en", props=[("x-state", "approved")],
                notes=["from the article"], tuid=str(i))
        for i, ((s, t), lang) in enumerate(zip(PAIRS, ["ru", "kk", "de", "ru"], strict=True))
    ]
    path = tmp_path / "out.tmx"
    write_tmx(path, units, srclang="en", tool_version="0.1.0")

    store = tmxfile(path.read_bytes())
    assert [(u.source, u.target) for u in store.units] == PAIRS
    langs = [[tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in u.xmlelement.iter(
        "{*}tuv")] for u in store.units]
    assert langs == [["en", "ru"], ["en", "kk"], ["en", "de"], ["en", "ru"]]


def test_round_trip_keeps_text_props_notes_and_header(tmp_path: Path) -> None:
    units = [
        TmxUnit([TmxVariant("en", "A <b> & c"), TmxVariant("kk-Latn", "Qazaqstan", notes=["Latin"])],
                srclang="en", props=[("x-context", "ctx:1"), ("x-state", "translated")], notes=["n1", "n2"],
                tuid="7", creationdate="20220111T120000Z"),
    ]
    text = "".join(generate_tmx(units, srclang="en", tool_version="9", creationdate=datetime(2022, 1, 11,
                                                                                            tzinfo=UTC)))
    assert 'creationtool="Glossary"' in text and 'segtype="sentence"' in text and 'o-tmf="Glossary"' in text
    assert 'creationdate="20220111T000000Z"' in text and 'adminlang="en"' in text
    back = _read(text)
    assert back[0].variants == units[0].variants
    assert (back[0].props, back[0].notes, back[0].tuid) == (units[0].props, units[0].notes, "7")
    assert back[0].creationdate == "20220111T120000Z"


def test_inline_codes_are_left_out_and_highlighted_text_kept() -> None:
    doc = """<tmx version="1.4"><header srclang="en" segtype="sentence" datatype="xml" adminlang="en"
    creationtool="x" creationtoolversion="1" o-tmf="x"/><body><tu><tuv xml:lang="en">
    <seg>Press <bpt i="1">&lt;b&gt;</bpt>here<ept i="1">&lt;/b&gt;</ept> <hi>now</hi><ph>&lt;br/&gt;</ph
    >.</seg>
    </tuv><tuv xml:lang="fr"><seg>Ici</seg></tuv></tu></body></tmx>"""
    (unit,) = _read(doc)
    assert unit.source().text == "Press here now."


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("<tu>\n<tuv xml:lang='en'><seg>a</seg></tuv>\n<tuv xml:lang='ru'><seg>b</seg></tu>", 6, "malformed"),
        ("<tu>\n<prop type='x'>p</prop>\n</tu>", 4, "without any <tuv>"),
        ("<tu>\n<tuv xml:lang='en'><seg>a</seg></tuv>\n<tuv xml:lang='english!'><seg>b</seg></tuv></tu>", 6,
         "not a valid language tag"),
        ("<tu>\n<tuv xml:lang='en'><seg>a</seg></tuv>\n<tuv xml:lang='qq'><seg>b</seg></tuv></tu>", 6,
         "not a valid language tag"),
        ("<tu>\n<tuv><seg>a</seg></tuv></tu>", 5, "without xml:lang"),
        ("<tu>\n<tuv xml:lang='en'>\n</tuv></tu>", 5, "without <seg>"),
    ],
    ids=["broken-xml", "tu-without-tuv", "bad-tag-shape", "unknown-language", "no-lang", "no-seg"],
)
def test_malformed_tmx_names_file_and_line(body: str, line: int, message: str) -> None:
    doc = f"<?xml version='1.0'?>\n<tmx version='1.4'>\n<header srclang='en'/><body>\n{body}\n</body></tmx>"
    with pytest.raises(ParseError) as caught:
        _read(doc, "broken.tmx")
    assert caught.value.path == "broken.tmx"
    assert caught.value.line == line
    assert message in caught.value.message


def test_entities_are_refused_not_expanded() -> None:
    doc = ("<?xml version='1.0'?><!DOCTYPE tmx [<!ENTITY lol 'lol'>]><tmx version='1.4'><header/>"
           "<body><tu><tuv xml:lang='en'><seg>&lol;</seg></tuv></tu></body></tmx>")
    with pytest.raises(ParseError, match="entity"):
        _read(doc)


def test_a_document_that_is_not_tmx_is_refused() -> None:
    with pytest.raises(ParseError, match="not a TMX document"):
        _read("<?xml version='1.0'?><martif><text/></martif>")


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("en", "en"), ("EN-us", "en-US"), ("kk-latn", "kk-Latn"), ("es-419", "es-419"), ("tg", "tg"),
     ("x-klingon", None), ("zz", None), ("en_US", "en-US"), ("DE-de", "de-DE"), ("iw", "he"), ("", None)],
)
def test_language_tags_are_checked_and_canonicalised(tag: str, expected: str | None) -> None:
    assert canonical_lang(tag) == expected


def test_carriage_returns_survive_a_round_trip(tmp_path: Path) -> None:
    """A literal CR would be folded into a line feed by any XML parser: it is written as &#13;."""
    unit = TmxUnit([TmxVariant("en", "Line one\r\nline two\rthree"), TmxVariant("ru", "Строка\r\nдва")],
                   srclang="en", notes=["note\r"], props=[("x-context", "a\rb")])
    path = tmp_path / "cr.tmx"
    write_tmx(path, [unit], srclang="en", tool_version="0")
    assert "&#13;" in path.read_text(encoding="utf-8")
    with path.open("rb") as handle:
        [back] = read_tmx(handle, path)
    assert [v.text for v in back.variants] == ["Line one\r\nline two\rthree", "Строка\r\nдва"]
    assert back.notes == ["note\r"] and back.props == [("x-context", "a\rb")]


@pytest.mark.parametrize("char", ["\x07", "\x0b", "\x1f", "\ufffe"])
def test_export_never_drops_a_character_xml_cannot_carry(char: str) -> None:
    from glossary.model.errors import GlossaryError

    unit = TmxUnit([TmxVariant("en", f"bell{char}here"), TmxVariant("ru", "звонок")], srclang="en")
    with pytest.raises(GlossaryError, match=f"U\\+{ord(char):04X}"):
        "".join(generate_tmx([unit], srclang="en", tool_version="0"))


@pytest.mark.parametrize("reference", ["&#7;", "&#x1F;", "&#xFFFE;"])
def test_import_refuses_a_character_xml_cannot_carry_with_its_line(reference: str) -> None:
    body = ('<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="en"/><body>\n'
            f'<tu><tuv xml:lang="en"><seg>bad{reference}</seg></tuv></tu>\n</body></tmx>\n')
    with pytest.raises(ParseError, match=r"mem\.tmx:3: "):
        _read(body)
