"""The term base screen: search concepts, see every form, change a status, add a form or a concept."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Static

from glossary.model.records import STATUSES, ConceptRecord, TermRecord
from tui.data import ReviewData, TermbaseData
from tui.screens.dialogs import ChooserDialog
from tui.screens.termforms import AddFormDialog, NewConceptDialog
from tui.widgets.panels import CATEGORY_STYLES

STATUS_STYLES = {
    "preferred": CATEGORY_STYLES["preferred"],
    "admitted": "green",
    "deprecated": "yellow",
    "superseded": "yellow",
    "forbidden": CATEGORY_STYLES["forbidden"],
}


def validity(term: TermRecord) -> str:
    """``1993–``, ``–1993`` or empty."""
    if term.valid_from or term.valid_until:
        return f"{term.valid_from or ''}–{term.valid_until or ''}"
    return ""


class TermbaseScreen(Screen[bool]):
    """Browse and edit the term base; dismissed with whether anything changed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f2", "close", "Back"),
        Binding("slash", "search", "Search"),
        Binding("s", "status", "Status"),
        Binding("a", "add_form", "Add form"),
        Binding("n", "new_concept", "New concept"),
    ]

    def __init__(self, data: ReviewData) -> None:
        super().__init__()
        self.lang = data.lang
        self.terms = TermbaseData(data.workspace)
        self.concepts: list[ConceptRecord] = []
        self.concept: ConceptRecord | None = None
        self.versions: dict[tuple[str, str, str | None], int] = {}
        self.changed = False
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder="search any form in any language (Токаев, Tokajew, Almaty…)", id="tb-query")
        with Horizontal(id="tb-body"):
            yield DataTable(id="concepts", cursor_type="row", zebra_stripes=True)
            with Vertical(id="tb-concept"):
                yield Static(id="concept-head")
                yield DataTable(id="forms", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#concepts", DataTable).add_columns("Concept", "Kind", f"Preferred ({self.lang})")
        self.query_one("#forms", DataTable).add_columns(
            "Lang", "Form", "Status", "Type", "Scheme", "Origin", "Source", "Valid"
        )
        self.query_one("#tb-body").border_title = "Term base"
        self.search("")
        self.query_one("#concepts", DataTable).focus()

    # --- searching ----------------------------------------------------------------------

    @on(Input.Changed, "#tb-query")
    def _typed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(0.2, lambda: self.search(event.value))

    @on(Input.Submitted, "#tb-query")
    def _submitted(self) -> None:
        self.query_one("#concepts", DataTable).focus()

    @work(thread=True, exclusive=True, group="termbase-search")
    def search(self, query: str) -> None:
        try:
            found = self.terms.find(query)
        except Exception as exc:
            self.app.call_from_thread(self.app.show_error, exc, "searching the term base")  # type: ignore[attr-defined]
            return
        self.app.call_from_thread(self._show_concepts, found)

    def _show_concepts(self, concepts: list[ConceptRecord], keep: str | None = None) -> None:
        self.concepts = concepts
        table = self.query_one("#concepts", DataTable)
        table.clear()
        for concept in concepts:
            preferred = concept.preferred(self.lang)
            table.add_row(concept.id, concept.kind, preferred.text if preferred else "—", key=concept.id)
        index = next((i for i, c in enumerate(concepts) if c.id == keep), 0)
        if concepts:
            table.move_cursor(row=index)
            self._show_concept(concepts[index].id)
        else:
            self.concept = None
            self.query_one("#forms", DataTable).clear()
            self.query_one("#concept-head", Static).update(Text("no concept matches", style="italic dim"))

    @on(DataTable.RowHighlighted, "#concepts")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        chosen = event.row_key.value
        if chosen is not None and (self.concept is None or self.concept.id != chosen):
            self._show_concept(str(chosen))

    def _show_concept(self, concept_id: str) -> None:
        try:
            self.concept, self.versions = self.terms.concept(concept_id)
        except Exception as exc:
            self.app.show_error(exc, "reading the concept")  # type: ignore[attr-defined]
            return
        concept = self.concept
        head = Text()
        head.append(concept.id, style="bold")
        head.append(f"  {concept.kind}", style="dim")
        if concept.external_id:
            head.append(f"  {concept.external_id}", style="dim")
        if concept.valid_from or concept.valid_until:
            head.append(f"  {concept.valid_from or ''}–{concept.valid_until or ''}", style="dim")
        if concept.note:
            head.append(f"\n{concept.note}")
        self.query_one("#concept-head", Static).update(head)
        forms = self.query_one("#forms", DataTable)
        cursor = forms.cursor_row
        forms.clear()
        for number, term in enumerate(concept.terms):
            forms.add_row(term.lang, term.text, Text(term.status, style=STATUS_STYLES.get(term.status, "")),
                          term.type, term.scheme or "", term.origin, term.source or "", validity(term),
                          key=str(number))
        if concept.terms:
            forms.move_cursor(row=min(cursor, len(concept.terms) - 1))

    # --- editing ------------------------------------------------------------------------

    def _selected_term(self) -> TermRecord | None:
        if self.concept is None or not self.concept.terms:
            return None
        row = self.query_one("#forms", DataTable).cursor_row
        return self.concept.terms[row] if 0 <= row < len(self.concept.terms) else None

    def action_status(self) -> None:
        term = self._selected_term()
        concept = self.concept
        if term is None or concept is None:
            self.notify("Choose a form first (in the table of forms)", timeout=3)
            return

        def chosen(index: int | None) -> None:
            if index is None or STATUSES[index] == term.status:
                return
            try:
                version = self.versions.get((term.lang, term.text, term.scheme))
                self.terms.set_status(concept.id, term, STATUSES[index], version)
            except Exception as exc:
                self.app.show_error(exc, "changing the status")  # type: ignore[attr-defined]
                return
            self.changed = True
            self._show_concept(concept.id)
            self.notify(f"{term.text}: {STATUSES[index]}", timeout=2)

        self.app.push_screen(ChooserDialog(f"Status of {term.lang} “{term.text}”", STATUSES), chosen)

    def action_add_form(self) -> None:
        concept = self.concept
        if concept is None:
            self.notify("Choose a concept first", timeout=3)
            return

        def added(term: TermRecord | None) -> None:
            if term is None:
                return
            try:
                self.terms.add_form(concept.id, term)
            except Exception as exc:
                self.app.show_error(exc, "adding the form")  # type: ignore[attr-defined]
                return
            self.changed = True
            self._show_concept(concept.id)

        self.app.push_screen(AddFormDialog(concept.id, self.lang), added)

    def action_new_concept(self) -> None:
        def created(record: ConceptRecord | None) -> None:
            if record is None:
                return
            try:
                self.terms.add_concept(record)
                found = self.terms.find(record.id)
            except Exception as exc:
                self.app.show_error(exc, "adding the concept")  # type: ignore[attr-defined]
                return
            self.changed = True
            self._show_concepts(found, keep=record.id)

        self.app.push_screen(NewConceptDialog(), created)

    def action_search(self) -> None:
        self.query_one("#tb-query", Input).focus()

    def action_close(self) -> None:
        self.dismiss(self.changed)
