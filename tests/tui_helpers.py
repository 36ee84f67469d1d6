"""Helpers the TUI tests share: waiting for the app, finding segments, reading the database."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlmodel import Session, select
from textual.pilot import Pilot

from glossary.model.tables import Segment, Translation
from glossary.store.engine import make_engine
from tui.app import GlossaryApp, make_app
from tui.screens.review import ReviewScreen


async def wait_for(pilot: Pilot, ready: Callable[[], object], timeout: float = 180.0, what: str = "") -> None:
    """Let the app run until ``ready()`` is true (workers run in threads); fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or ready}")
        await pilot.pause(0.05)


def review_of(app: GlossaryApp) -> ReviewScreen:
    review = app.review
    assert review is not None
    return review


def looked_up(app: GlossaryApp) -> bool:
    """The review screen shows a segment with its names, matches and findings."""
    review = app.review
    return bool(
        review is not None and review.current is not None and review.lookup is not None
        and review.lookup.segment_id == review.current.id
    )


async def open_review(pilot: Pilot) -> ReviewScreen:
    app = pilot.app
    assert isinstance(app, GlossaryApp)
    await wait_for(pilot, lambda: looked_up(app), what="the review screen")
    return review_of(app)


async def show_segment(pilot: Pilot, segment_id: int) -> ReviewScreen:
    """Jump to a segment and wait until its lookup is shown."""
    app = pilot.app
    assert isinstance(app, GlossaryApp)
    review = review_of(app)
    review.jump_to(segment_id)
    await wait_for(pilot, lambda: looked_up(app) and review.current is not None
                   and review.current.id == segment_id, what=f"segment {segment_id}")
    return review


SIZE = (120, 36)


@asynccontextmanager
async def reviewing(
    url: str, lang: str, segment_id: int | None = None, **options: Any
) -> AsyncIterator[tuple[GlossaryApp, Pilot, ReviewScreen]]:
    """The app on ``url`` in ``lang`` run headless at 120×36, its review screen open and showing
    the segment ``segment_id`` when one is given (``options`` go to ``make_app``)."""
    app = make_app(url, lang=lang, **options)
    async with app.run_test(size=SIZE) as pilot:
        review = await open_review(pilot)
        if segment_id is not None:
            await show_segment(pilot, segment_id)
        yield app, pilot, review


def stored(url: str, segment_id: int, lang: str) -> Translation | None:
    """The translation as the database holds it now (read on a connection of its own)."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return session.exec(
                select(Translation).where(Translation.segment_id == segment_id, Translation.lang == lang)
            ).first()
    finally:
        engine.dispose()


def segment_with(url: str, words: str) -> Segment:
    """The live segment of the article whose source contains ``words``."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            rows = session.exec(select(Segment).where(Segment.obsolete == False)).all()  # noqa: E712
            found = [row for row in rows if words in row.source]
            assert found, f"no segment contains {words!r}"
            return found[0]
    finally:
        engine.dispose()
