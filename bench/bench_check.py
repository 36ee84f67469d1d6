"""``glossary check`` on a large catalogue and a large term base, with translate-toolkit's pofilter beside it.

Run: ``python bench/bench_check.py [--concepts 10000] [--entries 100000] [--workdir bench/out/check]``
(``--entries 10000 --files 4 --runs 1`` for a quick look). ``--compare TREE`` runs every timed command
also with the ``glossary`` package of another checkout (for instance a ``git worktree`` of main), in turn
with this one, and prints its column beside (its compiled term base is kept in its own cache folder).
Prints a table: the first run (compiling and storing the term base), cold runs (a new process each,
process start and loading the stored recognizer included), a pre-commit-style run on 10 changed files,
and ``pofilter`` with its default checks on the same catalogues in the same run. The quality columns
score the check on errors planted in 1 % of the entries (another language's spelling of a name):
recall of those, and the share of error findings that are planted ones; both can fail.
"""

from __future__ import annotations

import argparse
import compileall
import csv
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from recogdata import synthesize

from glossary.model.records import ConceptRecord

LANGS = ("ru", "kk", "de", "fr")
PLACES = ("Almaty", "Astana", "Shymkent", "Aktobe", "Taraz", "Karaganda")
UNKNOWN = (
    "Bakhyt",
    "Zhanibek",
    "Orken",
    "Sultanbek",
    "Yerzhan",
    "Kairat",
    "Temirlan",
    "Arman",
    "Rustem",
    "Aliya",
    "Gulnara",
    "Moldir",
    "Dauren",
    "Saule",
    "Madina",
    "Nurlan",
    "Askar",
    "Zhandos",
    "Berik",
    "Aigerim",
)
UNKNOWN_NOUNS = (
    "Kazpost",
    "Samruk",
    "Halyk",
    "Kaspi",
    "Tengri",
    "Baiterek",
    "Zhetisu",
    "Khorgos",
    "Atameken",
)
TEMPLATES = {
    "en": "President {a} met {b} and {u} of {n} in {p} on {d} May to discuss {x} projects.",
    "ru": "Президент {a} встретился с {b} и {u} из {n} в {p} {d} мая, чтобы обсудить {x} проектов.",
    "kk": "Президент {a} {d} мамырда {p} қаласында {b} және {n} өкілі {u} мырзамен {x} жобаны талқылады.",
    "de": "Präsident {a} traf am {d}. Mai in {p} {b} und {u} von {n}, um {x} Projekte zu besprechen.",
    "fr": "Le président {a} a rencontré {b} et {u} de {n} à {p} le {d} mai pour discuter de {x} projets.",
}


def _forms(concept: ConceptRecord) -> dict[str, str]:
    forms: dict[str, str] = {}
    for term in concept.terms:
        if term.origin != "generated" and term.type == "full_form":
            forms.setdefault(term.lang, term.text)
    return forms


