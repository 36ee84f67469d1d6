"""A long term-base import shares an SQLite database: another writer's edits wait for the final
swap only, and the import stays all or nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from sqlmodel import Session, func, select

from glossary.model.tables import Concept, Term
from glossary.store.engine import init_database, make_engine
from tests.import_helpers import people_csv

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = [sys.executable, "-m", "glossary"]
TIMEOUT = 900  # only a guard against a hang


def _count(url: str, query) -> int:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return session.exec(query).one()
    finally:
        engine.dispose()


def test_another_writer_is_not_locked_out_by_a_long_import(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'g.db'}"
    engine = make_engine(url)
    init_database(engine)
    engine.dispose()
    path = people_csv(tmp_path / "people.csv", 6000)
    stop, started = tmp_path / "stop", tmp_path / "started"
    writer = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "share_writer.py"), url, "--stop", str(stop),
         "--started", str(started), "--every", "0.1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + TIMEOUT
        while not started.exists() and writer.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        began = time.monotonic()
        imported = subprocess.run([*GLOSSARY, "--db", url, "terms", "import", str(path)],
                                  capture_output=True, text=True, timeout=TIMEOUT,
                                  env={**os.environ, "COLUMNS": "200"})
        import_seconds = time.monotonic() - began
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=TIMEOUT)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith("created 6000")
    assert writer.returncode == 0, err.decode()[-2000:]
    seen = json.loads(out)
    assert seen["failed"] == 0, seen["errors"]
    # The writer kept working during the import, and waited for the swap only: a small part of it.
    assert seen["edits"] >= 5, seen
    assert seen["max_wait"] < import_seconds / 3, (seen, import_seconds)
    assert _count(url, select(func.count()).select_from(Concept).where(Concept.id.like("p%"))) == 6000
    written = select(func.count()).select_from(Term).where(Term.concept_id == "writer",
                                                           Term.origin != "generated")
    assert _count(url, written) == seen["edits"]


def test_a_concept_created_by_someone_else_before_the_swap_is_a_conflict_and_nothing_is_kept(
    tmp_path: Path, monkeypatch, capsys
):
    from glossary.cli import main
    from glossary.model.records import TermRecord
    from glossary.store import staging
    from glossary.store.termbase import add_term
    from glossary.workspace import Workspace

    url = f"sqlite:///{tmp_path / 'g.db'}"
    engine = make_engine(url)
    init_database(engine)
    engine.dispose()
    path = people_csv(tmp_path / "people.csv", 50)
    read = staging.lookups_of

    def read_then_someone_creates(session, records):
        found = read(session, records)
        with Workspace(url) as other, other.session() as edit:
            add_term(session=edit, concept="p0000007", term=TermRecord("en", "Someone else's"))
            edit.commit()
        return found

    monkeypatch.setattr(staging, "lookups_of", read_then_someone_creates)
    assert main(["terms", "import", str(path), "--db", url]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "concept 'p0000007' was created by someone else during the import" in err
    monkeypatch.undo()
    # All or nothing: only the other writer's concept is there.
    assert _count(url, select(func.count()).select_from(Concept)) == 1


def test_an_import_removes_the_staging_folders_that_killed_imports_left(tmp_path: Path, monkeypatch):
    """A SIGKILLed import cannot remove its staging folder (378 MB after a 400,000-concept TBX was
    stopped): the next import removes the folders whose process is gone, and no other."""
    import tempfile

    from glossary.cli import main
    from glossary.store.staging import STAGING_PREFIX

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    folders = {name: scratch / f"{STAGING_PREFIX}{name}" for name in ("abandoned", "running", "unmarked")}
    for folder in folders.values():
        folder.mkdir()
        (folder / "stage.db").write_bytes(b"staged rows")
    (folders["abandoned"] / "owner.pid").write_text(str(finished.pid))
    (folders["running"] / "owner.pid").write_text(str(os.getpid()))
    url = f"sqlite:///{tmp_path / 'g.db'}"
    engine = make_engine(url)
    init_database(engine)
    engine.dispose()
    assert main(["terms", "import", str(people_csv(tmp_path / "people.csv", 20)), "--db", url]) == 0
    assert not folders["abandoned"].exists()
    assert folders["running"].exists() and folders["unmarked"].exists()
    # The import's own folder is gone too: what is left is what was not abandoned.
    assert {path.name for path in scratch.iterdir()} == {folders["running"].name, folders["unmarked"].name}
