"""The review screen: segment list, source with names, the editor, and memory, names and findings beside."""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, ParamSpec

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Container, Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from glossary.model.errors import ConflictError
from glossary.store.rows import Progress, SegmentRef, SegmentRow
from tui import keys
from tui.data import NameItem, ReviewData
from tui.heap import settle
from tui.screens.dialogs import ChooserDialog, ConflictDialog, LanguageDialog
from tui.widgets.editor import TargetEditor
from tui.widgets.panels import FindingsPanel, MatchesPanel, NamesPanel, progress_text
from tui.widgets.segment_list import SegmentList
from tui.widgets.source_view import SourceView

if TYPE_CHECKING:
    from glossary.checks.model import Finding
    from glossary.memory.units import Match
    from glossary.recognize.spans import Span
    from tui.app import GlossaryApp

SAVE_DELAY = 0.4  # seconds of no typing before an edit is written (and at once on leaving it)
CHECK_DELAY = 0.25
# A lookup of the next segment made ahead of time is shown at once when the translator moves on,
# unless something was written or another screen was open since, or it is older than this (seconds:
# another translator's memory units can arrive meanwhile).
PREFETCH_FOR = 10.0
# A move whose lookup is not ready holds the screen's frames back this long at most (seconds), so
# the segment and its panels are drawn together, once, and the lookup runs without a frame drawn
# beside it competing for the interpreter.
HOLD_FOR = 0.15
STATE_FILTERS: tuple[tuple[str, frozenset[str] | None], ...] = (
    ("all", None),
    ("untranslated", frozenset({"new"})),
    ("fuzzy", frozenset({"fuzzy"})),
    ("translated", frozenset({"translated"})),
    ("approved", frozenset({"approved", "reviewed"})),
)
NEEDS_WORK = frozenset({"new", "fuzzy"})
P = ParamSpec("P")


def while_shown(method: Callable[P, None]) -> Callable[P, None]:
    """For results that workers hand back: when the screen is closing (the app quits while a lookup
    runs) its widgets are gone and there is nothing left to show them in."""

    @functools.wraps(method)
    def deliver(*args: P.args, **kwargs: P.kwargs) -> None:
        with contextlib.suppress(NoMatches):
            method(*args, **kwargs)

    return deliver


@dataclass(frozen=True, slots=True)
class Lookup:
    """What the side panels show for one segment."""

    segment_id: int
    spans: list[Span]
    names: list[NameItem]
    matches: list[Match]
    findings: list[Finding]


@dataclass(frozen=True, slots=True)
class Prefetched:
    """A lookup of the next segment made while the translator works on this one."""

    lookup: Lookup  # its findings are the segment's own, without those across segments
    target: str  # the text it was checked against
    stamp: tuple[int, int]  # (writes, screens opened) when it was made
    made: float  # time.monotonic()


@dataclass(frozen=True, slots=True)
class Prefetching:
    """The lookup ahead under way: which one (a counter), of what, since when (a stamp)."""

    number: int
    row: SegmentRow
    stamp: tuple[int, int]


