"""The review app: ``make_app()`` builds it for the CLI and the tests; it opens one workspace."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Center, Middle
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from glossary.store.rows import Progress, SegmentRef
from tui import keys
from tui.data import ReviewData
from tui.errors import describe
from tui.heap import settle
from tui.screens.dialogs import ErrorDialog
from tui.screens.review import ReviewScreen


class OpeningScreen(Screen[None]):
    """Shown while the database opens (and, on the very first run, is set up)."""

    def __init__(self, where: str) -> None:
        super().__init__()
        self.where = where

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(Text(f"Opening {self.where}…\n(the first run sets up the bundled article and "
                              "term base: a few seconds)", justify="center"), id="opening")


class GlossaryApp(App[int]):
    """Review translations of a document: names kept consistent, memory and findings at hand."""

    class ReviewShown(Message):
        """The review screen is on the terminal for the first time (the benchmark waits for it)."""

    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses live elsewhere
    TITLE = "Glossary review"
    ENABLE_COMMAND_PALETTE = True
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (130, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        *keys.bindings(keys.APP_ACTIONS),
        Binding("question_mark", "help", "Help", show=False),
    ]

    def __init__(self, url: str | None, lang: str, config_path: Path | None, document: str | None) -> None:
        super().__init__()
        self.url = url
        self.lang = lang
        self.config_path = config_path
        self.document_name = document
        self.data: ReviewData | None = None
        self.keymap: dict[str, str] = {}
        self.started = time.perf_counter()
        self.opened_at: float | None = None  # when the review screen first showed (benchmark)
        self.exit_notes: list[str] = []  # printed by the CLI after the terminal is restored
        self._quit_anyway = False
        self._failed = False  # the database could not be opened
        self._deferred_errors: list[tuple[BaseException, str]] = []

    # --- opening ------------------------------------------------------------------------

    def on_mount(self) -> None:
        try:
            self.keymap = keys.load_keymap(self.config_path)
            self.set_keymap(self.keymap)
        except keys.KeyConfigError as exc:
            self._deferred_errors.append((exc, "reading the key file"))  # shown over the review screen
        self._catch_hangups()
        if self.data is not None:  # the review screen is the first screen: the workspace opens behind it
            self.call_after_refresh(self._first_screen_shown)
            return
        self.push_screen(OpeningScreen(self.url or "the default database"))
        self.open_database()

    def get_default_screen(self) -> Screen:
        """The review screen, drawn in the very first frame, when the quick read has its data (an
        SQLite file ready to use); else a blank screen that the opening screen covers."""
        try:
            preview = ReviewData.preview(self.url, self.lang, self.document_name)
        except Exception:  # the full way meets it again, and reports it
            preview = None
        if preview is None:
            return super().get_default_screen()
        data, refs, progress = preview
        self._use(data)
        return ReviewScreen(data, refs, progress)

    def _use(self, data: ReviewData) -> None:
        self.data = data
        self.sub_title = f"{data.document.name} → {data.lang}"

    def _catch_hangups(self) -> None:
        """A closed terminal (SIGHUP) or a kill (SIGTERM) writes the edit in progress before leaving."""
        loop = asyncio.get_running_loop()
        for number in (signal.SIGHUP, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(number, self._hang_up)

    def _hang_up(self) -> None:
        self._save_before_leaving()
        self.exit(1)

    @work(thread=True, exclusive=True, group="open")
    def open_database(self) -> None:
        try:
            data = ReviewData.open(self.url, self.lang, self.document_name)
            refs = data.refs()
            progress = data.progress()
        except Exception as exc:
            self.call_from_thread(self._open_failed, exc)
            return
        self.call_from_thread(self._opened, data, refs, progress)

    def _opened(self, data: ReviewData, refs: list[SegmentRef], progress: Progress) -> None:
        self._use(data)
        self.switch_screen(ReviewScreen(data, refs, progress))
        self.call_after_refresh(self._first_screen_shown)

    def _first_screen_shown(self) -> None:
        if self.opened_at is None:
            self.opened_at = time.perf_counter()
            self.post_message(self.ReviewShown())
            settle()  # the segment list and Textual's own objects
        if self.data is not None and not self.data.connected:
            self.connect_database(self.data)
        for exc, doing in self._deferred_errors:
            self.show_error(exc, doing)
        self._deferred_errors.clear()

    @work(thread=True, exclusive=True, group="open")
    def connect_database(self, data: ReviewData) -> None:
        """Open the workspace behind a review screen drawn from the quick read: the names, memory
        and checks, and every write, wait for it."""
        try:
            data.connect()
        except Exception as exc:
            self.call_from_thread(self._open_failed, exc)
            return
        self.call_from_thread(self._connected)

    def _connected(self) -> None:
        settle()  # the store, SQLAlchemy and what they imported
        review = self.review
        if review is not None:
            review.connected()

    def _open_failed(self, exc: Exception) -> None:
        if self._failed:
            return
        self._failed = True
        title, message, advice = describe(exc, "opening the database")
        self.exit_notes.append(f"glossary review: {message}")
        self.push_screen(ErrorDialog(title, message, advice), lambda _: self.exit(2))

    # --- errors -------------------------------------------------------------------------

    def show_error(self, exc: BaseException, doing: str) -> None:
        """An error in a dialog that says what to do (never swallowed)."""
        if self._failed:
            return  # the database did not open: that error is on screen, and the app ends with it
        title, message, advice = describe(exc, doing)
        if any(isinstance(shown, ErrorDialog) and shown.title_text == title for shown in self.screen_stack):
            # The same trouble is on screen already (an autosave meeting it beside a save, a retry):
            # one dialog is enough; a second under it would need a second key to reach the work.
            return
        self.push_screen(ErrorDialog(title, message, advice))

    # --- the review screen and the others -----------------------------------------------

    @property
    def review(self) -> ReviewScreen | None:
        return next((s for s in self.screen_stack if isinstance(s, ReviewScreen)), None)

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.keymap))

    def action_termbase(self) -> None:
        from tui.screens.termbase import TermbaseScreen

        if self.data is not None and not isinstance(self.screen, TermbaseScreen):
            self.push_screen(TermbaseScreen(self.data), self._termbase_closed)

    def _termbase_closed(self, changed: bool | None) -> None:
        review = self.review
        if changed and review is not None and self.data is not None:
            self.data.forget_concepts()
            if review.current is not None:
                review.look_up(review.current, review.editor.text, with_matches=False)
            review.check_document()

    def action_concordance(self) -> None:
        from tui.screens.concordance import ConcordanceScreen

        if self.data is not None and not isinstance(self.screen, ConcordanceScreen):
            self.push_screen(ConcordanceScreen(self.data), self._jump)

    def action_findings(self) -> None:
        from tui.screens.findings import FindingsScreen

        review = self.review
        if review is not None and not isinstance(self.screen, FindingsScreen):
            self.push_screen(FindingsScreen(review.document_findings, review.data), self._jump)

    def _jump(self, segment_id: int | None) -> None:
        review = self.review
        if segment_id is not None and review is not None:
            review.jump_to(segment_id)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        review_actions = keys.REVIEW_ACTIONS if self.review is not None else ()
        for action in (*review_actions, *keys.APP_ACTIONS):
            if action.id in ("quit", "help"):
                continue
            shown = self.keymap.get(action.id, action.keys)
            yield SystemCommand(action.label, f"{action.help}  [{shown}]", partial(self._run, action))

    def _run(self, action: keys.Action) -> None:
        target = self.review if any(action is a for a in keys.REVIEW_ACTIONS) else self
        if target is not None:
            self.call_later(target.run_action, action.id)

    # --- leaving ------------------------------------------------------------------------

    def _save_before_leaving(self) -> bool:
        review = self.review
        if review is None:
            return True
        try:
            return review.flush()
        except Exception as exc:  # the app is going: say so on the terminal afterwards
            self.exit_notes.append(f"glossary review: the last edit was not saved: {exc}")
            return False

    async def action_quit(self) -> None:
        if not self._save_before_leaving() and not self._quit_anyway:
            self._quit_anyway = True
            self.notify("The edit in progress is not saved. Quit again to leave without it.",
                        severity="error", timeout=8)
            return
        self.exit(0)

    def on_unmount(self) -> None:
        if self.data is not None:
            self.data.close()


def make_app(
    url: str | None = None,
    lang: str = "ru",
    config_path: Path | None = None,
    document: str | None = None,
) -> GlossaryApp:
    """The review app on the database at ``url`` (default: ``$GLOSSARY_DB`` or the user's file),
    reviewing ``document`` (default: the bundled article) into ``lang``; keys remapped by the TOML
    file at ``config_path`` (default: ``keys.toml`` in the user config folder)."""
    return GlossaryApp(url, lang, config_path, document)
