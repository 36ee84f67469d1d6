"""Schema revisions: the models agree with the migrations, old databases are refused and upgraded."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session, SQLModel, func, select

from glossary.cli import main
from glossary.model.errors import SchemaError
from glossary.model.tables import Concept, Term, TMUnit, Translation, TranslationHistory
from glossary.store.engine import make_engine
from glossary.store.schema import HEAD, alembic_config, current_revision, known_revisions, upgrade_database
from glossary.store.versions import termbase_version
from glossary.workspace import Workspace

OLD_RELEASE = Path(__file__).parent / "data" / "release-0.1.0.db"


def test_head_constant_is_alembics_head_and_every_script_is_known():
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    assert scripts.get_heads() == [HEAD]  # one line of revisions, ending at HEAD
    assert known_revisions() == {script.revision for script in scripts.walk_revisions()}


def test_models_and_migrations_agree(db_url: str):
    """Alembic's autogenerate finds nothing to do against a database made by the migrations."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    assert main(["init", "--empty", "--db", db_url]) == 0
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, SQLModel.metadata) == []
            assert current_revision(conn) == HEAD
    finally:
        engine.dispose()


def _old_copy(tmp_path: Path) -> str:
    path = tmp_path / "old.db"
    shutil.copyfile(OLD_RELEASE, path)
    return f"sqlite:///{path}"


def _tables(url: str) -> set[str]:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        return {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


@pytest.mark.parametrize("argv", [["terms", "list"], ["init"], ["history", "tokayev"]])
def test_a_database_of_the_previous_release_is_refused_untouched(tmp_path: Path, capsys, argv: list[str]):
    url = _old_copy(tmp_path)
    before = _tables(url)
    assert main([*argv, "--db", url]) == 2
    err = capsys.readouterr().err.strip()
    assert err == ("glossary: error: database schema is at release 0.1.0 (no revision), "
                   f"this Glossary needs {HEAD}: run glossary db upgrade")
    assert _tables(url) == before  # nothing created, nothing stamped


def test_the_review_app_refuses_an_old_database_too(tmp_path: Path):
    from tui.data import ReviewData

    with pytest.raises(SchemaError, match="run glossary db upgrade"):
        ReviewData.open(_old_copy(tmp_path), "ru")


def test_upgrading_a_database_of_the_previous_release_keeps_its_data(tmp_path: Path, capsys, monkeypatch):
    url = _old_copy(tmp_path)
    assert main(["db", "status", "--db", url]) == 1
    assert "current: release 0.1.0 (no revision)" in capsys.readouterr().out
    assert main(["db", "upgrade", "--db", url]) == 0
    assert f"from release 0.1.0 (no revision) to {HEAD}" in capsys.readouterr().out
    assert main(["db", "status", "--db", url, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"current": HEAD, "head": HEAD, "up_to_date": True}

    engine = make_engine(url)
    try:
        with Session(engine) as session:
            assert sorted(session.exec(select(Concept.id))) == ["almaty", "tokayev"]
            forms = {(t.concept_id, t.lang, t.text, t.status) for t in session.exec(select(Term))
                     if t.origin == "entered"}
            assert ("almaty", "ru", "Алма-Ата", "deprecated") in forms
            assert ("tokayev", "kk", "Қасым-Жомарт Тоқаев", "preferred") in forms
            assert session.exec(select(func.count()).select_from(Term)).one() == 17
            texts = {(t.text, t.state, t.author) for t in session.exec(select(Translation))}
            assert ("Токаев выступил в Алматы.", "approved", "daniyar") in texts
            earlier = session.exec(select(TranslationHistory)).one()
            assert (earlier.text, earlier.author) == ("Токаев выступил в Алма-Ате.", "aigerim")
            assert session.exec(select(func.count()).select_from(TMUnit)).one() == 2
            version_before = termbase_version(session=session)
    finally:
        engine.dispose()

    # The upgraded database works: a new form is written, counted and recorded in the history.
    monkeypatch.setenv("GLOSSARY_USER", "zarina")
    assert main(["terms", "add", "almaty", "Alma-Ata", "--lang", "en", "--status", "superseded",
                 "--db", url]) == 0
    capsys.readouterr()
    assert main(["history", "almaty", "--db", url, "--format", "json"]) == 0
    (change,) = json.loads(capsys.readouterr().out)
    assert (change["user"], change["action"], change["new"]["text"]) == ("zarina", "insert", "Alma-Ata")
    with Workspace(url) as workspace, workspace.session() as session:
        assert termbase_version(session=session) != version_before


def test_upgrading_from_the_first_revision_keeps_data_on_both_backends(db_url: str, capsys):
    """A database left at revision 0001 with rows in it (on PostgreSQL too) upgrades to head."""
    from alembic import command

    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "0001")
            conn.execute(text("INSERT INTO meta (key, value) VALUES ('schema_version', '1')"))
            conn.execute(text("INSERT INTO concept (id, kind, version, updated) "
                              "VALUES ('knb', 'organisation', 1, CURRENT_TIMESTAMP)"))
            conn.execute(text("INSERT INTO term (concept_id, lang, text, status, type, origin, position, "
                              "version) VALUES ('knb', 'ru', 'КНБ', 'preferred', 'abbreviation', 'entered', "
                              "0, 1)"))
        with engine.connect() as conn:
            assert current_revision(conn) == "0001"
    finally:
        engine.dispose()
    assert main(["terms", "show", "knb", "--db", db_url]) == 2
    assert "database schema is at 0001, this Glossary needs" in capsys.readouterr().err
    assert main(["db", "upgrade", "--db", db_url]) == 0
    assert main(["terms", "show", "knb", "--db", db_url]) == 0
    assert "КНБ" in capsys.readouterr().out


def test_a_database_newer_than_this_glossary_is_refused(db_url: str, capsys):
    assert main(["init", "--empty", "--db", db_url]) == 0
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    finally:
        engine.dispose()
    assert main(["terms", "list", "--db", db_url]) == 2
    assert "database schema is at 9999, newer than this Glossary knows" in capsys.readouterr().err


def test_upgrade_is_all_or_nothing(tmp_path: Path, monkeypatch):
    """A revision that fails leaves the database exactly at its old revision."""
    url = _old_copy(tmp_path)
    before = _tables(url)

    def broken(conn: object) -> None:
        raise RuntimeError("revision failed half-way")

    monkeypatch.setattr("glossary.store.history.install_history_triggers", broken)
    engine = make_engine(url)
    try:
        with pytest.raises(RuntimeError, match="half-way"):
            upgrade_database(engine)
    finally:
        engine.dispose()
    assert _tables(url) == before
