"""Modal dialogs: an error and what to do about it, a save conflict, a numbered choice, a language."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option

from glossary.store.rows import SegmentRow


class ErrorDialog(ModalScreen[None]):
    """What went wrong and what to do about it; nothing is dismissed silently."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter", "close", "Close")]

    def __init__(self, title: str, message: str, advice: str) -> None:
        super().__init__(classes="dialog")
        self.title_text, self.message, self.advice = title, message, advice

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box error-box"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(Text(self.message), classes="dialog-message")
            yield Static(Text(self.advice, style="bold"), classes="dialog-advice")
            yield Button("OK", variant="primary", id="ok")

    def on_button_pressed(self, _event: Button.Pressed) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


class ConflictDialog(ModalScreen[str]):
    """Someone else saved the segment since it was opened: both versions, and the reviewer decides.

    Dismissed with ``"theirs"`` (take the stored version), ``"mine"`` (write mine over it, knowingly)
    or ``"later"`` (go on editing; nothing is saved until the conflict is settled).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "later", "Decide later"),
        Binding("t", "theirs", "Keep theirs"),
        Binding("m", "mine", "Use mine"),
    ]

    def __init__(self, mine: str, mine_state: str, theirs: SegmentRow) -> None:
        super().__init__(classes="dialog")
        self.mine, self.mine_state, self.theirs = mine, mine_state, theirs

    def compose(self) -> ComposeResult:
        theirs = self.theirs
        who = f" by {theirs.author}" if theirs.author else ""
        with Vertical(classes="dialog-box conflict-box"):
            yield Label("Saved elsewhere meanwhile: nothing was overwritten", classes="dialog-title")
            yield Static(Text(theirs.source, style="dim"), classes="dialog-message")
            with Horizontal(classes="versions"):
                with VerticalScroll(classes="version", id="mine"):
                    yield Label(f"Yours (not saved, {self.mine_state})", classes="version-title")
                    yield Static(Text(self.mine or "(empty)"))
                with VerticalScroll(classes="version", id="theirs"):
                    stored = f"Stored: version {theirs.version}, {theirs.state}{who}"
                    yield Label(stored, classes="version-title")
                    yield Static(Text(theirs.target or "(empty)"))
            with Horizontal(classes="buttons"):
                yield Button("Keep theirs [t]", id="theirs", variant="primary")
                yield Button("Use mine over theirs [m]", id="mine", variant="warning")
                yield Button("Decide later [esc]", id="later")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "later")

    def action_theirs(self) -> None:
        self.dismiss("theirs")

    def action_mine(self) -> None:
        self.dismiss("mine")

    def action_later(self) -> None:
        self.dismiss("later")


class ChooserDialog(ModalScreen[int | None]):
    """Pick item n by pressing its number (the second keystroke of insert-name and apply-fix)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        *(Binding(str(n), f"choose({n})", show=False) for n in range(1, 10)),
        Binding("enter", "choose(1)", "First", show=False),
    ]

    def __init__(self, title: str, items: Sequence[str]) -> None:
        super().__init__(classes="dialog")
        self.title_text, self.items = title, list(items)

    def compose(self) -> ComposeResult:
        text = Text()
        for number, item in enumerate(self.items[:9], start=1):
            if number > 1:
                text.append("\n")
            text.append(f" {number} ", style="bold reverse")
            text.append(f" {item}")
        with Vertical(classes="dialog-box chooser-box"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(text)
            yield Label("press a number · esc cancels", classes="dialog-hint")

    def action_choose(self, number: int) -> None:
        if 1 <= number <= min(9, len(self.items)):
            self.dismiss(number - 1)

    def action_cancel(self) -> None:
        self.dismiss(None)


class LanguageDialog(ModalScreen[str | None]):
    """The target languages with their progress; Enter picks one."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, choices: Sequence[tuple[str, str]], current: str) -> None:
        super().__init__(classes="dialog")
        self.choices, self.current = list(choices), current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box chooser-box"):
            yield Label("Target language", classes="dialog-title")
            yield OptionList(*(Option(f"{lang:<7} {label}", id=lang) for lang, label in self.choices))

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        for index, (lang, _label) in enumerate(self.choices):
            if lang == self.current:
                options.highlighted = index
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
