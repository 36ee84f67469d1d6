"""Sentence splitting of one long paragraph: Glossary's splitter against pysbd's own, in one run.

    python bench/bench_segment.py --sizes 10000,20000,40000,80000,1000000

The paragraph is the bundled article's prose repeated, on one line. The baseline, pysbd's
``Segmenter.segment`` on the whole paragraph (the splitter before windows), is timed up to
``--baseline-max`` characters; beyond that it is skipped (it grows with the square of the length).
"""

from __future__ import annotations

import argparse
import resource
import time

from glossary.formats.seed import bundled_path
from glossary.text.segment import _segmenter, split_sentences


def _prose(size: int) -> str:
    lines = bundled_path("article.txt").read_text("utf-8").splitlines()
    one = " ".join(line.strip() for line in lines if line.strip()) + " "
    return (one * (size // len(one) + 1))[:size].rsplit(" ", 1)[0]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _timed(call: object) -> tuple[float, float, int]:
    wall, cpu = time.perf_counter(), _cpu()
    result = call()  # type: ignore[operator]
    return time.perf_counter() - wall, _cpu() - cpu, len(result)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,20000,40000,80000,1000000")
    parser.add_argument("--baseline-max", type=int, default=80_000)
    args = parser.parse_args()
    segmenter = _segmenter("en")
    split_sentences("Warm up. Once.")
    print("| characters | sentences | Glossary s wall (CPU) | µs CPU per character | "
          "pysbd segment s wall (CPU) | × faster (CPU) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for size in (int(value) for value in args.sizes.split(",")):
        text = _prose(size)
        wall, cpu, count = _timed(lambda text=text: split_sentences(text, "en"))
        baseline = "skipped"
        ratio = ""
        if len(text) <= args.baseline_max:
            base_wall, base_cpu, base_count = _timed(lambda text=text: segmenter.segment(text))
            assert base_count == count, (base_count, count)
            baseline = f"{base_wall:.2f} ({base_cpu:.2f})"
            ratio = f"{base_cpu / cpu:.1f}×"
        print(f"| {len(text):,} | {count:,} | {wall:.2f} ({cpu:.2f}) | {cpu / len(text) * 1e6:.1f} | "
              f"{baseline} | {ratio} |", flush=True)


if __name__ == "__main__":
    main()
