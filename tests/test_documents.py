"""Tests for glossary.store.documents: re-imports that keep translations, edits with history, seeds."""

from __future__ import annotations

import json
from contextlib import contextmanager
from importlib import resources

import pytest
from sqlmodel import Session, func, select

from glossary.model.errors import ConflictError, NotFoundError, ParseError, UsageError
from glossary.model.tables import Segment, Translation, TranslationHistory
from glossary.store import documents
from glossary.store.documents import (
    ImportReport,
    import_document,
    list_segments,
    load_bundled_translations,
    load_translations,
    set_translation,
)
from glossary.store.engine import init_database, make_engine
from glossary.text.segment import split_document

EDITED_OLD = "The police repelled the attacks."
EDITED_NEW = "The police repelled all the attacks."
REMOVED_PARAGRAPH = (
    "Again, the timing of this to occur over the Russian Orthodox celebration of Christmas points to the "
    "Islamic extremists but also to attempts to catch Kazakhstan and Russia off guard. "
    "The attempt failed miserably."
)


@pytest.fixture(scope="module")
def article() -> str:
    return (resources.files("glossary") / "data" / "article.txt").read_text(encoding="utf-8")


@pytest.fixture
def engine(db_url):
    """An empty schema on each backend (SQLite file, PostgreSQL server)."""
    engine = make_engine(db_url)
    init_database(engine)
    return engine


@pytest.fixture
def session(engine):
    with Session(engine) as session:
        yield session


@pytest.fixture
def translated(session, article):
    """The article imported and every segment translated and approved in Russian."""
    import_document(session=session, name="article", text=article)
    for row in list_segments(session=session, document="article", lang="ru"):
        set_translation(
            session=session, segment_id=row.id, lang="ru", text=f"ru {row.key}", state="approved", author="A"
        )
    session.commit()
    return {row.key: row for row in list_segments(session=session, document="article", lang="ru")}


def _count(article: str) -> int:
    """Segments of the article, the read-only one (a bare URL) included: a re-import counts them all."""
    return len(split_document(article))


def _history_count(session) -> int:
    return session.exec(select(func.count()).select_from(TranslationHistory)).one()


def test_first_import_stores_every_segment(session, article):
    report = import_document(session=session, name="article", text=article, credit="CC BY-SA 4.0")
    session.commit()
    rows = list_segments(session=session, document="article", include_read_only=True)
    from glossary.text.segment import split_document

    expected = split_document(article)
    assert [(r.key, r.source, r.block, r.position) for r in rows] == [
        (s.key, s.text, s.block, s.position) for s in expected
    ]
    assert report == ImportReport(document="article", added=len(expected))


def test_read_only_segments_are_stored_flagged_and_left_out_of_listings(session, article):
    import_document(session=session, name="article", text=article)
    session.commit()
    url = "https://creativecommons.org/licenses/by-sa/4.0/legalcode"
    flagged = session.exec(select(Segment.source).where(Segment.flags == "read-only")).all()
    assert flagged == [url]
    everything = list_segments(session=session, document="article", lang="ru", include_read_only=True)
    listed = list_segments(session=session, document="article", lang="ru")
    assert [r.source for r in everything if r not in listed] == [url]
    assert len(listed) == len(everything) - 1


def test_reimport_updates_flags_when_a_line_becomes_or_stops_being_a_bare_url(session):
    import_document(session=session, name="d", text="Intro line here.\nhttps://example.org/feed")
    import_document(session=session, name="d", text="Intro line here.\nhttps://example.org/feed/")
    flags = dict(session.exec(select(Segment.source, Segment.flags).where(Segment.obsolete == False)).all())  # noqa: E712
    assert flags == {"Intro line here.": None, "https://example.org/feed/": "read-only"}
    prose = "https://example.org/feed/ is the feed."
    import_document(session=session, name="d", text=f"Intro line here.\n{prose}")
    rows = list_segments(session=session, document="d")
    assert [r.source for r in rows] == ["Intro line here.", prose]


