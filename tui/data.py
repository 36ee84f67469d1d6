"""The library calls the review app makes, on one workspace; safe from worker threads (a session per call)."""

from __future__ import annotations

import pickle
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from glossary.model.errors import GlossaryError, NotFoundError, UsageError
from glossary.model.records import ConceptRecord, TermRecord
from glossary.store.identity import current_user
from glossary.store.quickread import QuickReader
from glossary.store.rows import Progress, ReviewDocument, SegmentRef, SegmentRow, tally
from tui.pending import PendingWorkspace

# The first screen is drawn from the quick reader (the standard library's sqlite3): the store,
# SQLAlchemy, the checks, the memory and recognition are imported when first used, after it is up.
if TYPE_CHECKING:
    from sqlmodel import Session

    from glossary.checks.model import CheckUnit, Finding
    from glossary.memory.concordance import Hit
    from glossary.memory.units import Match
    from glossary.recognize.spans import Span, TermIndex
    from glossary.workspace import Workspace

CHECK_BATCH = 2000
MATCH_LIMIT = 5


@dataclass(frozen=True, slots=True)
class NameItem:
    """A name in the segment and what the term base wants for it in the target language."""

    concept: str
    surface: str  # as the source (or, when only there, the target) writes it
    category: str  # "preferred" | "variant" | "forbidden" | "near miss"
    wanted: str | None  # the preferred target form; in the case ending the target uses, when it has one
    note: str | None
    target_span: tuple[int, int] | None  # where the target already names it
    target_surface: str | None = None  # how the target writes it there
    target_as_wanted: bool = False  # written there in a preferred form of the target language


def category(span: Span) -> str:
    """How a recognised name is shown: preferred, a variant (admitted, deprecated, superseded),
    forbidden, or a near miss of a known form."""
    if span.match == "near_miss":
        return "near miss"
    if span.status == "preferred":
        return "preferred"
    if span.status == "forbidden":
        return "forbidden"
    return "variant"


def _author() -> str | None:
    return current_user()


