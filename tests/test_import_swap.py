"""The final swap of a staged SQLite import: set-based history, triggers as they were, killed or not."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlmodel import Session

from glossary.formats.csv import decoded_lines, stream_csv
from glossary.model.errors import ConflictError, GlossaryError
from glossary.model.records import TermRecord
from glossary.store import pending, staging
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
                "marked": rows("SELECT COUNT(*) FROM concept WHERE pending IS NOT NULL"),
                "imports": rows("SELECT token FROM pendingimport"),
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
    # them batch by batch, the staged import the new concepts first, then their forms, each in the
    # file's order, and the forms it adds to the stored concept (p0000003) in its final flip.
    assert sorted(after["history"], key=repr) == sorted(expected["history"], key=repr)  # type: ignore[arg-type]
    added = after["history"][len(before["history"]):]  # type: ignore[index]
    assert [row[0] for row in added] == ["concept"] * 24 + ["term"] * 75
    owners = [row[2] for row in added[24:]]
    stored = owners.count("p0000003")
    assert stored == 3 and owners[-stored:] == ["p0000003"] * stored
    assert owners[:-stored] == sorted(owners[:-stored])
    assert len(after["history"]) == len(before["history"]) + 24 + 75  # type: ignore[arg-type]
    assert after["concepts"] == expected["concepts"] and after["terms"] == expected["terms"]
    assert after["triggers"] == before["triggers"]  # suspended for the swap only, back unchanged
    assert dict(after["counter"])["termbase"] > dict(before["counter"])["termbase"]  # type: ignore[call-overload]
    with Workspace(staged) as workspace, workspace.session() as session:  # the triggers work again
        add_term(session=session, concept="p0000001", term=TermRecord("de", "Person eins"))
        session.commit()
    assert len(_state(staged)["history"]) == len(after["history"]) + 1  # type: ignore[arg-type]


@pytest.mark.parametrize("failing", [1, 3, 5], ids=["first chunk", "later chunk", "flip"])
def test_an_import_that_fails_in_any_phase_leaves_everything_as_it_was(
    tmp_path: Path, monkeypatch, failing: int
):
    """19 new concepts in chunks of 5 (four chunks, then the flip): a failure after the triggers
    were suspended in one of them rolls that transaction back and removes the committed chunks."""
    url = _new_db(tmp_path / "g.db")
    before = _state(url)
    resume = staging.resume_triggers
    calls: list[dict[str, str]] = []

    def fail(conn, suspended):
        calls.append(suspended)
        if len(calls) == failing:
            assert suspended  # the rows were written without their triggers
            raise RuntimeError("disk on fire")
        resume(conn, suspended)

    monkeypatch.setattr(staging, "CHUNK", 5)
    monkeypatch.setattr(pending, "_REMOVED", 4)  # the removal takes several transactions too
    monkeypatch.setattr(staging, "resume_triggers", fail)
    with pytest.raises(RuntimeError, match="disk on fire"):
        _import_staged(url, people_csv(tmp_path / "people.csv", 20))
    assert _state(url) == before
    monkeypatch.undo()
    _import_staged(url, people_csv(tmp_path / "people.csv", 20))  # nothing in the way
    assert len(_state(url)["concepts"]) == len(before["concepts"]) + 19  # type: ignore[arg-type]


def test_a_reimport_changes_nothing(tmp_path: Path):
    url = _new_db(tmp_path / "g.db")
    path = people_csv(tmp_path / "people.csv", 30)
    _import_staged(url, path)
    once = _state(url)
    _import_staged(url, path)
    assert _state(url) == once  # no row, no history row, not even the term-base version


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


def test_each_chunk_reads_its_concepts_forms_through_indexes(tmp_path: Path, monkeypatch):
    """A chunk that scanned the staged forms would make publishing quadratic in the import's size."""
    url = _new_db(tmp_path / "g.db")
    path = people_csv(tmp_path / "people.csv", 30)
    monkeypatch.setattr(staging, "CHUNK", 10)
    plans: dict[str, list[str]] = {}
    with Workspace(url) as workspace:
        @event.listens_for(workspace.engine, "after_cursor_execute")
        def explain(conn, cursor, statement, parameters, context, executemany):
            if "rowid <= ?" in statement:  # a chunk's statements
                rows = cursor.connection.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
                plans[statement] = [row[-1] for row in rows]

        with workspace.session() as session, path.open("rb") as handle:
            records = stream_csv(decoded_lines(handle, str(path)), str(path))
            staging.merge_concepts_staged(session=session, concepts=records, batch_size=10)
    assert len(plans) == 6, plans  # a check, the concepts, entered and generated forms, their history
    for statement, plan in plans.items():
        assert not any(step.startswith("SCAN") for step in plan), (statement, plan)
        assert not any("term_id" in step for step in plan), (statement, plan)  # every new form has no id
        if "FROM stage.term" in statement:
            assert any("USING INDEX term_concept" in step for step in plan), (statement, plan)