def test_a_unit_for_a_read_only_segment_is_refused(session, tmp_path):
    import_document(session=session, name="d", text="Hello there.\nhttps://example.org/feed")
    path = tmp_path / "ru.toml"
    path.write_text('[[unit]]\nsource = "https://example.org/feed"\ntarget = "x"\n', encoding="utf-8")
    with pytest.raises(ParseError, match="matches no segment"):
        load_translations(session=session, document="d", lang="ru", path=path)


def test_second_import_changes_nothing(session, article, translated):
    report = import_document(session=session, name="article", text=article)
    session.commit()
    assert report == ImportReport(document="article", unchanged=_count(article))
    rows = list_segments(session=session, document="article", lang="ru")
    assert [(r.key, r.target, r.state, r.version) for r in rows] == [
        (r.key, r.target, "approved", 1) for r in translated.values()
    ]
    assert _history_count(session) == 0


def test_editing_one_sentence_fuzzies_exactly_its_translation(session, article, translated):
    assert article.count(EDITED_OLD) == 1
    report = import_document(session=session, name="article", text=article.replace(EDITED_OLD, EDITED_NEW))
    session.commit()
    assert report == ImportReport(document="article", unchanged=_count(article) - 1, changed=1)

    rows = list_segments(session=session, document="article", lang="ru")
    old = next(r for r in translated.values() if r.source == EDITED_OLD)
    (edited,) = [r for r in rows if r.source == EDITED_NEW]
    assert edited.id == old.id and edited.position == old.position
    assert edited.key != old.key
    assert edited.previous_source == EDITED_OLD
    assert (edited.target, edited.state, edited.version) == (old.target, "fuzzy", 2)
    others = [r for r in rows if r.id != edited.id]
    assert all(r.state == "approved" and r.version == 1 and r.previous_source is None for r in others)

    history = session.exec(select(TranslationHistory)).all()
    assert [(h.text, h.state, h.version, h.author) for h in history] == [(old.target, "approved", 1, "A")]


def test_removing_a_paragraph_obsoletes_its_segments_and_keeps_translations(session, article, translated):
    assert article.count(REMOVED_PARAGRAPH + "\n") == 1
    shorter = article.replace(REMOVED_PARAGRAPH + "\n", "")
    report = import_document(session=session, name="article", text=shorter)
    session.commit()
    assert report == ImportReport(document="article", unchanged=_count(article) - 2, obsoleted=2)

    live = list_segments(session=session, document="article", lang="ru")
    assert "The attempt failed miserably." not in {r.source for r in live}
    assert [r.position for r in live] == list(range(len(live)))
    everything = list_segments(session=session, document="article", lang="ru", include_obsolete=True)
    gone = [r for r in everything if r.obsolete]
    assert [r.source for r in gone] == [
        "Again, the timing of this to occur over the Russian Orthodox celebration of Christmas points to "
        "the Islamic extremists but also to attempts to catch Kazakhstan and Russia off guard.",
        "The attempt failed miserably.",
    ]
    assert all(r.target == translated[r.key].target and r.state == "approved" for r in gone)

    # Putting the paragraph back revives the same rows with their translations.
    report = import_document(session=session, name="article", text=article)
    session.commit()
    assert report == ImportReport(document="article", unchanged=_count(article) - 2, restored=2)
    rows = list_segments(session=session, document="article", lang="ru")
    assert [(r.id, r.key, r.target, r.position) for r in rows] == [
        (r.id, r.key, r.target, r.position) for r in translated.values()
    ]


def test_adding_a_sentence_adds_exactly_one(session, article, translated):
    added = "A sentence nobody has translated yet appears here."
    longer = article.replace(EDITED_OLD, f"{EDITED_OLD} {added}")
    report = import_document(session=session, name="article", text=longer)
    session.commit()
    assert report == ImportReport(document="article", unchanged=_count(article), added=1)
    rows = list_segments(session=session, document="article", lang="ru")
    (new,) = [r for r in rows if r.source == added]
    assert (new.target, new.state, new.version) == (None, "new", 0)
    before = next(r for r in translated.values() if r.source == EDITED_OLD)
    assert new.position == before.position + 1
    assert all(translated[r.key].target == r.target for r in rows if r.id != new.id)


