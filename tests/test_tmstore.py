"""The stored index: kept with the database, loaded (not rebuilt) by new processes, and kept current."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, text, update
from sqlmodel import Session

from glossary.memory.lifecycle import MANIFEST, IndexCache, index_root, pair_index
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


def _targets(session: Session, text: str, cache: IndexCache | None = None) -> list[str]:
    found = search(session=session, text=text, source_lang="en", target_lang="ru", indexes=cache)
    return [m.target for m in found]


def _folder(session: Session) -> Path:
    return index_root(session.get_bind()) / "en__ru__source"  # type: ignore[arg-type]


def test_sqlite_index_lives_next_to_the_database_file(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'mem.db'}")
    assert index_root(engine) == (tmp_path / "mem.db.tmindex").resolve()


def test_a_second_open_loads_the_index_without_building(session: Session) -> None:
    first = IndexCache()
    assert _targets(session, SENTENCES[0], first) == [f"ru:{SENTENCES[0]}"]
    assert first.builds == 1
    manifest = _folder(session) / MANIFEST
    stamp = manifest.stat().st_mtime_ns
    second = IndexCache()
    assert _targets(session, SENTENCES[1], second) == [f"ru:{SENTENCES[1]}"]
    assert _targets(session, SENTENCES[2], first) == [f"ru:{SENTENCES[2]}"]
    assert (first.builds, second.builds) == (1, 0)
    assert manifest.stat().st_mtime_ns == stamp


def test_a_new_process_loads_the_stored_index(session: Session, db_url: str) -> None:
    search(session=session, text=SENTENCES[0], source_lang="en", target_lang="ru")
    code = (
        "import sys\n"
        "from sqlmodel import Session\n"
        "from glossary.memory.lifecycle import IndexCache\n"
        "from glossary.store.engine import make_engine\n"
        "from glossary.memory.units import search\n"
        "cache = IndexCache()\n"
        "with Session(make_engine(sys.argv[1])) as s:\n"
        "    found = search(session=s, text=sys.argv[2], source_lang='en', target_lang='ru', indexes=cache)\n"
        "print(cache.builds, found[0].target)\n"
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
    cache = IndexCache()
    search(session=session, text=SENTENCES[0], source_lang="en", target_lang="ru", indexes=cache)
    session.execute(delete(TMUnit).where(TMUnit.source != SENTENCES[3]))  # type: ignore[arg-type]
    session.commit()  # no call to remember: the database's triggers log the removal
    assert _targets(session, SENTENCES[0], cache) == []
    assert cache.builds == 2  # three of four units gone: rebuilt, not masked
    assert pair_index(session=session, source_lang="en", target_lang="ru", cache=cache).rows == 1
    assert json.loads((_folder(session) / MANIFEST).read_text())["rows"] == 1


def test_a_removed_unit_is_masked_until_a_fifth_is_gone(session: Session) -> None:
    add_units(session=session, units=[NewUnit("en", "ru", f"Filler sentence number {i} about nothing.",
                                              f"f{i}", "t") for i in range(20)])
    session.commit()
    cache = IndexCache()
    assert _targets(session, SENTENCES[1], cache) == [f"ru:{SENTENCES[1]}"]
    session.execute(delete(TMUnit).where(TMUnit.source == SENTENCES[1]))  # type: ignore[arg-type]
    session.commit()
    assert _targets(session, SENTENCES[1], cache) == []
    manifest = json.loads((_folder(session) / MANIFEST).read_text())
    assert cache.builds == 1  # nothing new to index: the old row is only marked dead
    assert [s["dead_rows"] for s in manifest["segments"]] == [1]
    assert manifest["rows"] == 23


def test_an_edit_below_the_highest_id_is_seen(session: Session) -> None:
    add_units(session=session, units=[NewUnit("en", "ru", f"Filler sentence number {i} about nothing.",
                                              f"f{i}", "t") for i in range(10)])
    session.commit()
    cache = IndexCache()
    assert _targets(session, SENTENCES[0], cache) == [f"ru:{SENTENCES[0]}"]
    edited = "Peacekeepers will leave the country within ten days."
    session.execute(update(TMUnit).where(TMUnit.source == SENTENCES[0]).values(source=edited))  # type: ignore[arg-type]
    session.commit()
    assert _targets(session, edited, cache) == [f"ru:{SENTENCES[0]}"]
    assert _targets(session, SENTENCES[0], cache) == []
    manifest = json.loads((_folder(session) / MANIFEST).read_text())
    assert [(s["rows"], s["dead_rows"]) for s in manifest["segments"]] == [(14, 1), (1, 0)]
    assert _targets(session, edited, IndexCache()) == [f"ru:{SENTENCES[0]}"]  # a new process sees it too


def test_a_unit_committed_below_the_highest_id_is_found(session: Session) -> None:
    """A unit that arrives with an id below the last one indexed (the out-of-order commit that the
    writers' lock prevents, or a unit written with its own id) is noticed by the unit count."""
    cache = IndexCache()
    first_id = session.execute(text("SELECT min(id) FROM tmunit")).scalar_one()
    session.execute(delete(TMUnit).where(TMUnit.id == first_id))  # type: ignore[arg-type]
    session.commit()
    assert _targets(session, SENTENCES[1], cache) == [f"ru:{SENTENCES[1]}"]
    late = "A unit that was committed late keeps its small id."
    session.execute(text(
        "INSERT INTO tmunit (id, source_lang, target_lang, source, target, origin, created) "
        "VALUES (:i, 'en', 'ru', :s, 'late', 't', CURRENT_TIMESTAMP)"
    ), {"i": first_id, "s": late})
    session.commit()
    assert _targets(session, late, cache) == ["late"]


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
    cache = IndexCache()
    assert _targets(session, SENTENCES[2], cache) == [f"ru:{SENTENCES[2]}"]
    assert cache.builds == 1


def test_pairs_whose_tags_look_alike_never_share_an_index(session: Session) -> None:
    add_units(session=session, units=[
        NewUnit("en-US", "ru", "The situation is calm.", "us", "t"),
        NewUnit("en_US", "ru", "The situation is calm.", "underscore", "t"),
    ])
    session.commit()
    cache = IndexCache()
    for source_lang in ("en-US", "en_US"):
        # The tags name one language and region, so each lookup reads both pairs' indexes...
        found = search(session=session, text="The situation is calm.", source_lang=source_lang,
                       target_lang="ru", indexes=cache)
        assert sorted(m.target for m in found) == ["underscore", "us"]
    # ...but each pair keeps its own folder, built once.
    folders = {p.name for p in index_root(session.get_bind()).iterdir()}  # type: ignore[arg-type]
    assert len([f for f in folders if f.lower().startswith(("en-us__ru__source", "en_us__ru__source"))]) == 2
    assert cache.builds == 3  # and the plain "en" pair of the fixture, which en-US lookups read too
