"""Pilot tests of the review screen's flows on a real database: edit, approve, insert, conflict, keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select
from textual.widgets import DataTable
from tui_helpers import SIZE, looked_up, open_review, reviewing, segment_with, show_segment, stored, wait_for

from glossary.memory.units import NewUnit, add_units
from glossary.model.tables import Segment, TranslationHistory
from glossary.store.documents import set_translation
from glossary.store.engine import make_engine
from tui.app import make_app
from tui.screens import review as review_module
from tui.screens.dialogs import ChooserDialog, ConflictDialog, LanguageDialog
from tui.screens.help import HelpScreen
from tui.widgets.editor import TargetEditor, location_of
from tui.widgets.panels import NamesPanel

sqlite_only = pytest.mark.parametrize("seeded_db_url", ["sqlite"], indirect=True)

# Segments of the bundled article the tests work on.
FUZZY_RU = "Update 2022-01-13: added to sources"  # any segment will do for editing
MATCH_UK = "Одиниця пам’яті для цієї перевірки."  # "a memory unit for this test" (Ukrainian: untranslated)


def _write(url: str, **units: object) -> None:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            add_units(session=session, units=[NewUnit(**units)])  # type: ignore[arg-type]
            session.commit()
    finally:
        engine.dispose()


def _colleague_approves(url: str, segment_id: int, text: str) -> None:
    """Another translator saves the segment's Russian text, on a connection of their own."""
    other = make_engine(url)
    try:
        with Session(other) as session:
            set_translation(session=session, segment_id=segment_id, lang="ru", text=text, state="approved",
                            author="colleague")
            session.commit()
    finally:
        other.dispose()


@sqlite_only
async def test_edit_and_approve_persist_across_a_restart(seeded_db_url: str):
    segment = segment_with(seeded_db_url, "Highly recommended.")
    assert segment.id is not None
    async with reviewing(seeded_db_url, "ru", segment.id) as (_app, pilot, review):
        editor = review.query_one(TargetEditor)
        editor.focus()
        editor.move_cursor(editor.document.end)
        await pilot.press("backspace", "space", *"всем", "exclamation_mark")
        assert editor.text == "Настоятельно рекомендую всем!"
        await pilot.press("ctrl+j")  # approve and go to the next segment
        await wait_for(pilot, lambda: review.current is not None and review.current.id != segment.id)
    saved = stored(seeded_db_url, segment.id, "ru")
    assert saved is not None and (saved.text, saved.state) == ("Настоятельно рекомендую всем!", "approved")
    engine = make_engine(seeded_db_url)
    with Session(engine) as session:
        history = session.exec(
            select(TranslationHistory).where(TranslationHistory.translation_id == saved.id)
        )
        assert "Настоятельно рекомендую." in [h.text for h in history]  # the earlier text is kept
    engine.dispose()

    async with reviewing(seeded_db_url, "ru", segment.id) as (_again, pilot, review):
        assert review.query_one(TargetEditor).text == "Настоятельно рекомендую всем!"
        assert review.current is not None and review.current.state == "approved"


@sqlite_only
async def test_typing_is_saved_without_a_save_key_and_quitting_keeps_it(seeded_db_url: str):
    segment = segment_with(seeded_db_url, "Highly recommended.")
    assert segment.id is not None
    async with reviewing(seeded_db_url, "ru", segment.id) as (_app, pilot, review):
        editor = review.query_one(TargetEditor)
        editor.focus()
        editor.move_cursor(editor.document.end)
        await pilot.press(*"!!")
        await pilot.press("ctrl+q")  # quit at once: the pending edit is written first
    saved = stored(seeded_db_url, segment.id, "ru")
    assert saved is not None and saved.text == "Настоятельно рекомендую.!!"
    assert saved.state == "translated"  # an edited approved text needs review again


