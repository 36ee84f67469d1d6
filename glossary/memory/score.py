"""How memory matches are scored and explained: normalisation, the fuzzy score, word diffs, differences."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from glossary.text.normalize import caseless, compact, nfc

METHOD = "rapidfuzz.fuzz.ratio on NFC, casefolded text with runs of white space collapsed"
WORD = re.compile(r"\w+", re.UNICODE)
_TOKEN = re.compile(r"\w+|[^\w\s]+", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,:/]\d+)*")

# Points taken off the raw score, and the one point that puts an in-context exact match first.
FUZZY_PENALTY = 5.0
CONTEXT_PENALTY = 1.0
FORMAT_PENALTY = 1.0
REGION_PENALTY = 1.0
CONTEXT_BONUS = 1.0
FUZZY_STATES = frozenset({"fuzzy", "needs-review", "needs-translation", "new"})

NameFinder = Callable[[str, str], list[str]]


def normalize(text: str) -> str:
    """The form that is compared and indexed: NFC, casefolded, white space collapsed to single spaces
    (:func:`glossary.text.normalize.compact`)."""
    return compact(text)


def words(normalized: str) -> list[str]:
    """The word tokens of normalised text (letters, digits, underscore; any script)."""
    return WORD.findall(normalized)


def length_window(length: int, min_score: float) -> tuple[int, int]:
    """The source lengths that can still reach ``min_score`` against a query of ``length``.

    ``fuzz.ratio`` is ``2·M / (a + b) · 100`` with ``M ≤ min(a, b)``, so a
    candidate of length ``b`` needs ``b ≥ a·s/(200−s)`` and ``b ≤ a·(200−s)/s``.
    """
    s = min(max(min_score, 1.0), 100.0)
    low = int(length * s / (200.0 - s))
    high = int(length * (200.0 - s) / s) + 1
    return low, high


def raw_score(query_normalized: str, source_normalized: str, cutoff: float = 0.0) -> float:
    """The raw similarity, 0–100 (0 when below ``cutoff``)."""
    return float(fuzz.ratio(query_normalized, source_normalized, score_cutoff=cutoff))


@dataclass(frozen=True, slots=True)
class Scored:
    """A raw score turned into the shown score, the ranking key and its explanation."""

    score: float
    rank: float
    explanation: dict[str, Any] = field(default_factory=dict)


def adjust(
    *,
    raw: float,
    query: str,
    source: str,
    query_context: str | None,
    unit_context: str | None,
    unit_state: str | None,
    other_region: Sequence[str] = (),
) -> Scored:
    """Apply the penalties and the context bonus to a raw score.

    * the unit's translation was marked fuzzy (or similar): −5;
    * the query names a context, the unit has one and they differ: −1;
    * the texts are equal once normalised but not as written (case, spaces): −1;
    * each reason in ``other_region`` (the unit's source or target tag names another region
      than the lookup's, e.g. ``de-AT`` for ``de-DE``): −1;
    * an exact match (texts equal as written) in the same context gets +1 for
      ranking only, so it ranks first; it is shown as 100 with "same context".
    """
    penalties: list[dict[str, Any]] = []
    bonuses: list[dict[str, Any]] = []
    if unit_state and unit_state in FUZZY_STATES:
        penalties.append({"reason": f"unit is {unit_state}", "points": FUZZY_PENALTY})
    exact = nfc(query).strip() == nfc(source).strip()
    same_context = bool(query_context) and query_context == unit_context
    if query_context and unit_context and not same_context:
        penalties.append({"reason": "different context", "points": CONTEXT_PENALTY})
    if raw >= 100.0 and not exact:
        penalties.append({"reason": "differs in case or spacing", "points": FORMAT_PENALTY})
    penalties.extend({"reason": reason, "points": REGION_PENALTY} for reason in other_region)
    if exact and same_context:
        bonuses.append({"reason": "same context", "points": CONTEXT_BONUS})
    rank = raw - sum(p["points"] for p in penalties) + sum(b["points"] for b in bonuses)
    shown = round(max(0.0, min(100.0, rank)), 1)
    if exact and same_context:
        summary = "exact match, same context"
    elif exact and not penalties:
        summary = "exact match"
    else:
        summary = "fuzzy match" if raw < 100.0 else "exact text with penalties"
    explanation = {
        "method": METHOD,
        "raw": round(raw, 2),
        "penalties": penalties,
        "bonuses": bonuses,
        "rank": round(rank, 2),
        "summary": summary,
    }
    return Scored(score=shown, rank=rank, explanation=explanation)


def word_diff(query: str, source: str) -> list[dict[str, str]]:
    """Word-level opcodes turning the query into the match source (compared casefolded).

    Each item is ``{"op": equal|replace|delete|insert, "query": text, "source": text}``,
    where the texts are the covered stretches as written, in NFC (punctuation is a token too).
    """
    query, source = nfc(query), nfc(source)  # a decomposed letter would split a word in two
    q_tokens = list(_TOKEN.finditer(query))
    s_tokens = list(_TOKEN.finditer(source))
    q_keys = [caseless(m.group()) for m in q_tokens]
    s_keys = [caseless(m.group()) for m in s_tokens]
    ops: list[dict[str, str]] = []
    for tag, q1, q2, s1, s2 in Indel.opcodes(q_keys, s_keys).as_list():
        query_text, source_text = _stretch(query, q_tokens, q1, q2), _stretch(source, s_tokens, s1, s2)
        ops.append({"op": tag, "query": query_text, "source": source_text})
    return _merge_replacements(ops)


def _stretch(text: str, tokens: list[re.Match[str]], first: int, last: int) -> str:
    if first >= last:
        return ""
    return text[tokens[first].start() : tokens[last - 1].end()]


def _merge_replacements(ops: list[dict[str, str]]) -> list[dict[str, str]]:
    """Indel has no substitution: a delete next to an insert reads better as one replace."""
    merged: list[dict[str, str]] = []
    for op in ops:
        if merged and {merged[-1]["op"], op["op"]} == {"delete", "insert"}:
            last = merged.pop()
            query = last["query"] or op["query"]
            source = last["source"] or op["source"]
            merged.append({"op": "replace", "query": query, "source": source})
        else:
            merged.append(op)
    return merged


def numbers(text: str) -> list[str]:
    """The numbers written in a text, as written."""
    return _NUMBER.findall(text)


def differences(
    query: str, source: str, *, lang: str, names: NameFinder | None = None
) -> list[dict[str, Any]]:
    """Numbers (and, with ``names``, recognised names) that are not the same in query and match.

    Each item is ``{"kind": "number"|"name", "query": [...], "source": [...]}``
    listing what only the query has and what only the match source has.
    """
    found: list[dict[str, Any]] = []
    kinds: list[tuple[str, Callable[[str], list[str]]]] = [("number", numbers)]
    if names is not None:
        finder = names
        kinds.append(("name", lambda text: finder(text, lang)))
    for kind, extract in kinds:
        in_query, in_source = Counter(extract(query)), Counter(extract(source))
        only_query = sorted((in_query - in_source).elements())
        only_source = sorted((in_source - in_query).elements())
        if only_query or only_source:
            found.append({"kind": kind, "query": only_query, "source": only_source})
    return found
