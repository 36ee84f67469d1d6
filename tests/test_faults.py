"""Faults from outside: an import killed with SIGKILL half-way, a PostgreSQL server restarted under
a connected workspace. Real processes and a real server; the database must be as before or whole."""

from __future__ import annotations

import csv
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from glossary.store.engine import make_engine
from glossary.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
CYRILLIC = "абвгдежзиклмнопрстуфхцшэюя"


def _big_csv(path: Path, concepts: int) -> None:
    """New people with Russian surnames (so every one is romanized under every scheme: slow enough)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["concept", "kind", "lang", "text", "status"])
        for n in range(concepts):
            letters = "".join(CYRILLIC[(n // 26**k) % 26] for k in range(4))
            surname = "Ка" + letters + "ов"
            out.writerow([f"fault_person_{n}", "person", "ru", f"Иван {surname}", "preferred"])
            out.writerow([f"fault_person_{n}", "person", "en", f"Ivan Ka{n}ov", "preferred"])


def _fingerprint(url: str) -> tuple[int, int, str]:
    """Concepts, terms and a digest of every (concept, lang, text, status) row."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT concept_id, lang, text, status FROM term "
                                     "ORDER BY concept_id, lang, text, status")).all()
            concepts = conn.execute(text("SELECT count(*) FROM concept")).scalar_one()
    finally:
        engine.dispose()
    digest = hashlib.sha256("\n".join("\t".join(map(str, row)) for row in rows).encode()).hexdigest()
    return concepts, len(rows), digest


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _import(url: str, path: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "glossary", "--db", url, "terms", "import", str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to read a process's CPU time")
def test_an_import_killed_half_way_leaves_the_database_as_it_was(seeded_db_url: str, tmp_path: Path):
    # Enough that the import is still staging when it has used 1.5 s of CPU: at 3,000 concepts the
    # staged import could reach its swap's commit by then, and the kill came too late.
    concepts = 12000
    path = tmp_path / "people.csv"
    _big_csv(path, concepts)
    before = _fingerprint(seeded_db_url)
    process = _import(seeded_db_url, path)
    try:
        deadline = time.monotonic() + 600
        # Half-way: the import has worked for a while (start-up takes well under a second of CPU).
        while process.poll() is None and _cpu_seconds(process.pid) < 1.5:
            assert time.monotonic() < deadline, "the import did not get going"
            time.sleep(0.05)
        assert process.poll() is None, f"the import ended before it could be killed: {process.communicate()}"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    after = _fingerprint(seeded_db_url)
    assert after == before  # not one row of the half-done import
    again = _import(seeded_db_url, path)
    _, err = again.communicate(timeout=900)
    assert again.returncode == 0, err
    concepts_after, terms_after, _ = _fingerprint(seeded_db_url)
    assert concepts_after == before[0] + concepts
    assert terms_after > before[1] + 2 * concepts  # the entered forms and their romanizations


@pytest.mark.parametrize("seeded_db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)],
                         indirect=True)
def test_a_server_restart_under_a_connected_workspace(seeded_db_url: str, pg_server):
    url = seeded_db_url
    workspace = Workspace(url)
    try:
        with workspace.session() as session:
            assert session.execute(text("SELECT count(*) FROM concept")).scalar_one() > 100
        pg_server.restart()  # every connection the workspace's pool holds is gone now
        with workspace.session() as session:
            assert session.execute(text("SELECT count(*) FROM concept")).scalar_one() > 100
        done = subprocess.run(
            [sys.executable, "-m", "glossary", "--db", url, "terms", "add", "restart_test", "Рестартов",
             "--lang", "ru", "--kind", "person"],
            capture_output=True, text=True, timeout=600,
        )
        assert done.returncode == 0, done.stderr
        with workspace.transaction() as session:
            session.execute(text("UPDATE concept SET note = 'after the restart' WHERE id = 'restart_test'"))
        with workspace.session() as session:
            note = session.execute(text("SELECT note FROM concept WHERE id = 'restart_test'")).scalar_one()
        assert note == "after the restart"
    finally:
        workspace.close()