def _untranslated(url: str, lang: str, words: int) -> tuple[int, str]:
    """A segment of the article with no translation into ``lang`` whose source has ``words`` words
    or more: (id, source)."""
    from glossary.store.segments import fetch_rows, open_document, segment_refs

    engine = make_engine(url)
    try:
        with Session(engine) as session:
            doc = open_document(session=session)
            refs = segment_refs(session=session, document_id=doc.id, lang=lang, states={"new"})
            rows = fetch_rows(session=session, ids=[r.id for r in refs], lang=lang)
            row = next(r for r in rows if len(r.source.split()) >= words and r.target is None)
            return row.id, row.source
    finally:
        engine.dispose()


@sqlite_only
async def test_insert_memory_match(seeded_db_url: str):
    segment_id, source = _untranslated(seeded_db_url, "uk", 6)
    words = source.split()
    similar = " ".join([*words[:-2], "indeed", words[-1]])  # one word changed: a fuzzy match
    _write(seeded_db_url, source_lang="en", target_lang="uk", origin="test", source=similar, target=MATCH_UK)
    async with reviewing(seeded_db_url, "uk", segment_id) as (_app, pilot, review):
        assert review.lookup is not None
        targets = [m.target for m in review.lookup.matches]
        assert MATCH_UK in targets
        await pilot.press(f"alt+{targets.index(MATCH_UK) + 1}")
        assert review.query_one(TargetEditor).text == MATCH_UK
        await wait_for(pilot, lambda: not review.pending, what="the autosave")
    saved = stored(seeded_db_url, segment_id, "uk")
    assert saved is not None and (saved.text, saved.state) == (MATCH_UK, "translated")


@sqlite_only
async def test_insert_a_name_at_the_cursor(seeded_db_url: str):
    segment = segment_with(seeded_db_url, "Also added a short biography of Tokayev.")
    assert segment.id is not None
    async with reviewing(seeded_db_url, "de", segment.id) as (app, pilot, review):
        editor = review.query_one(TargetEditor)
        editor.focus()
        editor.replace_all("Außerdem eine kurze Biografie von")
        await pilot.press("ctrl+n")
        assert isinstance(app.screen, ChooserDialog)
        labels = app.screen.items
        number = next(i for i, label in enumerate(labels, start=1) if label.startswith("Tokayev"))
        await pilot.press(str(number))
        assert editor.text == "Außerdem eine kurze Biografie von Tokajew"


@sqlite_only
async def test_insert_a_name_keeps_the_case_ending_the_target_uses(seeded_db_url: str):
    segment = segment_with(seeded_db_url, "Also added a short biography of Tokayev.")
    assert segment.id is not None
    async with reviewing(seeded_db_url, "ru", segment.id) as (app, pilot, review):
        editor = review.query_one(TargetEditor)
        editor.focus()
        # The Kazakh spelling in a Russian text, in the genitive: the preferred form must keep "-а".
        editor.replace_all("Также добавлена краткая биография Тоқаева.")
        await wait_for(pilot, lambda: review.lookup is not None
                       and any(n.target_span for n in review.lookup.names), what="the recheck")
        await pilot.press("ctrl+n")
        labels = app.screen.items  # type: ignore[attr-defined]
        number = next(i for i, label in enumerate(labels, start=1) if label.startswith("Tokayev"))
        assert "Токаева" in labels[number - 1]
        await pilot.press(str(number))
        assert editor.text == "Также добавлена краткая биография Токаева."


@sqlite_only
async def test_the_names_panel_ticks_only_the_form_the_term_base_wants(seeded_db_url: str):
    segment = segment_with(seeded_db_url, "Also added a short biography of Tokayev.")
    assert segment.id is not None
    async with reviewing(seeded_db_url, "ru", segment.id) as (_app, pilot, review):
        panel = review.query_one(NamesPanel)
        editor = review.query_one(TargetEditor)
        # The Kazakh spelling in a Russian text names Tokayev, but not as Russian writes him.
        editor.replace_all("Также добавлена краткая биография Тоқаева.")
        await wait_for(pilot, lambda: review.lookup is not None
                       and any(n.target_surface == "Тоқаева" for n in review.lookup.names),
                       what="the recheck")
        shown = str(panel.render())
        assert "target writes Тоқаева" in shown and "✓" not in shown
        editor.replace_all("Также добавлена краткая биография Токаева.")
        await wait_for(pilot, lambda: review.lookup is not None
                       and any(n.target_surface == "Токаева" for n in review.lookup.names),
                       what="the recheck")
        shown = str(panel.render())
        assert "✓ in target" in shown and "target writes" not in shown


