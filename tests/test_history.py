"""History: every change of a concept, a term or a translation keeps who, when, before and after."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from glossary.cli import main
from glossary.model.errors import NotFoundError
from glossary.model.records import ConceptRecord, TermRecord
from glossary.store.documents import import_document, list_segments, set_translation
from glossary.store.history import concept_history, translation_history
from glossary.store.termbase import add_term, merge_concepts
from glossary.store.termedits import set_term_status
from glossary.workspace import Workspace


def _as(user: str, url: str, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """A workspace whose connections are made as ``user`` (GLOSSARY_USER is read on connecting)."""
    monkeypatch.setenv("GLOSSARY_USER", user)
    return Workspace(url, bootstrap=False)


@pytest.fixture
def empty_url(db_url: str) -> str:
    assert main(["init", "--empty", "--db", db_url]) == 0
    return db_url


def test_each_change_of_a_concept_and_its_terms_is_recorded(empty_url: str, monkeypatch):
    with _as("aigerim", empty_url, monkeypatch) as ws, ws.transaction() as session:
        add_term(session=session, concept="tokayev", term=TermRecord(lang="ru", text="Токаев"), kind="person")
    with _as("daniyar", empty_url, monkeypatch) as ws:
        with ws.transaction() as session:
            set_term_status(session=session, concept="tokayev", lang="ru", text="Токаев", scheme=None,
                            status="admitted")
        with ws.transaction() as session:
            merge_concepts(session=session, concepts=[
                ConceptRecord(id="tokayev", kind="person", note="President of Kazakhstan since 2019")])
        with ws.transaction() as session:  # any writer is recorded, not only the library's
            session.execute(text("DELETE FROM term WHERE concept_id = 'tokayev' AND lang = 'ru' "
                                 "AND origin = 'entered'"))
        with ws.session() as session:
            entries = concept_history(session=session, concept_id="tokayev")

    summary = [(e.kind, e.action, e.user) for e in entries]
    assert summary == [
        ("concept", "insert", "aigerim"),
        ("term", "insert", "aigerim"),  # the entered form; its generated romanizations are not history
        ("term", "update", "daniyar"),
        ("concept", "update", "daniyar"),
        ("term", "delete", "daniyar"),
    ]
    created, added, status, note, removed = entries
    assert created.old is None and created.new["kind"] == "person"
    assert added.new["text"] == "Токаев" and added.new["status"] == "preferred" and added.lang == "ru"
    assert (status.old["status"], status.new["status"]) == ("preferred", "admitted")
    assert status.changed_fields() == ["status"]
    assert (note.old["note"], note.new["note"]) == (None, "President of Kazakhstan since 2019")
    assert removed.old["text"] == "Токаев" and removed.new is None
    assert all(e.changed.tzinfo is not None for e in entries)
    assert entries[0].changed <= entries[-1].changed


def test_each_change_of_a_translation_is_recorded(empty_url: str, monkeypatch, capsys):
    with _as("aigerim", empty_url, monkeypatch) as ws, ws.transaction() as session:
        import_document(session=session, name="note", text="Tokayev spoke in Almaty.\n")
        (row,) = list_segments(session=session, document="note", lang="ru")
        set_translation(session=session, segment_id=row.id, lang="ru", text="Токаев выступил в Алма-Ате.",
                        state="translated", author="aigerim")
    with _as("daniyar", empty_url, monkeypatch) as ws:
        with ws.transaction() as session:
            set_translation(session=session, segment_id=row.id, lang="ru", text="Токаев выступил в Алматы.",
                            state="reviewed", author="daniyar")
        with ws.session() as session:
            entries = translation_history(session=session, key=row.key, lang="ru")
            assert translation_history(session=session, key=row.key, lang="de") == []
    assert [(e.action, e.user) for e in entries] == [("insert", "aigerim"), ("update", "daniyar")]
    assert entries[1].old["text"] == "Токаев выступил в Алма-Ате."
    assert entries[1].new["text"] == "Токаев выступил в Алматы."
    assert entries[1].changed_fields() == ["text", "state", "author"]

    capsys.readouterr()
    assert main(["history", row.key, "--lang", "ru", "--db", empty_url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("aigerim  added translation (translated): 'Токаев выступил в Алма-Ате.'")
    assert lines[1].endswith("daniyar  changed translation: text 'Токаев выступил в Алма-Ате.' → "
                             "'Токаев выступил в Алматы.'; state 'translated' → 'reviewed'; "
                             "author 'aigerim' → 'daniyar'")
    assert main(["history", row.key, "--lang", "ru", "--db", empty_url, "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [(c["kind"], c["action"], c["user"], c["lang"]) for c in shown] == [
        ("translation", "insert", "aigerim", "ru"), ("translation", "update", "daniyar", "ru")]
    assert shown[1]["old"]["state"] == "translated" and shown[1]["new"]["state"] == "reviewed"


def test_the_history_command_for_a_concept(empty_url: str, monkeypatch, capsys):
    monkeypatch.setenv("GLOSSARY_USER", "zarina")
    argv = ["terms", "add", "almaty", "Алма-Ата", "--lang", "ru", "--kind", "place", "--db", empty_url]
    assert main(argv) == 0
    capsys.readouterr()
    assert main(["history", "almaty", "--db", empty_url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("  ", 1)[1] for line in lines] == [
        "zarina  added concept almaty (place)",
        "zarina  added ru form 'Алма-Ата' (preferred)",
    ]
    assert main(["history", "nowhere", "--db", empty_url]) == 2
    assert capsys.readouterr().err.strip() == "glossary: error: no history for a concept 'nowhere'"


def test_a_segment_key_in_two_documents_needs_the_document(empty_url: str, capsys):
    with Workspace(empty_url) as ws, ws.transaction() as session:
        for name in ("first", "second"):
            import_document(session=session, name=name, text="The CSTO sent troops.\n")
        (row,) = list_segments(session=session, document="first", lang="ru")
        set_translation(session=session, segment_id=row.id, lang="ru", text="ОДКБ ввела войска.",
                        state="translated")
    assert main(["history", row.key, "--lang", "ru", "--db", empty_url]) == 2
    assert "is in several documents (first, second): give --document" in capsys.readouterr().err
    assert main(["history", row.key, "--lang", "ru", "--document", "first", "--db", empty_url]) == 0
    assert "added translation (translated): 'ОДКБ ввела войска.'" in capsys.readouterr().out
    with Workspace(empty_url) as ws, ws.session() as session, pytest.raises(NotFoundError):
        translation_history(session=session, key="nope", lang="ru")


def test_without_glossary_user_the_login_name_is_recorded(empty_url: str, monkeypatch):
    import getpass

    monkeypatch.delenv("GLOSSARY_USER", raising=False)
    with Workspace(empty_url) as ws:
        with ws.transaction() as session:
            add_term(session=session, concept="knb", term=TermRecord(lang="ru", text="КНБ"))
        with ws.session() as session:
            users = {e.user for e in concept_history(session=session, concept_id="knb")}
    assert users == {getpass.getuser()}