def test_rewritten_sentence_is_obsoleted_and_replaced(session, article, translated):
    rewritten = "Officers held their ground."
    report = import_document(session=session, name="article", text=article.replace(EDITED_OLD, rewritten))
    assert report == ImportReport(document="article", unchanged=_count(article) - 1, added=1, obsoleted=1)


def test_edit_is_matched_to_the_sentence_in_the_same_place(engine):
    text = "Intro line here.\nThe sky is blue today.\nMiddle part.\nThe sky is blue today!\n"
    # Each edit is more like the other place's old sentence; the unchanged neighbours decide.
    edited = "Intro line here.\nThe sky is blue, today!\nMiddle part.\nThe sky is blue, today.\n"
    with Session(engine) as session:
        import_document(session=session, name="d", text=text)
        rows = {r.source: r for r in list_segments(session=session, document="d")}
        report = import_document(session=session, name="d", text=edited)
        assert report.changed == 2
        after = {r.source: r for r in list_segments(session=session, document="d")}
        assert after["The sky is blue, today!"].id == rows["The sky is blue today."].id
        assert after["The sky is blue, today."].id == rows["The sky is blue today!"].id
        assert after["The sky is blue, today!"].previous_source == "The sky is blue today."


def test_reimport_updates_document_fields(session, article):
    import_document(session=session, name="article", text="One line.", path="a.txt", credit="c")
    import_document(session=session, name="article", text="One line.", source_lang="de")
    from glossary.model.tables import Document

    doc = session.exec(select(Document)).one()
    assert (doc.source_lang, doc.path, doc.credit) == ("de", "a.txt", "c")


def test_unknown_format_is_a_usage_error(session):
    with pytest.raises(UsageError):
        import_document(session=session, name="x", text="x", fmt="html")


def test_set_translation_versions_history_and_conflicts(session):
    import_document(session=session, name="d", text="Hello there.")
    (row,) = list_segments(session=session, document="d", lang="fr")
    first = set_translation(
        session=session, segment_id=row.id, lang="fr", text="Salut.", state="translated", expected_version=0
    )
    assert first.version == 1
    second = set_translation(
        session=session,
        segment_id=row.id,
        lang="fr",
        text="Bonjour.",
        state="approved",
        author="B",
        expected_version=1,
    )
    session.commit()
    assert (second.text, second.state, second.version, second.author) == ("Bonjour.", "approved", 2, "B")
    with pytest.raises(ConflictError):
        set_translation(
            session=session, segment_id=row.id, lang="fr", text="X", state="fuzzy", expected_version=1
        )
    history = session.exec(select(TranslationHistory)).all()
    assert [(h.text, h.state, h.version) for h in history] == [("Salut.", "translated", 1)]
    (after,) = list_segments(session=session, document="d", lang="fr")
    assert (after.target, after.version) == ("Bonjour.", 2)


def _one_german_translation(engine) -> int:
    """A document of one segment translated into German (version 1); the segment's id."""
    with Session(engine) as setup:
        import_document(session=setup, name="d", text="Hello there.")
        segment_id = list_segments(session=setup, document="d")[0].id
        set_translation(session=setup, segment_id=segment_id, lang="de", text="Hallo.", state="translated")
        setup.commit()
    return segment_id


def test_conflict_when_another_session_saved_meanwhile(engine):
    segment_id = _one_german_translation(engine)
    with Session(engine) as mine, Session(engine) as theirs:
        # Both editors load version 1; the other one saves first.
        stale = mine.exec(select(Translation)).one()
        assert stale.version == 1
        set_translation(session=theirs, segment_id=segment_id, lang="de", text="Guten Tag.", state="approved")
        theirs.commit()
        # The editor started from version 1: a real conflict, reported with both versions.
        with pytest.raises(ConflictError, match="from version 1, the stored one is version 2"):
            set_translation(session=mine, segment_id=segment_id, lang="de", text="Servus.",
                            state="translated", expected_version=stale.version)
        mine.rollback()
    with Session(engine) as check:
        assert check.exec(select(Translation.text)).one() == "Guten Tag."


