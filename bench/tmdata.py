"""Deterministic synthetic memory sentences and the three kinds of queries of the memory benchmark.

Two corpora: ``news`` draws from 60,000 words (the bundled article's, then invented ones) with
Zipf-like frequencies; ``small`` draws from 3,000, so every sentence is made of words that
occur in thousands of others and the index's posting lists are long.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np

ARTICLE = Path(__file__).resolve().parents[1] / "glossary" / "data" / "article.txt"
SYLLABLES = (
    "ka", "ra", "ta", "ma", "na", "sa", "la", "da", "ba", "ga", "za", "ja", "ko", "ro", "to", "mo",
    "no", "so", "lo", "do", "bo", "go", "zo", "ke", "re", "te", "me", "ne", "se", "le", "de", "be",
    "ge", "ze", "ki", "ri", "ti", "mi", "ni", "si", "li", "di", "bi", "gi", "ku", "ru", "tu", "mu",
    "nu", "su", "lu", "du", "bu", "gu", "an", "ar", "at", "al", "ash", "ol", "ur", "em", "in", "ov",
    "ev", "sk", "st", "tr", "pr", "kh", "zh", "ch", "sh", "yr", "yk",
)


def article_words() -> list[str]:
    """Words of the bundled article, most frequent first."""
    counts: dict[str, int] = {}
    for word in re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", ARTICLE.read_text(encoding="utf-8")):
        counts[word] = counts.get(word, 0) + 1
    return sorted(counts, key=lambda w: (-counts[w], w))


def vocabulary(size: int = 60_000, seed: int = 7) -> list[str]:
    """The article's words followed by invented ones, in Zipf rank order."""
    rng = random.Random(seed)
    vocab = article_words()
    seen = {w.casefold() for w in vocab}
    while len(vocab) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if rng.random() < 0.15:
            word = word.capitalize()
        if word.casefold() not in seen:
            seen.add(word.casefold())
            vocab.append(word)
    return vocab


CORPORA = {"news": 60_000, "small": 3_000}
QUERY_KINDS = ("edited", "unseen", "frequent")


class SentenceMaker:
    """Draws words with Zipf-like frequencies and makes sentences and edited copies."""

    def __init__(self, seed: int = 11, vocab_size: int = 60_000) -> None:
        self.vocab = vocabulary(vocab_size)
        ranks = np.arange(1, len(self.vocab) + 1, dtype=np.float64)
        weights = 1.0 / (ranks + 2.7)
        self.cumulative = np.cumsum(weights / weights.sum())
        self.rng = np.random.default_rng(seed)
        self.pyrng = random.Random(seed)

    def draw(self, count: int) -> list[str]:
        """``count`` words drawn by frequency (numbers now and then)."""
        picks = np.searchsorted(self.cumulative, self.rng.random(count))
        out = [self.vocab[min(int(i), len(self.vocab) - 1)] for i in picks]
        for i in range(count):
            if self.pyrng.random() < 0.02:
                out[i] = str(self.pyrng.choice((self.pyrng.randint(1990, 2024), self.pyrng.randint(2, 999))))
        return out

    def sentence(self, low: int = 5, high: int = 40) -> str:
        """One sentence of ``low``–``high`` words."""
        return render(self.draw(self.pyrng.randint(low, high)))

    def edit(self, text: str, edits: int) -> str:
        """``text`` with ``edits`` words substituted, deleted or inserted."""
        tokens = text.rstrip(".").split()
        for _ in range(edits):
            kind = self.pyrng.choice(("substitute", "delete", "insert"))
            if kind == "delete" and len(tokens) > 3:
                del tokens[self.pyrng.randrange(len(tokens))]
            elif kind == "insert":
                tokens.insert(self.pyrng.randrange(len(tokens) + 1), self.draw(1)[0])
            else:
                tokens[self.pyrng.randrange(len(tokens))] = self.draw(1)[0]
        return render(tokens)

    def memory(self, count: int, family_share: float = 0.15) -> list[str]:
        """``count`` sentences; a share of them are edited copies of earlier ones, as in real memories."""
        out: list[str] = []
        for _ in range(count):
            if out and self.pyrng.random() < family_share:
                out.append(self.edit(self.pyrng.choice(out), self.pyrng.randint(1, 2)))
            else:
                out.append(self.sentence())
        return out

    def queries(self, memory: list[str], count: int) -> list[str]:
        """Memory sentences with one to three words substituted, deleted or inserted."""
        return [self.edit(self.pyrng.choice(memory), self.pyrng.randint(1, 3)) for _ in range(count)]

    def frequent(self, count: int, top: int = 60) -> list[str]:
        """Sentences of 4–20 words drawn from the ``top`` most frequent words only (their postings
        are the longest, and many units share most of their words)."""
        out = []
        for _ in range(count):
            words = [self.vocab[min(int(i), top - 1)] for i in np.searchsorted(
                self.cumulative[:top] / self.cumulative[top - 1], self.rng.random(self.pyrng.randint(4, 20)))]
            out.append(render(words))
        return out

    def query_set(self, memory: list[str], count: int) -> list[tuple[str, str]]:
        """``(kind, text)``: three fifths edited memory sentences, one fifth new sentences (most
        have no match), one fifth made of frequent words."""
        unseen = frequent = count // 5
        edited = count - unseen - frequent
        return ([("edited", q) for q in self.queries(memory, edited)]
                + [("unseen", self.sentence()) for _ in range(unseen)]
                + [("frequent", q) for q in self.frequent(frequent)])


def render(tokens: list[str]) -> str:
    """Tokens as a sentence: capitalised, with a full stop."""
    text = " ".join(tokens)
    return text[:1].upper() + text[1:] + "."
