"""A panel of wrapped text drawn line by line: new content repaints the panel alone, not the screen."""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
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

    # --- content ------------------------------------------------------------------------

    def render(self) -> Text:
        """All of the panel's text (drawing goes through ``render_line``)."""
        return self._text

    def show(self, text: Text | str) -> None:
        """Show ``text`` from its first line."""
        before = len(self._lines) if self._lines is not None else None
        self._text = text if isinstance(text, Text) else Text(text)
        self._lines = None
        self._top = 0
        height = self.size.height
        relayout = False
        if self.styles.height is not None and self.styles.height.is_auto:
            if not self.size.width or before is None:
                relayout = True
            else:
                after = len(self._wrapped(self.size.width))
                clamped = before > height  # held at its maximum height: stays there if still over it
                relayout = after != height and not (clamped and after > height)
        elif self.size.width:
            self._wrapped(self.size.width)
            self._show_position()
        self.refresh(layout=relayout)

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

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        lines = self._wrapped(width)
        index = self._top + y
        if index >= len(lines):
            return Strip.blank(width, base)
        line = lines[index]
        return Strip(list(Segment.apply_style(line, base)), Segment.get_line_length(line))
