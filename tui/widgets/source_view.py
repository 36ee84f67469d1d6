"""The source of the current segment, with recognised names highlighted by status."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text

from glossary.store.rows import SegmentRow
from tui.data import category
from tui.widgets.panels import CATEGORY_STYLES
from tui.widgets.text_panel import TextPanel

if TYPE_CHECKING:
    from glossary.recognize.spans import Span


def highlighted(source: str, spans: Sequence[Span]) -> Text:
    """``source`` with each recognised name styled by its category (preferred, variant, forbidden,
    near miss)."""
    text = Text(source)
    for span in spans:
        text.stylize(CATEGORY_STYLES.get(category(span), ""), span.start, span.end)
    return text


class SourceView(TextPanel):
    """Key, state and source of the current segment; the previous source when it changed."""

    def show_row(self, row: SegmentRow | None, spans: Sequence[Span] = ()) -> None:
        if row is None:
            self.show(Text("no segment: the filter leaves none", style="italic dim"))
            return
        text = Text()
        text.append(row.key, style="bold")
        text.append(f"  {row.state}", style="dim")
        if row.author:
            text.append(f" · {row.author}", style="dim")
        text.append("\n")
        text.append_text(highlighted(row.source, spans))
        if row.previous_source:
            text.append("\nwas: ", style="dim")
            text.append(row.previous_source, style="dim strike")
        self.show(text)
