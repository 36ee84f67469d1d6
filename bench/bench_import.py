"""Bulk term-base import on SQLite and PostgreSQL, against a per-concept merge and a bare INSERT floor.

Usage: python bench/bench_import.py [--sizes 10000,100000] [--backends sqlite,postgresql] [--workdir DIR]

For each backend and size a fresh, empty database gets ``size`` synthetic people, each with an
English, a Russian and a Kazakh form (3 entered forms a concept), through the function that
``glossary terms import`` runs on that backend: ``merge_concepts_staged`` on SQLite (a staging
file, hidden chunks and one flip), ``merge_concepts`` in one transaction on PostgreSQL; the
romanizations of the Russian and Kazakh forms under every scheme are generated on the way. The
same records are then imported a second time, which must change nothing. In the same run, on the same records:

- per concept: ``merge_concepts(batch_size=1)``, the query pattern of an import that looks up
  and writes one concept at a time (on the first ``--baseline`` concepts, with the same
  romanization memo, so the difference is the database work);
- bare INSERT: the rows the import stored, written into an empty schema with one executemany
  per table and nothing else (no lookups, no romanization): the floor for the database part.

Checks that fail the run: the second import must report 0 created and 0 updated; the stored
generated forms of a sample of concepts must equal the romanizations computed one form and
one scheme at a time by ``glossary.translit.romanize``; row counts must match the records.
A PostgreSQL server is started in a temporary folder (as the ``postgres`` user when run as
root), as the tests do.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import func, insert
from sqlmodel import Session, SQLModel, select

from glossary.model.records import ConceptRecord, TermRecord
from glossary.model.tables import Concept, Term
from glossary.store.engine import init_database, make_engine
from glossary.store.staging import merge_concepts_staged
from glossary.store.termbase import merge_concepts
from glossary.translit import has_cyrillic, list_schemes, romanize


def _words(text: str) -> list[str]:
    return text.split()


# Kazakh given names (Cyrillic, as written in Kazakh) and syllables that surnames are built from.
_FIRST = _words(
    "Нұрсұлтан Қасым-Жомарт Серік Ерлан Дәулет Мақсат Асқар Ержан Талғат Айдар Байжан Кәрім Болат "
    "Дархан Қайрат Әлихан Рахым Омар Зейнолла Ыбырай Тұрсын Ілияс Бауыржан Ғабит Марат Нұрлан Айгүл "
    "Гүлнара Динара Жанар Сәуле Әйгерім Мәдина Асель Ләззат Камила Бақыт Ардақ Ерболат Ғалым Дина"
)
_SYLLABLES = _words(
    "на зар тоқ бек сер аб ды мұ хам сұл тан ер лан қа сым жо март нұр дәу лет ғаби мақ сат ас қар "
    "бау ыр жан тал ғат ай дар ақ бай құ дай әбіл өте міс ораз ис ма кә рім мә сім тіле у сағ ын "
    "шай мер есім бо лат хан қай рат мыр за тө ле жақ ып әли рах сей іт омар зей нол ла"
)
_ENDINGS = ("аев", "ов", "ин", "беков", "баев", "жанов", "ұлы", "ев", "енов", "алиев", "ова", "ина")
_RUSSIAN = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")
_LATIN = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    _words("a b v g d e yo zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya"),
    strict=False,
))
_WORD = re.compile(r"[^\W\d_]+")


def _latin(russian: str) -> str:
    out = []
    for char in russian:
        latin = _LATIN.get(char.lower(), char).replace("_", "")
        out.append(latin.capitalize() if char.isupper() else latin)
    return "".join(out)


def synthesize(count: int, seed: int = 8) -> list[ConceptRecord]:
    """``count`` people: a Kazakh given name and a surname of one to three syllables and an ending,
    in Kazakh, Russian (Kazakh letters replaced) and English (a plain romanization); every form
    unique in its language, so no two records are one concept."""
    rng = random.Random(seed)
    concepts: list[ConceptRecord] = []
    seen: set[str] = set()
    while len(concepts) < count:
        root = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((1, 2, 2, 3))))
        kk = f"{rng.choice(_FIRST)} {root.capitalize()}{rng.choice(_ENDINGS)}"
        ru = kk.translate(_RUSSIAN)
        en = _latin(ru)
        if len(root) < 3 or {kk, ru, en} & seen:
            continue
        seen.update((kk, ru, en))
        terms = [TermRecord("en", en), TermRecord("ru", ru), TermRecord("kk", kk)]
        concepts.append(ConceptRecord(id=f"p{len(concepts):06d}", kind="person", terms=terms))
    return concepts


def distinct_cyrillic_words(concepts: list[ConceptRecord]) -> int:
    return len({(t.lang, w) for c in concepts for t in c.terms if t.lang in ("ru", "kk")
                for w in _WORD.findall(t.text)})


# ---------------------------------------------------------------- PostgreSQL


def _pg_bindir() -> Path | None:
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        if (Path(out.stdout.strip()) / "initdb").exists():
            return Path(out.stdout.strip())
    return None


@contextmanager
def postgres_server() -> Iterator[Callable[[], str]]:
    """A throwaway PostgreSQL cluster; yields a function that creates a new database and its URL."""
    bindir = _pg_bindir()
    if bindir is None:
        raise SystemExit("PostgreSQL server binaries (initdb, pg_ctl) not found")
    base = Path(tempfile.mkdtemp(prefix="glossary-bench-pg-"))
    base.chmod(0o755)
    as_server = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if os.geteuid() == 0:
        shutil.chown(base, user="postgres")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    data = base / "data"
    subprocess.run([*as_server, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                    "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], check=True, capture_output=True)
    # Durable commits as a default server has them (fsync, synchronous_commit): an import pays them.
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1"
    subprocess.run([*as_server, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-o",
                    options, "-w", "start"], check=True, capture_output=True)
    counter = iter(range(1_000_000))

    def new_database() -> str:
        import psycopg

        name = f"bench_{next(counter)}"
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return f"postgresql+psycopg://postgres@127.0.0.1:{port}/{name}"

    try:
        yield new_database
    finally:
        subprocess.run([*as_server, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                       check=False, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


# ---------------------------------------------------------------- measurements


def timed_import(
    url: str, records: list[ConceptRecord], batch_size: int | None = None
) -> tuple[float, float, object]:
    """Wall seconds, this process's CPU seconds, and the report of one import as ``glossary terms
    import`` runs it (staged on SQLite); ``batch_size`` set: ``merge_concepts`` in batches of it."""
    engine = make_engine(url)
    staged = batch_size is None and engine.dialect.name == "sqlite"
    try:
        started, cpu = time.perf_counter(), time.process_time()
        with Session(engine) as session:
            if staged:
                report = merge_concepts_staged(session=session, concepts=records)
            else:
                options = {} if batch_size is None else {"batch_size": batch_size}
                report = merge_concepts(session=session, concepts=records, **options)
            session.commit()
        return time.perf_counter() - started, time.process_time() - cpu, report
    finally:
        engine.dispose()


def bare_insert(source_url: str, target_url: str) -> float:
    """Copy the stored rows into an empty schema with one executemany per table: the floor."""
    source, target = make_engine(source_url), make_engine(target_url)
    try:
        with source.connect() as conn:
            concepts = [dict(row._mapping) for row in conn.execute(select(Concept.__table__))]
            terms = [dict(row._mapping) for row in conn.execute(select(Term.__table__))]
        for row in terms:
            row.pop("id")
        SQLModel.metadata.create_all(target)
        started = time.perf_counter()
        with target.begin() as conn:
            conn.execute(insert(Concept.__table__), concepts)
            conn.execute(insert(Term.__table__), terms)
        return time.perf_counter() - started
    finally:
        source.dispose()
        target.dispose()


def check(url: str, records: list[ConceptRecord], sample: int, rng: random.Random) -> tuple[int, int, int]:
    """Row counts, and the generated forms of a sample against ``romanize`` called form by form."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            concepts = session.exec(select(func.count()).select_from(Concept)).one()
            count = select(func.count()).select_from(Term)
            entered = session.exec(count.where(Term.origin != "generated")).one()
            generated = session.exec(count.where(Term.origin == "generated")).one()
            if (concepts, entered) != (len(records), 3 * len(records)):
                raise SystemExit(f"FAILED: stored {concepts} concepts and {entered} forms, "
                                 f"expected {len(records)} and {3 * len(records)}")
            for record in rng.sample(records, min(sample, len(records))):
                expected = {
                    romanize(term.text, term.lang, scheme.name)
                    for term in record.terms if term.lang in ("ru", "kk") and has_cyrillic(term.text)
                    for scheme in list_schemes(term.lang)
                } - {term.text for term in record.terms}
                stored = set(session.exec(select(Term.text).where(
                    Term.concept_id == record.id, Term.origin == "generated")).all())
                if stored != expected:
                    raise SystemExit(f"FAILED: generated forms of {record.id} differ: "
                                     f"{sorted(stored ^ expected)[:4]}")
        return concepts, entered, generated
    finally:
        engine.dispose()