@pytest.mark.parametrize("seeded_db_url", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
                         indirect=True)
async def test_a_conflicting_save_shows_both_versions_and_overwrites_nothing(seeded_db_url: str):
    segment = segment_with(seeded_db_url, "Highly recommended.")
    assert segment.id is not None
    async with reviewing(seeded_db_url, "ru", segment.id) as (app, pilot, review):
        _colleague_approves(seeded_db_url, segment.id, "Очень рекомендую.")
        editor = review.query_one(TargetEditor)
        editor.focus()
        editor.replace_all("Горячо рекомендую.")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConflictDialog), what="the conflict dialog")
        dialog = app.screen
        assert isinstance(dialog, ConflictDialog)
        assert dialog.mine == "Горячо рекомендую."
        assert dialog.theirs.target == "Очень рекомендую." and dialog.theirs.author == "colleague"
        saved = stored(seeded_db_url, segment.id, "ru")
        assert saved is not None and saved.text == "Очень рекомендую."  # nothing overwritten
        # Moving on is refused while the edit is unsaved: it is not lost.
        await pilot.press("escape")
        await pilot.press("alt+down")
        assert review.current is not None and review.current.id == segment.id
        assert editor.text == "Горячо рекомендую."
        # Keeping theirs loads the stored version.
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConflictDialog), what="the dialog again")
        await pilot.press("t")
        assert editor.text == "Очень рекомендую." and not review.pending
    saved = stored(seeded_db_url, segment.id, "ru")
    assert saved is not None and (saved.text, saved.author) == ("Очень рекомендую.", "colleague")


@sqlite_only
async def test_a_conflict_resolved_with_mine_writes_mine_over_the_newer_version(seeded_db_url: str):
    segment = segment_with(seeded_db_url, "Highly recommended.")
    assert segment.id is not None
    async with reviewing(seeded_db_url, "ru", segment.id) as (app, pilot, review):
        _colleague_approves(seeded_db_url, segment.id, "Очень рекомендую.")
        review.query_one(TargetEditor).replace_all("Горячо рекомендую.")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConflictDialog), what="the conflict dialog")
        await pilot.press("m")
        await wait_for(pilot, lambda: not review.pending, what="the save")
    saved = stored(seeded_db_url, segment.id, "ru")
    assert saved is not None and saved.text == "Горячо рекомендую." and saved.version == 3


@sqlite_only
async def test_a_key_remapped_in_the_config_file(seeded_db_url: str, tmp_path: Path):
    config = tmp_path / "keys.toml"
    config.write_text('[keys]\napprove_next = "f9"\nhelp = "f10"\n', encoding="utf-8")
    segment = segment_with(seeded_db_url, "Highly recommended.")
    assert segment.id is not None
    async with reviewing(seeded_db_url, "ru", segment.id, config_path=config) as (app, pilot, review):
        review.query_one(TargetEditor).replace_all("Рекомендую.")
        await pilot.press("ctrl+j")  # the default key no longer approves
        assert review.current is not None and review.current.id == segment.id
        await pilot.press("f9")
        await wait_for(pilot, lambda: review.current is not None and review.current.id != segment.id)
        await pilot.press("f10")
        assert isinstance(app.screen, HelpScreen)
        assert "f9" in str(app.screen.keymap.get("approve_next"))
    saved = stored(seeded_db_url, segment.id, "ru")
    assert saved is not None and (saved.text, saved.state) == ("Рекомендую.", "approved")


