"""``glossary tm ...`` and ``glossary export tmx``: exit codes, JSON, highlighting, files."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from glossary.cli import main
from glossary.model.tables import TMUnit
from glossary.store.engine import init_database, make_engine

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="en" segtype="sentence" datatype="plaintext" adminlang="en"
 creationtool="x" creationtoolversion="1" o-tmf="x"/><body>
<tu><tuv xml:lang="en"><seg>The situation is stable in all regions.</seg></tuv>
<tuv xml:lang="ru"><seg>Ситуация стабильна во всех регионах.</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>We have defended Almaty together.</seg></tuv>
<tuv xml:lang="ru"><seg>Мы вместе отстояли Алматы.</seg></tuv></tu>
</body></tmx>
"""


@pytest.fixture
def url(db_url: str, tmp_path: Path) -> str:
    init_database(make_engine(db_url))
    path = tmp_path / "mem.tmx"
    path.write_text(TMX, encoding="utf-8")
    assert main(["tm", "import", str(path), "--db", db_url]) == 0
    return db_url


def _units(url: str) -> int:
    with Session(make_engine(url)) as session:
        return session.exec(select(func.count()).select_from(TMUnit)).one()


def test_search_json_is_the_documented_list(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    code = main(["tm", "search", "The situation is stable in most regions.", "--target", "ru", "--db", url,
                 "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [m["target"] for m in data] == ["Ситуация стабильна во всех регионах."]
    assert {"score", "source", "target", "source_lang", "target_lang", "origin", "context",
            "explanation"} <= set(data[0])


def test_search_text_output(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["tm", "search", "We have defended Almaty together.", "--target", "ru", "--db", url]) == 0
    out = capsys.readouterr().out
    assert out.startswith("100.0  We have defended Almaty together.\n")
    assert "Мы вместе отстояли Алматы." in out


def test_malformed_tmx_exits_2_with_file_and_line_and_changes_nothing(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _units(url)
    bad = tmp_path / "bad.tmx"
    bad.write_text(TMX.replace("</tu>\n</body>", "</tuv>\n</body>"), encoding="utf-8")
    capsys.readouterr()
    assert main(["tm", "import", str(bad), "--db", url]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{bad}:7: ")
    assert _units(url) == before == 2


def test_import_command_takes_tmx_all_or_nothing(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good, bad = tmp_path / "more.tmx", tmp_path / "unknown-lang.tmx"
    good.write_text(TMX.replace("all regions", "every region"), encoding="utf-8")
    bad.write_text(TMX.replace('xml:lang="ru"><seg>Мы', 'xml:lang="x!!"><seg>Мы'), encoding="utf-8")
    assert main(["import", str(good), "--db", url, "--format", "json"]) == 0
    # One unit is new; the other is already in the memory and is not added again.
    assert json.loads(capsys.readouterr().out) == {"units": 1, "without_target": 0}
    assert _units(url) == 3
    assert main(["import", str(good), "--db", url, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"units": 0, "without_target": 0}
    assert main(["import", str(bad), "--db", url]) == 2
    assert capsys.readouterr().err.startswith(f"{bad}:")
    assert _units(url) == 3


def test_concordance_marks_hits_with_carets_when_piped(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["tm", "concordance", "ALMATY", "--lang", "en", "--db", url]) == 0
    lines = capsys.readouterr().out.splitlines()
    text = lines.index("  We have defended Almaty together.")
    assert lines[text + 1] == "                   ^^^^^^"
    assert lines[text + 2] == "  ↔ Мы вместе отстояли Алматы."
    assert lines.count("  We have defended Almaty together.") == 1  # once, not as translation and unit


def test_export_tmx_writes_every_unit(url: str, tmp_path: Path) -> None:
    from glossary.formats.tmx import read_tmx

    target = tmp_path / "out"
    target.mkdir()
    assert main(["export", "tmx", "-o", str(target), "--db", url, "--source", "en"]) == 0
    with (target / "glossary.tmx").open("rb") as handle:
        units = list(read_tmx(handle, "glossary.tmx"))
    assert [[(v.lang, v.text) for v in u.variants] for u in units] == [
        [("en", "The situation is stable in all regions."), ("ru", "Ситуация стабильна во всех регионах.")],
        [("en", "We have defended Almaty together."), ("ru", "Мы вместе отстояли Алматы.")],
    ]


def test_every_tm_command_has_help() -> None:
    from glossary.cli import build_parser

    parser = build_parser()
    tm = next(a for a in parser._subparsers._group_actions if a.choices and "tm" in a.choices).choices["tm"]
    commands = next(a for a in tm._actions if isinstance(a, argparse._SubParsersAction))
    assert set(commands.choices) == {"search", "concordance", "pretranslate", "import", "sync"}
    assert all(choice.help for choice in commands._choices_actions)
    assert all(p.description for p in commands.choices.values())


def test_concordance_finds_a_name_in_every_inflection(seeded_db_url: str, capsys) -> None:
    argv = ["tm", "concordance", "Токаев", "--lang", "ru", "--format", "json", "--db", seeded_db_url]
    assert main(argv) == 0
    hits = json.loads(capsys.readouterr().out)
    surfaces = {hit["text"][start:end] for hit in hits for start, end in hit["spans"]}
    assert {"Токаева", "Токаевым"} <= surfaces
    assert {hit["concept"] for hit in hits} == {"tokayev"}
    assert main(["tm", "concordance", "Токаев", "--lang", "ru", "--literal", "--format", "json",
                 "--db", seeded_db_url]) == 0
    literal = json.loads(capsys.readouterr().out)
    assert {hit["text"][start:end] for hit in literal for start, end in hit["spans"]} == {"Токаев"}


def test_search_shows_names_that_differ_by_default(seeded_db_url: str, capsys) -> None:
    query = ("Force Commander Serdyukov informs the OSCE that there are no problems that would need "
             "to be addressed at the heads of state level.")
    assert main(["tm", "search", query, "--target", "ru", "--db", seeded_db_url]) == 0
    assert "names differ: osce → csto" in capsys.readouterr().out
    assert main(["tm", "search", query, "--target", "ru", "--no-names", "--db", seeded_db_url]) == 0
    assert "names differ" not in capsys.readouterr().out
