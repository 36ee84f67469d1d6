"""``glossary terms import|export``: byte-stable round trips, idempotent imports, safe failures."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from translate.storage import tbx as tk_tbx

from glossary.cli import main


def _terms_json(db: str, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    capsys.readouterr()
    assert main(["terms", "list", "--format", "json", "--db", db]) == 0
    return json.loads(capsys.readouterr().out)


def _empty(url: str) -> str:
    assert main(["init", "--empty", "--db", url]) == 0
    return url


def test_tbx_round_trip_is_byte_identical(seeded_db_url: str, db_url: str, tmp_path: Path, capsys):
    first, second = tmp_path / "first.tbx", tmp_path / "second.tbx"
    assert main(["terms", "export", "-o", str(first), "--db", seeded_db_url]) == 0
    _empty(db_url)
    assert main(["terms", "import", str(first), "--db", db_url]) == 0
    assert main(["terms", "export", "-o", str(second), "--db", db_url]) == 0
    assert first.read_bytes() == second.read_bytes()
    statuses = {t["status"] for c in _terms_json(db_url, capsys) for t in c["terms"]}
    assert {"preferred", "admitted", "deprecated", "superseded", "forbidden"} <= statuses


def test_importing_twice_changes_nothing(seeded_db_url: str, tmp_path: Path, capsys):
    exported = tmp_path / "tb.tbx"
    assert main(["terms", "export", "-o", str(exported), "--db", seeded_db_url]) == 0
    before = _terms_json(seeded_db_url, capsys)
    for _ in range(2):
        assert main(["terms", "import", str(exported), "--format", "json", "--db", seeded_db_url]) == 0
        report = json.loads(capsys.readouterr().out)
        assert report["created"] == 0 and report["updated"] == 0 and report["terms_added"] == 0
    assert _terms_json(seeded_db_url, capsys) == before


def test_csv_round_trip(seeded_db_url: str, db_url: str, tmp_path: Path, capsys):
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    assert main(["terms", "export", "-o", str(first), "--db", seeded_db_url]) == 0
    _empty(db_url)
    assert main(["terms", "import", str(first), "--db", db_url]) == 0
    assert main(["terms", "export", "-o", str(second), "--db", db_url]) == 0
    assert first.read_bytes() == second.read_bytes()


def test_exports_name_and_link_the_bundled_sources(seeded_db_url: str, tmp_path: Path):
    tbx, table = tmp_path / "tb.tbx", tmp_path / "tb.csv"
    assert main(["terms", "export", "-o", str(tbx), "--db", seeded_db_url]) == 0
    assert main(["terms", "export", "-o", str(table), "--db", seeded_db_url]) == 0
    text = tbx.read_text(encoding="utf-8")
    # Stanislaw Sas rests on BelTA's German service: the id stays the source, the link names it.
    sas = text[text.index("<term>Stanislaw Sas</term>") :].split("</termSec>")[0]
    assert '<admin type="source">belta</admin>' in sas
    assert '<xref type="externalCrossReference" target="https://deu.belta.by">BelTA' in sas
    rows = list(csv.DictReader(table.open(encoding="utf-8", newline="")))
    [row] = [r for r in rows if r["text"] == "ISIL-K"]
    assert (row["source"], row["source_url"]) == (
        "un_sanctions",
        "https://main.un.org/securitycouncil/en/content/islamic-state-iraq-and-levant-khorasan-isil-k",
    )


def test_translate_toolkit_tbx_imports_every_term(db_url: str, tmp_path: Path, capsys):
    store = tk_tbx.tbxfile(sourcelanguage="en", targetlanguage="ru")
    pairs = [("Tokayev", "Токаев"), ("CSTO", "ОДКБ"), ("Almaty", "Алматы"), ("Rzhev", "Ржев")]
    for source, target in pairs:
        unit = store.addsourceunit(source)
        unit.target = target
    path = tmp_path / "toolkit.tbx"
    path.write_bytes(bytes(store))
    _empty(db_url)
    assert main(["terms", "import", str(path), "--db", db_url]) == 0
    forms = {(t["lang"], t["text"]) for c in _terms_json(db_url, capsys) for t in c["terms"]}
    for source, target in pairs:
        assert ("en", source) in forms and ("ru", target) in forms


MALFORMED = {
    "broken.tbx": (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<tbx type="TBX-Basic" style="dca" xml:lang="en"'
        b' xmlns="urn:iso:std:iso:30042:ed-2">\n<text><body>\n<conceptEntry id="x">\n'
        b'<langSec xml:lang="en"><termSec><term>Tokayev</term></termSec></langSec>\n'
        b"</body></text></tbx>\n",
        6,
    ),
    "bad.csv": (b"concept,lang,text,status\nnew_one,en,Someone,preferred\nother,en,Other,maybe\n", 3),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_file_names_file_and_line_and_changes_nothing(
    name: str, seeded_db_url: str, tmp_path: Path, capsys
):
    content, line = MALFORMED[name]
    path = tmp_path / name
    path.write_bytes(content)
    before = _terms_json(seeded_db_url, capsys)
    assert main(["terms", "import", str(path), "--db", seeded_db_url]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{path}:{line}:") and "Traceback" not in err
    assert _terms_json(seeded_db_url, capsys) == before


def test_entity_expansion_attack_is_refused(seeded_db_url: str, tmp_path: Path, capsys):
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    path = tmp_path / "laughs.tbx"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE tbx [<!ENTITY l0 "lol">{lol}]>\n'
        '<tbx><text><body><conceptEntry id="a"><langSec xml:lang="en"><termSec>'
        "<term>&l9;</term></termSec></langSec></conceptEntry></body></text></tbx>\n",
        encoding="utf-8",
    )
    assert main(["terms", "import", str(path), "--db", seeded_db_url]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "entit" in err.lower()


def test_csv_that_is_not_utf8_names_its_line(seeded_db_url: str, tmp_path: Path, capsys):
    path = tmp_path / "excel.csv"
    path.write_bytes("concept,lang,text\nx,en,Caf\xe9\n".encode("cp1252"))
    assert main(["terms", "import", str(path), "--db", seeded_db_url]) == 2
    assert capsys.readouterr().err.startswith(f"{path}:2: not UTF-8 text")


def test_unknown_xml_encoding_is_a_parse_error(seeded_db_url: str, tmp_path: Path, capsys):
    path = tmp_path / "odd.tbx"
    path.write_text('<?xml version="1.0" encoding="x-unknown"?>\n<tbx/>\n', encoding="ascii")
    assert main(["terms", "import", str(path), "--db", seeded_db_url]) == 2
    assert capsys.readouterr().err.startswith(f"{path}:1: ")


@pytest.mark.parametrize("target", ["missing-folder/out.tbx", "a-folder"])
def test_export_to_an_unwritable_place_is_one_line(target: str, seeded_db_url: str, tmp_path: Path, capsys):
    (tmp_path / "a-folder").mkdir()
    assert main(["terms", "export", "-o", str(tmp_path / target), "--db", seeded_db_url]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("glossary: error: ") and target in err[0]


def test_a_minimal_tbx_updates_without_erasing(seeded_db_url: str, tmp_path: Path, capsys):
    path = tmp_path / "minimal.tbx"
    path.write_text(
        '<?xml version="1.0"?>\n<martif type="TBX" xml:lang="en"><text><body>\n'
        '<termEntry id="tokayev"><langSet xml:lang="en"><tig><term>Tokayev</term></tig></langSet>'
        '<langSet xml:lang="de"><tig><term>Tokajew-Test</term></tig></langSet></termEntry>\n'
        "</body></text></martif>\n",
        encoding="utf-8",
    )
    assert main(["terms", "import", str(path), "--db", seeded_db_url]) == 0
    capsys.readouterr()
    assert main(["terms", "show", "tokayev", "--format", "json", "--db", seeded_db_url]) == 0
    concept = json.loads(capsys.readouterr().out)
    assert concept["kind"] == "person"
    short = next(t for t in concept["terms"] if (t["lang"], t["text"]) == ("en", "Tokayev"))
    assert (short["type"], short["status"]) == ("short_form", "preferred") and short["source"]
    assert any(t["text"] == "Tokajew-Test" for t in concept["terms"])


def test_language_tags_are_stored_canonically(db_url: str, tmp_path: Path, capsys):
    path = tmp_path / "upper.csv"
    rows = "concept,kind,lang,text\ntokayev,person,EN,Tokayev\ntokayev,person,RU,Токаев\n"
    path.write_text(rows, encoding="utf-8")
    _empty(db_url)
    assert main(["terms", "import", str(path), "--db", db_url]) == 0
    langs = {t["lang"] for c in _terms_json(db_url, capsys) for t in c["terms"] if t["origin"] != "generated"}
    assert langs == {"en", "ru"}
    bad = tmp_path / "bad-lang.csv"
    bad.write_text("concept,lang,text\nx,English,Something\n", encoding="utf-8")
    assert main(["terms", "import", str(bad), "--db", db_url]) == 2
    assert "bad-lang.csv:2: language tag 'English' is not a valid BCP 47" in capsys.readouterr().err


def test_an_import_racing_an_edit(db_url: str, tmp_path: Path, capsys, monkeypatch):
    """Another writer commits an edit to a concept between the import's read and its write.
    PostgreSQL: the import's compare-and-set fails, nothing of that attempt is kept, and the import
    runs again from a fresh read, as if it had come after the edit. SQLite: the import reads and
    stages without the write lock (the edit gets in at once); its final swap finds the concept
    changed, keeps nothing and says so in one line."""
    from sqlmodel import Session

    from glossary.model.tables import Concept
    from glossary.store import merge, staging
    from glossary.store.engine import make_engine

    sqlite = db_url.startswith("sqlite")
    _empty(db_url)
    first = tmp_path / "first.csv"
    header = "concept,kind,lang,text,concept_note\n"
    first.write_text(header + "tokayev,person,en,Tokayev,first\n", encoding="utf-8")
    assert main(["terms", "import", str(first), "--db", db_url]) == 0
    second = tmp_path / "second.csv"
    second.write_text(header + "tokayev,person,en,Tokayev,from the file\n", encoding="utf-8")
    read = merge.lookups_of
    edits: list[str] = []

    def read_then_someone_edits(session, records):
        found = read(session, records)
        if edits:
            return found  # the race happens once
        with Session(make_engine(db_url)) as other:
            other.get(Concept, "tokayev").note = "edited meanwhile"
            other.commit()
            edits.append("committed")
        return found

    monkeypatch.setattr(merge, "lookups_of", read_then_someone_edits)  # PostgreSQL
    monkeypatch.setattr(staging, "lookups_of", read_then_someone_edits)  # SQLite's staged import
    capsys.readouterr()
    code = main(["terms", "import", str(second), "--db", db_url])
    err = capsys.readouterr().err
    monkeypatch.undo()
    assert edits == ["committed"]
    [concept] = [c for c in _terms_json(db_url, capsys) if c["id"] == "tokayev"]
    if sqlite:
        assert code == 2 and err.count("\n") == 1
        assert err.startswith("glossary: error: concept 'tokayev' was changed by someone else")
        assert concept["note"] == "edited meanwhile"
    else:
        assert code == 0 and err == ""
        assert concept["note"] == "from the file"
        with Session(make_engine(db_url)) as session:
            assert session.get(Concept, "tokayev").version == 3  # the edit's version, then the import's
