"""Scores ``glossary check`` on the hand-labelled catalogues in tests/data/check_eval/ (see its README)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from glossary.checks.model import CheckConfig, Finding
from glossary.checks.run import run_checks
from glossary.cli.check_inputs import read_catalogue
from glossary.recognize.index import TermIndex

EVAL_DIR = Path(__file__).parent / "data" / "check_eval"
LANGUAGES = ("ru", "kk", "de", "fr")
_LABEL = re.compile(r'([a-z-]+)\s+(\*|"(?:[^"\\]|\\.)*")')
_ENTRY = re.compile(r'#\. expect: (.*)\n(?:#.*\n)*msgctxt "([^"]+)"')


def read_labels(path: Path) -> dict[str, Counter[tuple[str, str]]]:
    """Expected (rule, surface) pairs per entry key; ``*`` stands for any surface."""
    labels: dict[str, Counter[tuple[str, str]]] = {}
    for match in _ENTRY.finditer(path.read_text(encoding="utf-8")):
        text, key = match.groups()
        found: Counter[tuple[str, str]] = Counter()
        if text.strip() != "clean":
            for rule, surface in _LABEL.findall(text):
                found[(rule, surface if surface == "*" else surface[1:-1])] += 1
            if not found:
                raise ValueError(f"{path}: entry {key}: unreadable label {text!r}")
        labels[key] = found
    return labels


@dataclass(frozen=True)
class Score:
    """Counts and rates for one language."""

    lang: str
    entries: int
    labelled: int
    true_positives: int
    false_positives: list[Finding]
    missed: list[tuple[str, str, str]]

    @property
    def precision(self) -> float:
        found = self.true_positives + len(self.false_positives)
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.labelled if self.labelled else 1.0


def _entry(finding: Finding) -> str:
    return (finding.key or "").split("\x04")[0]


def evaluate(index: TermIndex) -> dict[str, Score]:
    """Check the four catalogues together (the rules across languages need all of them) and score
    each language's target findings against its labels."""
    files = [read_catalogue(EVAL_DIR / f"{lang}.po", "en", None) for lang in LANGUAGES]
    units = [unit for checked in files if checked is not None for unit in checked.units]
    config = CheckConfig(check_sources=False)
    findings = [f for f in run_checks(units, index, config=config) if f.side == "target"]
    scores = {}
    for lang, checked in zip(LANGUAGES, files, strict=True):
        assert checked is not None
        labels = read_labels(checked.path)
        mine = [f for f in findings if f.path == checked.display]
        remaining = {key: Counter(expected) for key, expected in labels.items()}
        true_positives = 0
        false_positives = []
        for finding in mine:
            expected = remaining.setdefault(_entry(finding), Counter())
            for wanted in ((finding.rule, finding.surface), (finding.rule, "*")):
                if expected[wanted] > 0:
                    expected[wanted] -= 1
                    true_positives += 1
                    break
            else:
                false_positives.append(finding)
        missed = [
            (key, rule, surface)
            for key, left in remaining.items()
            for (rule, surface), n in left.items()
            for _ in range(n)
        ]
        scores[lang] = Score(
            lang,
            len(labels),
            sum(sum(c.values()) for c in labels.values()),
            true_positives,
            false_positives,
            missed,
        )
    return scores