def test_an_edit_naming_no_version_applies_to_the_row_as_it_is_now(engine):
    """A session holding an old copy of the row is no conflict when the edit named no version:
    the edit is applied to the stored row and the other writer's text stays in the history."""
    segment_id = _one_german_translation(engine)
    with Session(engine) as mine, Session(engine) as theirs:
        assert mine.exec(select(Translation)).one().version == 1
        set_translation(session=theirs, segment_id=segment_id, lang="de", text="Guten Tag.", state="approved")
        theirs.commit()
        saved = set_translation(session=mine, segment_id=segment_id, lang="de", text="Servus.",
                                state="translated")
        mine.commit()
        assert saved.version == 3
    with Session(engine) as check:
        assert check.exec(select(Translation.text)).one() == "Servus."
        kept = check.exec(select(TranslationHistory.text).order_by(TranslationHistory.version)).all()
        assert kept == ["Hallo.", "Guten Tag."]


def test_set_translation_rejects_bad_state_and_missing_segment(session):
    import_document(session=session, name="d", text="Hello there.")
    segment_id = list_segments(session=session, document="d")[0].id
    with pytest.raises(UsageError):
        set_translation(session=session, segment_id=segment_id, lang="de", text="x", state="done")
    with pytest.raises(NotFoundError):
        set_translation(session=session, segment_id=segment_id + 100, lang="de", text="x", state="fuzzy")
    with pytest.raises(ConflictError):
        set_translation(
            session=session, segment_id=segment_id, lang="de", text="x", state="fuzzy", expected_version=3
        )


def test_unchanged_save_writes_no_history(session):
    import_document(session=session, name="d", text="Hello there.")
    segment_id = list_segments(session=session, document="d")[0].id
    for _ in range(2):
        saved = set_translation(
            session=session, segment_id=segment_id, lang="kk", text="Сәлем.", state="translated"
        )
    assert saved.version == 1
    assert _history_count(session) == 0


def test_list_segments_of_unknown_document(session):
    with pytest.raises(NotFoundError):
        list_segments(session=session, document="nope")


SEED = """\
# seed translations
[[unit]]
source = "Hello there."
target = "Привет."
state = "approved"

[[unit]]
source = "Second line here."
target = "Вторая строка."
"""


def _seeded_doc(session):
    import_document(session=session, name="d", text="Hello there.\nSecond line here.\nThird one.")


def test_load_translations_fills_untranslated_segments(session, tmp_path):
    _seeded_doc(session)
    path = tmp_path / "ru.toml"
    path.write_text(SEED, encoding="utf-8")
    third = list_segments(session=session, document="d")[2]
    set_translation(session=session, segment_id=third.id, lang="ru", text="", state="new")
    assert load_translations(session=session, document="d", lang="ru", path=path) == 2
    rows = list_segments(session=session, document="d", lang="ru")
    assert [(r.target, r.state) for r in rows] == [
        ("Привет.", "approved"),
        ("Вторая строка.", "translated"),
        ("", "new"),
    ]
    # Loading again never overwrites: the seed only fills gaps.
    set_translation(session=session, segment_id=rows[0].id, lang="ru", text="Здравствуйте.", state="approved")
    assert load_translations(session=session, document="d", lang="ru", path=path) == 0
    assert list_segments(session=session, document="d", lang="ru")[0].target == "Здравствуйте."


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (SEED + '\n[[unit]]\nsource = "Not in the document."\ntarget = "x"\n', 11, "matches no segment"),
        (SEED + '\n[[unit]]\nsource = "Third one."\ntarget = "x"\nstate = "done"\n', 11, "state 'done'"),
        (SEED + '\n[[unit]]\nsource = "Third one."\ntarget = "x"\nnote = "n"\n', 11, "unknown keys"),
        (SEED + '\n[[unit]]\nsource = "Third one."\n', 11, "string 'source' and 'target'"),
        (SEED + '\n[[unit]]\nsource = "Third one\n', 12, "invalid TOML"),
    ],
    ids=["unmatched", "bad-state", "unknown-key", "no-target", "bad-toml"],
)
def test_load_translations_errors_name_the_line_and_write_nothing(session, tmp_path, content, line, message):
    _seeded_doc(session)
    path = tmp_path / "ru.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ParseError, match=message) as info:
        load_translations(session=session, document="d", lang="ru", path=path)
    assert (info.value.path, info.value.line) == (str(path), line)
    assert session.exec(select(func.count()).select_from(Translation)).one() == 0


