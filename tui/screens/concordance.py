"""Concordance: a modal search over segments, translations and the memory, names in any case ending."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Input, Label, Select

from glossary.memory.concordance import Hit
from tui.data import ReviewData
from tui.widgets.segment_list import fit

KINDS = {"segment": "source", "translation": "translation", "memory": "memory"}


def marked(hit: Hit, width: int) -> Text:
    """The hit's text with the found words highlighted, cut to ``width`` cells around the first one."""
    text = Text(" ".join(hit.text.split("\n")))
    for start, end in hit.spans:
        text.stylize("bold black on yellow", start, end)
    first = hit.spans[0][0] if hit.spans else 0
    if first > width // 3:
        text = Text("…") + text[first - width // 3 :]
    text.truncate(width, overflow="ellipsis")
    return text


class ConcordanceScreen(ModalScreen[int | None]):
    """Search words or a name; Enter on a source or translation hit shows its segment."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f3", "close", "Close")]

    def __init__(self, data: ReviewData) -> None:
        super().__init__()
        self.data = data
        self.hits: list[Hit] = []

    def compose(self) -> ComposeResult:
        langs = list(dict.fromkeys([self.data.lang, self.data.document.source_lang]))
        with Horizontal(id="concordance-bar"):
            yield Input(placeholder="words or a name (any case ending) · enter searches", id="query")
            yield Select([(lang, lang) for lang in langs], value=langs[0], allow_blank=False, id="lang")
        yield Label(id="concordance-count")
        yield DataTable(id="hits", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Where", "Lang", "Text", "Other side", "Origin")
        self.query_one("#query", Input).focus()

    @on(Input.Submitted, "#query")
    def _submitted(self, event: Input.Submitted) -> None:
        self.search(event.value, str(self.query_one("#lang", Select).value))

    @on(Select.Changed, "#lang")
    def _lang_changed(self, event: Select.Changed) -> None:
        query = self.query_one("#query", Input).value
        if query.strip():
            self.search(query, str(event.value))

    @work(thread=True, exclusive=True, group="concordance")
    def search(self, words: str, lang: str) -> None:
        try:
            hits = self.data.concordance(words, lang)
        except Exception as exc:
            self.app.call_from_thread(self.app.show_error, exc, "searching")  # type: ignore[attr-defined]
            return
        self.app.call_from_thread(self._show, words, lang, hits)

    def _show(self, words: str, lang: str, hits: list[Hit]) -> None:
        self.hits = hits
        table = self.query_one(DataTable)
        table.clear()
        width = max(20, (self.size.width - 30) * 3 // 5)
        other = max(10, (self.size.width - 30) - width)
        for number, hit in enumerate(hits):
            table.add_row(KINDS.get(hit.kind, hit.kind), hit.lang, marked(hit, width), fit(hit.other, other),
                          hit.origin, key=str(number))
        names = {hit.concept for hit in hits if hit.concept}
        how = f" (the name {', '.join(sorted(names))} in any form)" if names else ""
        self.query_one("#concordance-count", Label).update(f" {len(hits)} hits for “{words}” in {lang}{how}")
        if hits:
            table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        hit = self.hits[int(str(event.row_key.value))]
        if hit.kind == "segment":
            self.dismiss(hit.id)
        elif hit.kind == "translation":
            self.dismiss(self.data.segment_of_translation(hit.id))
        else:
            self.notify("A memory unit: it has no segment in this document", timeout=3)

    def action_close(self) -> None:
        self.dismiss(None)
