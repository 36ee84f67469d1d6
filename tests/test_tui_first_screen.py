"""Pilot tests of the review screen's first frame (read with sqlite3 before the workspace opens) and of
moving on while the lookup ahead is still running."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest
from sqlmodel import Session
from textual.widgets import Static
from tui_helpers import SIZE, looked_up, open_review, reviewing, segment_with, stored, wait_for

from glossary.store.documents import set_translation
from glossary.store.engine import make_engine
from glossary.store.segments import fetch_rows, open_document, progress, segment_refs
from tui.app import OpeningScreen, make_app
from tui.data import ReviewData
from tui.pending import PendingWorkspace
from tui.screens.review import ReviewScreen
from tui.widgets.editor import TargetEditor
from tui.widgets.panels import FindingsPanel, MatchesPanel, NamesPanel
from tui.widgets.source_view import SourceView

sqlite_only = pytest.mark.parametrize("seeded_db_url", ["sqlite"], indirect=True)
FIRST_TEXT = "Текст, которого нет в поставке: первый экран должен показать именно его."


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Holds the opening of the workspace until set: the review screen stays as the quick read drew it."""
    gate = threading.Event()
    original = PendingWorkspace.open

    def held(self: PendingWorkspace):
        gate.wait(60)  # then opened all the same: whoever waits for it must not wait for ever
        return original(self)

    monkeypatch.setattr(PendingWorkspace, "open", held)
    yield gate
    gate.set()  # a failed test must not leave the worker waiting