def test_the_flip_reads_only_what_the_import_touched(tmp_path: Path, monkeypatch):
    """The flip holds the write lock: a statement that scanned the term base or the staged forms
    would make it grow with the term base or the import."""
    url = _new_db(tmp_path / "g.db")
    path = people_csv(tmp_path / "people.csv", 30)
    flipping: list[bool] = []
    flip = staging._flip

    def flip_watched(conn, token, created):
        flipping.append(True)
        try:
            flip(conn, token, created)
        finally:
            flipping.clear()

    monkeypatch.setattr(staging, "_flip", flip_watched)
    plans: dict[str, list[str]] = {}
    with Workspace(url) as workspace:
        @event.listens_for(workspace.engine, "after_cursor_execute")
        def explain(conn, cursor, statement, parameters, context, executemany):
            if flipping and statement.split()[0] in ("SELECT", "INSERT", "UPDATE", "DELETE"):
                rows = cursor.connection.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
                plans[statement] = [row[-1] for row in rows]

        with workspace.session() as session, path.open("rb") as handle:
            records = stream_csv(decoded_lines(handle, str(path)), str(path))
            staging.merge_concepts_staged(session=session, concepts=records, batch_size=10)
    assert len(plans) >= 12, plans
    for statement, plan in plans.items():
        scans = [step for step in plan if step.startswith("SCAN") and "sqlite_master" not in step]
        assert not scans, (statement, plan)


_STALLED = """
import sys, time
from pathlib import Path
from glossary.store import pending, staging

staging.CHUNK = 20
phase, calls = sys.argv[4], []
resume, commit = staging.resume_triggers, staging.commit

def stall():
    Path(sys.argv[3]).touch()
    time.sleep(600)

def resume_or_stall(conn, suspended):
    calls.append("resume")
    if (phase == "inside a chunk" and len(calls) == 3) or (phase == "inside the flip" and len(calls) == 11):
        stall()  # rows written, triggers dropped, nothing of this transaction committed
    resume(conn, suspended)

def commit_then_stall(conn):
    commit(conn)
    if phase == "between chunks" and calls.count("resume") == 5:
        stall()  # five chunks committed, hidden
    if phase == "after the flip" and calls.count("resume") == 11:
        stall()  # visible, their markers not cleared yet

staging.resume_triggers = resume_or_stall
staging.commit = pending.commit = commit_then_stall  # the flip's commit, and each chunk's
from glossary.cli import main
sys.exit(main(["--db", sys.argv[1], "terms", "import", sys.argv[2]]))
"""