@sqlite_only
async def test_a_bad_key_file_is_reported_and_the_defaults_stand(seeded_db_url: str, tmp_path: Path):
    config = tmp_path / "keys.toml"
    config.write_text('[keys]\napprove = "f9"\n', encoding="utf-8")
    app = make_app(seeded_db_url, lang="ru", config_path=config)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.screen_stack and type(app.screen).__name__ == "ErrorDialog")
        assert "no action 'approve'" in app.screen.message  # type: ignore[attr-defined]


async def test_a_database_that_cannot_be_opened_shows_what_to_do(tmp_path: Path):
    app = make_app(f"sqlite:///{tmp_path / 'missing' / 'folder' / 'glossary.db'}", lang="ru")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ErrorDialog", what="the error dialog")
        assert "cannot open database" in app.screen.message  # type: ignore[attr-defined]
        assert "--db" in app.screen.advice  # type: ignore[attr-defined]
        await pilot.press("enter")
    assert app.return_value == 2


def test_location_of_counts_code_points_like_the_editor():
    text = "Касым-Жомарт\nKasy\u0361m Tokaev"
    assert location_of(text, 0) == (0, 0)
    assert location_of(text, 13) == (1, 0)
    assert location_of(text, len(text)) == (1, len("Kasy\u0361m Tokaev"))


def _segment_by_key(url: str, key: str) -> int:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            segment = session.exec(select(Segment).where(Segment.key == key)).one()
            assert segment.id is not None
            return segment.id
    finally:
        engine.dispose()


@sqlite_only
async def test_apply_a_findings_fix(seeded_db_url: str):
    # A planted flaw of the Russian review exercise: ОДКБ written with a Latin O.
    segment_id = _segment_by_key(seeded_db_url, "a8dc9a7f86df")
    before = stored(seeded_db_url, segment_id, "ru")
    assert before is not None and "OДКБ" in before.text
    async with reviewing(seeded_db_url, "ru", segment_id) as (app, pilot, review):
        assert review.lookup is not None and any(f.rule == "term-script" for f in review.lookup.findings)
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, ChooserDialog)
        number = next(i for i, label in enumerate(app.screen.items, start=1) if "OДКБ → ОДКБ" in label)
        await pilot.press(str(number))
        editor = review.query_one(TargetEditor)
        assert "OДКБ" not in editor.text and "ОДКБ" in editor.text
        await wait_for(pilot, lambda: review.lookup is not None and review.lookup.segment_id == segment_id
                       and not any(f.rule == "term-script" for f in review.lookup.findings),
                       what="the recheck")
        await pilot.press("ctrl+z")  # undo takes the fix back
        assert "OДКБ" in editor.text
        await pilot.press("ctrl+y")
        await wait_for(pilot, lambda: not review.pending, what="the autosave")
    saved = stored(seeded_db_url, segment_id, "ru")
    assert saved is not None and "OДКБ" not in saved.text and "ОДКБ" in saved.text


@sqlite_only
async def test_filter_by_findings_and_walk_them(seeded_db_url: str):
    async with reviewing(seeded_db_url, "ru") as (_app, pilot, review):
        total = len(review.segment_list.refs)
        await wait_for(pilot, lambda: len(review.document_findings) > 5, what="the document check")
        keys_with_findings = set(review.document_findings)
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: len(review.segment_list.refs) < total, what="the filter")
        shown = {ref.key for ref in review.segment_list.refs}
        assert shown == keys_with_findings
        assert review.current is not None and review.current.key in keys_with_findings
        await pilot.press("ctrl+o")  # off again
        await wait_for(pilot, lambda: len(review.segment_list.refs) == total, what="the whole list")
        review.segment_list.move_to(0)
        await pilot.press("alt+e")  # next segment with findings
        await wait_for(pilot, lambda: review.current is not None and review.current.key in keys_with_findings)


