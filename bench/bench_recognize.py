"""Term recognition throughput at about 100,000 forms on news-like text in five languages, against
baselines in the same run, and the load time of the stored recognizer.

Run: ``python bench/bench_recognize.py [--concepts 13000] [--segments 20000] [--langs en,kk]``.
Prints one table.
Every segment names a person of the term base and one or two people nobody has named before
(see ``bench/recogdata.py``), so each one carries capitalised words that the term base does not
know and that no memo has seen. Rates are the best of three runs, each starting with the index's
memos emptied; ``recognize_many`` gets all the segments of a language in one call, and its spans
must equal those of ``recognize`` text by text. The ratio to the bare automaton pass in the same
run is printed: the target of 50,000 segments/s is a fifth of what the bare pass does on an idle
machine. Quality is checked too, and the run fails (exit 1) when it falls short: the named
person must be found in nearly every segment, and unknown people must rarely be taken for
misspelt names (some are: an unknown name can be an edit away from a known one).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))

from recogdata import LANGS, UnknownPeople, segments, synthesize

from glossary.recognize.ordinary import ordinary_words
from glossary.recognize.spans import compile_index, recognize, recognize_many
from glossary.recognize.stored import load_index, save_index
from glossary.text.fold import fold

TARGET = 50_000
MAX_RATIO = 5  # the bare pass did about 250,000 segments/s on an idle machine: 50,000 is 1/5 of it
MIN_RECALL = 0.99
MAX_UNKNOWN_AS_NEAR_MISS = 0.05


def _rate(fn: Callable[[str], object], texts: list[str], reset: Callable[[], None],
          repeat: int = 3) -> tuple[float, float]:
    """(segments per second by the wall clock, by CPU time), each the best of ``repeat`` runs (as
    timeit does: the others measured noise); every run starts with ``reset``, so none profits from
    answers remembered by the run before."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        reset()
        started, started_cpu = time.perf_counter(), time.process_time()
        for text in texts:
            fn(text)
        wall = min(wall, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - started_cpu)
    return len(texts) / wall, len(texts) / max(cpu, 1e-9)


def _rate_batch(fn: Callable[[list[str]], object], texts: list[str], reset: Callable[[], None],
                repeat: int = 3) -> tuple[float, float]:
    """:func:`_rate` of one call over all the texts (a batch entry point)."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        reset()
        started, started_cpu = time.perf_counter(), time.process_time()
        fn(texts)
        wall = min(wall, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - started_cpu)
    return len(texts) / wall, len(texts) / max(cpu, 1e-9)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concepts", type=int, default=13_000)
    parser.add_argument("--segments", type=int, default=20_000)
    parser.add_argument("--naive-sample", type=int, default=50)
    parser.add_argument("--langs", default=",".join(LANGS), help="comma-separated (default: all five)")
    args = parser.parse_args()
    rng = random.Random(7)
    concepts = synthesize(args.concepts, rng)
    unknown = UnknownPeople(concepts, random.Random(8))
    started = time.perf_counter()
    index = compile_index(concepts)
    compile_seconds = time.perf_counter() - started
    langs = [lang for lang in args.langs.split(",") if lang]
    unknown_langs = sorted(set(langs) - set(LANGS))
    if unknown_langs or not langs:
        parser.error(f"--langs: choose among {', '.join(LANGS)}")
    for lang in langs:
        ordinary_words(lang)  # read once per process, from the user cache after the first run
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        save_index(index, Path(folder), "bench")
        save_seconds = time.perf_counter() - started
        size = sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())
        loads = []
        for _ in range(3):
            started = time.perf_counter()
            loaded = load_index(Path(folder), "bench")
            loads.append(time.perf_counter() - started)
        assert loaded is not None
    forms = sorted({fold(t.text) for c in concepts for t in c.terms})
    automaton = index.automaton

    def bare(text: str) -> object:
        return list(automaton.iter(" " + fold(text)))

    def naive(text: str) -> object:
        folded = fold(text)
        return [form for form in forms if folded.find(form) >= 0]

    print(f"{args.concepts:,} concepts, {len(forms):,} distinct forms, {index.size:,} automaton keys "
          f"(with Russian case forms), {len(index.near_index().forms):,} near-miss forms")
    print(f"compile {compile_seconds:.1f} s; stored recognizer: save {save_seconds:.1f} s, "
          f"{size / 1e6:.0f} MB, load {min(loads):.2f} s (best of 3)")
    print(f"{'lang':<5} {'method':<36} {'seg/s (wall)':>13} {'seg/s (CPU)':>12}")
    failures = []
    for lang in langs:
        pairs = segments(concepts, args.segments, lang, rng, unknown)
        texts = [text for text, _, _ in pairs]
        rows = (
            ("recognize (full), text by text", lambda text, lang=lang: recognize(text, lang, index), texts),
            ("recognize_many (full), all at once", None, texts),
            ("Aho-Corasick only, no checks", bare, texts),
            ("naive str.find per form (sample)", naive, texts[: args.naive_sample]),
        )
        rates: dict[str, tuple[float, float]] = {}
        for name, fn, sample in rows:
            if fn is None:
                many = rates[name] = _rate_batch(
                    lambda batch, lang=lang: recognize_many(batch, lang, index), sample, index.forget_memos)
            else:
                rates[name] = _rate(fn, sample, index.forget_memos)
            wall, cpu = rates[name]
            print(f"{lang:<5} {name:<36} {wall:>13,.0f} {cpu:>12,.0f}")
        one = rates["recognize (full), text by text"]
        bare_wall, bare_cpu = rates["Aho-Corasick only, no checks"]
        print(f"{lang:<5} bare pass / recognize_many: {bare_cpu / many[1]:.1f}x in CPU, "
              f"{bare_wall / many[0]:.1f}x by the wall clock (text by text: {bare_cpu / one[1]:.1f}x CPU); "
              f"target {TARGET:,}/s met at {MAX_RATIO:.0f}x on a machine where the bare pass does "
              f"{TARGET * MAX_RATIO:,.0f}/s")
        index.forget_memos()
        together = recognize_many(texts, lang, index)
        index.forget_memos()
        if together != [recognize(text, lang, index) for text in texts]:
            failures.append(f"{lang}: recognize_many differs from recognize text by text")
        index.forget_memos()
        found = near = unknown_near = 0
        for text, known, strangers in pairs:
            spans = recognize(text, lang, index)
            found += any(span.surface == known for span in spans)
            near += sum(span.match == "near_miss" for span in spans)
            unknown_near += sum(span.match == "near_miss" and any(span.surface in name for name in strangers)
                                for span in spans)
        recall = found / len(pairs)
        length = sum(map(len, texts)) / len(texts)
        print(f"{lang:<5} (mean {length:.0f} characters; named person found {recall:.1%}; near misses "
              f"{near / len(pairs):.3f} a segment, {unknown_near / len(pairs):.3f} on unknown people)")
        if recall < MIN_RECALL:
            failures.append(f"{lang}: named person found in {recall:.1%} < {MIN_RECALL:.0%}")
        if unknown_near / len(pairs) > MAX_UNKNOWN_AS_NEAR_MISS:
            failures.append(f"{lang}: {unknown_near / len(pairs):.3f} unknown people a segment as misspelt")
        if many[0] < TARGET:
            print(f"{lang:<5} recognize_many below {TARGET:,} segments/s by the wall clock here")
    print(f"{len(unknown.given):,} unknown people named, each in one segment only")
    for failure in failures:
        print("FAIL", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
