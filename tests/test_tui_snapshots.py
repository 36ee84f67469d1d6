"""Snapshots of the review app's screens with Russian and Kazakh text (pytest-textual-snapshot).

Update them after a deliberate change with ``pytest tests/test_tui_snapshots.py --snapshot-update``
and look at the SVGs before committing.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea
from tui_helpers import looked_up, open_review, wait_for

from tui.app import GlossaryApp, make_app
from tui.screens.concordance import ConcordanceScreen
from tui.screens.termbase import TermbaseScreen

pytestmark = pytest.mark.parametrize("seeded_db_url", ["sqlite"], indirect=True)


@pytest.fixture(autouse=True)
def _fixed_config_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    """The help screen names the key file's folder: the same on every machine."""
    monkeypatch.setenv("XDG_CONFIG_HOME", "/home/reviewer/.config")


async def _still(pilot: Pilot) -> None:
    """No blinking cursor in a snapshot: a focused editor shows its cursor, always.

    TextArea caches rendered lines under a key that leaves the cursor out once blinking is off, so
    a line drawn in the blink's dark phase would be reused without the cursor: the cache is cleared.
    """
    app = pilot.app
    for widget in app.screen.query(TextArea):
        widget.cursor_blink = False
        widget._line_cache.clear()
        widget.refresh()
    for widget in app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


async def _settled(pilot: Pilot, key: str | None = None) -> None:
    """The review screen on the segment ``key`` (else the first) with its lookup and the document check."""
    app = pilot.app
    assert isinstance(app, GlossaryApp)
    review = await open_review(pilot)
    await wait_for(pilot, lambda: review.document_checked, what="the document check")
    if key is not None:
        index = next(i for i, ref in enumerate(review.segment_list.refs) if ref.key == key)
        review.segment_list.move_to(index)
        await wait_for(pilot, lambda: looked_up(app) and review.current is not None
                       and review.current.key == key)
    await app.workers.wait_for_complete()
    await pilot.pause()
    await _still(pilot)


def test_review_screen_in_russian(snap_compare, seeded_db_url: str):
    async def run_before(pilot: Pilot) -> None:
        await _settled(pilot, "a8dc9a7f86df")  # a planted flaw: ОДКБ with a Latin O

    app = make_app(seeded_db_url, lang="ru")
    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)


def test_review_screen_in_kazakh_in_80_by_24(snap_compare, seeded_db_url: str):
    async def run_before(pilot: Pilot) -> None:
        await _settled(pilot, "7d6219a9f7e8")  # Tokayev before the Mazhilis

    app = make_app(seeded_db_url, lang="kk")
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_review_screen_wide(snap_compare, seeded_db_url: str):
    async def run_before(pilot: Pilot) -> None:
        await _settled(pilot, "7d6219a9f7e8")

    app = make_app(seeded_db_url, lang="ru")
    assert snap_compare(app, terminal_size=(170, 44), run_before=run_before)


def test_term_base_screen(snap_compare, seeded_db_url: str):
    async def run_before(pilot: Pilot) -> None:
        await _settled(pilot)
        await pilot.press("f2")
        screen = pilot.app.screen
        assert isinstance(screen, TermbaseScreen)
        screen.query_one("#tb-query", Input).value = "Ресей"  # Russia in Kazakh: ALA-LC shows Rossii͡a
        await wait_for(pilot, lambda: screen.concept is not None and screen.concept.id == "russia")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await _still(pilot)

    app = make_app(seeded_db_url, lang="kk")
    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)


def test_concordance_screen(snap_compare, seeded_db_url: str):
    async def run_before(pilot: Pilot) -> None:
        await _settled(pilot)
        await pilot.press("f3")
        screen = pilot.app.screen
        assert isinstance(screen, ConcordanceScreen)
        screen.query_one("#query", Input).value = "Токаев"
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(screen.hits) > 3, what="the hits")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await _still(pilot)

    app = make_app(seeded_db_url, lang="ru")
    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)


def test_findings_screen(snap_compare, seeded_db_url: str):
    async def run_before(pilot: Pilot) -> None:
        await _settled(pilot)
        await pilot.press("f4")
        await pilot.pause()

    app = make_app(seeded_db_url, lang="ru")
    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)


def test_help_screen(snap_compare, seeded_db_url: str):
    async def run_before(pilot: Pilot) -> None:
        await _settled(pilot)
        await pilot.press("f1")
        await pilot.pause()

    app = make_app(seeded_db_url, lang="kk")
    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)
