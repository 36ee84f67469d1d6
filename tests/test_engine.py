"""The database layer: URLs, first-run seeding, explicit init, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from glossary.model.errors import UsageError
from glossary.model.tables import Concept, Term
from glossary.store.engine import (
    init_database,
    is_initialized,
    make_engine,
    meta_value,
    resolve_url,
)
from glossary.workspace import Workspace


def test_resolve_url_prefers_option_then_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("GLOSSARY_DB", f"sqlite:///{tmp_path}/env.db")
    assert resolve_url(f"sqlite:///{tmp_path}/opt.db").endswith("opt.db")
    assert resolve_url(None).endswith("env.db")
    monkeypatch.delenv("GLOSSARY_DB")
    assert resolve_url(None).startswith("sqlite:///") and resolve_url(None).endswith("glossary.db")


def test_postgres_urls_use_psycopg3():
    assert resolve_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert resolve_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"


def test_unknown_backend_is_a_usage_error():
    with pytest.raises(UsageError, match="unsupported database"):
        make_engine("mysql://u@h/db")


def test_empty_database_is_seeded_on_first_open(db_url: str):
    engine = make_engine(db_url)
    assert not is_initialized(engine)
    Workspace(db_url).close()
    with Session(engine) as session:
        concepts = session.exec(select(func.count()).select_from(Concept)).one()
        generated = session.exec(
            select(func.count()).select_from(Term).where(Term.origin == "generated")
        ).one()
        assert concepts >= 40
        assert generated > concepts
        assert meta_value(session=session, key="seed") == "bundled"


def test_second_open_changes_nothing(db_url: str):
    Workspace(db_url).close()
    engine = make_engine(db_url)
    with Session(engine) as session:
        before = session.exec(select(func.count()).select_from(Term)).one()
    assert init_database(engine) is False
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Term)).one() == before


def test_init_empty_creates_schema_only(db_url: str):
    engine = make_engine(db_url)
    assert init_database(engine) is True
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Concept)).one() == 0
        assert meta_value(session=session, key="seed") == "empty"
    # An initialised empty database is not seeded behind the user's back.
    Workspace(db_url).close()
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Concept)).one() == 0


def test_a_failed_first_run_is_seeded_by_the_next(db_url: str, monkeypatch: pytest.MonkeyPatch):
    import glossary.bootstrap

    def interrupted(*, session: Session) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(glossary.bootstrap, "load_bundle", interrupted)
    engine = make_engine(db_url)
    with pytest.raises(KeyboardInterrupt):
        Workspace(db_url)
    assert not is_initialized(engine)
    monkeypatch.undo()
    with Workspace(db_url, bootstrap=False) as workspace:
        assert workspace.initialize() is True
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Concept)).one() >= 40


def test_two_processes_seeding_one_database_at_once(db_url: str):
    import subprocess
    import sys

    code = "import sys; from glossary.workspace import Workspace; Workspace(sys.argv[1]).close()"
    runs = [subprocess.Popen([sys.executable, "-c", code, db_url], stderr=subprocess.PIPE) for _ in range(2)]
    errors = [run.communicate()[1].decode() for run in runs]
    assert [run.returncode for run in runs] == [0, 0], errors
    with Session(make_engine(db_url)) as session:
        assert session.exec(select(func.count()).select_from(Concept)).one() >= 40
        assert meta_value(session=session, key="schema_version") is not None


def test_a_seeding_error_that_is_no_race_is_raised_at_once(db_url: str, monkeypatch: pytest.MonkeyPatch):
    """Only another seeder is waited for; a failing seed is reported at once (the old code polled
    for 60 s whether someone else had initialised the database before raising)."""
    import time

    from sqlalchemy.exc import OperationalError

    import glossary.bootstrap

    def broken(*, session: Session) -> None:
        raise OperationalError("INSERT INTO concept ...", {}, Exception("disk I/O error"))

    def no_waiting(seconds: float) -> None:
        raise AssertionError(f"waited {seconds} s for a seeder that does not exist")

    monkeypatch.setattr(glossary.bootstrap, "load_bundle", broken)
    monkeypatch.setattr(time, "sleep", no_waiting)
    with pytest.raises(OperationalError, match="disk I/O error"):
        Workspace(db_url)
    assert not is_initialized(make_engine(db_url))
