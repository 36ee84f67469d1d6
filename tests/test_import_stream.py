"""Imports that stream: CSV concepts yielded as their rows end, memory that does not grow with
the file, and progress shown on a terminal only."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from sqlmodel import Session, select

from glossary.cli import main
from glossary.formats.csv import decoded_lines, stream_csv
from glossary.model.errors import ParseError
from glossary.model.tables import Term
from glossary.store.engine import init_database, make_engine
from glossary.store.termbase import get_concept, merge_concepts
from glossary.workspace import Workspace
from tests.import_helpers import people_csv

GLOSSARY = [sys.executable, "-m", "glossary"]
TIMEOUT = 600  # only a guard against a hang

SCATTERED = (
    "concept,kind,lang,text\n"
    "almaty,place,en,Almaty\n"  # line 2
    "tokayev,person,en,Tokayev\n"
    "almaty,,kk,Алматы\n"  # line 4: almaty comes back
    "tokayev,person,kk,Тоқаев\n"
)


def _stream(text: str, remember: int | None = 4096) -> list:
    return list(stream_csv(io.StringIO(text, newline=""), "t.csv", remember=remember))


def test_a_concept_is_yielded_when_its_rows_end_and_again_when_they_come_back():
    records = _stream(SCATTERED)
    assert [(r.id, [t.text for t in r.terms]) for r in records] == [
        ("almaty", ["Almaty"]), ("tokayev", ["Tokayev"]), ("almaty", ["Алматы"]), ("tokayev", ["Тоқаев"]),
    ]
    # What a record states is only what its own rows say: the later almaty keeps the stored kind.
    assert records[0].given == frozenset({"kind"})
    assert records[2].given == frozenset()


def test_the_reader_does_not_read_ahead_of_the_concept_it_yields():
    lines = iter(SCATTERED.splitlines(keepends=True))
    records = stream_csv(lines, "t.csv")
    assert next(records).id == "almaty"
    # The first record is complete once the second concept's first row is read: nothing more.
    assert next(lines) == "almaty,,kk,Алматы\n"


def test_a_later_row_contradicting_a_remembered_concept_names_both_lines():
    text = "concept,kind,lang,text\nx,person,en,X\ny,place,en,Y\nx,place,kk,Х\n"
    with pytest.raises(ParseError) as caught:
        _stream(text)
    assert (caught.value.line, "kind 'place' contradicts 'person' on line 2") == (
        4, caught.value.message.split(": ", 1)[1],
    )


def test_beyond_the_remembered_concepts_a_later_row_replaces_as_a_second_import_would(tmp_path: Path):
    text = "concept,kind,lang,text\nx,person,en,X\ny,place,en,Y\nz,place,en,Z\nx,event,kk,Х\n"
    records = _stream(text, remember=1)
    assert [r.id for r in records] == ["x", "y", "z", "x"]
    url = f"sqlite:///{tmp_path / 'g.db'}"
    _empty(url)
    with Workspace(url) as workspace, workspace.session() as session:
        merge_concepts(session=session, concepts=records, batch_size=1)
        session.commit()
        concept = get_concept(session=session, concept_id="x")
    assert concept.kind == "event"
    assert [t.text for t in concept.terms if t.origin != "generated"] == ["X", "Х"]


def test_scattered_rows_end_on_one_concept_through_the_command(tmp_path: Path, capsys):
    path = tmp_path / "scattered.csv"
    path.write_text(SCATTERED, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'g.db'}"
    _empty(url)
    assert main(["terms", "import", str(path), "--db", url, "--format", "json"]) == 0
    capsys.readouterr()
    with Workspace(url) as workspace, workspace.session() as session:
        almaty = get_concept(session=session, concept_id="almaty")
    assert almaty.kind == "place"
    assert [t.text for t in almaty.terms if t.origin != "generated"] == ["Almaty", "Алматы"]


def test_bad_bytes_are_reported_with_their_line_while_streaming():
    data = io.BytesIO("\ufeffconcept,lang,text\nx,en,X\n".encode() + b"y,en,Caf\xe9\n")
    lines = decoded_lines(data, "t.csv")
    assert next(lines) == "concept,lang,text\n"  # the BOM is dropped
    assert next(lines) == "x,en,X\n"
    with pytest.raises(ParseError) as caught:
        next(lines)
    assert (caught.value.path, caught.value.line) == ("t.csv", 3)
    assert "not UTF-8" in caught.value.message


def _empty(url: str) -> None:
    engine = make_engine(url)
    try:
        init_database(engine)
    finally:
        engine.dispose()


def _peak_import(tmp_path: Path, count: int) -> int:
    path = people_csv(tmp_path / f"people-{count}.csv", count)
    url = f"sqlite:///{tmp_path / f'g-{count}.db'}"
    _empty(url)
    tracemalloc.start()
    try:
        assert main(["terms", "import", str(path), "--db", url]) == 0
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_peak_memory_of_a_csv_import_does_not_grow_with_the_file(tmp_path: Path, capsys):
    small = _peak_import(tmp_path, 2000)
    large = _peak_import(tmp_path, 8000)
    out = capsys.readouterr().out
    assert "created 8000" in out
    # Four times the concepts: a reader holding the file (or caches growing with it) would
    # need about four times the memory.
    assert large < 1.5 * small, (small, large)
    engine = make_engine(f"sqlite:///{tmp_path / 'g-8000.db'}")
    try:
        with Session(engine) as session:
            assert len(session.exec(select(Term.id).where(Term.origin != "generated")).all()) == 3 * 8000
    finally:
        engine.dispose()


def _import_with_stderr(url: str, path: Path, stderr: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen([*GLOSSARY, "--db", url, "terms", "import", str(path)],
                            stdout=subprocess.PIPE, stderr=stderr, env={**os.environ, "COLUMNS": "120"})


def test_progress_is_shown_on_a_terminal(tmp_path: Path):
    path = people_csv(tmp_path / "people.csv", 3000)
    url = f"sqlite:///{tmp_path / 'g.db'}"
    leader, follower = pty.openpty()
    try:
        process = _import_with_stderr(url, path, follower)
        os.close(follower)
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the process ended
                break
            if not chunk:
                break
            seen += chunk
        assert process.wait(timeout=TIMEOUT) == 0
    finally:
        os.close(leader)
    shown = seen.decode("utf-8", "replace")
    assert "importing people.csv: read 3,000, written 3,000 concepts" in shown, shown[-500:]


def test_nothing_is_shown_when_stderr_is_a_pipe(tmp_path: Path):
    path = people_csv(tmp_path / "people.csv", 3000)
    url = f"sqlite:///{tmp_path / 'g.db'}"
    process = _import_with_stderr(url, path, subprocess.PIPE)
    out, err = process.communicate(timeout=TIMEOUT)
    assert process.returncode == 0
    assert err == b""
    assert out.decode().startswith("created 3000")
