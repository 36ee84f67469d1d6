"""Sentence splitting is linear in a paragraph's length and gives ordinary text the segments it always did."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from glossary.formats.seed import bundled_path
from glossary.text import segment
from glossary.text.segment import _segmenter, sentence_language, split_document, split_sentences
from glossary.text.windows import WINDOW, split_windows

LANGS = ("en", "ru", "kk", "de", "fr")
# Generous: a guard against a hang, never a measure (a 1 MB article takes well under a minute).
TIMEOUT = 600


def _paragraphs(lang: str) -> list[str]:
    """The bundled article's lines (English) or its translations' targets (other languages)."""
    if lang == "en":
        lines = bundled_path("article.txt").read_text("utf-8").splitlines()
        return [line.strip() for line in lines if line.strip()]
    data = tomllib.loads(bundled_path(f"translations/{lang}.toml").read_text("utf-8"))
    return [unit["target"] for unit in data["unit"]]


def _pysbd(text: str, lang: str) -> list[str]:
    """Sentences as pysbd's own ``segment`` gives them: the splitting before windows existed."""
    return [s for s in (part.strip() for part in _segmenter(sentence_language(lang)).segment(text)) if s]


def _prose() -> str:
    return " ".join(_paragraphs("en"))


@pytest.mark.parametrize("lang", LANGS)
def test_every_paragraph_of_the_bundled_texts_splits_as_pysbd_splits_it(lang: str) -> None:
    paragraphs = _paragraphs(lang)
    assert max(map(len, paragraphs)) < WINDOW  # so no paragraph of them is windowed at all
    for paragraph in paragraphs:
        assert split_sentences(paragraph, lang) == _pysbd(paragraph, lang), paragraph


def test_the_bundled_article_keeps_its_segments() -> None:
    # The translations' sources are segment texts as the splitter cut them when they were made.
    sources = {unit["source"] for unit in tomllib.loads(
        bundled_path("translations/ru.toml").read_text("utf-8"))["unit"]}
    texts = [s.text for s in split_document(bundled_path("article.txt").read_text("utf-8"))]
    assert sources <= set(texts)
    assert len(texts) == len(segment.segment_keys(texts)) > 150


@pytest.mark.parametrize("lang", ["en", "kk"])
def test_a_whole_article_as_one_paragraph_splits_as_pysbd_splits_it(lang: str) -> None:
    # 22 KB in one paragraph: seven windows, and not one sentence differs.
    text = " ".join(_paragraphs(lang))
    assert len(text) > 6 * WINDOW
    assert split_sentences(text, lang) == _pysbd(text, lang)


class _Counting:
    """A stand-in sentence splitter (". " ends a sentence) that records what it was given."""

    def __init__(self) -> None:
        self.sizes: list[int] = []

    def __call__(self, text: str) -> list[str]:
        self.sizes.append(len(text))
        return re.split(r"(?<=\.) ", text)


@pytest.mark.parametrize(
    "shape",
    ["prose", "no punctuation", "no white space", "one long sentence between short ones"],
)
def test_the_work_is_linear_in_the_length_of_a_1_mb_paragraph(shape: str) -> None:
    size = 1_000_000
    text = {
        "prose": ("The troops left Almaty. They came back. " * size)[:size],
        "no punctuation": ("word " * size)[:size],
        "no white space": "x" * size,
        "one long sentence between short ones": "Short. " * 1000 + "long " * 150_000 + ". Short." * 1000,
    }[shape].strip()
    splitter = _Counting()
    sentences = list(split_windows(text, splitter))
    assert max(splitter.sizes) <= WINDOW
    # Each window moves on by a quarter of its size at least; prose by almost all of it.
    assert sum(splitter.sizes) <= 4 * len(text) + WINDOW
    if shape == "prose":
        assert sum(splitter.sizes) <= 1.5 * len(text)
        assert sentences == [s for s in (part.strip() for part in splitter(text)) if s]
    assert "".join("".join(sentences).split()) == "".join(text.split())  # nothing but white space lost


def test_windows_give_the_splitters_own_sentences_on_real_prose() -> None:
    text = _prose()
    splitter = _Counting()
    expected = [s for s in (part.strip() for part in splitter(text)) if s]
    assert list(split_windows(text, splitter, size=1200, margin=200)) == expected


def test_a_window_with_too_small_a_margin_is_refused() -> None:
    with pytest.raises(ValueError, match="margin"):
        list(split_windows("a. b.", _Counting(), size=100, margin=50))


def test_pysbd_is_never_given_more_than_a_window(monkeypatch: pytest.MonkeyPatch) -> None:
    given: list[int] = []
    original = segment.pysbd_sentences

    def recording(segmenter: object, text: str) -> list[str]:
        given.append(len(text))
        return original(segmenter, text)  # type: ignore[arg-type]

    monkeypatch.setattr(segment, "pysbd_sentences", recording)
    text = (_prose() + " ") * 3
    sentences = split_sentences(text, "en")
    assert len(sentences) > 400
    assert max(given) <= WINDOW and sum(given) < 1.5 * len(text)


def _import(tmp_path: Path, name: str, text: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    env = {**os.environ, "GLOSSARY_DB": f"sqlite:///{tmp_path / 'g.db'}"}
    return subprocess.run([sys.executable, "-m", "glossary", "import", str(path), "--format", "json"],
                          capture_output=True, text=True, env=env, timeout=TIMEOUT, check=False)


def test_a_200_kb_markdown_paragraph_is_imported(tmp_path: Path) -> None:
    text = (_prose() + " ") * (200_000 // len(_prose()) + 1)
    done = _import(tmp_path, "long.md", "# A long paragraph\n\n" + text[:200_000] + "\n")
    assert done.returncode == 0, done.stderr
    assert '"added": ' in done.stdout and '"added": 0' not in done.stdout


@pytest.mark.slow
def test_a_1_mb_one_line_article_is_imported(tmp_path: Path) -> None:
    """GLOSSARY_SCALE sets the size in bytes (default 1,000,000)."""
    size = int(os.environ.get("GLOSSARY_SCALE", "1000000"))
    text = ((_prose() + " ") * (size // len(_prose()) + 1))[:size]
    done = _import(tmp_path, "one-line.txt", text.rsplit(" ", 1)[0] + "\n")
    assert done.returncode == 0, done.stderr
    assert '"added": ' in done.stdout and '"added": 0' not in done.stdout