def write_termbase(concepts: list[ConceptRecord], path: Path) -> None:
    """The term base as CSV (entered full forms; the check generates the romanizations as the database
    does)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["concept", "kind", "lang", "text", "status", "type"])
        for concept in concepts:
            for term in concept.terms:
                # Full forms only: with the romanizations the check generates, about 12 forms a person.
                if term.origin != "generated" and term.type == "full_form":
                    writer.writerow([concept.id, concept.kind, term.lang, term.text, term.status, term.type])


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_catalogues(
    concepts: list[ConceptRecord], folder: Path, entries: int, files: int, rng: random.Random
) -> set[tuple[str, str]]:
    """``entries`` entries in ``files`` catalogues (ru, kk, de, fr in turn); returns the planted errors
    as (file name, msgctxt): the English spelling of a name in the translation."""
    folder.mkdir(parents=True, exist_ok=True)
    planted: set[tuple[str, str]] = set()
    per_file = entries // files
    for number in range(files):
        lang = LANGS[number % len(LANGS)]
        name = f"{lang}-{number:02d}.po"
        lines = [
            'msgid ""',
            'msgstr ""',
            '"Content-Type: text/plain; charset=UTF-8\\n"',
            f'"Language: {lang}\\n"',
            "",
        ]
        for entry in range(per_file):
            a, b = rng.choice(concepts), rng.choice(concepts)
            fa, fb = _forms(a), _forms(b)
            values = {
                "p": rng.choice(PLACES),
                "u": rng.choice(UNKNOWN),
                "n": rng.choice(UNKNOWN_NOUNS),
                "d": str(rng.randint(1, 31)),
                "x": str(rng.randint(11, 999)),
            }
            source = TEMPLATES["en"].format(a=fa["en"], b=fb["en"], **values)
            key = f"s{number:02d}-{entry:06d}"
            own_a = (
                fa["en"]
                if rng.random() < 0.01 and lang in ("de", "fr") and fa["en"] != fa[lang]
                else fa[lang]
            )
            if own_a != fa[lang]:
                planted.add((name, key))
            target = TEMPLATES[lang].format(a=own_a, b=fb[lang if lang != "kk" else "kk"], **values)
            lines += [
                f"#: article.txt:{entry + 1}",
                f'msgctxt "{key}"',
                f"msgid {_quote(source)}",
                f"msgstr {_quote(target)}",
                "",
            ]
        (folder / name).write_text("\n".join(lines), encoding="utf-8")
    return planted


CPU: list[float] = []  # CPU seconds (user + system) of each timed process, in order


def timed(
    command: list[str], cwd: Path, env: dict[str, str] | None = None
) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Wall seconds of one new process; its CPU seconds go to ``CPU`` (on a shared machine the wall
    time also counts the waits for a core, the CPU time does not)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall, done


def quality(report: dict[str, object], planted: set[tuple[str, str]]) -> tuple[float, float, int]:
    """(recall of planted errors, share of error findings that are planted, error findings)."""
    found = set()
    errors = 0
    for finding in report["findings"]:  # type: ignore[union-attr]
        if finding["severity"] != "error" or finding["side"] != "target":
            continue
        errors += 1
        name = Path(finding["path"]).name
        found.add((name, str(finding["key"]).split("\x04")[0]))
    hits = len(found & planted)
    return hits / len(planted) if planted else 1.0, hits / errors if errors else 1.0, errors


def _cells(run: tuple[float, float], digits: int) -> list[str]:
    """Wall and CPU seconds of one run, and the cores it kept busy on average."""
    wall, cpu = run
    return [f"{wall:.{digits}f}", f"{cpu:.{digits}f}", f"{cpu / wall:.2f}" if wall else "–"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concepts", type=int, default=10_000)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument(
        "--changed-entries", type=int, default=200, help="entries in each of the 10 changed files"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", default="bench/out/check")
    parser.add_argument("--skip-pofilter", action="store_true")
    parser.add_argument("--skip-serial", action="store_true", help="no cold runs with --jobs 1")
    parser.add_argument("--compare", metavar="TREE", help="another checkout to time in turn with this one")
    args = parser.parse_args()

    # Installed packages are byte-compiled (pip does it); a checkout run with
    # PYTHONDONTWRITEBYTECODE set would compile every module in every timed process instead.
    # The compared tree is compiled too, so both are timed alike.
    root = Path(__file__).resolve().parent.parent
    for tree in [root, *([Path(args.compare).resolve()] if args.compare else [])]:
        for package in ("glossary", "tui"):
            compileall.compile_dir(tree / package, quiet=1)
    work = Path(args.workdir).resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    rng = random.Random(11)
    concepts = synthesize(args.concepts, rng)
    termbase = work / "termbase.csv"
    write_termbase(concepts, termbase)
    planted = write_catalogues(concepts, work / "catalogues", args.entries, args.files, rng)
    write_catalogues(concepts, work / "changed", args.changed_entries * 10, 10, random.Random(12))
    env_cache = work / "cache"
    glossary = [sys.executable, "-m", "glossary", "check", "--termbase", str(termbase)]
    os.environ["GLOSSARY_CACHE_DIR"] = str(env_cache)
    os.environ["GLOSSARY_DB"] = f"sqlite:///{work / 'unused.db'}"  # must stay unused

    full = [*glossary, "catalogues", "--format", "json", "-o", "report.json", "--fail-on", "never"]
    one_process = [*full[:-4], "-o", "report-serial.json", "--fail-on", "never", "--jobs", "1"]
    first, done = timed(full, work)
    first_cpu = CPU[-1]
    if done.returncode != 0:
        raise SystemExit(f"glossary check failed: {done.stderr}")
    report = json.loads((work / "report.json").read_text(encoding="utf-8"))
    recall, precision, errors = quality(report, planted)
    from glossary.cli.check_termbase import load_termbase
    from glossary.recognize.index import TermIndex  # noqa: F401  (the stored index is loaded below)

    started = time.perf_counter()
    index, cached = load_termbase(termbase)
    load_seconds = time.perf_counter() - started
    forms = index.size
    changed = sorted(str(p.relative_to(work)) for p in (work / "changed").glob("*.po"))
    precommit_command = [*glossary, *changed, "--fail-on", "never"]
    # Each tree: its environment (None: this process's) and its two cold commands.
    trees: dict[str, tuple[dict[str, str] | None, list[str], list[str]]] = {"this": (None, full, one_process)}
    if args.compare:
        other = {**os.environ, "PYTHONPATH": str(Path(args.compare).resolve()),
                 "GLOSSARY_CACHE_DIR": str(work / "cache-compare")}
        other_full = [*full[:-4], "-o", "report-compare.json", "--fail-on", "never"]
        other_serial = [*other_full[:-4], "-o", "report-compare-serial.json", "--fail-on", "never"]
        other_serial += ["--jobs", "1"]
        done = timed(other_full, work, other)[1]  # compiles its term base into its own cache
        if done.returncode != 0:
            raise SystemExit(f"glossary check of {args.compare} failed: {done.stderr}")
        trees["compare"] = (other, other_full, other_serial)
    cold: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
    serial: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
    precommit: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
    for _ in range(args.runs):  # the default (a worker per CPU) and one process, in turn; each tree in turn
        for name, (env, default_command, serial_command) in trees.items():
            cold[name].append((timed(default_command, work, env)[0], CPU[-1]))
            if not args.skip_serial:
                serial[name].append((timed(serial_command, work, env)[0], CPU[-1]))
    if serial["this"]:
        same = (work / "report-serial.json").read_bytes() == (work / "report.json").read_bytes()
        assert same, "the one-process report differs from the workers' report"
    for _ in range(args.runs):
        for name, (env, _, _) in trees.items():
            precommit[name].append((timed(precommit_command, work, env)[0], CPU[-1]))
    compared_same = args.compare and (
        (work / "report-compare.json").read_bytes() == (work / "report.json").read_bytes()
    )
    pofilter_seconds = pofilter_cpu = None
    pofilter = Path(sys.executable).parent / "pofilter"
    if not args.skip_pofilter and pofilter.exists():
        pofilter_seconds, _ = timed([str(pofilter), "-i", "catalogues", "-o", "pofilter-out"], work)
        pofilter_cpu = CPU[-1]
    assert not (work / "unused.db").exists(), "the check opened a database"

    load = os.getloadavg()[0]
    print(
        f"{args.concepts:,} concepts, {forms:,} searchable forms (with generated romanizations and case "
        f"forms); {args.entries:,} entries in {args.files} catalogues ({', '.join(LANGS)}); "
        f"{len(planted)} planted errors; the stored recognizer loads in {load_seconds:.1f} s in-process "
        f"(cached: {cached}); load average {load:.1f} on {os.cpu_count()} cores"
    )
    print()
    # Busy cores: CPU seconds over wall seconds (below the workers' number, the run waited for a
    # core, or did work in one process only).
    first_title = "first run (compiles and stores the term base)"
    first_cells = " | ".join(_cells((first, first_cpu), 1))
    if args.compare:
        print("| run | wall s | CPU s | busy cores | compared tree: wall s | compared tree: CPU s "
              "| busy cores |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        print(f"| {first_title} | {first_cells} | | | |")
    else:
        print("| run | wall s | CPU s | busy cores |")
        print("|---|---:|---:|---:|")
        print(f"| {first_title} | {first_cells} |")
    jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    rows = [
        (f"cold run, best of {args.runs} (new process, stored recognizer, {jobs} workers)", cold, 1),
        (f"the same in one process (`--jobs 1`), best of {args.runs}", serial, 1),
        (f"pre-commit style: 10 changed files × {args.changed_entries} entries, best of {args.runs}",
         precommit, 2),
    ]
    for title, runs, digits in rows:
        if not runs["this"]:
            continue
        cells = _cells(min(runs["this"]), digits)
        if args.compare:
            cells += _cells(min(runs["compare"]), digits)
        print(f"| {title} | {' | '.join(cells)} |")
    if pofilter_seconds is not None:
        cells = _cells((pofilter_seconds, pofilter_cpu), 1)
        print(f"| translate-toolkit `pofilter`, default checks, same catalogues | {' | '.join(cells)} |")
    print()
    if args.compare:
        print(f"the compared tree's report is {'identical' if compared_same else 'DIFFERENT'} byte for byte")
    print(
        f"planted errors found: {recall:.3f} (target 1.000); error findings that are planted: "
        f"{precision:.3f} ({errors} error findings)"
    )


if __name__ == "__main__":
    main()
