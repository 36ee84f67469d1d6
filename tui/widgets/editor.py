"""The target editor: a TextArea that wraps, and edits addressed by code-point offsets."""

from __future__ import annotations

from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import TextArea
from textual.widgets.text_area import Location


def location_of(text: str, offset: int) -> Location:
    """The (line, column) of a code-point offset into ``text``: how TextArea addresses the same place."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset)
    column = offset - (text.rfind("\n", 0, offset) + 1)
    return (line, column)


class TargetEditor(TextArea):
    """The translation being edited. Every change is undoable, inserts and fixes included."""

    DEFAULT_CSS = """
    TargetEditor { height: 1fr; min-height: 3; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            "", soft_wrap=True, tab_behavior="focus", show_line_numbers=False, id=id,
            placeholder="Type the translation here…", highlight_cursor_line=False,
        )

    def _refresh_size(self) -> None:
        """TextArea's hook for a new text's size: the editor's own size never depends on its text, so
        a new line count updates its scroll bar without a layout of the screen (TextArea sets the
        virtual size, a layout-changing attribute). The scroll bar appearing or going is a layout."""
        if not self.soft_wrap:
            super()._refresh_size()
            return
        size = Size(0, self.wrapped_document.height)
        if size != self.virtual_size:
            self.set_reactive(Widget.virtual_size, size)
            self._scroll_update(size)

    def replace_all(self, text: str) -> None:
        """Put ``text`` in place of everything (one undo step)."""
        self.replace(text, (0, 0), self.document.end)
        self.move_cursor(self.document.end)

    def replace_range(self, start: int, end: int, text: str) -> None:
        """Replace the code points ``start:end`` of the current text (one undo step)."""
        current = self.text
        self.replace(text, location_of(current, start), location_of(current, end))

    def insert_at_cursor(self, text: str) -> None:
        """Insert ``text`` where the cursor is, with a space before it when it would touch a word."""
        line, column = self.cursor_location
        before = self.document.get_line(line)[:column]
        if before and not before[-1].isspace() and before[-1] not in "«(„\"'":
            text = " " + text
        self.insert(text)
