"""Tests for glossary.store.quickread: the review's first read (sqlite3 alone) is what the store reads."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlmodel import Session

from glossary.store.documents import import_document, list_segments, set_translation
from glossary.store.engine import init_database, make_engine
from glossary.store.quickread import QuickReader, head_revision, sqlite_file
from glossary.store.schema import HEAD
from glossary.store.segments import fetch_rows, open_document, progress, segment_refs

NEWS = (
    "Tokayev spoke in Almaty.\n\n"
    "Putin answered from Moscow.\n\n"
    "https://example.org/report\n\n"  # read-only: never in the list
    "The CSTO sent troops to Kazakhstan.\n\n"
    "Nazarbayev stayed silent."
)
OTHER = "Mirziyoyev visited Astana.\n\nThe talks lasted two days."


@pytest.fixture
def url(tmp_path: Path) -> str:
    """A file with two documents, translations in every state (an empty one too), a read-only
    segment and an obsolete one."""
    url = f"sqlite:///{tmp_path / 'quick.db'}"
    engine = make_engine(url)
    init_database(engine)
    with Session(engine) as session:
        import_document(session=session, name="news", text=NEWS)
        import_document(session=session, name="other", text=OTHER)
        rows = list_segments(session=session, document="news", lang="ru")
        for row, lang, text, state in (
            (rows[0], "ru", "Токаев выступил в Алматы.", "approved"),
            (rows[1], "ru", "Путин ответил из Москвы.", "fuzzy"),
            (rows[2], "ru", "ОДКБ направила войска в Казахстан.", "translated"),  # made obsolete below
            (rows[3], "ru", "", "translated"),  # empty: listed as new
            (rows[0], "kk", "Тоқаев Алматыда сөйледі.", "translated"),
            (rows[1], "kk", "Путин Мәскеуден жауап берді.", "reviewed"),
        ):
            set_translation(session=session, segment_id=row.id, lang=lang, text=text, state=state)
        session.commit()
        # "The CSTO…" leaves the text: its segment stays, obsolete.
        shorter = NEWS.replace("The CSTO sent troops to Kazakhstan.\n\n", "")
        import_document(session=session, name="news", text=shorter)
        session.commit()
    engine.dispose()
    return url


def _same_as_the_store(url: str, names: tuple[str | None, ...], langs: tuple[str, ...]) -> None:
    reader = QuickReader.open(url)
    assert reader is not None
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            for name in names:
                document = open_document(session=session, name=name)
                assert reader.document(name) == document
                listed = list_segments(session=session, document=document.name, include_obsolete=True,
                                       include_read_only=True)
                all_ids = [row.id for row in listed]
                for lang in langs:
                    refs = segment_refs(session=session, document_id=document.id, lang=lang)
                    assert reader.refs(document.id, lang) == refs
                    counted = progress(session=session, document_id=document.id, lang=lang)
                    assert reader.progress(document.id, lang) == counted
                    ids = list(reversed(all_ids))  # in the order asked for, obsolete rows too
                    assert reader.rows(ids, lang) == fetch_rows(session=session, ids=ids, lang=lang)
    finally:
        engine.dispose()
        reader.close()


def test_the_quick_read_is_what_the_store_reads(url: str):
    _same_as_the_store(url, (None, "news", "other"), ("ru", "kk", "de"))
    engine = make_engine(url)
    with Session(engine) as session:  # the cases the list must leave out are there
        listed = list_segments(session=session, document="news", include_obsolete=True,
                               include_read_only=True)
    engine.dispose()
    assert any(row.obsolete for row in listed) and any(row.source.startswith("https:") for row in listed)


@pytest.mark.parametrize("seeded_db_url", ["sqlite"], indirect=True)
def test_the_quick_read_of_the_bundled_article(seeded_db_url: str):
    _same_as_the_store(seeded_db_url, (None, "article"), ("ru", "kk", "de", "fr", "uk"))


def test_a_missing_document_is_left_to_the_store(url: str):
    reader = QuickReader.open(url)
    assert reader is not None
    assert reader.document("nowhere") is None
    reader.close()


def test_rows_of_more_ids_than_one_query_takes(url: str):
    reader = QuickReader.open(url)
    assert reader is not None
    document = reader.document("news")
    assert document is not None
    ids = [ref.id for ref in reader.refs(document.id, "ru")]
    asked = ids * 700  # 2,800 ids: several IN lists; each row once per time asked
    assert [row.id for row in reader.rows(asked, "ru")] == asked
    reader.close()


def test_the_file_is_opened_read_only(url: str):
    reader = QuickReader.open(url)
    assert reader is not None
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        reader._all("DELETE FROM segment", ())
    reader.close()


def test_only_a_file_set_up_at_this_revision_is_read_quickly(url: str, tmp_path: Path):
    assert QuickReader.open(url) is not None
    assert QuickReader.open("postgresql://user@localhost/glossary") is None
    assert QuickReader.open("sqlite://") is None
    assert QuickReader.open("sqlite:///:memory:") is None
    assert QuickReader.open(f"sqlite:///{tmp_path / 'none.db'}") is None
    assert QuickReader.open(url + "?mode=ro") is None  # options: the full path reads them
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    assert QuickReader.open(f"sqlite:///{empty}") is None

    older = tmp_path / "older.db"
    shutil.copy(url.removeprefix("sqlite:///"), older)
    with sqlite3.connect(older) as db:
        db.execute("UPDATE alembic_version SET version_num = '0002'")
    assert QuickReader.open(f"sqlite:///{older}") is None  # upgraded (or refused) by the full path

    unseeded = tmp_path / "unseeded.db"  # a first run that did not finish: seeded again by the full path
    shutil.copy(url.removeprefix("sqlite:///"), unseeded)
    with sqlite3.connect(unseeded) as db:
        db.execute("DELETE FROM meta WHERE key = 'schema_version'")
    assert QuickReader.open(f"sqlite:///{unseeded}") is None


def test_the_file_is_found_as_every_command_finds_it(url: str, monkeypatch: pytest.MonkeyPatch):
    path = Path(url.removeprefix("sqlite:///"))
    assert sqlite_file(url) == path
    monkeypatch.setenv("GLOSSARY_DB", url)
    assert sqlite_file(None) == path
    monkeypatch.setenv("GLOSSARY_DB", "postgresql://user@localhost/glossary")
    assert sqlite_file(None) is None


def test_the_head_revision_is_the_schemas():
    assert head_revision() == HEAD
