"""A large PostgreSQL import keeps the planner's statistics of the term tables current, and two
such imports at once both finish."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session

from glossary.formats.csv import read_csv
from glossary.store.engine import make_engine
from glossary.store.termbase import merge_concepts
from tests.import_helpers import people_csv

ON_POSTGRESQL = pytest.mark.parametrize(
    "seeded_db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)


def _records(path: Path) -> list:
    with path.open(encoding="utf-8") as handle:
        return list(read_csv(handle, str(path)))


def _estimated_rows(session: Session, table: str) -> float:
    query = text("SELECT reltuples FROM pg_class WHERE relname = :table")
    return float(session.execute(query, {"table": table}).scalar_one())


@ON_POSTGRESQL
def test_the_planner_sees_the_rows_the_import_has_written(seeded_db_url: str, tmp_path: Path):
    records = _records(people_csv(tmp_path / "people.csv", 1200))
    engine = make_engine(seeded_db_url)
    try:
        with Session(engine) as session:
            before = _estimated_rows(session, "term")
            merge_concepts(session=session, concepts=records, batch_size=200)  # 6 batches
            # Still inside the import's transaction: the statistics include its own new rows.
            stored = session.execute(text("SELECT count(*) FROM term")).scalar_one()
            estimated = _estimated_rows(session, "term")
            concepts = session.execute(text("SELECT count(*) FROM concept")).scalar_one()
            assert estimated > before + 1200 * 3  # at least the entered forms of the first batches
            # Taken after the 4th batch (the 1st, 2nd and 4th take statistics): two thirds of the rows.
            assert estimated >= 0.5 * stored
            assert _estimated_rows(session, "concept") >= 0.5 * concepts
            session.rollback()
    finally:
        engine.dispose()


def _import(url: str, path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "glossary", "--db", url, "terms", "import", str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@ON_POSTGRESQL
def test_two_large_imports_at_once_both_finish(seeded_db_url: str, tmp_path: Path):
    # 4,500 concepts each: three batches, so each import takes statistics while the other writes.
    first = people_csv(tmp_path / "first.csv", 4500)
    second = people_csv(tmp_path / "second.csv", 4500, start=4500)
    engine = make_engine(seeded_db_url)
    try:
        with engine.connect() as conn:
            before = conn.execute(text("SELECT count(*) FROM concept")).scalar_one()
        processes = [_import(seeded_db_url, first), _import(seeded_db_url, second)]
        results = [process.communicate(timeout=900) for process in processes]
        for process, (_out, err) in zip(processes, results, strict=True):
            assert process.returncode == 0, err
        with engine.connect() as conn:
            after = conn.execute(text("SELECT count(*) FROM concept")).scalar_one()
            people = conn.execute(text("SELECT count(*) FROM concept WHERE id LIKE 'p%'")).scalar_one()
        assert after == before + 9000
        assert people >= 9000
    finally:
        engine.dispose()