@sqlite_only
async def test_findings_screen_jumps_to_the_segment(seeded_db_url: str):
    segment_id = _segment_by_key(seeded_db_url, "a8dc9a7f86df")
    async with reviewing(seeded_db_url, "ru") as (app, pilot, review):
        await wait_for(pilot, lambda: "a8dc9a7f86df" in review.document_findings, what="the document check")
        await pilot.press("f4")
        table = app.screen.query_one(DataTable)
        keys = [str(key.value).split("\x1f")[0] for key in table.rows]
        assert "a8dc9a7f86df" in keys and len(keys) == sum(len(v) for v in review.document_findings.values())
        table.move_cursor(row=keys.index("a8dc9a7f86df"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: review.current is not None and review.current.id == segment_id)


@sqlite_only
async def test_a_crash_does_not_lose_the_edit_in_progress(seeded_db_url: str, monkeypatch):
    monkeypatch.setattr(review_module, "SAVE_DELAY", 60.0)  # only the way out can write it
    segment = segment_with(seeded_db_url, "Highly recommended.")
    assert segment.id is not None
    app = make_app(seeded_db_url, lang="ru")
    with pytest.raises(ZeroDivisionError):
        async with app.run_test(size=SIZE) as pilot:
            review = await open_review(pilot)
            await show_segment(pilot, segment.id)
            review.query_one(TargetEditor).replace_all("Рекомендую всем.")
            await pilot.pause()
            assert review.pending  # typed, not yet written (the autosave waits for a pause in typing)
            app.call_later(lambda: 1 / 0)  # a bug in a handler: Textual stops the app
            await pilot.pause(0.5)
    saved = stored(seeded_db_url, segment.id, "ru")
    assert saved is not None and saved.text == "Рекомендую всем."


@sqlite_only
async def test_a_lost_connection_shows_what_to_do_and_keeps_the_text(seeded_db_url: str, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from tui.data import ReviewData
    from tui.screens.dialogs import ErrorDialog

    def lost(*_args, **_kwargs):
        gone = Exception("server closed the connection unexpectedly")
        raise OperationalError("UPDATE translation …", {}, gone, connection_invalidated=True)

    segment = segment_with(seeded_db_url, "Highly recommended.")
    assert segment.id is not None
    async with reviewing(seeded_db_url, "ru", segment.id) as (app, pilot, review):
        monkeypatch.setattr(ReviewData, "save", lost)
        editor = review.query_one(TargetEditor)
        editor.replace_all("Рекомендую всем.")
        await pilot.pause()
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ErrorDialog)
        assert app.screen.title_text == "Lost the database connection"
        assert "server is running" in app.screen.advice
        await pilot.press("enter")
        # The dialog is gone before the next key (pressed at once, it would still go to the dialog).
        await wait_for(pilot, lambda: app.screen is review, timeout=10, what="the dialog to close")
        assert editor.text == "Рекомендую всем." and review.pending  # kept, to be saved later
        monkeypatch.undo()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not review.pending, what="the save once the server is back")
    saved = stored(seeded_db_url, segment.id, "ru")
    assert saved is not None and saved.text == "Рекомендую всем."


@sqlite_only
async def test_back_to_the_last_edited_segment_and_another_language(seeded_db_url: str):
    first = segment_with(seeded_db_url, "Highly recommended.")
    async with reviewing(seeded_db_url, "ru", first.id) as (app, pilot, review):  # type: ignore[arg-type]
        review.query_one(TargetEditor).replace_all("Рекомендую.")
        await pilot.pause()
        for _ in range(3):
            await pilot.press("alt+down")
        await wait_for(pilot, lambda: review.current is not None and review.current.id != first.id)
        await pilot.press("ctrl+b")
        await wait_for(pilot, lambda: review.current is not None and review.current.id == first.id)
        assert review.query_one(TargetEditor).text == "Рекомендую."
        await pilot.press("ctrl+l")
        dialog = app.screen
        assert isinstance(dialog, LanguageDialog)
        assert {lang for lang, _ in dialog.choices} >= {"de", "kk", "ru"}
        assert all("✓" in label for _, label in dialog.choices)  # each language's progress
        await pilot.press("escape")
        review.switch_language("kk")
        await wait_for(pilot, lambda: looked_up(app) and review.current is not None
                       and review.current.lang == "kk" and review.current.id == first.id)
        assert review.query_one(TargetEditor).text == (review.current.target or "")  # the Kazakh text


