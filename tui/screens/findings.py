"""Every finding of the document in one table; Enter jumps to its segment."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Label

from glossary.checks.model import Finding
from tui.data import ReviewData
from tui.widgets.panels import SEVERITY_MARKS


class FindingsScreen(ModalScreen[int | None]):
    """The document's findings, in document order; dismissed with the segment id to show."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f4", "close", "Close")]

    def __init__(self, findings: dict[str, list[Finding]], data: ReviewData) -> None:
        super().__init__()
        self.findings = findings
        self.data = data
        self._segment_of: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        yield Label(id="findings-title")
        yield DataTable(id="findings-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("", "Segment", "Rule", "Found", "Expected", "Message")
        refs = self.data.refs()
        self._segment_of = {ref.key: ref.id for ref in refs}
        total = 0
        for ref in refs:
            for number, finding in enumerate(self.findings.get(ref.key, ())):
                mark, style = SEVERITY_MARKS.get(finding.severity, ("?", ""))
                table.add_row(Text(mark, style=style), ref.key, finding.rule, finding.surface,
                              finding.expected or "", finding.message, key=f"{ref.key}\x1f{number}")
                total += 1
        where = f"{self.data.document.name} → {self.data.lang}"
        self.query_one("#findings-title", Label).update(
            f" Findings in {where}: {total} in {len(self.findings)} segments · enter shows the segment"
        )
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        key = str(event.row_key.value).split("\x1f")[0]
        self.dismiss(self._segment_of.get(key))

    def action_close(self) -> None:
        self.dismiss(None)