def _visible(url: str) -> dict[str, object]:
    """What readers see: the concepts and their forms, a new concept's history, the version, the
    recognizer's spans, and what `terms export` writes."""
    from glossary.store.history import concept_history
    from glossary.store.termbase import load_concepts
    from glossary.store.termedits import find_concepts, term_versions
    from glossary.store.versions import termbase_version

    with Workspace(url, bootstrap=False) as workspace, workspace.session() as session:
        try:
            history = [entry.action for entry in concept_history(session=session, concept_id="p0000050")]
        except GlossaryError as exc:
            history = [str(exc)]
        seen = {
            "concepts": [(c.id, [(t.lang, t.text, t.origin) for t in c.terms])
                         for c in load_concepts(session=session)],
            "found": [c.id for c in find_concepts(session=session, query="p00000")],
            "versions": term_versions(session=session, concept_id="p0000050"),
            "history": history,
            "version": termbase_version(session=session),
        }
        names, _spans = workspace.finders()  # the recognizer compiled now
        seen["names"] = names("Person 50 met Person 3.", "en")
    command = [sys.executable, "-m", "glossary", "--db", url, "terms", "export", "--output-format", "csv"]
    export = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, cwd=ROOT)
    seen["export"] = (export.returncode, export.stdout)
    return seen


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
@pytest.mark.parametrize("phase", ["inside a chunk", "between chunks", "inside the flip"])
def test_an_import_killed_in_any_phase_is_invisible_and_its_rows_are_removed_at_the_next_open(
    tmp_path: Path, phase: str
):
    url = _new_db(tmp_path / "g.db")
    path = people_csv(tmp_path / "people.csv", 200)
    before, seen_before = _state(url), _visible(url)
    with _stalled(url, path, tmp_path / "stalled", phase) as process:
        if phase == "between chunks":  # 100 concepts written and hidden; readers see none of them
            assert _visible(url) == seen_before
            refused = pytest.raises(ConflictError, match="being created by an import in progress")
            with Workspace(url) as workspace, workspace.session() as session, refused:  # importer alive
                add_term(session=session, concept="p0000050", term=TermRecord("de", "Person fünfzig"))
            other = people_csv(tmp_path / "other.csv", 3, start=49)  # another import of the same people
            command = [sys.executable, "-m", "glossary", "--db", url, "terms", "import", str(other)]
            second = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, cwd=ROOT)
            assert second.returncode == 2 and "being created by another import in progress" in second.stderr
            assert _visible(url) == seen_before  # nothing of either import
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=TIMEOUT)
    assert _visible(url) == seen_before
    with Workspace(url):  # the next open removes what the dead importer left
        pass
    assert _state(url) == before
    done = subprocess.run([sys.executable, "-m", "glossary", "--db", url, "terms", "import", str(path)],
                          capture_output=True, text=True, timeout=TIMEOUT, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    after = _state(url)
    assert len(after["concepts"]) == len(before["concepts"]) + 199  # type: ignore[arg-type]
    assert after["triggers"] == before["triggers"]
    assert after["marked"] == [(0,)] and after["imports"] == []
    assert _visible(url) != seen_before


@contextmanager
def _stalled(url: str, path: Path, marker: Path, phase: str) -> Iterator[subprocess.Popen[bytes]]:
    """An import in its own process, stalled at ``phase`` (killed on the way out if still alive)."""
    process = subprocess.Popen([sys.executable, "-c", _STALLED, url, str(path), str(marker), phase],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    try:
        deadline = time.monotonic() + TIMEOUT
        while not marker.exists() and process.poll() is None:
            assert time.monotonic() < deadline, "the import never reached the phase"
            time.sleep(0.05)
        assert process.poll() is None, process.communicate()
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=TIMEOUT)


def _run_stalled(url: str, path: Path, marker: Path, phase: str) -> None:
    """Run an import that stalls at ``phase``, and SIGKILL it there."""
    with _stalled(url, path, marker, phase) as process:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=TIMEOUT)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_an_import_killed_after_its_flip_is_complete_and_the_next_import_clears_its_markers(tmp_path: Path):
    url, done = _new_db(tmp_path / "g.db"), _new_db(tmp_path / "done.db")
    path = people_csv(tmp_path / "people.csv", 200)
    _run_stalled(url, path, tmp_path / "stalled", "after the flip")
    _import_staged(done, path)  # the same import, not killed
    killed, finished = _state(url), _state(done)
    assert killed["marked"] == [(199,)] and killed["imports"] == []
    seen, expected = _visible(url), _visible(done)
    assert str(seen.pop("version")).split(":")[1] == str(expected.pop("version")).split(":")[1]
    assert seen == expected  # complete, as readers see it (the database ids differ)
    with Workspace(url) as workspace, workspace.session() as session:  # and open to every writer
        add_term(session=session, concept="p0000050", term=TermRecord("de", "Person fünfzig"))
        session.commit()
    _import_staged(url, people_csv(tmp_path / "more.csv", 3, start=200))  # clears the markers
    assert _state(url)["marked"] == [(0,)]
    assert {k: v for k, v in killed.items() if k not in ("marked", "history")} == {
        k: v for k, v in finished.items() if k not in ("marked", "history")}


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
