"""Where the memory's word index is stored next to the database, and how it follows the database.

The index of one language pair and side (source or target text) is a folder of
segments (see :mod:`glossary.memory.wordindex`) plus ``manifest.json``. It lives

* next to an SQLite file: ``<database file>.tmindex/<src>__<tgt>__<side>/``;
* for PostgreSQL (and in-memory SQLite) in the user cache folder, under a
  name derived from the URL without the password: every machine keeps its own
  copy and builds it on first use.

It is never rebuilt per process. Each lookup asks the database for two cheap
facts: the largest unit id of the pair and the ``tm_generation`` counter in the
``meta`` table (bumped by every change that removes or rewrites units). Units
with larger ids are appended as a new segment; after a removal the index is
checked and rebuilt when a fifth of it is gone; past ``MAX_SEGMENTS`` segments
everything is merged into one. The manifest also keeps a digest of the last
covered unit's source, so an index left over from another database with the
same file name is noticed and rebuilt. Only committed units are indexed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import shutil
import tempfile
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from glossary.atomic import write_atomic
from glossary.memory.score import normalize
from glossary.memory.wordindex import Candidate, IndexSegment, build_segment, info_dict

MANIFEST = "manifest.json"
MAX_SEGMENTS = 8
GENERATION_KEY = "tm_generation"
SIDES = ("source", "target")
_SAFE = re.compile(r"[^A-Za-z0-9_-]+")
_TEMP_ROOTS: dict[str, Path] = {}


def index_root(engine: Engine) -> Path:
    """The folder that holds every index of the database behind ``engine``."""
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        database = Path(url.database).expanduser().resolve()
        return database.with_name(database.name + ".tmindex")
    identity = url.render_as_string(hide_password=True)
    if url.get_backend_name() == "sqlite":
        # An in-memory database dies with the process, and so does its index.
        if identity not in _TEMP_ROOTS:
            _TEMP_ROOTS[identity] = Path(tempfile.mkdtemp(prefix="glossary-tmindex-"))
        return _TEMP_ROOTS[identity]
    import platformdirs

    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:20]
    return Path(platformdirs.user_cache_dir("glossary", appauthor=False)) / "tmindex" / digest


def bump_generation(*, session: Session) -> None:
    """Record that units were removed or rewritten; the caller commits."""
    row = session.execute(text("SELECT value FROM meta WHERE key = :k"), {"k": GENERATION_KEY}).first()
    if row is None:
        session.execute(text("INSERT INTO meta (key, value) VALUES (:k, '1')"), {"k": GENERATION_KEY})
    else:
        value = int(row[0]) + 1 if str(row[0]).isdigit() else 1
        session.execute(
            text("UPDATE meta SET value = :v WHERE key = :k"), {"k": GENERATION_KEY, "v": str(value)}
        )


class PairIndex:
    """The index of one side of one language pair, opened from its folder."""

    def __init__(self, folder: Path, source_lang: str, target_lang: str, side: str) -> None:
        self.folder = folder
        self.source_lang, self.target_lang, self.side = source_lang, target_lang, side
        self.manifest: dict[str, Any] | None = None
        self.segments: list[IndexSegment] = []
        self.verified = False

    @property
    def rows(self) -> int:
        """Units covered."""
        return sum(s.rows for s in self.segments)

    def candidates(self, query: str, min_score: float, limit: int) -> list[Candidate]:
        """Candidates from every segment for the normalised ``query``."""
        found: list[Candidate] = []
        for segment in self.segments:
            found.extend(segment.candidates(query, min_score, limit))
        return found

    def refresh(self, session: Session) -> None:
        """Bring the index up to date with the committed units of the pair."""
        with _reader(session) as conn:
            state = self._state(conn)
            if self._current(state) and self.verified:
                return
            with _locked(self.folder):
                self._load()
                if self.manifest is not None and not self.verified:
                    self.verified = self._check(conn)
                if self._current(state) and self.verified:
                    return
                self._update(conn, state)

    def _state(self, conn: Connection) -> tuple[int, str]:
        row = conn.execute(
            text(
                "SELECT (SELECT max(id) FROM tmunit WHERE source_lang = :s AND target_lang = :t), "
                "(SELECT value FROM meta WHERE key = :k)"
            ),
            {"s": self.source_lang, "t": self.target_lang, "k": GENERATION_KEY},
        ).one()
        return int(row[0] or 0), str(row[1] or "0")

    def _current(self, state: tuple[int, str]) -> bool:
        return self.manifest is not None and (self.manifest["max_id"], self.manifest["generation"]) == state

    def _load(self) -> None:
        path = self.folder / MANIFEST
        if not path.exists():
            self.manifest, self.segments, self.verified = None, [], False
            return
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
            if manifest == self.manifest:
                return
            if manifest.get("format") != 1:
                raise ValueError(f"unknown index format {manifest.get('format')!r}")
            segments = [IndexSegment(self.folder / s["name"]) for s in manifest["segments"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            # The index is a cache of the database: a damaged one is rebuilt, never fatal.
            self.manifest, self.segments, self.verified = None, [], False
            return
        self.manifest = manifest
        self.segments = segments

    def _check(self, conn: Connection) -> bool:
        """Whether the last covered unit is still the one indexed (same database, same text)."""
        assert self.manifest is not None
        if not self.manifest["max_id"]:
            return True
        row = conn.execute(
            text(f"SELECT {self.side} FROM tmunit WHERE id = :i"), {"i": self.manifest["max_id"]}
        ).first()
        return row is not None and _digest(row[0]) == self.manifest["check"]

    def _update(self, conn: Connection, state: tuple[int, str]) -> None:
        manifest = self.manifest
        full = manifest is None or not self.verified or len(manifest["segments"]) >= MAX_SEGMENTS
        if not full and manifest is not None and manifest["generation"] != state[1]:
            remaining = self._count(conn, manifest["max_id"])
            full = remaining < 0.8 * manifest["rows"] or not self._check(conn)
        segments = [] if full or manifest is None else list(manifest["segments"])
        after = 0 if full or manifest is None else manifest["max_id"]
        if state[0] > after or not segments:
            name = f"seg-{uuid.uuid4().hex[:12]}"
            temp = self.folder / f".{name}.tmp"
            info = build_segment(temp, self._units(conn, after))
            temp.rename(self.folder / name)
            if info.rows:
                segments.append({**info_dict(info), "name": name})
            else:
                shutil.rmtree(self.folder / name)
        last = max((s["max_id"] for s in segments), default=0)
        check = ""
        if last:
            row = conn.execute(text(f"SELECT {self.side} FROM tmunit WHERE id = :i"), {"i": last}).first()
            check = _digest(row[0]) if row is not None else ""
        new = {
            "format": 1,
            "source_lang": self.source_lang,
            "target_lang": self.target_lang,
            "side": self.side,
            "segments": segments,
            "rows": sum(s["rows"] for s in segments),
            "max_id": last,
            "generation": state[1],
            "check": check,
        }
        write_atomic(self.folder / MANIFEST, [json.dumps(new, indent=1)])
        self._drop_unlisted({s["name"] for s in segments})
        self.manifest = None
        self._load()
        self.verified = True

    def _count(self, conn: Connection, upto: int) -> int:
        return int(
            conn.execute(
                text("SELECT count(*) FROM tmunit WHERE source_lang = :s AND target_lang = :t AND id <= :m"),
                {"s": self.source_lang, "t": self.target_lang, "m": upto},
            ).scalar_one()
        )

    def _units(self, conn: Connection, after: int) -> Iterator[tuple[int, str]]:
        result = conn.execution_options(stream_results=True, yield_per=20_000).execute(
            text(
                f"SELECT id, {self.side} FROM tmunit WHERE source_lang = :s AND target_lang = :t "
                "AND id > :a ORDER BY id"
            ),
            {"s": self.source_lang, "t": self.target_lang, "a": after},
        )
        for unit_id, value in result:
            yield int(unit_id), value or ""

    def _drop_unlisted(self, keep: set[str]) -> None:
        for child in self.folder.iterdir():
            if child.is_dir() and child.name not in keep and child.name.startswith(("seg-", ".seg-")):
                shutil.rmtree(child, ignore_errors=True)


class IndexCache:
    """The memory indexes one owner (a workspace) keeps open: safe to share between threads."""

    def __init__(self) -> None:
        self._open: dict[Path, PairIndex] = {}
        self._lock = threading.RLock()

    def get(self, *, session: Session, source_lang: str, target_lang: str, side: str = "source") -> PairIndex:
        """The current index of a pair's ``side`` ("source" or "target"), built or extended as needed."""
        if side not in SIDES:
            raise ValueError(f"side must be one of {SIDES}")
        root = index_root(session.get_bind())  # type: ignore[arg-type]
        folder = root / _folder_name(source_lang, target_lang, side)
        with self._lock:
            index = self._open.get(folder)
            if index is None:
                index = self._open[folder] = PairIndex(folder, source_lang, target_lang, side)
            index.refresh(session)
            return index

    def clear(self) -> None:
        """Close every open index (the next lookup reads them from disk again)."""
        with self._lock:
            self._open.clear()