def _library(url: str, lang: str) -> tuple[list, list, object]:
    """What the store says: the list, the rows of its first screenful, the progress."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            document = open_document(session=session)
            refs = segment_refs(session=session, document_id=document.id, lang=lang)
            rows = fetch_rows(session=session, ids=[r.id for r in refs[:30]], lang=lang)
            return refs, rows, progress(session=session, document_id=document.id, lang=lang)
    finally:
        engine.dispose()


def _text(widget: Static) -> str:
    return str(widget.render())


@sqlite_only
async def test_the_first_screen_shows_the_segments_before_the_workspace_opens(seeded_db_url: str, gate):
    # The first segment gets a text of its own and another state, and one translation is emptied:
    # a first screen drawn from anything but the database as it is now would not show them.
    refs, _rows, _progress = _library(seeded_db_url, "ru")
    engine = make_engine(seeded_db_url)
    with Session(engine) as session:
        set_translation(session=session, segment_id=refs[0].id, lang="ru", text=FIRST_TEXT, state="fuzzy")
        set_translation(session=session, segment_id=refs[2].id, lang="ru", text="", state="translated")
        session.commit()
    engine.dispose()
    refs, rows, counted = _library(seeded_db_url, "ru")

    app = make_app(seeded_db_url, lang="ru")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.review is not None and app.review.current is not None)
        review = app.review
        assert review is not None and app.data is not None
        assert app.screen is review  # the first screen: no opening screen before it
        assert not app.data.connected  # the workspace is still closed: all this came from the quick read
        assert review.segment_list.refs == refs
        assert review.progress == counted
        assert review.current == rows[0]
        assert review.query_one(TargetEditor).text == FIRST_TEXT
        shown_source = _text(review.query_one(SourceView))
        assert rows[0].source in shown_source and "fuzzy" in shown_source
        await pilot.pause()
        visible = review.segment_list.scrollable_content_region.height
        assert [review.segment_list.row(i) for i in range(visible)] == rows[:visible]  # the lines drawn
        assert "looking up" in _text(review.query_one(MatchesPanel))
        assert "recognising names" in _text(review.query_one(NamesPanel))
        assert "checking" in _text(review.query_one(FindingsPanel))
        assert "opening the term base" in _text(review.query_one("#status", Static))
        assert review.lookup is None

        gate.set()
        await wait_for(pilot, lambda: looked_up(app), what="the panels once the workspace is open")
        assert app.data.connected
        assert "opening the term base" not in _text(review.query_one("#status", Static))
        row = review.current
        assert row is not None and review.lookup is not None
        assert [(m.unit_id, m.score) for m in review.lookup.matches] == [
            (m.unit_id, m.score) for m in review.data.matches(row)
        ]
        assert review.lookup.names == review.data.names(row, row.target or "")


@sqlite_only
async def test_an_edit_made_before_the_workspace_opens_is_saved_once_it_is(seeded_db_url: str, gate):
    app = make_app(seeded_db_url, lang="ru")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.review is not None and app.review.current is not None)
        review = app.review
        assert review is not None and review.current is not None and not review.data.connected
        segment_id = review.current.id
        # The autosave (0.4 s after typing) waits for the workspace, and the screen with it, for a
        # moment: the workspace opens a second after the typing, while the save waits.
        opening = threading.Timer(1.0, gate.set)
        review.query_one(TargetEditor).replace_all("Правка до открытия базы.")
        opening.start()
        assert not gate.is_set()
        await wait_for(pilot, lambda: review.last_edited == segment_id and not review.pending)
        assert gate.is_set() and review.data.connected
    saved = stored(seeded_db_url, segment_id, "ru")
    assert saved is not None and saved.text == "Правка до открытия базы."


async def test_a_first_run_goes_the_full_way(tmp_path, monkeypatch):
    """No file yet: it is set up behind the opening screen, then the review shows as before."""
    # The setting up is held until the opening screen has been seen: it can take less time than
    # the first frame.
    set_up = threading.Event()
    original = ReviewData.open

    def held(cls, *args, **kwargs):
        set_up.wait(60)  # then set up all the same: a failed test must not leave the worker waiting
        return original(*args, **kwargs)

    monkeypatch.setattr(ReviewData, "open", classmethod(held))
    app = make_app(f"sqlite:///{tmp_path / 'first.db'}", lang="ru")
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, OpeningScreen)
            set_up.set()
            review = await open_review(pilot)
            assert isinstance(review, ReviewScreen) and review.data.connected
    finally:
        set_up.set()


def test_the_review_app_imports_no_database_layer():
    """The first screen does not wait for SQLAlchemy, SQLModel or pydantic (about a second to import)."""
    heavy = ("sqlalchemy", "sqlmodel", "pydantic")
    code = f"import sys, tui.app, tui.cli; print([m for m in {heavy!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         timeout=120)
    assert out.stdout.strip() == "[]"


@sqlite_only
async def test_a_move_while_the_lookup_ahead_runs_waits_for_it(seeded_db_url: str, monkeypatch):
    """Moving on before the lookup ahead has finished shows that lookup when it is done: the same
    segment is not looked up a second time beside it (the two would slow each other)."""
    entered = threading.Event()
    release = threading.Event()
    calls: list[int] = []
    original = ReviewScreen._look_up
    following: list[int] = []

    def counted(self: ReviewScreen, row, target: str, with_matches: bool):
        calls.append(row.id)
        if following and row.id == following[0]:
            entered.set()
            assert release.wait(120)
        return original(self, row, target, with_matches)

    monkeypatch.setattr(ReviewScreen, "_look_up", counted)
    segment = segment_with(seeded_db_url, "Highly recommended.")
    async with reviewing(seeded_db_url, "ru") as (app, pilot, review):
        index = review.segment_list.index_of(segment.id)  # type: ignore[arg-type]
        assert index is not None and index + 1 < len(review.segment_list.refs)
        following.append(review.segment_list.refs[index + 1].id)
        review.segment_list.move_to(index)
        await wait_for(pilot, lambda: entered.is_set(), what="the lookup ahead to start")
        await pilot.press("alt+down")
        await wait_for(pilot, lambda: review.current is not None and review.current.id == following[0])
        await pilot.pause(0.2)
        assert review._waiting_for == following[0] and review.lookup is None
        release.set()
        await wait_for(pilot, lambda: looked_up(app), what="the lookup ahead, shown")
        assert calls.count(following[0]) == 1
        row = review.current
        assert row is not None and review.lookup is not None
        assert [(m.unit_id, m.score) for m in review.lookup.matches] == [
            (m.unit_id, m.score) for m in review.data.matches(row)
        ]


@sqlite_only
async def test_rows_read_after_the_workspace_opens_are_the_stores_and_see_a_save(seeded_db_url: str):
    """The segment list keeps reading its pages with sqlite3 once the workspace is open (a page in
    about 1 ms instead of 8): the same rows as the store's, a translation saved meanwhile included."""
    async with reviewing(seeded_db_url, "ru") as (_app, _pilot, review):
        data = review.data
        assert data.connected and data._quick is not None  # the quick reader stays open
        _refs, rows, _progress = _library(seeded_db_url, "ru")
        ids = [row.id for row in rows]
        assert data.rows(ids) == rows
        saved = data.save(rows[0], "Сохранено, пока список открыт.", "translated")
        again = data.rows(ids)
        assert again[0] == saved and again[0].target == "Сохранено, пока список открыт."
        assert again[1:] == rows[1:]

