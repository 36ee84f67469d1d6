"""The final swap of a staged SQLite import: set-based history, triggers as they were, killed or not."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlmodel import Session

from glossary.formats.csv import decoded_lines, stream_csv
from glossary.model.records import TermRecord
from glossary.store import staging
from glossary.store.engine import init_database, make_engine
from glossary.store.merge import merge_concepts
from glossary.store.termbase import add_term
from glossary.workspace import Workspace
from tests.import_helpers import people_csv

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 600  # only a guard against a hang


def _new_db(path: Path) -> str:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    init_database(engine)
    engine.dispose()
    with Workspace(url) as workspace, workspace.session() as session:  # a concept the import updates
        add_term(session=session, concept="p0000003", kind="person", term=TermRecord("de", "Person drei"))
        session.commit()
    return url


def _state(url: str) -> dict[str, object]:
    """Everything a swap may touch: rows, history (without its ids and times), counter, triggers."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            def rows(sql: str) -> list[tuple[object, ...]]:
                return [tuple(row) for row in conn.execute(text(sql))]

            return {
                "concepts": rows("SELECT id, kind, note, external_id, version FROM concept ORDER BY id"),
                "terms": rows("SELECT concept_id, lang, text, scheme, status, origin, position, version "
                              "FROM term ORDER BY concept_id, position"),
                "history": rows("SELECT kind, action, concept_id, segment_id, lang, old, new, changed_by "
                                "FROM history ORDER BY id"),
                "counter": rows("SELECT name, value FROM counter ORDER BY name"),
                "triggers": rows("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"),
            }
    finally:
        engine.dispose()


def _import_staged(url: str, path: Path, batch_size: int = 7) -> None:
    with Workspace(url) as workspace, workspace.session() as session, path.open("rb") as handle:
        records = stream_csv(decoded_lines(handle, str(path)), str(path))
        staging.merge_concepts_staged(session=session, concepts=records, batch_size=batch_size)


def test_a_staged_import_writes_the_history_and_counter_the_triggers_write(tmp_path: Path):
    path = people_csv(tmp_path / "people.csv", 25)
    staged, direct = _new_db(tmp_path / "staged.db"), _new_db(tmp_path / "direct.db")
    before = _state(staged)
    _import_staged(staged, path)
    with Workspace(direct) as workspace, workspace.session() as session, path.open("rb") as handle:
        merge_concepts(session=session, concepts=stream_csv(decoded_lines(handle, str(path)), str(path)),
                       batch_size=7)
        session.commit()
    after, expected = _state(staged), _state(direct)
    # The same rows (a row per concept created, 24, and form added, 75); the direct path writes
    # them batch by batch, the swap all concepts first, then all forms, each in the file's order.
    assert sorted(after["history"], key=repr) == sorted(expected["history"], key=repr)  # type: ignore[arg-type]
    added = after["history"][len(before["history"]):]  # type: ignore[index]
    assert [row[0] for row in added] == ["concept"] * 24 + ["term"] * 75
    assert [row[2] for row in added[24:]] == sorted(row[2] for row in added[24:])
    assert len(after["history"]) == len(before["history"]) + 24 + 75  # type: ignore[arg-type]
    assert after["concepts"] == expected["concepts"] and after["terms"] == expected["terms"]
    assert after["triggers"] == before["triggers"]  # suspended for the swap only, back unchanged
    assert dict(after["counter"])["termbase"] > dict(before["counter"])["termbase"]  # type: ignore[call-overload]
    with Workspace(staged) as workspace, workspace.session() as session:  # the triggers work again
        add_term(session=session, concept="p0000001", term=TermRecord("de", "Person eins"))
        session.commit()
    assert len(_state(staged)["history"]) == len(after["history"]) + 1  # type: ignore[arg-type]


def test_a_swap_that_fails_after_suspending_the_triggers_leaves_everything_as_it_was(
    tmp_path: Path, monkeypatch
):
    url = _new_db(tmp_path / "g.db")
    before = _state(url)

    def fail(conn, suspended):
        assert suspended  # the inserts ran without their triggers
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(staging, "_resume_insert_triggers", fail)
    with pytest.raises(RuntimeError, match="disk on fire"):
        _import_staged(url, people_csv(tmp_path / "people.csv", 20))
    assert _state(url) == before


def test_the_staged_lookups_search_indexes_and_never_scan_the_staged_forms(tmp_path: Path):
    """A scan of the staged forms for each chunk of a batch made a large import quadratic."""
    url = _new_db(tmp_path / "g.db")
    path = people_csv(tmp_path / "people.csv", 30)
    plans: dict[str, list[str]] = {}
    with Workspace(url) as workspace:
        @event.listens_for(workspace.engine, "after_cursor_execute")
        def explain(conn, cursor, statement, parameters, context, executemany):
            if statement.startswith("SELECT") and "FROM stage.term WHERE" in statement:  # per batch
                rows = cursor.connection.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
                plans[statement] = [row[-1] for row in rows]

        with workspace.session() as session, path.open("rb") as handle:
            records = stream_csv(decoded_lines(handle, str(path)), str(path))
            staging.merge_concepts_staged(session=session, concepts=records, batch_size=10)
    lookups = [plan for statement, plan in plans.items() if "status = 'preferred'" in statement]
    assert lookups, plans
    for statement, plan in plans.items():
        assert not any(step.startswith("SCAN") for step in plan), (statement, plan)


_STALLED_SWAP = """
import sys, time
from pathlib import Path
from glossary.store import staging

def stall(conn, suspended):
    Path(sys.argv[3]).touch()  # the inserts are written, the triggers dropped, nothing committed
    time.sleep(600)

staging._resume_insert_triggers = stall
from glossary.cli import main
sys.exit(main(["--db", sys.argv[1], "terms", "import", sys.argv[2]]))
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_an_import_killed_inside_the_swap_leaves_the_database_and_its_triggers_as_they_were(tmp_path: Path):
    url = _new_db(tmp_path / "g.db")
    path = people_csv(tmp_path / "people.csv", 200)
    before = _state(url)
    marker = tmp_path / "in-swap"
    process = subprocess.Popen([sys.executable, "-c", _STALLED_SWAP, url, str(path), str(marker)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    try:
        deadline = time.monotonic() + TIMEOUT
        while not marker.exists() and process.poll() is None:
            assert time.monotonic() < deadline, "the import never reached its swap"
            time.sleep(0.05)
        assert process.poll() is None, process.communicate()
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=TIMEOUT)
    assert _state(url) == before
    done = subprocess.run([sys.executable, "-m", "glossary", "--db", url, "terms", "import", str(path)],
                          capture_output=True, text=True, timeout=TIMEOUT, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    after = _state(url)
    assert len(after["concepts"]) == len(before["concepts"]) + 199  # type: ignore[arg-type]
    assert after["triggers"] == before["triggers"]


def test_the_history_of_a_swap_names_the_importing_user(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("GLOSSARY_USER", "importer")
    url = _new_db(tmp_path / "g.db")
    _import_staged(url, people_csv(tmp_path / "people.csv", 3))
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            sql = "SELECT DISTINCT changed_by FROM history WHERE concept_id = 'p0000001'"
            users = session.execute(text(sql))
            assert [row[0] for row in users] == ["importer"]
    finally:
        engine.dispose()
