"""The stored index: kept with the database, loaded (not rebuilt) by new processes, and kept current."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete
from sqlmodel import Session

from glossary.memory import wordindex as tmindex
from glossary.memory.lifecycle import MANIFEST, bump_generation, index_root, pair_index
from glossary.memory.units import NewUnit, add_units, search
from glossary.model.tables import TMUnit
from glossary.store.engine import init_database, make_engine

SENTENCES = [
    "The attempts of a state coup have failed.",
    "The unity of our society has been systematically undermined.",
    "A gradual pullout of the contingent will begin in two days.",
    "The situation is stable in all regions.",
]


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    engine = make_engine(db_url)
    init_database(engine)
    with Session(engine) as session:
        add_units(session=session, units=[NewUnit("en", "ru", s, f"ru:{s}", "t") for s in SENTENCES])
        session.commit()
        yield session


def _targets(session: Session, text: str) -> list[str]:
    return [m.target for m in search(session=session, text=text, source_lang="en", target_lang="ru")]


def _folder(session: Session) -> Path:
    return index_root(session.get_bind()) / "en__ru__source"  # type: ignore[arg-type]


def test_sqlite_index_lives_next_to_the_database_file(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'mem.db'}")
    assert index_root(engine) == (tmp_path / "mem.db.tmindex").resolve()


def test_a_second_open_loads_the_index_without_building(session: Session) -> None:
    builds = tmindex.BUILD_COUNT
    assert _targets(session, SENTENCES[0]) == [f"ru:{SENTENCES[0]}"]
    assert builds + 1 == tmindex.BUILD_COUNT
    manifest = _folder(session) / MANIFEST
    stamp = manifest.stat().st_mtime_ns
    assert _targets(session, SENTENCES[1]) == [f"ru:{SENTENCES[1]}"]
    assert builds + 1 == tmindex.BUILD_COUNT
    assert manifest.stat().st_mtime_ns == stamp


def test_a_new_process_loads_the_stored_index(session: Session, db_url: str) -> None:
    search(session=session, text=SENTENCES[0], source_lang="en", target_lang="ru")
    code = (
        "import sys\n"
        "from sqlmodel import Session\n"
        "from glossary.memory import wordindex as tmindex\n"
        "from glossary.store.engine import make_engine\n"
        "from glossary.memory.units import search\n"
        "with Session(make_engine(sys.argv[1])) as s:\n"
        "    found = search(session=s, text=sys.argv[2], source_lang='en', target_lang='ru')\n"
        "print(tmindex.BUILD_COUNT, found[0].target)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, db_url, SENTENCES[2]], capture_output=True, text=True,
                         check=True)
    assert out.stdout.split(" ", 1) == ["0", f"ru:{SENTENCES[2]}\n"]


def test_new_units_are_appended_as_a_segment(session: Session) -> None:
    search(session=session, text=SENTENCES[0], source_lang="en", target_lang="ru")
    first = json.loads((_folder(session) / MANIFEST).read_text())["segments"]
    add_units(session=session, units=[NewUnit("en", "ru", "Almaty was defended by all of us.", "new", "t")])
    session.commit()
    assert _targets(session, "Almaty was defended by all of us.") == ["new"]
    segments = json.loads((_folder(session) / MANIFEST).read_text())["segments"]
    assert segments[0] == first[0]
    assert [s["rows"] for s in segments] == [4, 1]


def test_uncommitted_units_are_not_indexed(session: Session) -> None:
    add_units(session=session, units=[NewUnit("en", "ru", "Pending text that nobody saved yet.", "p", "t")])
    assert _targets(session, "Pending text that nobody saved yet.") == []
    session.rollback()
    add_units(session=session, units=[NewUnit("en", "ru", "Another sentence entirely different.", "q", "t")])
    session.commit()
    assert _targets(session, "Another sentence entirely different.") == ["q"]
    assert _targets(session, "Pending text that nobody saved yet.") == []


def test_removed_units_are_never_returned_and_trigger_a_rebuild(session: Session) -> None:
    search(session=session, text=SENTENCES[0], source_lang="en", target_lang="ru")
    session.execute(delete(TMUnit).where(TMUnit.source != SENTENCES[3]))  # type: ignore[arg-type]
    bump_generation(session=session)
    session.commit()
    builds = tmindex.BUILD_COUNT
    assert _targets(session, SENTENCES[0]) == []
    assert builds + 1 == tmindex.BUILD_COUNT
    assert pair_index(session=session, source_lang="en", target_lang="ru").rows == 1


def test_an_index_left_by_another_database_is_noticed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'mem.db'}"
    engine = None
    for texts in (SENTENCES[:2], ["Completely other sentence about Astana now.", "Second one."]):
        if engine is not None:
            engine.dispose()
            (tmp_path / "mem.db").unlink()
        engine = make_engine(url)
        init_database(engine)
        with Session(engine) as session:
            add_units(session=session, units=[NewUnit("en", "ru", t, f"ru:{t}", "t") for t in texts])
            session.commit()
            assert _targets(session, texts[0]) == [f"ru:{texts[0]}"]


def test_a_broken_side_file_is_rebuilt_from_the_database(session: Session) -> None:
    search(session=session, text=SENTENCES[0], source_lang="en", target_lang="ru")
    shutil.rmtree(_folder(session))
    assert _targets(session, SENTENCES[1]) == [f"ru:{SENTENCES[1]}"]


@pytest.mark.parametrize("damage", ["truncated manifest", "missing segment"])
def test_a_damaged_index_is_rebuilt_not_fatal(session: Session, damage: str) -> None:
    assert _targets(session, SENTENCES[0]) == [f"ru:{SENTENCES[0]}"]
    folder = _folder(session)
    manifest = folder / MANIFEST
    if damage == "truncated manifest":
        manifest.write_text(manifest.read_text(encoding="utf-8")[:20], encoding="utf-8")
    else:
        for segment in json.loads(manifest.read_text(encoding="utf-8"))["segments"]:
            shutil.rmtree(folder / segment["name"])
    builds = tmindex.BUILD_COUNT
    assert _targets(session, SENTENCES[2]) == [f"ru:{SENTENCES[2]}"]
    assert builds + 1 == tmindex.BUILD_COUNT


def test_pairs_whose_tags_look_alike_never_share_an_index(session: Session) -> None:
    add_units(session=session, units=[
        NewUnit("en-US", "ru", "The situation is calm.", "us", "t"),
        NewUnit("en_US", "ru", "The situation is calm.", "underscore", "t"),
    ])
    session.commit()
    for source_lang, expected in (("en-US", "us"), ("en_US", "underscore")):
        text = "The situation is calm."
        found = search(session=session, text=text, source_lang=source_lang, target_lang="ru")
        assert [m.target for m in found] == [expected]
