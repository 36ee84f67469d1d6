"""Versions the database keeps for the memory: every write bumps its pair, writers are serialised,
so a unit committed while another writer waits is never missed by the index."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import text, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from glossary.memory.lifecycle import IndexCache, pair_version
from glossary.memory.units import NewUnit, add_units, search
from glossary.model.tables import TMUnit
from glossary.store.engine import init_database, make_engine
from glossary.store.versions import pair_counter

BASE = "The situation is stable in all regions of the country."
FIRST = "Session A wrote this sentence about the peacekeeping contingent."
SECOND = "Session B wrote another sentence about the withdrawal of troops."


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    init_database(engine)
    with Session(engine) as session:
        add_units(session=session, units=[NewUnit("en", "ru", BASE, "base", "t")])
        session.commit()
    yield engine
    engine.dispose()


def _found(engine: Engine, cache: IndexCache, sentence: str) -> list[str]:
    with Session(engine) as session:
        return [m.target for m in search(session=session, text=sentence, source_lang="en", target_lang="ru",
                                         indexes=cache)]


def _version(engine: Engine, source_lang: str = "en", target_lang: str = "ru") -> int:
    with Session(engine) as session:
        return pair_version(session=session, source_lang=source_lang, target_lang=target_lang)


def test_a_unit_inserted_first_and_committed_last_is_found(engine: Engine) -> None:
    """Session A inserts; session B inserts and commits; a search runs; A commits. On PostgreSQL ids
    come from a sequence at insert time, so without the writers' lock B's larger id would be indexed
    before A's smaller one exists and A's unit would never be found. The lock makes B wait before
    its first insert, so ids grow in commit order."""
    cache = IndexCache()
    assert _found(engine, cache, BASE) == ["base"]
    session_a = Session(engine)
    add_units(session=session_a, units=[NewUnit("en", "ru", FIRST, "a", "t")])
    session_a.flush()
    done: dict[str, object] = {}

    def writer_b() -> None:
        try:
            with Session(engine) as session_b:
                add_units(session=session_b, units=[NewUnit("en", "ru", SECOND, "b", "t")])
                session_b.commit()
            done["at"] = time.monotonic()
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            done["error"] = exc

    thread = threading.Thread(target=writer_b)
    thread.start()
    time.sleep(0.5)
    assert "at" not in done  # B waits for A: writers are serialised before their first insert
    assert _found(engine, cache, SECOND) == [] and _found(engine, cache, FIRST) == []
    committing_a = time.monotonic()  # before: once A commits, B may finish before A's thread runs again
    session_a.commit()
    session_a.close()
    thread.join(timeout=30)
    assert "error" not in done and float(done["at"]) >= committing_a  # type: ignore[arg-type]
    assert _found(engine, cache, FIRST) == ["a"]
    assert _found(engine, cache, SECOND) == ["b"]
    with Session(engine) as session:
        ids = dict(session.execute(text("SELECT target, id FROM tmunit")).all())
    assert ids["a"] < ids["b"]


def test_two_concurrent_writers_both_bump_the_version(engine: Engine) -> None:
    """Each write adds one to its pair's version in its own transaction: two writers that start from
    the same version leave it two higher (a read-then-write in Python would leave it one higher)."""
    with Session(engine) as session:
        add_units(session=session, units=[NewUnit("en", "ru", f"Unit {i} of the pair.", f"t{i}", "t")
                                          for i in range(2)])
        session.commit()
        rows = session.execute(text("SELECT id FROM tmunit WHERE target LIKE 't%'")).scalars()
        ids = [int(i) for i in rows]
    before = _version(engine)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def edit(unit_id: int) -> None:
        try:
            with Session(engine) as session:
                barrier.wait(timeout=10)
                session.execute(update(TMUnit).where(TMUnit.id == unit_id).values(target="edited"))  # type: ignore[arg-type]
                time.sleep(0.2)
                session.commit()
        except BaseException as exc:  # pragma: no cover - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=edit, args=(unit_id,)) for unit_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert _version(engine) == before + 2


def test_every_kind_of_write_bumps_its_pair_and_keeps_the_count(engine: Engine) -> None:
    with Session(engine) as session:
        add_units(session=session, units=[NewUnit("en", "de", "Eins.", "eins", "t"),
                                          NewUnit("en", "de", "Zwei.", "zwei", "t")])
        session.commit()
        assert _version(engine, "en", "de") == 2
        session.execute(update(TMUnit).where(TMUnit.target == "eins").values(target="ein"))  # type: ignore[arg-type]
        session.execute(update(TMUnit).where(TMUnit.target == "zwei").values(target_lang="fr"))  # type: ignore[arg-type]
        session.commit()
        counts = dict(session.execute(text("SELECT name, value FROM counter")).all())
    assert counts[pair_counter("en", "de")] == 4
    assert counts[pair_counter("en", "fr")] == 1
    units = [counts[pair_counter("en", tgt, units=True)] for tgt in ("de", "fr")]
    assert units == [1, 1]
    assert counts[pair_counter("en", "ru")] == 1  # the other pair did not move


def test_an_uncommitted_write_does_not_move_the_version(engine: Engine) -> None:
    before = _version(engine)
    with Session(engine) as session:
        add_units(session=session, units=[NewUnit("en", "ru", "Never saved.", "x", "t")])
        session.flush()
        session.rollback()
    assert _version(engine) == before
