"""Where the memory's word index is stored next to the database, and how it follows the database.

The index of one language pair and side (source or target text) is a folder of
segments (see :mod:`glossary.memory.wordindex`) plus ``manifest.json``. It lives

* next to an SQLite file: ``<database file>.tmindex/<src>__<tgt>__<side>/``;
* for PostgreSQL (and in-memory SQLite) in the user cache folder, under a
  name derived from the URL without the password: every machine keeps its own
  copy and builds it on first use.

It is never rebuilt per process. The database keeps, per language pair, a version
that every inserted, updated or deleted unit bumps, the number of units, and a log of
the units updated or deleted (:mod:`glossary.store.versions`; triggers, so no writer
can forget). A lookup reads the pair's version, one row; when it moved, the index reads
in one consistent snapshot the units added after the last one it covers and the units
logged since, and writes them as a new segment, marking their old rows dead in the
older segments. When the count of units it then holds differs from the database's
count (a unit committed out of order), when a fifth of its rows are dead or past
``MAX_SEGMENTS`` segments, it is rebuilt as one segment. The manifest names the
database (its random id), so an index left over from another database at the same path
is rebuilt. Only committed units are indexed.
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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from glossary.atomic import write_atomic
from glossary.memory.wordindex import Candidate, IndexSegment, build_segment, info_dict
from glossary.store.versions import DATABASE_ID_KEY, pair_counter

MANIFEST = "manifest.json"
FORMAT = 2
MAX_SEGMENTS = 8
DEAD_SHARE = 0.2
SIDES = ("source", "target")
_CHUNK = 500
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


@dataclass(frozen=True, slots=True)
class IndexView:
    """One consistent state of a pair's index: its segments and, per segment, the unit ids whose
    rows there are no longer current (edited or removed since). Never changes once made, so a
    lookup can use it while another thread brings the index up to date."""

    version: int
    segments: tuple[IndexSegment, ...] = ()
    dead: tuple[np.ndarray, ...] = ()

    @property
    def rows(self) -> int:
        """Current units covered."""
        return sum(s.rows for s in self.segments) - sum(len(d) for d in self.dead)

    def candidates(self, query: str, min_score: float, limit: int) -> list[Candidate]:
        """Candidates from every segment for the normalised ``query``."""
        found: list[Candidate] = []
        for segment, dead in zip(self.segments, self.dead, strict=True):
            found.extend(segment.candidates(query, min_score, limit, dead=dead))
        return found

    def unit_ids_with_all(self, stems: list[str]) -> list[int]:
        """Unit ids whose indexed text has, for every stem, a word containing it."""
        ids: list[int] = []
        for segment, dead in zip(self.segments, self.dead, strict=True):
            rows: np.ndarray | None = None
            for stem in stems:
                found = segment.rows_with(segment.positions_containing(stem))
                rows = found if rows is None else np.intersect1d(rows, found, assume_unique=True)
                if not len(rows):
                    break
            if rows is not None and len(rows):
                ids.extend(i for i in segment.unit_ids(rows) if not _contains(dead, i))
        return ids


@dataclass(frozen=True, slots=True)
class _State:
    """What the database says about a pair, read in one snapshot."""

    database: str
    version: int
    units: int
    log_id: int


class PairIndex:
    """The index of one side of one language pair, opened from its folder."""

    def __init__(self, folder: Path, source_lang: str, target_lang: str, side: str) -> None:
        self.folder = folder
        self.source_lang, self.target_lang, self.side = source_lang, target_lang, side
        self.manifest: dict[str, Any] | None = None
        self.view: IndexView | None = None
        self.verified = False
        self._lock = threading.Lock()

    def refresh(self, session: Session, *, version: int | None = None, cache: IndexCache) -> IndexView:
        """The index as of the committed units of the pair (``version``: the pair's version if the
        caller has just read it), built, extended or rebuilt as needed."""
        if version is None:
            version = pair_version(session=session, source_lang=self.source_lang,
                                   target_lang=self.target_lang)
        view = self.view
        if view is not None and self.verified and view.version == version:
            return view
        with self._lock, _locked(self.folder):
            self._load()
            view = self.view
            if view is not None and self.verified and view.version == version:
                return view
            with _snapshot(session) as conn:
                self._update(conn, cache)
            assert self.view is not None
            return self.view

    def _state(self, conn: Connection) -> _State:
        row = conn.execute(
            text(
                "SELECT (SELECT value FROM meta WHERE key = :k), "
                "(SELECT value FROM counter WHERE name = :v), (SELECT value FROM counter WHERE name = :u), "
                "(SELECT max(id) FROM tmchange WHERE source_lang = :s AND target_lang = :t)"
            ),
            {
                "k": DATABASE_ID_KEY,
                "v": pair_counter(self.source_lang, self.target_lang),
                "u": pair_counter(self.source_lang, self.target_lang, units=True),
                "s": self.source_lang,
                "t": self.target_lang,
            },
        ).one()
        return _State(str(row[0] or ""), int(row[1] or 0), int(row[2] or 0), int(row[3] or 0))

    def _load(self) -> None:
        """Read the manifest and open its segments (unless this one is already open)."""
        path = self.folder / MANIFEST
        if not path.exists():
            self.manifest, self.view, self.verified = None, None, False
            return
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
            if manifest == self.manifest:
                return
            if manifest.get("format") != FORMAT:
                raise ValueError(f"unknown index format {manifest.get('format')!r}")
            segments = tuple(IndexSegment(self.folder / s["name"]) for s in manifest["segments"])
            dead = tuple(_read_dead(self.folder, s.get("dead")) for s in manifest["segments"])
            view = IndexView(int(manifest["version"]), segments, dead)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            # The index is a cache of the database: a damaged one is rebuilt, never fatal.
            self.manifest, self.view, self.verified = None, None, False
            return
        verified = self.verified and self.manifest is not None
        verified = verified and manifest.get("database") == self.manifest.get("database")  # type: ignore[union-attr]
        self.manifest, self.view, self.verified = manifest, view, verified

    def _update(self, conn: Connection, cache: IndexCache) -> None:
        state = self._state(conn)
        manifest = self.manifest
        if manifest is not None and manifest.get("database") == state.database:
            self.verified = True
            if manifest["version"] == state.version:
                return
            if len(manifest["segments"]) < MAX_SEGMENTS and self._extend(conn, state, cache):
                return
        self._rebuild(conn, state, cache)

    def _rebuild(self, conn: Connection, state: _State, cache: IndexCache) -> None:
        entry = self._build(self._units(conn, after=0), cache)
        segments = [entry] if entry is not None else []
        max_id = entry["max_id"] if entry is not None else 0
        self._write(state, segments, max_id)

    def _extend(self, conn: Connection, state: _State, cache: IndexCache) -> bool:
        """Append the new and re-read units as a segment; False when a rebuild is due instead."""
        manifest = self.manifest
        view = self.view
        assert manifest is not None and view is not None
        changed = self._logged(conn, manifest["log_id"], state.log_id)
        if len(changed) > DEAD_SHARE * max(view.rows, 1) and len(changed) > 1000:
            return False
        edited = self._units_with(conn, changed[changed <= manifest["max_id"]])  # newer ones come below
        units = _merged(edited, self._units(conn, after=manifest["max_id"]))
        entries = [dict(s) for s in manifest["segments"]]
        dead_total = 0
        newly_dead = 0
        for entry, segment, dead in zip(entries, view.segments, view.dead, strict=True):
            gone = np.setdiff1d(np.intersect1d(changed, segment.ids), dead, assume_unique=True)
            if len(gone):
                newly_dead += len(gone)
                dead = np.union1d(dead, gone)
                entry["dead"] = _write_dead(self.folder, dead)
                entry["dead_rows"] = len(dead)
            dead_total += len(dead)
        if dead_total > DEAD_SHARE * max(sum(e["rows"] for e in entries), 1):
            return False
        entry = self._build(units, cache)
        added = entry["rows"] if entry is not None else 0
        if added - newly_dead != state.units - manifest["units"]:
            return False  # a unit arrived that neither the log nor the ids above the last one show
        if entry is not None:
            entries.append(entry)
        max_id = max([manifest["max_id"], *(e["max_id"] for e in entries)])
        self._write(state, entries, max_id)
        return True

    def _build(self, units: Iterable[tuple[int, str]], cache: IndexCache) -> dict[str, Any] | None:
        """A new segment of ``units`` in the folder; None when there were none."""
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"seg-{uuid.uuid4().hex[:12]}"
        temp = self.folder / f".{name}.tmp"
        info = build_segment(temp, units)
        if not info.rows:
            shutil.rmtree(temp)
            return None
        cache.count_build()
        temp.rename(self.folder / name)
        return {**info_dict(info), "name": name, "dead": "", "dead_rows": 0}

    def _write(self, state: _State, segments: list[dict[str, Any]], max_id: int) -> None:
        manifest = {
            "format": FORMAT,
            "database": state.database,
            "source_lang": self.source_lang,
            "target_lang": self.target_lang,
            "side": self.side,
            "version": state.version,
            "units": state.units,
            "log_id": state.log_id,
            "max_id": max_id,
            "rows": sum(s["rows"] - s.get("dead_rows", 0) for s in segments),
            "segments": segments,
        }
        write_atomic(self.folder / MANIFEST, [json.dumps(manifest, indent=1)])
        keep = {s["name"] for s in segments} | {s["dead"] for s in segments if s.get("dead")}
        self._drop_unlisted(keep)
        self.manifest = None
        self._load()
        self.verified = True

    def _logged(self, conn: Connection, after: int, upto: int) -> np.ndarray:
        """Sorted ids of the units logged as updated or deleted in ``(after, upto]``."""
        if upto <= after:
            return np.zeros(0, dtype=np.int64)
        rows = conn.execute(
            text(
                "SELECT DISTINCT unit_id FROM tmchange WHERE source_lang = :s AND target_lang = :t "
                "AND id > :a AND id <= :b"
            ),
            {"s": self.source_lang, "t": self.target_lang, "a": after, "b": upto},
        )
        return np.unique(np.fromiter((int(r[0]) for r in rows), dtype=np.int64))

    def _units(self, conn: Connection, *, after: int) -> Iterator[tuple[int, str]]:
        result = conn.execution_options(stream_results=True, yield_per=20_000).execute(
            text(
                f"SELECT id, {self.side} FROM tmunit WHERE source_lang = :s AND target_lang = :t "
                "AND id > :a ORDER BY id"
            ),
            {"s": self.source_lang, "t": self.target_lang, "a": after},
        )
        for unit_id, value in result:
            yield int(unit_id), value or ""

    def _units_with(self, conn: Connection, ids: np.ndarray) -> list[tuple[int, str]]:
        """The current units of the pair among ``ids`` (edited ones; removed ones are gone)."""
        found: list[tuple[int, str]] = []
        for start in range(0, len(ids), _CHUNK):
            chunk = [int(i) for i in ids[start : start + _CHUNK]]
            rows = conn.execute(
                text(
                    f"SELECT id, {self.side} FROM tmunit WHERE source_lang = :s AND target_lang = :t "
                    f"AND id IN ({', '.join(str(i) for i in chunk)})"
                ),
                {"s": self.source_lang, "t": self.target_lang},
            )
            found.extend((int(unit_id), value or "") for unit_id, value in rows)
        return sorted(found)

    def _drop_unlisted(self, keep: set[str]) -> None:
        for child in self.folder.iterdir():
            if child.name in keep:
                continue
            if child.is_dir() and child.name.startswith(("seg-", ".seg-")):
                shutil.rmtree(child, ignore_errors=True)
            elif child.is_file() and child.name.startswith("dead-"):
                child.unlink(missing_ok=True)


class IndexCache:
    """The memory indexes one owner (a workspace) keeps open: safe to share between threads."""

    def __init__(self) -> None:
        self._open: dict[Path, PairIndex] = {}
        self._lock = threading.Lock()
        self.builds = 0  # segments this cache has built: tells a load from a rebuild

    def get(
        self,
        *,
        session: Session,
        source_lang: str,
        target_lang: str,
        side: str = "source",
        version: int | None = None,
    ) -> IndexView:
        """The current index of a pair's ``side`` ("source" or "target"), built or extended as needed.

        ``version`` is the pair's version when the caller has just read it (saves a query).
        """
        if side not in SIDES:
            raise ValueError(f"side must be one of {SIDES}")
        if version is None:
            version = pair_version(session=session, source_lang=source_lang, target_lang=target_lang)
        if version == 0:
            return IndexView(0)  # the pair never held a unit: nothing to build or open
        root = index_root(session.get_bind())  # type: ignore[arg-type]
        folder = root / _folder_name(source_lang, target_lang, side)
        with self._lock:
            index = self._open.get(folder)
            if index is None:
                index = self._open[folder] = PairIndex(folder, source_lang, target_lang, side)
        return index.refresh(session, version=version, cache=self)

    def count_build(self) -> None:
        """Record one segment build."""
        with self._lock:
            self.builds += 1

    def clear(self) -> None:
        """Close every open index (the next lookup reads them from disk again)."""
        with self._lock:
            self._open.clear()


def pair_version(*, session: Session, source_lang: str, target_lang: str) -> int:
    """The version of a pair's units as committed (0 when the pair never held a unit)."""
    with _reader(session) as conn:
        row = conn.execute(
            text("SELECT value FROM counter WHERE name = :n"), {"n": pair_counter(source_lang, target_lang)}
        ).first()
    return int(row[0]) if row else 0


