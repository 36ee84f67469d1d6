"""Importing .po catalogues: the pure plan (conflicts), and the database round trips."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest
from sqlmodel import Session, select

from glossary.formats.po import encode_po, generate_po, read_po
from glossary.model.catalog import PoCatalog, PoMessage
from glossary.model.catalog_langs import language_of
from glossary.model.tables import Segment, Translation
from glossary.store.catalog_import import CatalogState, StoredSegment, import_catalog, plan_import
from glossary.store.catalogs import build_catalog, record_export
from glossary.store.documents import set_translation
from glossary.store.engine import init_database, make_engine

DATA = Path(__file__).parent / "data" / "po"
STORED = StoredSegment(id=7, key="k1", position=0, source="Hello", source_plural=None, context=None,
                       comments=None, references=None, flags=None, previous_source=None, obsolete=False,
                       text="Привет", plurals=None, state="translated", version=3)


def _plan(file_text: str, *, stored: StoredSegment = STORED, exported: dict[int, int] | None = None,
          base: dict | None = None, fuzzy: bool = False):
    message = PoMessage(msgid="Hello", msgstr=file_text, msgctxt="k1", flags=("fuzzy",) if fuzzy else ())
    state = CatalogState(document_id=1, po_document=False, segments=(stored,), exported=exported,
                         base=base or {})
    return plan_import(PoCatalog(messages=(message,)), state, document="article", lang="ru")


CASES = [
    # (what, file text, stored version, exported version, base, expected outcome)
    ("only the file changed", "Здравствуйте", 3, 3, None, "update"),
    ("both changed, differently", "Здравствуйте", 4, 3, {7: ("Привет!", None, "translated")}, "conflict"),
    ("only the database changed", "Привет!", 4, 3, {7: ("Привет!", None, "translated")}, "unchanged"),
    ("nothing changed", "Привет", 3, 3, None, "unchanged"),
    ("no export record, first version", "Здравствуйте", 1, None, None, "update"),
    ("no export record, edited since", "Здравствуйте", 2, None, None, "conflict"),
]


@pytest.mark.parametrize(("text", "version", "exported", "base", "outcome"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_plan_decides_update_conflict_or_nothing(text, version, exported, base, outcome):
    stored = STORED._replace(version=version)
    plan = _plan(text, stored=stored, exported=None if exported is None else {7: exported}, base=base)
    got = "conflict" if plan.conflicts else "update" if plan.translations else "unchanged"
    assert got == outcome
    if plan.conflicts:
        assert (plan.conflicts[0].database, plan.conflicts[0].file) == ("Привет", text)


def test_plan_maps_fuzzy_and_keeps_approval_of_the_same_text():
    plan = _plan("Привет", stored=STORED._replace(state="approved"), fuzzy=True, exported={7: 3})
    assert [(t.text, t.state) for t in plan.translations] == [("Привет", "fuzzy")]
    assert not _plan("Привет", stored=STORED._replace(state="approved")).translations


def test_entries_of_another_document_are_reported_not_applied():
    message = PoMessage(msgid="Not in the article", msgstr="x", msgctxt="k1")
    state = CatalogState(document_id=1, po_document=False, segments=(STORED,))
    plan = plan_import(PoCatalog(messages=(message,)), state, document="article", lang="ru")
    assert plan.unmatched == [(0, "Not in the article")] and not plan.translations


def test_language_from_header_folder_or_name():
    with_header = PoCatalog(messages=(PoMessage(msgid="", msgstr="Language: kk\n"),))
    bare = PoCatalog(messages=())
    assert language_of(with_header, "x.po") == "kk"
    assert language_of(bare, "locales/ru/LC_MESSAGES/article.po") == "ru"
    assert language_of(bare, "po/de.po") == "de"
    latin = PoCatalog(messages=(PoMessage(msgid="", msgstr="Language: kk@latin\n"),))
    assert language_of(latin, "x.po") == "kk-Latn"
    assert language_of(bare, "messages.po") is None


def _export(session: Session, lang: str) -> PoCatalog:
    exported = build_catalog(session=session, document="article", lang=lang)
    record_export(session=session, exported=exported)
    session.commit()
    return exported.catalog


def _edit(catalog: PoCatalog, msgid: str, text: str) -> PoCatalog:
    messages = tuple(dataclasses.replace(m, msgstr=text, flags=()) if m.msgid == msgid else m
                     for m in catalog.messages)
    return PoCatalog(messages=messages, charset=catalog.charset)


SENTENCE = "The situation is stable in all regions."


def _translation(session: Session, lang: str = "ru") -> Translation:
    return session.exec(select(Translation).join(Segment, Segment.id == Translation.segment_id)
                        .where(Segment.source == SENTENCE, Translation.lang == lang)).one()


def test_translation_edited_in_the_file_updates_the_database(seeded_db_url: str):
    with Session(make_engine(seeded_db_url)) as session:
        catalog = _edit(_export(session, "ru"), SENTENCE, "Ситуация во всех регионах стабильна.")
        report = import_catalog(session=session, catalog=catalog, document="article", lang="ru")
        session.commit()
        assert (report.updated, report.conflicts, report.unmatched) == (1, (), 0)
        assert _translation(session).text == "Ситуация во всех регионах стабильна."
        again = import_catalog(session=session, catalog=catalog, document="article", lang="ru")
        assert (again.updated, again.conflicts) == (0, ())


def test_translation_changed_on_both_sides_is_a_conflict_and_left_alone(seeded_db_url: str):
    with Session(make_engine(seeded_db_url)) as session:
        catalog = _edit(_export(session, "ru"), SENTENCE, "Ситуация во всех регионах стабильна.")
        current = _translation(session)
        set_translation(session=session, segment_id=current.segment_id, lang="ru",
                        text="Обстановка во всех регионах стабильная.", state="approved")
        session.commit()
        report = import_catalog(session=session, catalog=catalog, document="article", lang="ru")
        session.commit()
        assert [(c.database, c.file) for c in report.conflicts] == [
            ("Обстановка во всех регионах стабильная.", "Ситуация во всех регионах стабильна.")]
        assert _translation(session).text == "Обстановка во всех регионах стабильная."


def _empty_session(tmp_path: Path) -> Session:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    init_database(engine)
    return Session(engine)


@pytest.mark.parametrize("path", sorted(DATA.glob("*.po*")), ids=lambda p: p.name)
def test_any_catalogue_imported_as_a_document_exports_losslessly(path: Path, tmp_path: Path):
    with path.open("rb") as handle:
        original = read_po(handle, path)
    lang = language_of(original, str(path)) or ""
    with _empty_session(tmp_path) as session:
        report = import_catalog(session=session, catalog=original, document="reader", lang=lang,
                                path=str(path))
        session.commit()
        assert report.created
        exported = build_catalog(session=session, document="reader", lang=lang or None).catalog
    assert exported.charset == original.charset
    ours = b"".join(encode_po(exported, generate_po(exported)))
    assert ours == b"".join(encode_po(original, generate_po(original)))


def test_importing_the_article_catalogue_into_an_empty_database_creates_it(
    tmp_path: Path, seeded_db_url: str
):
    with Session(make_engine(seeded_db_url)) as session:
        catalog = build_catalog(session=session, document="article", lang="de").catalog
        segments = len(session.exec(select(Segment)).all())
    written = b"".join(encode_po(catalog, generate_po(catalog)))
    with _empty_session(tmp_path) as session:
        catalog = read_po(io.BytesIO(written), "de.po")
        import_catalog(session=session, catalog=catalog, document="article", lang="de")
        session.commit()
        again = build_catalog(session=session, document="article", lang="de").catalog
        assert len(session.exec(select(Segment)).all()) == segments == len(catalog.messages) - 1  # + header
    assert b"".join(encode_po(again, generate_po(again))) == written


def test_a_file_still_holding_what_was_exported_leaves_the_database_edits_alone(seeded_db_url: str):
    with Session(make_engine(seeded_db_url)) as session:
        catalog = _export(session, "ru")
        edited = session.exec(select(Translation).join(Segment, Segment.id == Translation.segment_id)
                              .where(Translation.lang == "ru").order_by(Segment.position).limit(3)).all()
        texts = {}
        for number, translation in enumerate(edited):
            texts[translation.segment_id] = f"Правка {number}: {translation.text}"
            set_translation(session=session, segment_id=translation.segment_id, lang="ru",
                            text=texts[translation.segment_id], state="translated")
        session.commit()
        report = import_catalog(session=session, catalog=catalog, document="article", lang="ru")
        session.commit()
        assert (report.updated, report.conflicts) == (0, ())
        assert report.unchanged >= len(texts) == 3
        for segment_id, text in texts.items():
            stored = session.exec(select(Translation).where(
                Translation.segment_id == segment_id, Translation.lang == "ru")).one()
            assert stored.text == text
