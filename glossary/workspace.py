"""The workspace: one object per command or app that owns the engine, memory indexes and recognizer."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar

from sqlmodel import Session

from glossary.store.engine import init_database, make_engine, resolve_url
from glossary.store.identity import current_role
from glossary.store.retry import write_transaction
from glossary.store.roles import ROLE_KEY
from glossary.store.versions import termbase_version

# Seeding, the memory and recognition are imported when first used: a command or the review
# screen that needs none of them yet starts without paying for them.
if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from glossary.memory.lifecycle import IndexCache
    from glossary.model.records import ConceptRecord
    from glossary.recognize.spans import Span, TermIndex

# (start, end, concept id) of each recognised name, and the concept ids alone.
SpanFinder = Callable[[str, str], list[tuple[int, int, str]]]
NameFinder = Callable[[str, str], list[str]]
T = TypeVar("T")


class Workspace:
    """Everything one command or one app shares: the database engine, the memory indexes it has
    open and the compiled recognizer, each built once and safe to use from several threads.

    A database that has no tables yet is initialised with the bundled data when the workspace
    opens it (``bootstrap=False`` leaves it alone, for ``glossary init --empty``).
    """

    def __init__(self, url: str | None = None, *, bootstrap: bool = True, role: str | None = None) -> None:
        self.url = resolve_url(url)
        self.role = role or current_role()  # checked by the store's term-base writes
        self.engine: Engine = make_engine(self.url)
        self._indexes: IndexCache | None = None
        self._lock = threading.Lock()
        self._recognizer: tuple[str, TermIndex] | None = None
        self._concepts: tuple[str, list[ConceptRecord]] | None = None
        self.recognizer_root = _recognizer_root(self.engine)
        if bootstrap:
            self.initialize()

    def initialize(self, *, empty: bool = False) -> bool:
        """Create the schema and, unless ``empty``, load the bundled data; False if already there."""
        created = init_database(self.engine, load=None if empty else _load_bundle)
        if self.engine.dialect.name == "sqlite":  # what an import killed midway left, hidden
            from glossary.store.pending import remove_abandoned

            with self.engine.connect() as conn:
                remove_abandoned(conn)
        return created

    @property
    def indexes(self) -> IndexCache:
        """The memory indexes this workspace has open (made on first use)."""
        if self._indexes is None:
            from glossary.memory.lifecycle import IndexCache

            with self._lock:
                if self._indexes is None:
                    self._indexes = IndexCache()
        return self._indexes

    def session(self) -> Session:
        """A new session on this workspace's database, with the user's role; the caller closes it."""
        return Session(self.engine, info={ROLE_KEY: self.role})

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session that commits when the block ends normally and rolls back otherwise."""
        with self.session() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def write(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in a write transaction and commit it, running it again when it lost a race
        to another writer (``glossary.store.retry``); returns what ``work`` returned."""
        return write_transaction(self.engine, work, info={ROLE_KEY: self.role})

    def recognizer(self, *, session: Session | None = None) -> TermIndex:
        """The compiled recognizer for the term base as it is now.

        It is kept in memory while the term-base version stays the same, and stored on disk
        (next to an SQLite file, in the user cache folder for a server) so the next process
        loads it instead of compiling it; any process's change to a term changes the version,
        and the next call compiles and stores the index anew. One thread compiles; the others
        wait for it and share the result.
        """
        if session is None:
            with self.session() as own:
                return self.recognizer(session=own)
        # The version first: concepts read after it are at least as new, never older.
        version = termbase_version(session=session)
        current = self._recognizer
        if current is not None and current[0] == version:
            return current[1]
        from glossary.recognize.spans import compile_index
        from glossary.recognize.stored import load_index, save_index
        from glossary.store.termbase import load_concepts

        with self._lock:
            current = self._recognizer
            if current is not None and current[0] == version:
                return current[1]
            root = self.recognizer_root
            index = load_index(root, version) if root is not None else None
            if index is None:
                index = compile_index(load_concepts(session=session))
                if root is not None:
                    save_index(index, root, version)
            self._recognizer = (version, index)
        return index

    def concepts(self, *, session: Session | None = None) -> list[ConceptRecord]:
        """The term base as records (generated forms included), reloaded only when it changed."""
        if session is None:
            with self.session() as own:
                return self.concepts(session=own)
        from glossary.store.termbase import load_concepts

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
        from glossary.recognize.spans import recognize

        return recognize(text, lang, self.recognizer())

    def recognize_many(self, texts: Sequence[str], lang: str) -> list[list[Span]]:
        """The names recognised in each of ``texts`` (all in ``lang``), searched together."""
        from glossary.recognize.spans import recognize_many

        return recognize_many(texts, lang, self.recognizer())

    def finders(self) -> tuple[NameFinder, SpanFinder]:
        """``names(text, lang)`` for memory search and ``spans(text, lang)`` for concordance."""
        from glossary.recognize.spans import recognize

        index = self.recognizer()

        def spans(text: str, lang: str) -> list[tuple[int, int, str]]:
            return [(s.start, s.end, s.concept) for s in recognize(text, lang, index)]

        def names(text: str, lang: str) -> list[str]:
            return [concept for _, _, concept in spans(text, lang)]

        return names, spans

    def close(self) -> None:
        """Release the indexes and every pooled connection."""
        if self._indexes is not None:
            self._indexes.clear()
        self.engine.dispose()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def _load_bundle(session: Session) -> None:
    from glossary.bootstrap import load_bundle

    load_bundle(session=session)


def _recognizer_root(engine: Engine) -> Path | None:
    """Where the stored recognizers of this database live: ``<file>.recognizer/`` next to an
    SQLite file, the user cache folder for a server (named after the URL, password left out);
    ``None`` for an in-memory database, whose recognizer dies with it."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:" or url.database.startswith("file::memory:"):
            return None
        database = Path(url.database).expanduser().resolve()
        return database.with_name(database.name + ".recognizer")
    import platformdirs

    identity = url.render_as_string(hide_password=True)
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:20]
    return Path(platformdirs.user_cache_dir("glossary", appauthor=False)) / "recognizer" / digest
