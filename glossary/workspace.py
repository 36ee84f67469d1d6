"""The workspace: one object per command or app that owns the engine, memory indexes and recognizer."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING

from sqlmodel import Session

from glossary.bootstrap import load_bundle
from glossary.memory.lifecycle import IndexCache
from glossary.model.records import ConceptRecord
from glossary.recognize.spans import Span, TermIndex, compile_index, recognize
from glossary.store.engine import init_database, make_engine, resolve_url
from glossary.store.termbase import load_concepts
from glossary.store.versions import termbase_version

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

# (start, end, concept id) of each recognised name, and the concept ids alone.
SpanFinder = Callable[[str, str], list[tuple[int, int, str]]]
NameFinder = Callable[[str, str], list[str]]


class Workspace:
    """Everything one command or one app shares: the database engine, the memory indexes it has
    open and the compiled recognizer, each built once and safe to use from several threads.

    A database that has no tables yet is initialised with the bundled data when the workspace
    opens it (``bootstrap=False`` leaves it alone, for ``glossary init --empty``).
    """

    def __init__(self, url: str | None = None, *, bootstrap: bool = True) -> None:
        self.url = resolve_url(url)
        self.engine: Engine = make_engine(self.url)
        self.indexes = IndexCache()
        self._lock = threading.Lock()
        self._recognizer: tuple[str, TermIndex] | None = None
        self._concepts: tuple[str, list[ConceptRecord]] | None = None
        if bootstrap:
            self.initialize()

    def initialize(self, *, empty: bool = False) -> bool:
        """Create the schema and, unless ``empty``, load the bundled data; False if already there."""
        return init_database(self.engine, load=None if empty else _load_bundle)

    def session(self) -> Session:
        """A new session on this workspace's database; the caller closes it (``with``)."""
        return Session(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session that commits when the block ends normally and rolls back otherwise."""
        with Session(self.engine) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def recognizer(self, *, session: Session | None = None) -> TermIndex:
        """The compiled recognizer for the term base as it is now, rebuilt only when it changed."""
        if session is None:
            with self.session() as own:
                return self.recognizer(session=own)
        version = termbase_version(session=session)
        with self._lock:
            if self._recognizer is not None and self._recognizer[0] == version:
                return self._recognizer[1]
        index = compile_index(load_concepts(session=session))
        with self._lock:
            self._recognizer = (version, index)
        return index

    def concepts(self, *, session: Session | None = None) -> list[ConceptRecord]:
        """The term base as records (generated forms included), reloaded only when it changed."""
        if session is None:
            with self.session() as own:
                return self.concepts(session=own)
        version = termbase_version(session=session)
        with self._lock:
            if self._concepts is not None and self._concepts[0] == version:
                return self._concepts[1]
        concepts = load_concepts(session=session)
        with self._lock:
            self._concepts = (version, concepts)
        return concepts

    def recognize(self, text: str, lang: str) -> list[Span]:
        """The names recognised in ``text`` written in ``lang``."""
        return recognize(text, lang, self.recognizer())

    def finders(self) -> tuple[NameFinder, SpanFinder]:
        """``names(text, lang)`` for memory search and ``spans(text, lang)`` for concordance."""
        index = self.recognizer()

        def spans(text: str, lang: str) -> list[tuple[int, int, str]]:
            return [(s.start, s.end, s.concept) for s in recognize(text, lang, index)]

        def names(text: str, lang: str) -> list[str]:
            return [concept for _, _, concept in spans(text, lang)]

        return names, spans

    def close(self) -> None:
        """Release the indexes and every pooled connection."""
        self.indexes.clear()
        self.engine.dispose()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def _load_bundle(session: Session) -> None:
    load_bundle(session=session)