class ReviewScreen(Screen[None]):
    """Review one document in one target language, keyboard first."""

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.REVIEW_ACTIONS)  # type: ignore[assignment]

    def __init__(self, data: ReviewData, refs: list[SegmentRef], progress: Progress) -> None:
        super().__init__()
        self.data = data
        self._initial_refs = refs
        self.progress = progress
        self.state_filter = 0
        self.findings_only = False
        self.search_text = ""
        self.document_findings: dict[str, list[Finding]] = {}
        self.document_checked = False  # the check of the whole document has finished
        self.current: SegmentRow | None = None
        self.lookup: Lookup | None = None
        self.shown_at: float = 0.0  # when the panels last showed a segment's lookup (for the benchmark)
        self.drawn_at: float = 0.0  # when the first frame after that was drawn (for the benchmark)
        self.last_edited: int | None = None
        self.pending = False  # the editor holds text not written yet
        self._checked_text: str | None = None  # the target text the panels' last lookup was asked for
        self.conflicted = False  # a save met a newer version: nothing is written until settled
        self._save_timer: Timer | None = None
        self._check_timer: Timer | None = None
        self._editor: TargetEditor | None = None
        self._prefetched: Prefetched | None = None
        self._prefetching: Prefetching | None = None  # the lookup ahead under way
        self._prefetch_count = 0
        self._waiting_for: int | None = None  # the segment shown whose panels wait for the lookup ahead
        self._resumed = 0  # times this screen came back from another (which may have changed the term base)
        self._held: contextlib.AbstractContextManager[None] | None = None  # frames held back (HOLD_FOR)
        self._hold_timer: Timer | None = None
        self._settled = False  # the objects the first lookup loads are settled (tui.heap)

    @property
    def glossary_app(self) -> GlossaryApp:
        return self.app  # type: ignore[return-value]

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        yield Input(placeholder="find in source or translation · enter applies · esc clears", id="search")
        with Container(id="main"):
            yield SegmentList(self.data.rows, id="segments")
            with Horizontal(id="detail"):
                with Vertical(id="work"):
                    yield SourceView(id="source")
                    yield TargetEditor(id="target")
                with Vertical(id="side"):
                    yield MatchesPanel(id="matches", classes="panel")
                    yield NamesPanel(id="names", classes="panel")
                    yield FindingsPanel(id="findings", classes="panel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#matches").border_title = "Memory"
        self.query_one("#names").border_title = "Names"
        self.query_one("#findings").border_title = "Findings"
        self.query_one("#source").border_title = "Source"
        self.query_one("#target").border_title = "Translation"
        self.query_one("#search").display = False
        self._editor = self.editor  # kept: the widget tree is gone by the time the screen unmounts
        self.segment_list.set_refs(self._initial_refs)
        self._show_status()
        self._open(0, look_up=False)
        if self.current is not None:
            self._show_looking_up()
        self.editor.focus()
        # The first screen is drawn before any worker starts: they would compete with it for the GIL.
        self.call_after_refresh(self._start_background)

    def _show_looking_up(self) -> None:
        """Until the first lookup arrives (while the workspace opens, about a second after the first
        screen when it was read by the quick reader): say so in each panel."""
        self.query_one(MatchesPanel).show_matches(None)
        self.query_one(NamesPanel).show_names(None)
        self.query_one(FindingsPanel).show_findings(None)

    def connected(self) -> None:
        """The workspace is open (the lookups waiting for it go on by themselves)."""
        self._show_status()

    def _start_background(self) -> None:
        if self.current is not None:
            self.look_up(self.current, self.current.target or "", with_matches=True)
        self.check_document()

    def on_unmount(self) -> None:
        """The app is going, after a crash too: the edit in progress is written first."""
        self._release()
        if not self.pending or self.conflicted or self.current is None or self._editor is None:
            return
        try:
            self.current = self.data.save(self.current, self._editor.text)
            self.pending = False
        except Exception as exc:  # the terminal is being restored: say so on it afterwards
            self.glossary_app.exit_notes.append(f"glossary review: the last edit was not saved: {exc}")

    @property
    def segment_list(self) -> SegmentList:
        return self.query_one(SegmentList)

    @property
    def editor(self) -> TargetEditor:
        return self.query_one(TargetEditor)

    def _show_status(self, note: str = "") -> None:
        name, states = STATE_FILTERS[self.state_filter]
        filters = [] if states is None else [name]
        if self.findings_only:
            filters.append("with findings")
        if self.search_text:
            filters.append(f"“{self.search_text}”")
        text = Text()
        text.append(f" {self.data.document.name} ", style="bold reverse")
        text.append(f" {self.data.document.source_lang}→{self.data.lang} ", style="bold")
        text.append(progress_text(self.progress))
        if filters:
            text.append(f"  ▾ {', '.join(filters)}: {len(self.segment_list.refs)}", style="bold cyan")
        if self.conflicted:
            text.append("  ⚠ conflict: not saved", style="bold red")
        elif self.pending:
            text.append("  ● editing", style="yellow")
        if note:
            text.append(f"  {note}", style="green")
        if not self.data.connected:
            text.append("  opening the term base and memory…", style="italic")
        self.query_one("#status", Static).update(text, layout=False)  # one line, always

    # --- moving between segments --------------------------------------------------------

    def _open(self, index: int, look_up: bool = True) -> None:
        """Show the segment at ``index`` of the list (after writing the one being left)."""
        row = self.segment_list.row(index)
        self.current = row
        self.pending = False
        self.conflicted = False
        self.lookup = None
        self._checked_text = (row.target or "") if row else ""
        self.editor.load_text(self._checked_text)
        self.editor.read_only = row is None
        self.query_one(SourceView).show_row(row)
        if row is None:
            for panel in (MatchesPanel, NamesPanel, FindingsPanel):
                self.query_one(panel).show("")
            self._show_status()
            return
        # The panels keep the last segment's content until this one's arrives (a few ms later):
        # blanking them first would cost a second layout of the screen on every move.
        self._show_status()
        if not look_up:
            return
        ready = self._take_prefetched(row)
        self._waiting_for = None
        if ready is not None:
            self._show_lookup(row.id, ready.spans, ready.names, ready.matches, ready.findings)
        elif self._under_way(row):
            self._hold()
            self._waiting_for = row.id  # _prefetch_done shows it
        else:
            following = self.segment_list.row(self.segment_list.cursor + 1)
            if self._prefetching is not None and not (following is not None and self._under_way(following)):
                # Ahead of a segment no longer next: its work is wasted. (One started for the row
                # after the cursor before this move was opened is this segment's next: it is kept.)
                self.workers.cancel_group(self, "prefetch")
                self._prefetching = None
            self._hold()
            self.look_up(row, row.target or "", with_matches=True)

    def _hold(self) -> None:
        """Draw no frame until the lookup of the segment just opened is shown (HOLD_FOR at most,
        counted from the first move that held them: a key held down still sees segments go by)."""
        if self._held is not None:
            return
        self._held = self.app.batch_update()
        self._held.__enter__()
        self._hold_timer = self.set_timer(HOLD_FOR, self._release)

    def _release(self) -> None:
        """Draw frames again."""
        held, self._held = self._held, None
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        if held is not None:
            held.__exit__(None, None, None)

    def on_screen_suspend(self) -> None:
        self._release()  # another screen is drawn now

    def on_segment_list_moved(self, event: SegmentList.Moved) -> None:
        if event.index != self.segment_list.cursor:
            return  # the cursor has moved on since (or was put back): that move is opened, not this one
        self._moved(event.index)

    def _moved(self, index: int) -> None:
        """The list's cursor is on ``index``: open that segment unless it is open already."""
        segments = self.segment_list
        if self.current is not None and segments.refs and segments.refs[index].id == self.current.id:
            return
        if not self.flush():
            # The edit could not be written (a conflict, the database): stay with it.
            back = segments.index_of(self.current.id) if self.current is not None else None
            if back is not None:
                segments.set_reactive(SegmentList.cursor, back)
                segments.scroll_to_cursor()
                segments.refresh()
            return
        self._open(index)

    def on_segment_list_edit_requested(self, _event: SegmentList.EditRequested) -> None:
        self.editor.focus()

    def _go(self, index: int | None, what: str) -> None:
        if index is None:
            self.notify(f"No {what} in this direction", timeout=2)
            return
        self.segment_list.move_to(index)
        # Opened at once, not when the list's message arrives: no frame is drawn in between.
        self._moved(self.segment_list.cursor)

    def _find(self, step: int, wanted: frozenset[str] | None = None, keys_: bool = False) -> int | None:
        refs = self.segment_list.refs
        index = self.segment_list.cursor + step
        while 0 <= index < len(refs):
            ref = refs[index]
            if keys_ and self._finding_count(ref.key):
                return index
            if wanted is not None and ref.state in wanted:
                return index
            index += step
        return None

    def _finding_count(self, key: str) -> int:
        return len(self.document_findings.get(key, ()))

    def action_next_segment(self) -> None:
        self._go(self.segment_list.cursor + 1 if self.segment_list.cursor + 1 < len(self.segment_list.refs)
                 else None, "segment")

    def action_previous_segment(self) -> None:
        self._go(self.segment_list.cursor - 1 if self.segment_list.cursor > 0 else None, "segment")

    def action_next_untranslated(self) -> None:
        self._go(self._find(1, NEEDS_WORK), "untranslated or fuzzy segment")

    def action_previous_untranslated(self) -> None:
        self._go(self._find(-1, NEEDS_WORK), "untranslated or fuzzy segment")

    def action_next_finding(self) -> None:
        self._go(self._find(1, keys_=True), "segment with findings")

    def action_previous_finding(self) -> None:
        self._go(self._find(-1, keys_=True), "segment with findings")

    def action_last_edited(self) -> None:
        if self.last_edited is None:
            self.notify("Nothing edited yet in this session", timeout=2)
            return
        self.jump_to(self.last_edited)

    def jump_to(self, segment_id: int) -> None:
        """Show the segment, clearing the filters when they hide it."""
        index = self.segment_list.index_of(segment_id)
        if index is not None:
            self.segment_list.move_to(index)
            self.editor.focus()
            return
        self.state_filter, self.findings_only, self.search_text = 0, False, ""
        self.reload(keep=segment_id)

    def action_focus_list(self) -> None:
        search = self.query_one("#search", Input)
        if search.has_focus:
            search.value = ""
            search.display = False
            if self.search_text:
                self.search_text = ""
                self.reload()
            self.segment_list.focus()
        elif self.segment_list.has_focus:
            self.editor.focus()
        else:
            self.segment_list.focus()

    # --- side panels --------------------------------------------------------------------

    def _look_up(self, row: SegmentRow, target: str, with_matches: bool) -> Lookup | None:
        """Names, memory matches (else none) and findings of one segment; None once cancelled."""
        worker = get_current_worker()
        data = self.data
        index = data.workspace.recognizer()  # one term-base version for the whole lookup
        spans = data.spans(row.source, data.document.source_lang, index)
        names = data.names(row, target, index, source_spans=spans)
        findings = data.check(row, target, index)
        if worker.is_cancelled:
            return None
        matches = data.matches(row, index) if with_matches else []
        return None if worker.is_cancelled else Lookup(row.id, spans, names, matches, findings)

    @work(thread=True, exclusive=True, group="lookup")
    def look_up(self, row: SegmentRow, target: str, with_matches: bool) -> None:
        """Look a segment up off the UI thread and show it (without matches: keep those shown)."""
        try:
            found = self._look_up(row, target, with_matches)
        except Exception as exc:  # shown in a dialog, never swallowed
            self.app.call_from_thread(self.glossary_app.show_error, exc, "looking up the segment")
            return
        if found is not None:
            self.app.call_from_thread(self._show_lookup, row.id, found.spans, found.names,
                                      found.matches if with_matches else None, found.findings)

    @work(thread=True, exclusive=True, group="prefetch")
    def prefetch(self, number: int, row: SegmentRow, stamp: tuple[int, int]) -> None:
        """Look the next segment up ahead of time, so moving on shows it at once."""
        made: Prefetched | None = None
        try:
            found = self._look_up(row, row.target or "", with_matches=True)
        except Exception:  # not lost: the lookup made when the segment is opened reports it
            found = None
        if found is not None:
            made = Prefetched(found, row.target or "", stamp, time.monotonic())
        self.app.call_from_thread(self._prefetch_done, number, made)

    @while_shown
    def _prefetch_done(self, number: int, made: Prefetched | None) -> None:
        """The lookup made ahead is ready (``made``; None if it came to nothing): shown at once when
        the translator has already moved to that segment and waits for it, else kept for the move."""
        if self._prefetching is None or self._prefetching.number != number:
            return  # a later lookup ahead replaced it
        self._prefetching = None
        current, waiting = self.current, self._waiting_for
        self._waiting_for = None
        if waiting is None or current is None or current.id != waiting:
            self._prefetched = made
        elif made is not None and self._usable(made, current):
            found = made.lookup
            self._show_lookup(current.id, found.spans, found.names, found.matches, found.findings)
        else:
            self.look_up(current, current.target or "", with_matches=True)

    def _stamp(self) -> tuple[int, int]:
        return (self.data.writes, self._resumed)

    def _usable(self, prefetched: Prefetched | None, row: SegmentRow) -> bool:
        return (
            prefetched is not None and prefetched.lookup.segment_id == row.id
            and prefetched.target == (row.target or "") and prefetched.stamp == self._stamp()
            and time.monotonic() - prefetched.made < PREFETCH_FOR
        )

    def _take_prefetched(self, row: SegmentRow) -> Lookup | None:
        prefetched, self._prefetched = self._prefetched, None
        return prefetched.lookup if prefetched is not None and self._usable(prefetched, row) else None

    def _under_way(self, row: SegmentRow) -> bool:
        """A lookup ahead of this very segment (same text, nothing written or opened since) is running:
        better waited for than made a second time beside it, each slowing the other."""
        running = self._prefetching
        return running is not None and running.row == row and running.stamp == self._stamp()

    def _prefetch_next(self) -> None:
        following = self.segment_list.row(self.segment_list.cursor + 1)
        if following is None or self._usable(self._prefetched, following) or self._under_way(following):
            return
        self._prefetch_count += 1
        self._prefetching = Prefetching(self._prefetch_count, following, self._stamp())
        self.prefetch(self._prefetch_count, following, self._stamp())

    def on_screen_resume(self) -> None:
        self._resumed += 1

    @while_shown
    def _show_lookup(self, segment_id: int, spans: list[Span], names: list[NameItem],
                     matches: list[Match] | None, findings: list[Finding]) -> None:
        if self.current is None or self.current.id != segment_id:
            return
        if matches is None:
            matches = self.lookup.matches if self.lookup is not None else []
        # The live check sees this segment alone; what the rules across segments found stays.
        stored = self.document_findings.get(self.current.key, ())
        across = [f for f in stored if f.rule in self.data.corpus_rules]
        findings = [*findings, *across]
        self.lookup = Lookup(segment_id, spans, names, matches, findings)
        self.query_one(SourceView).show_row(self.current, spans)
        self.query_one(MatchesPanel).show_matches(matches)
        self.query_one(NamesPanel).show_names(names)
        self.query_one(FindingsPanel).show_findings(findings)
        self._set_findings(self.current.key, findings)
        self.shown_at = time.perf_counter()
        if not self._settled:
            self._settled = True
            settle()  # the recognizer, the memory's index and the checks, loaded by the first lookup
        self._release()
        self.call_after_refresh(self._drawn)

    @while_shown
    def _drawn(self) -> None:
        """The frame with the lookup is drawn: the next segment is looked up now, not while that
        frame was being drawn (the two would share one interpreter and both take longer)."""
        current, lookup = self.current, self.lookup
        shown = current is not None and lookup is not None and lookup.segment_id == current.id
        if self._held is not None or not shown:
            return  # another segment was opened since: its own lookup comes first
        self.drawn_at = time.perf_counter()
        self._prefetch_next()

    def _set_findings(self, key: str, findings: Sequence[Finding]) -> None:
        if findings:
            self.document_findings[key] = list(findings)
        else:
            self.document_findings.pop(key, None)
        self.segment_list.findings[key] = len(findings)
        index = self.segment_list.cursor
        self.segment_list.refresh_line(index)

    @work(thread=True, exclusive=True, group="check-document")
    def check_document(self) -> None:
        """Every finding of the document (the rules across segments too), for the list and filters."""
        worker = get_current_worker()
        try:
            found = self.data.check_all_elsewhere(cancelled=lambda: worker.is_cancelled)
        except Exception as exc:
            self.app.call_from_thread(self.glossary_app.show_error, exc, "checking the document")
            return
        if found is not None and not worker.is_cancelled:
            self.app.call_from_thread(self._show_document_findings, found)

    @while_shown
    def _show_document_findings(self, found: dict[str, list[Finding]]) -> None:
        if self.lookup is not None and self.current is not None:
            found[self.current.key] = self.lookup.findings  # the live check of the text being edited
            if not found[self.current.key]:
                del found[self.current.key]
        self.document_findings = found
        self.document_checked = True
        settle()  # the document's findings
        self.segment_list.set_findings({key: len(items) for key, items in found.items()})
        if self.findings_only:
            self.reload()

    # --- editing and saving -------------------------------------------------------------

    @on(TargetEditor.Changed)
    def _edited(self, _event: TargetEditor.Changed) -> None:
        if self.current is None:
            return
        changed = self.editor.text != (self.current.target or "")
        if not changed and not self.pending and self.editor.text == self._checked_text:
            return  # the text was loaded, not typed
        # Typed text may equal the stored one here: an autosave due to an earlier keystroke can
        # write it before this message arrives. Its findings are checked all the same.
        self.pending = changed
        self._show_status()
        if self._save_timer is not None:
            self._save_timer.stop()
        if changed:
            self._save_timer = self.set_timer(SAVE_DELAY, self._autosave)
        if self._check_timer is not None:
            self._check_timer.stop()
        self._check_timer = self.set_timer(CHECK_DELAY, self._recheck)

    def _autosave(self) -> None:
        if self.pending and not self.conflicted:
            self.save()

    def _recheck(self) -> None:
        if self.current is not None:
            # Typed before the lookup ahead of this segment arrived: this lookup replaces it.
            waiting = self._waiting_for == self.current.id
            self._waiting_for = None
            self._checked_text = self.editor.text
            self.look_up(self.current, self.editor.text, with_matches=waiting or self.lookup is None)

    def flush(self) -> bool:
        """Write the edit being made now, if any (on leaving a segment, switching, quitting)."""
        if self._save_timer is not None:
            self._save_timer.stop()
        if self.pending and not self.conflicted:
            return self.save()
        return not self.pending

    def save(self, state: str | None = None) -> bool:
        """Write the editor's text (and ``state``, else the state an edit leaves); False if not written."""
        if self._save_timer is not None:
            # This write replaces the autosave the edit scheduled: were it to fail, the autosave
            # would only meet the same failure a moment later and show its dialog a second time.
            self._save_timer.stop()
            self._save_timer = None
        row = self.current
        if row is None:
            return True
        text = self.editor.text
        if state is None and not self.pending:
            return True
        try:
            saved = self.data.save(row, text, state)
        except ConflictError:
            self._conflict(text, state or row.state)
            return False
        except Exception as exc:
            self.glossary_app.show_error(exc, "saving the translation")
            return False
        self._saved(saved)
        return True

    def _saved(self, saved: SegmentRow) -> None:
        self.current = saved
        self.pending = self.editor.text != (saved.target or "")
        self.conflicted = False
        self.last_edited = saved.id
        self.segment_list.update_row(saved)
        self.query_one(SourceView).show_row(saved, self.lookup.spans if self.lookup else ())
        self._show_status("saved")
        self.refresh_progress()

    @work(thread=True, exclusive=True, group="progress")
    def refresh_progress(self) -> None:
        try:
            progress = self.data.progress()
        except Exception as exc:
            self.app.call_from_thread(self.glossary_app.show_error, exc, "counting progress")
            return
        self.app.call_from_thread(self._progress_shown, progress)

    @while_shown
    def _progress_shown(self, progress: Progress) -> None:
        self.progress = progress
        self._show_status()

    def _conflict(self, mine: str, mine_state: str) -> None:
        assert self.current is not None
        self.conflicted = True
        self._show_status()
        try:
            theirs = self.data.row(self.current.id)
        except Exception as exc:
            self.glossary_app.show_error(exc, "reading the stored version")
            return

        def settle(choice: str | None) -> None:
            if self.current is None or self.current.id != theirs.id:
                return
            if choice == "theirs":
                self.current = theirs
                self.conflicted = self.pending = False
                self._checked_text = theirs.target or ""
                self.editor.load_text(self._checked_text)
                self.segment_list.update_row(theirs)
                self.query_one(SourceView).show_row(theirs, self.lookup.spans if self.lookup else ())
                self._show_status("kept the stored version")
            elif choice == "mine":
                self.current = theirs
                self.conflicted = False
                self.pending = True
                self.save(mine_state if mine_state != theirs.state else None)
            else:
                self._show_status()

        self.app.push_screen(ConflictDialog(mine, mine_state, theirs), settle)

    def action_save(self) -> None:
        self.conflicted = False  # a deliberate save tries again (and shows a conflict again if any)
        if not self.pending:
            self._show_status("nothing to save")
            return
        self.save()

    def action_approve_next(self) -> None:
        if self.current is None:
            return
        if not self.editor.text.strip():
            self.notify("Nothing to approve: the translation is empty", severity="warning", timeout=3)
            return
        self.conflicted = False
        if self.save("approved"):
            self.action_next_segment()

    def action_toggle_fuzzy(self) -> None:
        if self.current is None:
            return
        if not self.editor.text.strip():
            self.notify("An empty translation cannot be fuzzy", severity="warning", timeout=3)
            return
        self.conflicted = False
        self.save("translated" if self.current.state == "fuzzy" else "fuzzy")

    def action_undo(self) -> None:
        self.editor.action_undo()

    # --- inserting matches, names and fixes ---------------------------------------------

    def _insert_match(self, number: int) -> None:
        matches = self.lookup.matches if self.lookup else []
        if number > len(matches):
            self.notify(f"No memory match {number}", timeout=2)
            return
        self.editor.replace_all(matches[number - 1].target)
        self.editor.focus()

    def action_insert_match_1(self) -> None:
        self._insert_match(1)

    def action_insert_match_2(self) -> None:
        self._insert_match(2)

    def action_insert_match_3(self) -> None:
        self._insert_match(3)

    def action_insert_match_4(self) -> None:
        self._insert_match(4)

    def action_insert_match_5(self) -> None:
        self._insert_match(5)

    def action_insert_name(self) -> None:
        if self.current is None:
            return
        # Read afresh: where the target names it must be where the text in the editor has it now.
        try:
            names = [n for n in self.data.names(self.current, self.editor.text) if n.wanted]
        except Exception as exc:
            self.glossary_app.show_error(exc, "recognising names")
            return
        if not names:
            self.notify("No names with a form in this language", timeout=2)
            return

        def chosen(index: int | None) -> None:
            if index is not None:
                self.insert_name(names[index])

        replaces = " (replaces the form in the target)"
        labels = [f"{n.surface} → {n.wanted}" + (replaces if n.target_span else "") for n in names]
        self.app.push_screen(ChooserDialog("Insert which name?", labels), chosen)

    def insert_name(self, item: NameItem) -> None:
        """The wanted form in place of the name's form in the target, or at the cursor."""
        assert item.wanted is not None
        if item.target_span is not None and self.editor.text[slice(*item.target_span)] != item.wanted:
            self.editor.replace_range(*item.target_span, item.wanted)
        elif item.target_span is None:
            self.editor.insert_at_cursor(item.wanted)
        self.editor.focus()

    def action_apply_fix(self) -> None:
        if self.current is None:
            return
        # Checked afresh: the offsets must be those of the text in the editor now.
        try:
            findings = [f for f in self.data.check(self.current, self.editor.text) if f.fix is not None]
        except Exception as exc:
            self.glossary_app.show_error(exc, "checking the translation")
            return
        if not findings:
            self.notify("No finding here has a fix", timeout=2)
            return

        def chosen(index: int | None) -> None:
            if index is not None:
                self.apply_fix(findings[index])

        labels = [f"{f.message}: {f.surface} → {f.fix.replacement}" for f in findings if f.fix is not None]
        self.app.push_screen(ChooserDialog("Apply which fix?", labels), chosen)

    def apply_fix(self, finding: Finding) -> None:
        """Apply one finding's fix to the target in the editor (source fixes cannot be applied here)."""
        assert finding.fix is not None
        if finding.side != "target":
            self.notify("That fix is for the source, which is not edited here", severity="warning")
            return
        self.editor.replace_range(finding.fix.start, finding.fix.end, finding.fix.replacement)
        self.editor.focus()

    # --- filters and languages ----------------------------------------------------------

    def reload(self, keep: int | None = None) -> None:
        """Read the list again under the current filters, keeping the cursor's segment if it stays."""
        if not self.flush():
            return
        self.load_refs(keep if keep is not None else (self.current.id if self.current else None))

    @work(thread=True, exclusive=True, group="refs")
    def load_refs(self, keep: int | None) -> None:
        _name, states = STATE_FILTERS[self.state_filter]
        try:
            refs = self.data.refs(states=states, text=self.search_text or None)
        except Exception as exc:
            self.app.call_from_thread(self.glossary_app.show_error, exc, "reading the segments")
            return
        self.app.call_from_thread(self._refs_loaded, refs, keep)

    @while_shown
    def _refs_loaded(self, refs: list[SegmentRef], keep: int | None) -> None:
        if self.findings_only:
            refs = [ref for ref in refs if ref.key in self.document_findings]
        index = next((i for i, ref in enumerate(refs) if ref.id == keep), 0)
        self.current = None
        self.segment_list.set_refs(refs, cursor=index)
        self._open(index)
        self._show_status()

    def action_cycle_state(self) -> None:
        self.state_filter = (self.state_filter + 1) % len(STATE_FILTERS)
        self.reload()

    def action_toggle_findings_filter(self) -> None:
        self.findings_only = not self.findings_only
        self.reload()

    def action_find(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.value = self.search_text
        search.focus()

    @on(Input.Submitted, "#search")
    def _search(self, event: Input.Submitted) -> None:
        self.search_text = event.value.strip()
        event.input.display = bool(self.search_text)
        self.reload()
        self.segment_list.focus()

    def action_switch_language(self) -> None:
        try:
            langs = sorted({*self.data.langs(), self.data.lang})
            choices = [(lang, progress_text(self.data.progress(lang))) for lang in langs]
        except Exception as exc:
            self.glossary_app.show_error(exc, "reading the languages")
            return

        def chosen(lang: str | None) -> None:
            if lang and lang != self.data.lang:
                self.switch_language(lang)

        self.app.push_screen(LanguageDialog(choices, self.data.lang), chosen)

    def switch_language(self, lang: str) -> None:
        """Review the same document in another target language."""
        if not self.flush():
            return
        keep = self.current.id if self.current else None
        self.data.lang = lang
        self.document_findings = {}
        self.document_checked = False
        self.segment_list.forget_rows()
        self.segment_list.set_findings({})
        self.progress = self.data.progress()
        self.load_refs(keep)
        self.check_document()
