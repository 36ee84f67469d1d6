"""Roles: translators edit translations, only terminologists change the term base (library and server)."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from glossary.cli import main
from glossary.model.errors import PermissionDeniedError
from glossary.model.records import ConceptRecord, TermRecord
from glossary.store.documents import import_document, list_segments, set_translation
from glossary.store.history import translation_history
from glossary.store.termbase import add_term, merge_concepts
from glossary.store.termedits import set_term_status
from glossary.workspace import Workspace

REFUSED = ("glossary: error: a translator may not change the term base: only a terminologist may "
           "(GLOSSARY_ROLE=translator)")


@pytest.fixture
def empty_url(db_url: str) -> str:
    assert main(["init", "--empty", "--db", db_url]) == 0
    with Workspace(db_url) as ws, ws.transaction() as session:
        add_term(session=session, concept="knb", term=TermRecord(lang="ru", text="КНБ"), kind="organisation")
        import_document(session=session, name="note", text="The KNB chief was arrested.\n")
    return db_url


def test_the_library_refuses_a_translators_term_base_writes(empty_url: str):
    with Workspace(empty_url, role="translator") as ws:
        writes = [
            lambda s: add_term(session=s, concept="knb", term=TermRecord(lang="en", text="KNB")),
            lambda s: set_term_status(session=s, concept="knb", lang="ru", text="КНБ", scheme=None,
                                      status="admitted"),
            lambda s: merge_concepts(session=s, concepts=[ConceptRecord(id="cstu", kind="organisation")]),
        ]
        for write in writes:
            with pytest.raises(PermissionDeniedError, match="only a terminologist"), ws.transaction() as s:
                write(s)
        with ws.transaction() as session:  # translations are a translator's work
            (row,) = list_segments(session=session, document="note", lang="ru")
            set_translation(session=session, segment_id=row.id, lang="ru", text="Главу КНБ арестовали.",
                            state="translated")
    with Workspace(empty_url) as ws, ws.session() as session:
        from glossary.store.termbase import get_concept

        terms = get_concept(session=session, concept_id="knb").terms
        assert [t.text for t in terms if t.origin == "entered"] == ["КНБ"]


def test_the_cli_reports_the_refusal_in_one_line(empty_url: str, monkeypatch, capsys):
    monkeypatch.setenv("GLOSSARY_ROLE", "translator")
    assert main(["terms", "add", "knb", "KNB", "--lang", "en", "--db", empty_url]) == 2
    assert capsys.readouterr().err.splitlines() == [REFUSED]
    monkeypatch.setenv("GLOSSARY_ROLE", "editor-in-chief")
    assert main(["terms", "add", "knb", "KNB", "--lang", "en", "--db", empty_url]) == 2
    assert "is not a role; use one of translator, terminologist" in capsys.readouterr().err
    monkeypatch.setenv("GLOSSARY_ROLE", "terminologist")
    assert main(["terms", "add", "knb", "KNB", "--lang", "en", "--db", empty_url]) == 0


def test_database_roles_are_postgresqls(tmp_path, capsys):
    assert main(["db", "roles", "--db", f"sqlite:///{tmp_path / 'x.db'}"]) == 2
    assert "database roles are PostgreSQL's" in capsys.readouterr().err


@pytest.mark.postgres
def test_a_translators_connection_cannot_change_a_term(pg_server, monkeypatch, capsys):
    """The server refuses a translator's write to the term base even when the library would not."""
    database = pg_server.create_database()
    url = pg_server.url(database)
    assert main(["init", "--empty", "--db", url]) == 0
    with Workspace(url) as ws, ws.transaction() as session:
        add_term(session=session, concept="knb", term=TermRecord(lang="ru", text="КНБ"), kind="organisation")
        import_document(session=session, name="note", text="The KNB chief was arrested.\n")
    assert main(["db", "roles", "--db", url]) == 0
    assert "glossary_translator, glossary_terminologist" in capsys.readouterr().out

    translator, terminologist = (f"{kind}_{uuid.uuid4().hex[:8]}" for kind in ("tr", "term"))
    admin = pg_server.url("postgres").replace("+psycopg", "")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {translator} LOGIN IN ROLE glossary_translator")
        conn.execute(f"CREATE ROLE {terminologist} LOGIN IN ROLE glossary_terminologist")
    as_user = lambda user: url.replace("postgres@", f"{user}@")  # noqa: E731

    # GLOSSARY_ROLE is unset (the library's default is terminologist): the server says no.
    monkeypatch.delenv("GLOSSARY_ROLE", raising=False)
    assert main(["terms", "add", "knb", "KNB", "--lang", "en", "--db", as_user(translator)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "permission denied for table concept" in err[0], err

    # The same connection may still translate, and the history names its user.
    monkeypatch.setenv("GLOSSARY_USER", "aigerim")
    with Workspace(as_user(translator)) as ws:
        with ws.transaction() as session:
            (row,) = list_segments(session=session, document="note", lang="ru")
            set_translation(session=session, segment_id=row.id, lang="ru", text="Главу КНБ арестовали.",
                            state="translated")
        with ws.session() as session:
            (entry,) = translation_history(session=session, key=row.key, lang="ru")
    assert entry.user == "aigerim"

    # A terminologist's login may change the term base.
    assert main(["terms", "add", "knb", "KNB", "--lang", "en", "--db", as_user(terminologist)]) == 0
    assert main(["terms", "show", "knb", "--db", as_user(translator)]) == 0
    assert "KNB" in capsys.readouterr().out