def database_factory(backend: str, workdir: Path, new_pg: Callable[[], str] | None) -> Callable[[str], str]:
    def new(label: str) -> str:
        if backend == "postgresql":
            assert new_pg is not None
            url = new_pg()
        else:
            path = workdir / f"{label}.db"
            for leftover in workdir.glob(f"{label}.db*"):
                leftover.unlink()
            url = f"sqlite:///{path}"
        return url

    return new


def run(
    backend: str, sizes: list[int], baseline: int, workdir: Path, new_pg: Callable[[], str] | None
) -> None:
    new_database = database_factory(backend, workdir, new_pg)
    rng = random.Random(1)
    for size in sizes:
        records = synthesize(size)
        words = distinct_cyrillic_words(records)
        url = new_database(f"{backend}-{size}")
        init_database(make_engine(url))
        first, first_cpu, _report = timed_import(url, synthesize(size))
        second, _cpu, again = timed_import(url, synthesize(size))
        if (again.created, again.updated, again.unchanged) != (0, 0, size):  # type: ignore[attr-defined]
            raise SystemExit(f"FAILED: the second import was not idempotent: {again}")
        _concepts, entered, generated = check(url, records, 200, rng)
        floor_url = new_database(f"{backend}-{size}-floor")
        floor = bare_insert(url, floor_url)
        per_url = new_database(f"{backend}-{size}-per-concept")
        init_database(make_engine(per_url))
        part = synthesize(size)[:baseline]
        per_seconds, _cpu, _ = timed_import(per_url, part, batch_size=1)
        per_rate = len(part) / per_seconds
        load = os.getloadavg()[0]
        print(f"| {backend} | {size:,} | {entered:,} | {generated:,} | {words:,} | {first:.1f} | "
              f"{first_cpu:.1f} | {size / first:,.0f} | {second:.1f} | "
              f"{again.created}/{again.updated}/{again.unchanged:,} | "  # type: ignore[attr-defined]
              f"{per_rate:,.0f} ({len(part):,}) | {size / per_rate:,.0f} | {floor:.1f} | {load:.1f} |",
              flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--baseline", type=int, default=1000, help="concepts merged one at a time")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    backends = args.backends.split(",")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="glossary-bench-import-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    print("| backend | concepts | entered forms | generated forms | distinct Cyrillic words | import s | "
          "import CPU s | concepts/s | re-import s | 2nd: created/updated/unchanged | "
          "per concept: concepts/s (sample) | per concept: est. s | bare INSERT s | load |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|")
    for backend in backends:
        if backend == "postgresql":
            with postgres_server() as new_pg:
                run(backend, sizes, args.baseline, workdir, new_pg)
        else:
            run(backend, sizes, args.baseline, workdir, None)
    print(f"load average after the run {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
