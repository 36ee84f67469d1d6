"""The help screen: every action, its keys (as remapped) and what it does; the colours of names."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from tui import keys
from tui.widgets.panels import CATEGORY_STYLES
from tui.widgets.segment_list import STATE_MARKS


def key_table(keymap: dict[str, str]) -> Table:
    """Actions with the keys in force and a line of help each."""
    table = Table(box=None, show_header=True, header_style="bold", expand=True, padding=(0, 1))
    table.add_column("Keys", no_wrap=True, style="bold cyan")
    table.add_column("Action", ratio=1)
    for title, actions in (("Review", keys.REVIEW_ACTIONS), ("Everywhere", keys.APP_ACTIONS)):
        table.add_row(Text(title, style="bold underline"), "")
        for action in actions:
            shown = keymap.get(action.id, action.keys).replace(",", " ")
            table.add_row(shown, Text(f"{action.help}  ", style="") + Text(action.id, style="dim"))
    table.add_row("ctrl+p", "Command palette: every action by name")
    return table


def legend() -> Text:
    """What the colours of names and the marks of the list mean."""
    text = Text("Names in the source: ")
    for name, style in CATEGORY_STYLES.items():
        text.append(name, style=style)
        text.append("  ")
    text.append("\nList: ")
    for state, mark in STATE_MARKS.items():
        text.append(f"{mark} {state}  ")
    text.append("⚑n findings")
    text.append("\nEvery edit is saved as you type, with its history; keys are remapped in ", style="")
    text.append(str(keys.default_config_path()), style="bold")
    text.append(" ([keys] table: action = \"keys\").")
    return text


class HelpScreen(ModalScreen[None]):
    """Keys and colours; Escape closes."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "close", "Close")]

    def __init__(self, keymap: dict[str, str]) -> None:
        super().__init__()
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(legend(), id="legend")
            yield Static(key_table(self.keymap), id="keys")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-body").border_title = "Help"

    def action_close(self) -> None:
        self.dismiss(None)