def test_load_bundled_translations_reads_every_language_file(session, tmp_path, monkeypatch):
    _seeded_doc(session)
    (tmp_path / "ru.toml").write_text(SEED, encoding="utf-8")
    (tmp_path / "de.toml").write_text('[[unit]]\nsource = "Third one."\ntarget = "Drei."\n', encoding="utf-8")
    monkeypatch.setattr(documents, "bundled_translation_files", lambda: sorted(tmp_path.glob("*.toml")))
    assert load_bundled_translations(session=session, document="d") == 3
    assert [r.target for r in list_segments(session=session, document="d", lang="de")] == [
        None,
        None,
        "Drei.",
    ]


@pytest.fixture
def cli_engine(engine, monkeypatch):
    """The CLI's sessions opened on the test database, whatever ``--db`` says."""
    from glossary.cli import document as cli_document

    @contextmanager
    def fake_session_for(_args):
        with Session(engine) as session:
            yield session

    monkeypatch.setattr(cli_document, "session_for", fake_session_for)
    return engine


def test_cli_import_prints_report(cli_engine, tmp_path, capsys):
    from glossary.cli import main

    engine = cli_engine
    source = tmp_path / "notes.md"
    source.write_text("# Title\n\nOne sentence. Two sentences.\n", encoding="utf-8")
    assert main(["import", str(source), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report == {
        "document": "notes",
        "added": 3,
        "unchanged": 0,
        "changed": 0,
        "obsoleted": 0,
        "restored": 0,
        "sentence_rules": "en",
    }
    with Session(engine) as check:
        assert check.exec(select(func.count()).select_from(Segment)).one() == 3

    assert main(["import", str(source), "--name", "notes"]) == 0
    assert capsys.readouterr().out.strip() == (
        "imported notes.md as 'notes': 0 added, 3 unchanged, 0 changed, 0 obsoleted, 0 restored"
    )


def test_cli_import_never_merges_another_file_of_the_same_name(cli_engine, tmp_path, capsys):
    from glossary.cli import main

    first, second = tmp_path / "a" / "notes.md", tmp_path / "b" / "notes.md"
    for path, text in ((first, "One sentence.\n"), (second, "Another text.\n")):
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
    assert main(["import", str(first)]) == 0
    assert main(["import", str(first)]) == 0  # the same file again: an update
    capsys.readouterr()
    assert main(["import", str(second)]) == 2
    assert "give --name notes to update it" in capsys.readouterr().err
    with Session(cli_engine) as check:
        assert check.exec(select(Segment.source).where(Segment.obsolete == False)).all() == [  # noqa: E712
            "One sentence."
        ]
    assert main(["import", str(second), "--name", "notes"]) == 0


def test_cli_import_rejects_unknown_suffix_and_bad_text(cli_engine, tmp_path, capsys):
    from glossary.cli import main

    odd = tmp_path / "data.xyz"
    odd.write_text("x", encoding="utf-8")
    assert main(["import", str(odd)]) == 2
    assert "unknown suffix" in capsys.readouterr().err
    binary = tmp_path / "bad.txt"
    binary.write_bytes(b"fine\n\xff\xfe broken\n")
    assert main(["import", str(binary)]) == 2
    assert f"{binary}:2: not UTF-8 text" in capsys.readouterr().err


def test_cli_import_stores_the_canonical_source_language(cli_engine, tmp_path, capsys):
    from glossary.cli import main
    from glossary.model.tables import Document

    source = tmp_path / "notes.txt"
    source.write_text("Am 5. Januar sprach er. Dann ging er.\n", encoding="utf-8")
    assert main(["import", str(source), "--source-lang", "DE_at"]) == 0
    captured = capsys.readouterr()
    assert "note:" not in captured.err  # pysbd has German rules
    with Session(cli_engine) as check:
        assert check.exec(select(Document.source_lang)).one() == "de-AT"
        assert check.exec(select(Segment.source).order_by(Segment.position)).all() == [
            "Am 5. Januar sprach er.",
            "Dann ging er.",
        ]
    with pytest.raises(SystemExit) as stopped:
        main(["import", str(source), "--source-lang", "English"])
    assert stopped.value.code == 2
    assert "'English' is not a language tag" in capsys.readouterr().err


def test_cli_import_says_when_english_sentence_rules_stand_in(cli_engine, tmp_path, capsys):
    from glossary.cli import main

    source = tmp_path / "uz.txt"
    source.write_text("Toqayev gapirdi. Keyin ketdi.\n", encoding="utf-8")
    assert main(["import", str(source), "--source-lang", "uz"]) == 0
    assert "note: no sentence rules for uz; sentences were split by the en rules" in capsys.readouterr().err


def test_the_service_stores_the_canonical_source_language(session):
    from glossary.model.tables import Document

    report = import_document(session=session, name="d", text="Eins. Zwei.", source_lang="DE")
    assert (report.added, report.sentence_rules) == (2, "de")
    assert session.exec(select(Document.source_lang)).one() == "de"
    with pytest.raises(UsageError, match="--source-lang 'xx!'"):
        import_document(session=session, name="e", text="x", source_lang="xx!")


def test_an_article_with_a_character_xml_cannot_carry_is_refused_with_its_line(session):
    with pytest.raises(ParseError, match=r"^notes\.txt:3: U\+0007"):
        import_document(session=session, name="n", text="One.\nTwo.\nBell\x07 three.\n", path="notes.txt")
    assert session.exec(select(func.count()).select_from(Segment)).one() == 0


def test_a_translation_xml_cannot_carry_is_refused(session):
    import_document(session=session, name="d", text="One sentence.")
    [row] = list_segments(session=session, document="d")
    with pytest.raises(UsageError, match=r"U\+001B"):
        set_translation(session=session, segment_id=row.id, lang="ru", text="\x1b[1m", state="translated")


def test_fuzzy_marking_bumps_the_version_once(session):
    import_document(session=session, name="d", text="The police repelled the attacks.")
    [row] = list_segments(session=session, document="d")
    set_translation(session=session, segment_id=row.id, lang="ru", text="x", state="approved")
    session.commit()
    import_document(session=session, name="d", text="The police repelled all the attacks.")
    session.commit()
    [after] = list_segments(session=session, document="d", lang="ru")
    assert (after.state, after.version) == ("fuzzy", 2)


@pytest.mark.slow
def test_many_look_alike_edits_each_find_their_own_old_sentence(engine):
    # Every sentence edited and all alike: each must still pair with the one it was.
    size = 300
    text = "\n".join(f"Sentence number {i} talks about the CSTO and Almaty in detail." for i in range(size))
    with Session(engine) as session:
        import_document(session=session, name="d", text=text)
        session.commit()
        report = import_document(session=session, name="d", text=text.replace("CSTO", "OSCE"))
        session.commit()
        assert report.changed == size
        segments = session.exec(select(Segment)).all()
        assert all(s.previous_source.replace("CSTO", "OSCE") == s.source for s in segments)