class ReviewData:
    """One document in one target language, as the review screens read and write it."""

    def __init__(self, workspace: PendingWorkspace, document: ReviewDocument, lang: str,
                 quick: QuickReader | None = None) -> None:
        self._workspace = workspace
        # Reads the rows (the segment list's pages, on the UI thread), before and after the workspace
        # opens: a page of 100 rows takes about 1 ms here against 8 ms through the store.
        self._quick = quick
        self.document = document
        self.lang = lang
        self.author = _author()
        self._concepts: dict[str, ConceptRecord] = {}
        self._lock = threading.Lock()
        self._corpus_rules: frozenset[str] | None = None
        self.writes = 0  # translations this process has written: what was read before may be stale

    @classmethod
    def open(cls, url: str | None, lang: str, document: str | None = None) -> ReviewData:
        """Open (and on first use seed) the database, and the document to review."""
        from glossary.store.segments import open_document
        from glossary.workspace import Workspace

        workspace = Workspace(url)
        try:
            with workspace.session() as session:
                info = open_document(session=session, name=document)
        except BaseException:
            workspace.close()
            raise
        return cls(PendingWorkspace.of(workspace), info, lang)

    @classmethod
    def preview(cls, url: str | None, lang: str, document: str | None = None
                ) -> tuple[ReviewData, list[SegmentRef], Progress] | None:
        """The document, its segment list and progress read at once from an SQLite file set up at
        this Glossary's revision (``glossary.store.quickread``), the workspace left for
        :meth:`connect`; None when only :meth:`open` can open it (a server, a first run, an old
        schema, no such document: it says what is wrong)."""
        reader = QuickReader.open(url)
        if reader is None:
            return None
        try:
            info = reader.document(document)
            refs = reader.refs(info.id, lang) if info is not None else []
        except sqlite3.Error:
            info = None
        if info is None:
            reader.close()
            return None
        progress = tally((None, ref.state, ref.state == "new", 1) for ref in refs)
        return cls(PendingWorkspace(url), info, lang, quick=reader), refs, progress

    def connect(self) -> None:
        """Open the workspace (a worker thread's job, after the first screen): until then the
        library calls wait for it (rows are read by the quick reader, when there is one)."""
        self._workspace.open()

    @property
    def connected(self) -> bool:
        """The workspace is open: names, memory and checks answer without waiting for it."""
        return self._workspace.ready

    @property
    def workspace(self) -> Workspace:
        """The workspace (waits while it is being opened)."""
        return self._workspace.get()

    def close(self) -> None:
        self._workspace.close()
        quick, self._quick = self._quick, None
        if quick is not None:
            quick.close()

    @property
    def corpus_rules(self) -> frozenset[str]:
        """Rules that compare segments: a check of one segment cannot see their findings."""
        if self._corpus_rules is None:
            from glossary.checks.registry import rules_of

            self._corpus_rules = frozenset(rule.id for rule in rules_of("corpus"))
        return self._corpus_rules

    # --- segments ---------------------------------------------------------------------------

    def refs(self, *, states: Iterable[str] | None = None, text: str | None = None) -> list[SegmentRef]:
        from glossary.store.segments import segment_refs

        with self.workspace.session() as session:
            return segment_refs(session=session, document_id=self.document.id, lang=self.lang,
                                states=None if states is None else set(states), text=text or None)

    def rows(self, ids: Sequence[int]) -> list[SegmentRow]:
        quick = self._quick
        if quick is not None:
            try:
                return quick.rows(ids, self.lang)
            except sqlite3.Error:  # closed meanwhile, or the file is busy: the store reads them
                pass
        from glossary.store.segments import fetch_rows

        with self.workspace.session() as session:
            return fetch_rows(session=session, ids=ids, lang=self.lang)

    def row(self, segment_id: int) -> SegmentRow:
        return self.rows([segment_id])[0]

    def progress(self, lang: str | None = None) -> Progress:
        from glossary.store.segments import progress

        with self.workspace.session() as session:
            return progress(session=session, document_id=self.document.id, lang=lang or self.lang)

    def langs(self) -> list[str]:
        from glossary.store.segments import target_langs

        with self.workspace.session() as session:
            return target_langs(session=session, document_id=self.document.id)

    def segment_of_translation(self, translation_id: int) -> int:
        from glossary.store.segments import segment_of_translation

        with self.workspace.session() as session:
            return segment_of_translation(session=session, translation_id=translation_id)

    def save(self, row: SegmentRow, text: str, state: str | None = None) -> SegmentRow:
        """Write ``text`` (in ``state``, else the state an edit leaves) if the row's version is still
        the stored one; ConflictError otherwise, and nothing is written. Returns the saved row."""
        from glossary.store.documents import set_translation
        from glossary.store.segments import state_after_edit

        new_state = state or state_after_edit(row.state if row.target else "new", text)
        saved = self.workspace.write(
            lambda session: set_translation(session=session, segment_id=row.id, lang=self.lang, text=text,
                                            state=new_state, author=self.author,
                                            expected_version=row.version)
        )
        self.writes += 1
        return replace(row, target=saved.text, state=saved.state, version=saved.version, author=saved.author)

    # --- names, memory, checks --------------------------------------------------------------

    def spans(self, text: str, lang: str, index: TermIndex | None = None) -> list[Span]:
        """The names recognised in ``text`` (by ``index``: one recognizer for a whole lookup)."""
        from glossary.recognize.spans import recognize

        return recognize(text, lang, index if index is not None else self.workspace.recognizer())

    def concept(self, concept_id: str) -> ConceptRecord:
        with self._lock:
            found = self._concepts.get(concept_id)
        if found is None:
            from glossary.store.termbase import get_concept

            with self.workspace.session() as session:
                found = get_concept(session=session, concept_id=concept_id)
            with self._lock:
                self._concepts[concept_id] = found
        return found

    def forget_concepts(self) -> None:
        """The term base changed: read concepts afresh."""
        with self._lock:
            self._concepts.clear()

    def names(self, row: SegmentRow, target: str, index: TermIndex | None = None,
              source_spans: list[Span] | None = None) -> list[NameItem]:
        """The names of the source (then those only the target has), each with the target form wanted."""
        from glossary.checks.endings import in_same_ending

        index = index if index is not None else self.workspace.recognizer()
        if source_spans is None:
            source_spans = self.spans(row.source, self.document.source_lang, index)
        target_spans = self.spans(target, self.lang, index) if target.strip() else []
        in_target: dict[str, Span] = {}
        for span in target_spans:
            in_target.setdefault(span.concept, span)
        items: list[NameItem] = []
        seen: set[str] = set()
        for span in [*source_spans, *target_spans]:
            if span.concept in seen:
                continue
            seen.add(span.concept)
            record = self.concept(span.concept)
            matched = _term(record, span)
            wanted_term = record.preferred(self.lang, matched.type if matched else None)
            wanted = wanted_term.text if wanted_term else None
            there = in_target.get(span.concept)
            if wanted is not None and there is not None:
                wanted, _certain = in_same_ending(there.surface, there.term, wanted, self.lang, record.kind)
            note = (wanted_term.note if wanted_term else None) or record.note
            items.append(NameItem(
                concept=span.concept,
                surface=span.surface,
                category=category(span),
                wanted=wanted,
                note=note,
                target_span=(there.start, there.end) if there is not None else None,
                target_surface=there.surface if there is not None else None,
                target_as_wanted=there is not None and self._as_wanted(there, wanted),
            ))
        return items

    def _as_wanted(self, there: Span, wanted: str | None) -> bool:
        """Whether the target writes the name as the term base wants: a preferred form of the
        target language, spelt as that form (Тоқаева folds to Токаева but is not it), which a
        longer name may hold (Касым-Жомарт Токаев for Токаев)."""
        if there.status != "preferred" or there.lang.split("-")[0] != self.lang.split("-")[0]:
            return False
        return wanted is None or wanted in there.surface

    def matches(self, row: SegmentRow, index: TermIndex | None = None) -> list[Match]:
        from glossary.memory.units import search

        index = index if index is not None else self.workspace.recognizer()

        def names(text: str, lang: str) -> list[str]:  # as Workspace.finders() has it, on ``index``
            return [span.concept for span in self.spans(text, lang, index)]

        with self.workspace.session() as session:
            return search(session=session, text=row.source, source_lang=self.document.source_lang,
                          target_lang=self.lang, limit=MATCH_LIMIT, names=names,
                          indexes=self.workspace.indexes)

    def unit(self, row: SegmentRow, target: str | None = None) -> CheckUnit:
        from glossary.checks.model import CheckUnit

        text = row.target if target is None else target
        return CheckUnit(key=row.key, source=row.source, source_lang=self.document.source_lang,
                         target=text or None, target_lang=self.lang, state=row.state)

    def check(self, row: SegmentRow, target: str, index: TermIndex | None = None) -> list[Finding]:
        """The findings of one segment with ``target`` as its translation (cheap: run on every edit)."""
        from glossary.checks.model import check_units

        index = index if index is not None else self.workspace.recognizer()
        return list(check_units([self.unit(row, target)], index))

    def check_all(self, refs: Sequence[SegmentRef], cancelled: Callable[[], bool] = lambda: False
                  ) -> dict[str, list[Finding]] | None:
        """Every finding of the document (the rules across segments included), by segment key;
        None when ``cancelled`` said stop."""
        from glossary.checks.model import check_units

        units: list[CheckUnit] = []
        for start in range(0, len(refs), CHECK_BATCH):
            if cancelled():
                return None
            units.extend(self.unit(r) for r in self.rows([r.id for r in refs[start : start + CHECK_BATCH]]))
        found: dict[str, list[Finding]] = {}
        for finding in check_units(units, self.workspace.recognizer()):
            if finding.key is not None:
                found.setdefault(finding.key, []).append(finding)
        return found

    def check_all_elsewhere(self, cancelled: Callable[[], bool] = lambda: False
                            ) -> dict[str, list[Finding]] | None:
        """``check_all`` of the whole document in a process of its own (``tui.background``), so a
        long check (minutes at 100,000 segments) never holds this process's GIL while the reviewer
        types and moves; None when ``cancelled`` said stop (the child is killed)."""
        if ":memory:" in self.workspace.url or self.workspace.url.rstrip("/").endswith("sqlite:"):
            return self.check_all(self.refs(), cancelled)  # a database only this process can see
        child = subprocess.Popen(
            [sys.executable, "-m", "tui.background", self.workspace.url, self.document.name, self.lang],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        while True:
            try:
                out, err = child.communicate(timeout=0.1)
                break
            except subprocess.TimeoutExpired:
                if cancelled():
                    child.kill()
                    child.communicate()
                    return None
        if child.returncode != 0:
            lines = err.decode("utf-8", "replace").strip().splitlines()
            reason = lines[-1] if lines else f"exit code {child.returncode}"
            raise GlossaryError(f"the check of the document failed: {reason}")
        return pickle.loads(out)  # our own child's output, never a file from elsewhere

    def concordance(self, words: str, lang: str, limit: int = 100) -> list[Hit]:
        from glossary.cli.tm import distinct_hits
        from glossary.memory.concordance import concordance

        _names, spans = self.workspace.finders()
        with self.workspace.session() as session:
            hits = concordance(session=session, words=words, lang=lang, limit=limit, spans=spans,
                               indexes=self.workspace.indexes)
        return distinct_hits(hits)


def check_document(url: str, document: str, lang: str) -> dict[str, list[Finding]]:
    """Every finding of a document by segment key, in a child process (see ``check_all_elsewhere``)."""
    data = ReviewData.open(url, lang, document)
    try:
        return data.check_all(data.refs()) or {}
    finally:
        data.close()


def _term(record: ConceptRecord, span: Span) -> TermRecord | None:
    return next((t for t in record.terms if t.text == span.term and t.lang == span.lang), None)


class TermbaseData:
    """The term-base calls of the term base screen, on the review's workspace."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    def find(self, query: str, limit: int = 500) -> list[ConceptRecord]:
        from glossary.store.termedits import find_concepts

        with self.workspace.session() as session:
            return find_concepts(session=session, query=query, limit=limit)

    def concept(self, concept_id: str) -> tuple[ConceptRecord, dict[tuple[str, str, str | None], int]]:
        """The concept and the version of each form (for a compare-and-set edit)."""
        from glossary.store.termbase import get_concept
        from glossary.store.termedits import term_versions

        with self.workspace.session() as session:
            return (get_concept(session=session, concept_id=concept_id),
                    term_versions(session=session, concept_id=concept_id))

    def set_status(self, concept: str, term: TermRecord, status: str, version: int | None) -> None:
        from glossary.store.termedits import set_term_status

        self.workspace.write(
            lambda session: set_term_status(session=session, concept=concept, lang=term.lang, text=term.text,
                                            scheme=term.scheme, status=status, expected_version=version)
        )

    def add_form(self, concept: str, term: TermRecord) -> None:
        from glossary.store.termbase import add_term

        self.workspace.write(lambda session: add_term(session=session, concept=concept, term=term))

    def add_concept(self, record: ConceptRecord) -> None:
        """Create a new concept (never merged into an existing one with the same id, even one
        another writer creates at the same moment: the write runs again and finds it)."""
        from glossary.store.termbase import get_concept, merge_concepts


        def create(session: Session) -> None:
            try:
                get_concept(session=session, concept_id=record.id)
            except NotFoundError:
                merge_concepts(session=session, concepts=[record], origin="entered")
                return
            raise UsageError(f"a concept {record.id!r} exists already: choose another id")

        self.workspace.write(create)
