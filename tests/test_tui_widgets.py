"""The review app's pieces on their own: cell widths of Cyrillic, Kazakh and combining marks, the
segment list's lines, the editor's cursor, the text panels, the key file, diffs and the progress counter."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Static

from glossary.memory.units import Match
from glossary.store.documents import SegmentRow
from glossary.store.segments import Progress, SegmentRef
from tui.keys import ALL_ACTIONS, KeyConfigError, load_keymap
from tui.widgets.editor import TargetEditor
from tui.widgets.panels import highlighted_source, progress_text
from tui.widgets.segment_list import SegmentList, fit
from tui.widgets.text_panel import TextPanel

TIED = "Rossiĭskai\u0361a Federat\u0361sii\u0361a"  # ALA-LC with its ligature ties: 26 code points, 23 cells


@pytest.mark.parametrize(
    ("text", "width"),
    [(TIED, 10), (TIED, 23), (TIED, 40), ("Қасым-Жомарт Тоқаев", 8), ("Мәжіліс", 7), ("東京", 3)],
)
def test_fit_fills_exactly_the_cells_asked_for(text: str, width: int):
    fitted = fit(text, width)
    assert cell_len(fitted) == width
    assert fitted.rstrip() == text or fitted.endswith("…")


def test_a_tied_romanization_is_not_cut_by_its_code_points():
    assert cell_len(TIED) == 23
    assert fit(TIED, 23) == TIED  # 26 code points fit in 23 cells: nothing cut


def _row(segment_id: int, source: str, target: str | None) -> SegmentRow:
    return SegmentRow(id=segment_id, key=f"k{segment_id}", position=segment_id, block="paragraph",
                      source=source, previous_source=None, obsolete=False, lang="ru", target=target,
                      state="approved" if target else "new", version=1 if target else 0, author=None)


ROWS = {
    1: _row(1, "Kazakh President Tokayev spoke.", "Президент Казахстана Тоқаев выступил."),
    2: _row(2, f"The {TIED} answered.", None),
    3: _row(3, "Mäjilis", "Мәжіліс Қазақстан Республикасы Парламентінің төменгі палатасы"),
}


class ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield SegmentList(lambda ids: [ROWS[i] for i in ids])


@pytest.mark.parametrize("width", [80, 120])
async def test_segment_list_lines_are_exactly_as_wide_as_the_list(width: int):
    app = ListApp()
    async with app.run_test(size=(width, 10)) as pilot:
        segments = app.query_one(SegmentList)
        segments.set_refs([SegmentRef(i, f"k{i}", ROWS[i].state) for i in ROWS])
        await pilot.pause()
        for y in range(3):
            strip = segments.render_line(y)
            assert strip.cell_length == segments.scrollable_content_region.width
            assert cell_len(strip.text) == strip.cell_length
        assert "Тоқаев" in segments.render_line(0).text


class EditorApp(App[None]):
    def compose(self) -> ComposeResult:
        yield TargetEditor()


async def test_editor_cursor_counts_cells_not_code_points():
    app = EditorApp()
    async with app.run_test(size=(80, 10)) as pilot:
        editor = app.query_one(TargetEditor)
        editor.focus()
        await pilot.press(*"Қазақ")
        start_x = editor.cursor_screen_offset.x - 5
        editor.replace_all(TIED)
        await pilot.pause()
        assert editor.cursor_location == (0, len(TIED))  # the editor addresses code points…
        assert editor.cursor_screen_offset.x - start_x == cell_len(TIED)  # …and draws cells


def test_key_file_remaps_and_refuses_unknown_actions(tmp_path: Path):
    good = tmp_path / "keys.toml"
    good.write_text('[keys]\napprove_next = "f9, ctrl+y"\n', encoding="utf-8")
    assert load_keymap(good) == {"approve_next": "f9,ctrl+y"}
    assert load_keymap(tmp_path / "missing.toml") == {}
    for text, message in [
        ('[keys]\napprove = "f9"\n', "no action 'approve'"),
        ("[keys\n", "not valid TOML"),
        ('[keys]\nsave = 5\n', "needs keys as a string"),
        ('[other]\nsave = "f2"\n', r"one \[keys\] table"),
    ]:
        bad = tmp_path / "bad.toml"
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(KeyConfigError, match=message):
            load_keymap(bad)


def test_every_action_has_an_id_a_key_and_help():
    assert all(a.id and a.keys and a.help for a in ALL_ACTIONS.values())
    assert {"approve_next", "insert_match_1", "insert_name", "apply_fix", "undo", "switch_language",
            "last_edited", "next_untranslated", "next_finding", "toggle_fuzzy", "save"} <= set(ALL_ACTIONS)


def test_match_source_highlights_what_differs_from_the_query():
    match = Match(
        score=90.0, source="Tokayev spoke in Almaty today.", target="", source_lang="en", target_lang="ru",
        origin="t", context=None, explanation={},
        diff=[{"op": "equal", "query": "Tokayev spoke in", "source": "Tokayev spoke in"},
              {"op": "replace", "query": "Astana", "source": "Almaty"},
              {"op": "equal", "query": "", "source": ""},
              {"op": "delete", "query": "yesterday", "source": ""},
              {"op": "insert", "query": "", "source": "today"},
              {"op": "equal", "query": ".", "source": "."}],
    )
    text = highlighted_source(match)
    assert text.plain.replace(" yesterday", "") == "Tokayev spoke in Almaty today."
    marked = {text.plain[s.start : s.end] for s in text.spans if "yellow" in str(s.style)}
    assert marked == {"Almaty", "today"}
    assert "yesterday" in {text.plain[s.start : s.end] for s in text.spans if "strike" in str(s.style)}


def test_progress_counter():
    assert progress_text(Progress(done=132, fuzzy=3, untranslated=10)) == "132 ✓ · 3 fuzzy · 10 untranslated"
    assert progress_text(Progress(1, 2, 3, 4)) == "1 ✓ · 2 translated · 3 fuzzy · 4 untranslated"


class FocusablePanel(TextPanel, can_focus=True):
    """As the side panels are: the keys scroll it."""


class PanelApp(App[None]):
    CSS = "TextPanel { height: 6; border: round white; padding: 0 1; }"

    def compose(self) -> ComposeResult:
        yield FocusablePanel(id="panel")
        yield Static("below", id="below")


def _shown(panel: TextPanel) -> list[str]:
    return [panel.render_line(y).text.rstrip() for y in range(panel.size.height)]


async def test_a_text_panel_keeps_its_size_and_scrolls_what_does_not_fit():
    app = PanelApp()
    async with app.run_test(size=(40, 12)) as pilot:
        panel = app.query_one(TextPanel)
        below = app.query_one("#below")
        regions = (panel.region, below.region)
        panel.show(Text("\n".join(f"line {n}" for n in range(1, 11))))
        await pilot.pause()
        assert (panel.region, below.region) == regions  # ten lines in a panel of four: no growing
        assert _shown(panel) == ["line 1", "line 2", "line 3", "line 4"]
        assert str(panel.border_subtitle) == "1–4 of 10 ↓"
        assert panel.scroll_lines(3)
        assert _shown(panel)[0] == "line 4"
        assert panel.scroll_lines(100)  # held at the last full page
        assert _shown(panel) == ["line 7", "line 8", "line 9", "line 10"]
        assert str(panel.border_subtitle) == "7–10 of 10 ↑"
        assert not panel.scroll_lines(1)
        panel.focus()
        await pilot.press("home")
        assert _shown(panel)[0] == "line 1"
        await pilot.press("pagedown")
        assert _shown(panel)[0] == "line 4"

        panel.show("short")  # a new text starts at its top, and says nothing of scrolling
        await pilot.pause()
        assert _shown(panel) == ["short", "", "", ""]
        assert not panel.border_subtitle
        assert str(panel.render()) == "short"
        assert (panel.region, below.region) == regions


async def test_a_text_panel_redraws_only_the_lines_that_changed():
    app = PanelApp()
    async with app.run_test(size=(40, 12)) as pilot:
        panel = app.query_one(TextPanel)
        panel.show("same\nold")
        await pilot.pause()
        panel._exchange_repaint_regions()
        panel.show("same\nnew")
        dirty = panel._exchange_repaint_regions()
        top = panel.content_offset.y
        assert [(region.y, region.height) for region in dirty] == [(top + 1, 1)]
        panel.show("same\nnew")
        assert not panel._exchange_repaint_regions()  # nothing changed: nothing to draw
        await pilot.pause()
        assert _shown(panel)[:2] == ["same", "new"]
