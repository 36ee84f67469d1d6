"""A document's segment list read from an SQLite file with the standard library alone (read-only).

The review screen shows this first, before SQLAlchemy and the rest of the library are imported
(about a second); the same queries as ``glossary.store.segments``, which a test holds them to.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from glossary.store.location import resolve_url
from glossary.store.rows import (
    DEFAULT_DOCUMENT,
    Progress,
    ReviewDocument,
    SegmentRef,
    SegmentRow,
    listed_state,
    tally,
)
from glossary.text.segment import is_read_only

MIGRATIONS = Path(__file__).with_name("migrations") / "versions"
BUSY_SECONDS = 1.0  # a writer holding the file this long: the full path opens it instead
_CHUNK = 500  # ids per IN (...) list

_LIVE = """
    FROM segment AS s
    LEFT OUTER JOIN "translation" AS t ON t.segment_id = s.id AND t.lang = ?
    WHERE s.document_id = ? AND s.obsolete = 0
"""


def head_revision() -> str:
    """The newest schema revision this Glossary has a script for (``glossary.store.schema.HEAD``,
    read from the scripts' names so that module, and SQLAlchemy with it, need not be imported)."""
    return max(path.name.split("_", 1)[0] for path in MIGRATIONS.glob("[0-9]*.py"))


def sqlite_file(url: str | None) -> Path | None:
    """The existing file a plain ``sqlite:///PATH`` URL names (resolved as every command resolves
    it); None for a server, an in-memory database, a URL with options, or no file."""
    resolved = resolve_url(url)
    prefix = "sqlite:///"
    if not resolved.startswith(prefix):
        return None
    path = resolved[len(prefix) :]
    if not path or path == ":memory:" or path.startswith("file:") or any(c in path for c in "?%#"):
        return None
    file = Path(path)
    return file if file.is_file() else None


class QuickReader:
    """Read-only queries on one SQLite file; safe to share between threads (one at a time)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection
        self._lock = threading.Lock()

    @classmethod
    def open(cls, url: str | None) -> QuickReader | None:
        """A reader of the database at ``url`` when it is an SQLite file set up at this Glossary's
        schema revision; None when only the full path can open it (a server, no file yet, a file
        not set up or at another revision, a locked or unreadable file: it says what is wrong)."""
        file = sqlite_file(url)
        if file is None:
            return None
        try:
            db = sqlite3.connect(f"file:{quote(str(file.resolve()))}?mode=ro", uri=True,
                                 timeout=BUSY_SECONDS, check_same_thread=False)
        except sqlite3.Error:
            return None
        try:
            ready = _set_up(db)
        except sqlite3.Error:
            ready = False
        if not ready:
            db.close()
            return None
        return cls(db)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _all(self, sql: str, params: Sequence[object]) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def document(self, name: str | None = None) -> ReviewDocument | None:
        """The document ``name``; without a name the bundled article, else the first one; None when
        there is none (``glossary.store.segments.open_document`` says so)."""
        columns = "SELECT id, name, source_lang, credit FROM document"
        rows = self._all(f"{columns} WHERE name = ?", (DEFAULT_DOCUMENT if name is None else name,))
        if not rows and name is None:
            rows = self._all(f"{columns} ORDER BY id LIMIT 1", ())
        if not rows:
            return None
        doc_id, doc_name, source_lang, credit = rows[0]
        return ReviewDocument(id=int(doc_id), name=doc_name, source_lang=source_lang, credit=credit)

    def refs(self, document_id: int, lang: str) -> list[SegmentRef]:
        """The live, translatable segments in order with their state in ``lang`` (``segment_refs``)."""
        sql = f"SELECT s.id, s.key, s.flags, t.state, LENGTH(t.text) {_LIVE} ORDER BY s.position, s.id"
        rows = self._all(sql, (lang, document_id))
        return [SegmentRef(segment_id, key, listed_state(state, length))
                for segment_id, key, flags, state, length in rows if not (flags and is_read_only(flags))]

    def rows(self, ids: Sequence[int], lang: str) -> list[SegmentRow]:
        """The segments with these ids and their ``lang`` translation, in the order of ``ids``
        (``fetch_rows``)."""
        found: dict[int, SegmentRow] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = list(ids[start : start + _CHUNK])
            marks = ", ".join("?" * len(chunk))
            sql = (
                "SELECT s.id, s.key, s.position, s.block, s.source, s.previous_source, s.obsolete,"
                " t.id, t.text, t.state, t.version, t.author FROM segment AS s"
                ' LEFT OUTER JOIN "translation" AS t ON t.segment_id = s.id AND t.lang = ?'
                f" WHERE s.id IN ({marks})"
            )
            for (segment_id, key, position, block, source, previous, obsolete,
                 translation_id, text, state, version, author) in self._all(sql, (lang, *chunk)):
                there = translation_id is not None
                found[int(segment_id)] = SegmentRow(
                    id=int(segment_id), key=key, position=position, block=block, source=source,
                    previous_source=previous, obsolete=bool(obsolete), lang=lang,
                    target=text if there else None, state=state if there else "new",
                    version=version if there else 0, author=author if there else None,
                )
        return [found[i] for i in ids if i in found]

    def progress(self, document_id: int, lang: str) -> Progress:
        """Counts of the document's translatable segments by state in ``lang`` (``progress``)."""
        rows = self._all(
            f"SELECT s.flags, t.state, COALESCE(LENGTH(t.text), 0) = 0 AS empty, COUNT(*) {_LIVE}"
            " GROUP BY s.flags, t.state, empty",
            (lang, document_id),
        )
        return tally((flags, state, bool(empty), int(count)) for flags, state, empty, count in rows)


def _set_up(db: sqlite3.Connection) -> bool:
    """Whether the file is set up (the version row is written last, with the seed) and at this
    Glossary's revision (an older one is upgraded, or refused, by the full path)."""
    seeded = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    revision = db.execute("SELECT version_num FROM alembic_version").fetchone()
    return seeded is not None and revision is not None and revision[0] == head_revision()
