"""Forms of the term base screen: add a form to a concept, add a concept from a Cyrillic name."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from glossary.model.conceptid import concept_id_problem
from glossary.model.langtag import canonical_lang
from glossary.model.records import CONCEPT_KINDS, STATUSES, TERM_TYPES, ConceptRecord, TermRecord
from glossary.store.termbase import slugify
from glossary.translit.proposals import PRESS_LANGS, propose_press_spellings, propose_romanizations

NAME_LANGS = ("ru", "kk", "be", "tg")


def _options(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(value, value) for value in values]


class AddFormDialog(ModalScreen[TermRecord | None]):
    """One new form of a concept: language, text, status, type, where it comes from, a note."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, concept: str, lang: str) -> None:
        super().__init__(classes="dialog")
        self.concept, self.lang = concept, lang

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box form-box"):
            yield Label(f"New form of {self.concept}", classes="dialog-title")
            yield Input(self.lang, placeholder="language (ru, kk, kk-Latn, de…)", id="lang")
            yield Input(placeholder="the form as written", id="text")
            with Horizontal(classes="selects"):
                yield Select(_options(STATUSES), value="preferred", allow_blank=False, id="status")
                yield Select(_options(TERM_TYPES), value="full_form", allow_blank=False, id="type")
            yield Input(placeholder="source: where a reader finds this exact form", id="source")
            yield Input(placeholder="note (why, for a form that is not preferred)", id="note")
            with Horizontal(classes="buttons"):
                yield Button("Add", variant="primary", id="add")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#text", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#add")
    def _add(self) -> None:
        lang = canonical_lang(self.query_one("#lang", Input).value.strip())
        text = self.query_one("#text", Input).value.strip()
        if lang is None or not text:
            self.notify("A form needs a language tag (ru, kk-Latn…) and its text", severity="error")
            return
        self.dismiss(TermRecord(
            lang=lang,
            text=text,
            status=str(self.query_one("#status", Select).value),
            type=str(self.query_one("#type", Select).value),
            source=self.query_one("#source", Input).value.strip() or None,
            note=self.query_one("#note", Input).value.strip() or None,
        ))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class NewConceptDialog(ModalScreen[ConceptRecord | None]):
    """A new concept from its Cyrillic name: every scheme's romanization is shown (they are generated
    on their own) and the press spellings for en, de and fr are proposed, to accept or edit."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "add", "Add concept", priority=True),
    ]

    def __init__(self) -> None:
        super().__init__(classes="dialog")
        self._proposed: dict[str, tuple[str, str]] = {}  # press lang → (proposed text, scheme title)
        self._proposed_id = ""

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog-box form-box concept-box"):
            yield Label("New concept", classes="dialog-title")
            with Horizontal(classes="selects"):
                yield Select(_options(NAME_LANGS), value="ru", allow_blank=False, id="lang")
                yield Select(_options(CONCEPT_KINDS), value="person", allow_blank=False, id="kind")
            yield Input(placeholder="the name in Cyrillic, e.g. Олжас Бектенов", id="name")
            yield Static(id="romanizations")
            for lang in PRESS_LANGS:
                yield Input(placeholder=f"{lang} press spelling", id=f"press-{lang}")
            yield Input(placeholder="concept id (a slug)", id="id")
            yield Input(placeholder="note: who or what this is", id="note")
            with Horizontal(classes="buttons"):
                yield Button("Add concept [ctrl+s]", variant="primary", id="add")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    @on(Input.Changed, "#name")
    @on(Select.Changed, "#lang")
    def _propose(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        lang = str(self.query_one("#lang", Select).value)
        proposals = propose_romanizations(name, lang)
        text = Text()
        for proposal in proposals:
            text.append(f"{proposal.scheme:<14}", style="dim")
            text.append(f"{proposal.text}\n")
        if proposals:
            text.append("(generated as deprecated romanizations when the concept is added)",
                        style="dim italic")
        self.query_one("#romanizations", Static).update(text)
        press = propose_press_spellings(name, lang)
        for target in PRESS_LANGS:
            field = self.query_one(f"#press-{target}", Input)
            previous = self._proposed.get(target, ("", ""))[0]
            proposal = press.get(target)
            if field.value in ("", previous):  # never overwrite what the reviewer typed
                field.value = proposal.text if proposal else ""
            self._proposed[target] = (proposal.text, proposal.title) if proposal else ("", "")
        id_field = self.query_one("#id", Input)
        english = press.get("en")
        if english is not None and id_field.value in ("", self._proposed_id):
            id_field.value = self._proposed_id = slugify(english.text)

    @on(Button.Pressed, "#add")
    def action_add(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        lang = str(self.query_one("#lang", Select).value)
        concept_id = self.query_one("#id", Input).value.strip()
        if not name or not concept_id:
            self.notify("A concept needs its Cyrillic name and an id", severity="error")
            return
        problem = concept_id_problem(concept_id)
        if problem:
            self.notify(problem, severity="error")
            return
        terms = [TermRecord(lang, name, source="entered in review")]
        for target in PRESS_LANGS:
            value = self.query_one(f"#press-{target}", Input).value.strip()
            if not value:
                continue
            proposed, title = self._proposed.get(target, ("", ""))
            # What the form rests on: the scheme's output when accepted as proposed, else the editor.
            accepted = f"{title} (scheme output, accepted in review)"
            source = accepted if value == proposed else "editor's choice"
            terms.append(TermRecord(target, value, source=source))
        self.dismiss(ConceptRecord(
            id=concept_id,
            kind=str(self.query_one("#kind", Select).value),
            note=self.query_one("#note", Input).value.strip() or None,
            terms=terms,
        ))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
