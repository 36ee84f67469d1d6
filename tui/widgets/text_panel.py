"""A panel of wrapped text drawn line by line: new content repaints the panel alone, not the screen."""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget


class TextPanel(Widget):
    """Rich text wrapped to the panel's width; what does not fit scrolls inside the panel (mouse wheel).

    A panel of fixed height never changes the screen's layout when its text changes: only its own
    lines are drawn again. A panel of ``height: auto`` asks for a layout only when its height
    changes. A focused panel scrolls with the arrow and page keys.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "scroll_lines(-1)", "Up", show=False),
        Binding("down", "scroll_lines(1)", "Down", show=False),
        Binding("pageup", "scroll_page(-1)", "Page up", show=False),
        Binding("pagedown", "scroll_page(1)", "Page down", show=False),
        Binding("home", "scroll_lines(-1000000)", "Top", show=False),
        Binding("end", "scroll_lines(1000000)", "Bottom", show=False),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._text = Text()
        self._lines: list[list[Segment]] | None = None  # self._text wrapped at self._width
        self._width = -1
        self._top = 0  # the first line shown
        self._base: Style | None = None  # set while a frame's lines are drawn
        self._drawing = False  # a frame's lines are being drawn (render_lines)

    # --- content ------------------------------------------------------------------------

    def render(self) -> Text:
        """All of the panel's text (drawing goes through ``render_line``)."""
        return self._text

    def show(self, text: Text | str) -> None:
        """Show ``text`` from its first line (only the lines that differ from those shown are drawn)."""
        width, height = self.size
        before = self._wrapped(width)[self._top : self._top + height] if width else None
        self._text = text if isinstance(text, Text) else Text(text)
        self._lines = None
        self._top = 0
        if self.styles.height is not None and self.styles.height.is_auto:
            self.refresh(layout=True)  # its height may change
            return
        if before is None:
            self.refresh()
            return
        after = self._wrapped(width)[:height]
        self._show_position()
        changed = [Region(0, y, width, 1) for y in range(height)
                   if (before[y] if y < len(before) else None) != (after[y] if y < len(after) else None)]
        if changed:
            self.refresh(*changed)

    def _wrapped(self, width: int) -> list[list[Segment]]:
        if self._lines is None or width != self._width:
            console = self.app.console
            options = console.options.update(width=max(1, width), height=None, no_wrap=False, overflow="fold")
            self._lines = console.render_lines(self._text, options, pad=False, new_lines=False)
            self._width = width
        return self._lines

    # --- scrolling ----------------------------------------------------------------------

    @property
    def _last_top(self) -> int:
        return max(0, len(self._wrapped(self.size.width)) - self.size.height)

    def _show_position(self) -> None:
        """Say in the border when lines are out of view, and where."""
        total, height = len(self._lines or ()), self.size.height
        if total <= height or not height:
            subtitle = ""
        else:
            last = min(total, self._top + height)
            subtitle = f"{self._top + 1}–{last} of {total} {'↓' if last < total else '↑'}"
        if self.border_subtitle != subtitle:
            self.border_subtitle = subtitle

    def scroll_lines(self, lines: int) -> bool:
        """Move the text ``lines`` up (down when negative); False when it cannot move that way."""
        if not self.size.width:
            return False  # not laid out yet: nothing is shown to scroll
        top = max(0, min(self._top + lines, self._last_top))
        if top == self._top:
            return False
        self._top = top
        self._show_position()
        self.refresh()
        return True

    def action_scroll_lines(self, lines: int) -> None:
        self.scroll_lines(lines)

    def action_scroll_page(self, pages: int) -> None:
        self.scroll_lines(pages * max(1, self.size.height - 1))

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        if self.scroll_lines(1):
            event.stop()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        if self.scroll_lines(-1):
            event.stop()

    # --- drawing ------------------------------------------------------------------------

    def on_resize(self, _event: events.Resize) -> None:
        self._top = min(self._top, self._last_top)
        self._show_position()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._wrapped(width)) if width > 0 else 0

    def render_lines(self, crop: Region) -> list[Strip]:
        # The style every line starts from is worked out once a frame, by the first line drawn (it
        # walks the widget's ancestors); a frame that draws none of the panel's lines needs none.
        self._drawing = True
        try:
            return super().render_lines(crop)
        finally:
            self._drawing = False
            self._base = None

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self._base
        if base is None:
            base = self.rich_style
            if self._drawing:
                self._base = base
        lines = self._wrapped(width)
        index = self._top + y
        if index >= len(lines):
            return Strip.blank(width, base)
        line = lines[index]
        return Strip(list(Segment.apply_style(line, base)), Segment.get_line_length(line))