def pair_index(
    *,
    session: Session,
    source_lang: str,
    target_lang: str,
    side: str = "source",
    cache: IndexCache | None = None,
) -> PairIndex:
    """The current index of a pair's ``side``; kept open in ``cache`` when one is given."""
    cache = cache if cache is not None else IndexCache()
    return cache.get(session=session, source_lang=source_lang, target_lang=target_lang, side=side)


def _folder_name(source_lang: str, target_lang: str, side: str) -> str:
    """``en__ru__source``; tags that are not plain lowercase (``en_US``, ``EN``) get a digest of the
    exact pair too, so two pairs never share a folder, even on a case-insensitive file system."""
    parts = (source_lang, target_lang, side)
    name = "__".join(_SAFE.sub("_", part) for part in parts)
    if name != "__".join(parts) or name != name.lower():
        name += "__" + hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:8]
    return name


def _digest(value: str | None) -> str:
    return hashlib.sha1(normalize(value or "").encode("utf-8")).hexdigest()


@contextlib.contextmanager
def _reader(session: Session) -> Iterator[Connection]:
    """A connection that sees committed units only (in-memory SQLite has one database per connection)."""
    engine = session.get_bind()
    url = engine.url  # type: ignore[union-attr]
    if url.get_backend_name() == "sqlite" and (not url.database or url.database == ":memory:"):
        yield session.connection()
        return
    with engine.connect() as conn:  # type: ignore[union-attr]
        yield conn


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One builder at a time across processes (advisory lock where the platform has one)."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: builds are still atomic, just not serialised
        yield
        return
    with open(folder / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