@sqlite_only
async def test_state_and_text_filters(seeded_db_url: str):
    async with reviewing(seeded_db_url, "ru") as (_app, pilot, review):
        total = len(review.segment_list.refs)
        await pilot.press("ctrl+t", "ctrl+t")  # all → untranslated → fuzzy
        await wait_for(pilot, lambda: 0 < len(review.segment_list.refs) < total, what="the fuzzy filter")
        assert {ref.state for ref in review.segment_list.refs} == {"fuzzy"}
        await pilot.press("ctrl+t", "ctrl+t", "ctrl+t")  # translated → approved → all
        await wait_for(pilot, lambda: len(review.segment_list.refs) == total)
        await pilot.press("ctrl+f")
        await pilot.press(*"мажилис", "enter")  # casefolded, in the translation
        await wait_for(pilot, lambda: len(review.segment_list.refs) < total, what="the text filter")
        rows = review.segment_list.refs
        assert rows and all("мажилис" in (review.data.row(r.id).target or "").casefold() for r in rows)


@sqlite_only
async def test_every_review_action_is_in_the_command_palette(seeded_db_url: str):
    app = make_app(seeded_db_url, lang="ru")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Approve▸next", "Match 1", "Name…", "Fix…", "Language", "Back", "Terms"} <= titles


@sqlite_only
async def test_the_next_segment_is_looked_up_ahead_and_shown_at_once(seeded_db_url: str):
    """While a segment is open, the next one is looked up in the background; moving on shows that
    lookup itself (no second lookup), and it is what the library answers for the segment."""
    async with reviewing(seeded_db_url, "ru") as (_app, pilot, review):
        following = review.segment_list.refs[review.segment_list.cursor + 1].id

        def prefetched():
            made = review._prefetched
            return made if made is not None and made.lookup.segment_id == following else None

        await wait_for(pilot, prefetched, what="the lookup of the next segment")
        ahead = prefetched()
        assert ahead is not None
        await pilot.press("alt+down")
        await wait_for(pilot, lambda: review.current is not None and review.current.id == following)
        assert review.lookup is not None and review.lookup.spans is ahead.lookup.spans
        row = review.current
        assert [(m.unit_id, m.score) for m in review.lookup.matches] == [
            (m.unit_id, m.score) for m in review.data.matches(row)
        ]
        own = {(f.rule, f.surface) for f in review.lookup.findings if f.rule not in review.data.corpus_rules}
        assert own == {(f.rule, f.surface) for f in review.data.check(row, row.target or "")}
        assert review.lookup.names == review.data.names(row, row.target or "")


@sqlite_only
async def test_a_lookup_made_ahead_is_not_used_after_a_write(seeded_db_url: str):
    """A save may change the next segment's memory matches: the lookup made before it is dropped."""
    async with reviewing(seeded_db_url, "ru") as (app, pilot, review):
        following = review.segment_list.refs[review.segment_list.cursor + 1].id
        await wait_for(pilot, lambda: review._prefetched is not None
                       and review._prefetched.lookup.segment_id == following, what="the lookup ahead")
        ahead = review._prefetched
        assert ahead is not None
        editor = review.query_one(TargetEditor)
        editor.insert_at_cursor("!")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not review.pending, what="the save")
        await pilot.press("alt+down")
        await wait_for(pilot, lambda: looked_up(app) and review.current is not None
                       and review.current.id == following, what="the next segment")
        assert review.lookup is not None and review.lookup.spans is not ahead.lookup.spans
