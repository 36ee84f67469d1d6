"""The segment list: one line per segment, drawn line by line so 100,000 rows scroll like 100."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from glossary.store.rows import SegmentRef, SegmentRow

RowLoader = Callable[[Sequence[int]], list[SegmentRow]]
PAGE = 100
CACHE_ROWS = 5000
STATE_MARKS = {"approved": "✓", "reviewed": "✓", "translated": "•", "fuzzy": "~", "new": "·"}


def fit(text: str, width: int) -> str:
    """``text`` on one line in exactly ``width`` cells: cut with an ellipsis or padded.

    Widths are terminal cells (wide letters count two, combining marks such as U+0361 none).
    """
    text = " ".join(text.split())
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


class SegmentList(ScrollView, can_focus=True):
    """Keys, states, source and target excerpts and findings counts of the segments under the filter.

    Rows are read through ``loader`` a page at a time, only when they come into view.
    """

    DEFAULT_CSS = """
    SegmentList { height: 1fr; overflow-x: hidden; }
    SegmentList > .segment-list--cursor { background: $accent 40%; }
    SegmentList:focus > .segment-list--cursor { background: $accent; color: $text; }
    SegmentList > .segment-list--key { color: $text-muted; }
    SegmentList > .segment-list--done { color: $success; }
    SegmentList > .segment-list--fuzzy { color: $warning; }
    SegmentList > .segment-list--new { color: $text-muted; }
    SegmentList > .segment-list--translated { color: $primary; }
    SegmentList > .segment-list--findings { color: $error; text-style: bold; }
    SegmentList > .segment-list--target { color: $text; }
    SegmentList > .segment-list--empty { color: $text-muted; text-style: italic; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "segment-list--cursor",
        "segment-list--key",
        "segment-list--done",
        "segment-list--fuzzy",
        "segment-list--new",
        "segment-list--translated",
        "segment-list--findings",
        "segment-list--target",
        "segment-list--empty",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "edit", "Edit", show=False),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class Moved(Message):
        """The cursor is on another segment (``index`` into the list)."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    class EditRequested(Message):
        """Enter on a row: the reviewer wants to edit it."""

    def __init__(self, loader: RowLoader, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._loader = loader
        self.refs: list[SegmentRef] = []
        self._rows: OrderedDict[int, SegmentRow] = OrderedDict()
        self.findings: dict[str, int] = {}
        self._frame: tuple[Style, int, int] | None = None  # set while a frame's lines are drawn
        self._parts: dict[str, Style] = {}  # the component styles of the frame being drawn
        self._drawing = False  # a frame's lines are being drawn (render_lines)

    # --- data -------------------------------------------------------------------------------

    def set_refs(self, refs: list[SegmentRef], *, cursor: int = 0) -> None:
        """Show these segments, with the cursor on the row ``cursor``."""
        self.refs = refs
        self.virtual_size = Size(0, len(refs))
        self.set_reactive(SegmentList.cursor, max(0, min(cursor, len(refs) - 1)))
        self.scroll_to(y=max(0, self.cursor - self.size.height // 2), animate=False, immediate=True)
        self.refresh()

    def set_findings(self, counts: dict[str, int]) -> None:
        """Findings per segment key, for the last column."""
        self.findings = counts
        self.refresh()

    def row(self, index: int) -> SegmentRow | None:
        """The full row at ``index`` (read with its page when not loaded yet)."""
        if not 0 <= index < len(self.refs):
            return None
        segment_id = self.refs[index].id
        found = self._rows.get(segment_id)
        if found is None:
            start = index - index % PAGE
            page = [ref.id for ref in self.refs[start : start + PAGE] if ref.id not in self._rows]
            for loaded in self._loader(page):
                self._rows[loaded.id] = loaded
            while len(self._rows) > CACHE_ROWS:
                self._rows.popitem(last=False)
            found = self._rows.get(segment_id)
        return found

    def update_row(self, row: SegmentRow) -> None:
        """A row changed (saved, approved): redraw it with its new state and text."""
        self._rows[row.id] = row
        for index, ref in enumerate(self.refs):
            if ref.id == row.id:
                self.refs[index] = SegmentRef(row.id, row.key, row.state if row.target else "new")
                self.refresh_line(index)
                break

    def forget_rows(self) -> None:
        """Drop every loaded row (the language changed)."""
        self._rows.clear()

    def index_of(self, segment_id: int) -> int | None:
        """Where the segment is in the list, if it is there."""
        return next((i for i, ref in enumerate(self.refs) if ref.id == segment_id), None)

    # --- movement ---------------------------------------------------------------------------

    def move_to(self, index: int) -> None:
        """Put the cursor on ``index`` and keep it in view."""
        if not self.refs:
            return
        self.cursor = max(0, min(index, len(self.refs) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        self.scroll_to_cursor()
        self.post_message(self.Moved(new))

    def scroll_to_cursor(self) -> None:
        """Scroll as little as needed to have the cursor's row in view."""
        height = self.scrollable_content_region.height or 1
        top = round(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_page_up(self) -> None:
        self.move_to(self.cursor - max(1, self.scrollable_content_region.height - 1))

    def action_page_down(self) -> None:
        self.move_to(self.cursor + max(1, self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self.refs) - 1)

    def action_edit(self) -> None:
        self.post_message(self.EditRequested())

    def on_click(self, event: events.Click) -> None:
        index = round(self.scroll_offset.y) + event.y
        if 0 <= index < len(self.refs):
            self.move_to(index)

    # --- drawing ----------------------------------------------------------------------------

    def on_resize(self, _event: events.Resize) -> None:
        self.virtual_size = Size(0, len(self.refs))

    def render_lines(self, crop: Region) -> list[Strip]:
        # What every line needs is worked out once a frame, by the first line drawn (the widget's
        # style walks its ancestors); a frame that draws none of the list's lines needs none of it.
        self._drawing = True
        try:
            return super().render_lines(crop)
        finally:
            self._drawing = False
            self._frame = None
            self._parts = {}

    def render_line(self, y: int) -> Strip:
        frame = self._frame
        if frame is None:
            frame = (self.rich_style, self.scrollable_content_region.width, round(self.scroll_offset.y))
            if self._drawing:
                self._frame = frame
        base, width, top = frame
        index = top + y
        if index >= len(self.refs):
            return Strip.blank(width, base)
        ref = self.refs[index]
        row = self.row(index)
        if index == self.cursor:
            base = base + self.get_component_rich_style("segment-list--cursor")
        return Strip(self._cells(ref, row, width, base), width)

    def _style(self, name: str, base: Style) -> Style:
        part = self._parts.get(name)
        if part is None:
            part = self.get_component_rich_style(f"segment-list--{name}", partial=True)
            if self._drawing:
                self._parts[name] = part
        return base + part

    def _cells(self, ref: SegmentRef, row: SegmentRow | None, width: int, base: Style) -> list[Segment]:
        state_class = "done" if ref.state in ("approved", "reviewed") else ref.state
        count = self.findings.get(ref.key, 0)
        key_width = min(12, max(6, width // 10))
        flag = f"⚑{count}" if count else ""
        fixed = 2 + key_width + 1 + 4
        text_width = max(0, width - fixed)
        source_width = text_width // 2
        target_width = text_width - source_width
        source = row.source if row else ""
        target = row.target if row and row.target else ""
        cells = [
            Segment(STATE_MARKS.get(ref.state, "?") + " ", self._style(state_class, base)),
            Segment(fit(ref.key, key_width) + " ", self._style("key", base)),
            Segment(fit(source, max(0, source_width - 1)) + " ", base),
        ]
        if target:
            cells.append(Segment(fit(target, target_width), self._style("target", base)))
        else:
            cells.append(Segment(fit("—", target_width), self._style("empty", base)))
        cells.append(Segment(set_cell_size(flag.rjust(4), 4), self._style("findings", base)))
        return cells
