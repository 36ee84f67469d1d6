"""Pilot tests of the term base screen: search, change a status, add a form, add a concept."""

from __future__ import annotations

import pytest
from sqlmodel import Session
from textual.widgets import DataTable, Input
from tui_helpers import open_review, wait_for

from glossary.store.engine import make_engine
from glossary.store.termbase import get_concept
from tui.app import make_app
from tui.screens.dialogs import ChooserDialog
from tui.screens.termbase import TermbaseScreen
from tui.screens.termforms import AddFormDialog, NewConceptDialog

SIZE = (120, 36)
pytestmark = pytest.mark.parametrize("seeded_db_url", ["sqlite"], indirect=True)


def _forms(url: str, concept: str) -> dict[tuple[str, str], tuple[str, str | None, str]]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            record = get_concept(session=session, concept_id=concept)
            return {(t.lang, t.text): (t.status, t.source, t.origin) for t in record.terms}
    finally:
        engine.dispose()


async def _termbase(pilot, query: str) -> TermbaseScreen:
    await open_review(pilot)
    await pilot.press("f2")
    screen = pilot.app.screen
    assert isinstance(screen, TermbaseScreen)
    screen.query_one("#tb-query", Input).value = query
    wanted = query.casefold()

    def found() -> bool:
        forms = [" ".join(t.text.casefold() for t in c.terms) for c in screen.concepts]
        return bool(forms) and screen.concept is not None and all(wanted in f for f in forms)

    await wait_for(pilot, found, what="the search")
    return screen


async def test_search_and_change_a_forms_status(seeded_db_url: str):
    assert _forms(seeded_db_url, "tokayev")[("de", "Kassym-Jomart Tokajew")][0] == "admitted"
    app = make_app(seeded_db_url, lang="de")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _termbase(pilot, "Тоқаев")
        assert screen.concept is not None and screen.concept.id == "tokayev"
        forms = screen.query_one("#forms", DataTable)
        forms.focus()
        row = next(i for i, t in enumerate(screen.concept.terms) if t.text == "Kassym-Jomart Tokajew")
        forms.move_cursor(row=row)
        await pilot.press("s")
        assert isinstance(app.screen, ChooserDialog)
        await pilot.press(str(app.screen.items.index("deprecated") + 1))
        await wait_for(pilot, lambda: isinstance(app.screen, TermbaseScreen))
        await pilot.press("escape")  # back to the review screen, which reads the term base afresh
    assert _forms(seeded_db_url, "tokayev")[("de", "Kassym-Jomart Tokajew")][0] == "deprecated"


async def test_add_a_form(seeded_db_url: str):
    app = make_app(seeded_db_url, lang="fr")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _termbase(pilot, "Tokaïev")
        screen.query_one("#concepts", DataTable).focus()
        await pilot.press("a")
        dialog = app.screen
        assert isinstance(dialog, AddFormDialog)
        dialog.query_one("#text", Input).value = "K.-J. Tokaïev"
        dialog.query_one("#source", Input).value = "Le Monde, 2022-01-07"
        dialog.query_one("#note", Input).value = "initials of the given names"
        dialog.query_one("#text", Input).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TermbaseScreen))
        assert any(t.text == "K.-J. Tokaïev" for t in screen.concept.terms)  # type: ignore[union-attr]
    status, source, origin = _forms(seeded_db_url, "tokayev")[("fr", "K.-J. Tokaïev")]
    assert (status, source, origin) == ("preferred", "Le Monde, 2022-01-07", "entered")


async def test_add_a_concept_from_its_cyrillic_name(seeded_db_url: str):
    app = make_app(seeded_db_url, lang="ru")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await pilot.press("f2")
        await pilot.pause()
        app.screen.query_one("#concepts", DataTable).focus()
        await pilot.press("n")
        dialog = app.screen
        assert isinstance(dialog, NewConceptDialog)
        dialog.query_one("#name", Input).value = "Олжас Бектенов"
        await wait_for(pilot, lambda: dialog.query_one("#press-de", Input).value != "", what="the proposals")
        assert dialog.query_one("#press-en", Input).value == "Olzhas Bektenov"
        assert dialog.query_one("#press-de", Input).value == "Olschas Bektenow"
        assert dialog.query_one("#id", Input).value == "olzhas_bektenov"
        dialog.query_one("#note", Input).value = "Prime Minister of Kazakhstan since 2024"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, TermbaseScreen))
    forms = _forms(seeded_db_url, "olzhas_bektenov")
    assert forms[("ru", "Олжас Бектенов")][0] == "preferred"
    status, source, origin = forms[("de", "Olschas Bektenow")]
    assert status == "preferred" and "accepted in review" in str(source) and origin == "entered"
    assert any(origin == "generated" for _status, _source, origin in forms.values())