def memory_versions(*, session: Session) -> dict[tuple[str, str], int]:
    """Every pair that holds units, with its version as committed: one query."""
    with _reader(session) as conn:
        rows = conn.execute(text("SELECT name, value FROM counter WHERE name LIKE 'tm:%'")).all()
    values = dict(rows)
    versions: dict[tuple[str, str], int] = {}
    for name, value in values.items():
        parts = name.split(":")
        if len(parts) == 4 and parts[3] == "units" and int(value) > 0:
            pair = (parts[1], parts[2])
            versions[pair] = int(values.get(pair_counter(*pair), 0))
    return versions


def pair_index(
    *,
    session: Session,
    source_lang: str,
    target_lang: str,
    side: str = "source",
    cache: IndexCache | None = None,
) -> IndexView:
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


def _merged(edited: list[tuple[int, str]], new: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """Edited units (ids up to the last one indexed) then new ones: one id-ordered stream."""
    yield from edited
    yield from new


def _contains(sorted_ids: np.ndarray, unit_id: int) -> bool:
    at = int(np.searchsorted(sorted_ids, unit_id))
    return at < len(sorted_ids) and int(sorted_ids[at]) == unit_id


def _read_dead(folder: Path, name: str | None) -> np.ndarray:
    if not name:
        return np.zeros(0, dtype=np.int64)
    return np.asarray(np.load(folder / name))


def _write_dead(folder: Path, dead: np.ndarray) -> str:
    name = f"dead-{uuid.uuid4().hex[:12]}.npy"
    np.save(folder / name, dead.astype(np.int64))
    return name


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
def _snapshot(session: Session) -> Iterator[Connection]:
    """A connection whose every statement reads the same committed state (one read transaction)."""
    engine = session.get_bind()
    url = engine.url  # type: ignore[union-attr]
    if url.get_backend_name() == "sqlite" and (not url.database or url.database == ":memory:"):
        yield session.connection()
        return
    with engine.connect() as conn:  # type: ignore[union-attr]
        if url.get_backend_name() == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        else:
            conn.exec_driver_sql("BEGIN")  # the driver starts none for reads: one snapshot from here on
        try:
            yield conn
        finally:
            conn.rollback()


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
