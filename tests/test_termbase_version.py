"""The term-base version: bumped once by every committed write to concepts or terms, on both
backends, and on PostgreSQL without holding up another writer until the first one commits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from glossary.model.records import TermRecord
from glossary.store.engine import init_database, make_engine
from glossary.store.termbase import add_term
from glossary.store.versions import TERMBASE, counter_value


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    made = make_engine(db_url)
    init_database(made)
    yield made
    made.dispose()


def _counter(engine: Engine) -> int:
    with Session(engine) as session:
        return counter_value(session=session, name=TERMBASE)


def _counters(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [row[0] for row in conn.execute(text("SELECT name FROM counter ORDER BY name"))]


def _add(session: Session, concept: str, form: str) -> None:
    add_term(session=session, concept=concept, term=TermRecord("en", form), kind="person")


def test_a_committed_transaction_bumps_the_version_once_and_a_rolled_back_one_not(engine: Engine):
    names = _counters(engine)
    before = _counter(engine)
    with Session(engine) as session:
        for n in range(5):  # many statements, one transaction
            _add(session, f"version_person_{n}", f"Person {n}")
        session.commit()
    after = _counter(engine)
    assert after > before
    with Session(engine) as session:
        _add(session, "version_rolled_back", "Rolled Back")
        session.rollback()
    assert _counter(engine) == after
    assert _counters(engine) == names  # nothing of a transaction's own bookkeeping is left


@pytest.mark.parametrize("db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_an_open_transaction_does_not_hold_up_another_term_base_writer(engine: Engine):
    """The writer of a long import has written and not committed; another adds a form to another
    concept and commits at once (a lock wait would end in lock_timeout), then the import commits:
    both show in the version, each once."""
    before = _counter(engine)
    with Session(engine) as long_import:
        _add(long_import, "version_import", "Imported Person")
        long_import.flush()
        with Session(engine) as other:
            other.execute(text("SET lock_timeout = '5s'"))
            _add(other, "version_other", "Other Person")
            other.commit()
        assert _counter(engine) == before + 1  # the other writer's commit, and not the open import
        long_import.commit()
    assert _counter(engine) == before + 2
