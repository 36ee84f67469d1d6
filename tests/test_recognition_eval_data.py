"""Integrity and quota checks for the hand-marked recognition evaluation set."""

import copy
import itertools
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

EVAL_PATH = Path(__file__).parent / "data" / "recognition_eval.jsonl"

LANGS = ("en", "ru", "kk", "de", "fr")
KINDS = frozenset({"exact", "variant", "wrong_script", "inflected", "abbreviation", "misspelling"})
TAGS = frozenset({"article", "news", "negative", "lookalike"})
_CONCEPT_IDS = """
    tokayev nazarbayev massimov putin lukashenko rahmon zas serdyukov blinken al_assad mercouris escobar
    kazakhstan almaty russia belarus armenia kyrgyzstan tajikistan afghanistan uzbekistan syria ukraine
    china libya iraq yugoslavia saudi_arabia usa ussr geneva caucasus khorasan rzhev moscow tiananmen_square
    csto knb un_security_council un osce sco collective_security_council collective_security_treaty kremlin
    tass taliban isis al_qaeda hizb_ut_tahrir imu ansarullah mazhilis red_army great_patriotic_war eurasianet
    pashinyan japarov
"""
CONCEPTS = frozenset(_CONCEPT_IDS.split())
RECORD_KEYS = frozenset({"id", "lang", "text", "spans", "tags"})
SPAN_KEYS = frozenset({"start", "end", "surface", "concept", "kind"})

MIN_SENTENCES = {"en": 60, "ru": 50, "kk": 35, "de": 40, "fr": 35}
MIN_TOTAL = 220
MIN_NEGATIVE = 40
MIN_RU_INFLECTED = 15
MIN_KK_SUFFIXED = 12
MIN_DE_GENITIVE = 5
MIN_EN_POSSESSIVE = 5
MIN_FR_ELISION = 5
MIN_WRONG_SCRIPT = 10
MIN_VARIANT = 10
MIN_MISSPELLING = 8

# French press writes the movement in lower case ("les talibans"); every other name is capitalised.
LOWERCASE_NAMES = frozenset({("fr", "taliban")})

KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
ID_PATTERN = re.compile(r"^(en|ru|kk|de|fr)-\d{3}$")
# An elided French article or pronoun right before a span: d'Almaty, l’OTSC, qu'Almaty.
FRENCH_ELISION = re.compile(r"(?:^|[^\w])(?:[dlDL]|[Qq]u|[Jj]usqu)['’]$")
POSSESSIVE_ENDINGS = ("'s", "’s")


def load_records(path: Path = EVAL_PATH) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _is_word_char(ch: str) -> bool:
    return ch.isalnum()


def span_problems(record: dict[str, Any], span: Any) -> list[str]:
    """Problems with one span of a record whose text is already known to be a string."""
    text = record["text"]
    lang = record.get("lang")
    if not isinstance(span, dict) or set(span) != SPAN_KEYS:
        return [f"span keys must be {sorted(SPAN_KEYS)}: {span!r}"]
    start, end, surface = span["start"], span["end"], span["surface"]
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        return [f"offsets must be integers: {span!r}"]
    if not isinstance(surface, str) or not 0 <= start < end <= len(text):
        return [f"offsets out of range: {span!r}"]
    problems = []
    if text[start:end] != surface:
        problems.append(f"text[{start}:{end}] is {text[start:end]!r}, not {surface!r}")
    if span["concept"] not in CONCEPTS:
        problems.append(f"unknown concept {span['concept']!r}")
    kind = span["kind"]
    if kind not in KINDS:
        problems.append(f"unknown kind {kind!r}")
    if (
        surface != surface.strip()
        or not surface[0].isalnum()
        or not (surface[-1].isalnum() or surface[-1] == ".")
    ):
        problems.append(f"span {surface!r} starts or ends with a non-letter")
    if start > 0 and _is_word_char(text[start - 1]):
        problems.append(f"span {surface!r} starts inside a word")
    if end < len(text) and _is_word_char(text[end]):
        problems.append(f"span {surface!r} ends inside a word")
    if not any(ch.isupper() for ch in surface) and (lang, span["concept"]) not in LOWERCASE_NAMES:
        problems.append(f"span {surface!r} has no capital letter")
    if kind == "wrong_script":
        foreign = CYRILLIC if lang in ("en", "de", "fr") else LATIN
        if not foreign.search(surface):
            problems.append(f"wrong_script span {surface!r} is in the text's own script")
    if kind == "abbreviation":
        upper = sum(ch.isupper() for ch in surface)
        lower = sum(ch.islower() for ch in surface)
        if upper < 2 or lower >= upper:
            problems.append(f"abbreviation span {surface!r} is not upper case")
    if lang == "fr" and re.match(r"(?:[dlDL]|[Qq]u)['’]", surface):
        problems.append(f"French span {surface!r} includes the elided article")
    return problems


def record_problems(record: Any) -> list[str]:
    """Every integrity problem of one record, as readable messages."""
    if not isinstance(record, dict) or set(record) != RECORD_KEYS:
        return [f"record keys must be {sorted(RECORD_KEYS)}"]
    problems = []
    rid, lang, text, spans, tags = (record[k] for k in ("id", "lang", "text", "spans", "tags"))
    if lang not in LANGS:
        problems.append(f"unknown lang {lang!r}")
    if not isinstance(rid, str) or not ID_PATTERN.match(rid) or rid.split("-")[0] != lang:
        problems.append(f"id {rid!r} does not match lang {lang!r}")
    if not isinstance(text, str) or not text or text != text.strip() or not text.isprintable():
        return [*problems, "text must be a non-empty single line without outer whitespace"]
    if unicodedata.normalize("NFC", text) != text:
        problems.append("text is not NFC-normalised, so code-point offsets would be ambiguous")
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        return [*problems, "tags must be a list of strings"]
    if unknown := set(tags) - TAGS:
        problems.append(f"unknown tags {sorted(unknown)}")
    if len(set(tags)) != len(tags):
        problems.append("duplicate tags")
    if ("article" in tags) == ("news" in tags):
        problems.append("exactly one of the tags 'article' and 'news' is required")
    if not isinstance(spans, list):
        return [*problems, "spans must be a list"]
    if ("negative" in tags) != (not spans):
        problems.append("the tag 'negative' is required exactly when there are no spans")
    for span in spans:
        problems.extend(span_problems(record, span))
    if problems:
        return problems
    for before, after in itertools.pairwise(spans):
        if after["start"] < before["end"]:
            problems.append(f"spans {before['surface']!r} and {after['surface']!r} overlap or are unsorted")
    outside = "".join(text[i] for i in range(len(text)) if not any(s["start"] <= i < s["end"] for s in spans))
    if lang == "kk" and not KAZAKH_LETTERS & set(text):
        problems.append("Kazakh text has none of the letters ә ғ қ ң ө ұ ү һ і")
    if lang == "ru" and KAZAKH_LETTERS & set(outside):
        problems.append("Russian text has Kazakh letters outside the marked names")
    return problems


def _is_french_elision(record: dict[str, Any], span: dict[str, Any]) -> bool:
    return record["lang"] == "fr" and bool(FRENCH_ELISION.search(record["text"][: span["start"]]))


def quota_counts(records: list[dict[str, Any]]) -> Counter[str]:
    """The counted quantities that the quotas constrain."""
    counts: Counter[str] = Counter()
    for record in records:
        lang = record["lang"]
        counts[f"sentences:{lang}"] += 1
        counts["sentences"] += 1
        if not record["spans"]:
            counts["negative"] += 1
        for span in record["spans"]:
            kind, surface = span["kind"], span["surface"]
            counts[f"kind:{kind}"] += 1
            counts[f"kind:{kind}:{lang}"] += 1
            if lang == "de" and kind == "inflected" and surface.endswith("s"):
                counts["de_genitive"] += 1
            if lang == "en" and surface.endswith(POSSESSIVE_ENDINGS):
                counts["en_possessive"] += 1
            if _is_french_elision(record, span):
                counts["fr_elision"] += 1
            counts[f"concept:{span['concept']}:{lang}"] += 1
    return counts


def quota_problems(records: list[dict[str, Any]]) -> list[str]:
    """Set-wide problems: duplicate ids or texts, missed quotas, concepts missing from a language."""
    problems = []
    ids = Counter(r["id"] for r in records)
    problems += [f"duplicate id {rid}" for rid, n in ids.items() if n > 1]
    texts = Counter((r["lang"], r["text"]) for r in records)
    problems += [f"duplicate {lang} text {text!r}" for (lang, text), n in texts.items() if n > 1]
    counts = quota_counts(records)
    minimums = {f"sentences:{lang}": n for lang, n in MIN_SENTENCES.items()}
    minimums |= {
        "sentences": MIN_TOTAL,
        "negative": MIN_NEGATIVE,
        "kind:inflected:ru": MIN_RU_INFLECTED,
        "kind:inflected:kk": MIN_KK_SUFFIXED,
        "de_genitive": MIN_DE_GENITIVE,
        "en_possessive": MIN_EN_POSSESSIVE,
        "fr_elision": MIN_FR_ELISION,
        "kind:wrong_script": MIN_WRONG_SCRIPT,
        "kind:variant": MIN_VARIANT,
        "kind:misspelling": MIN_MISSPELLING,
    }
    minimums |= {f"kind:abbreviation:{lang}": 1 for lang in LANGS}
    minimums |= {f"concept:{concept}:{lang}": 1 for concept in CONCEPTS for lang in LANGS}
    for key, minimum in sorted(minimums.items()):
        if counts[key] < minimum:
            problems.append(f"quota {key}: {counts[key]} < {minimum}")
    return problems


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return load_records()


def test_concept_list_is_complete():
    assert len(CONCEPTS) == 58
    assert {"tokayev", "csto", "un_security_council", "eurasianet", "pashinyan", "japarov"} <= CONCEPTS


def test_every_line_is_a_json_object():
    lines = EVAL_PATH.read_text(encoding="utf-8").splitlines()
    assert lines, "evaluation set is empty"
    for number, line in enumerate(lines, 1):
        assert isinstance(json.loads(line), dict), f"line {number} is not a JSON object"


def test_records_are_intact(records):
    problems = {r.get("id", i): p for i, r in enumerate(records) if (p := record_problems(r))}
    assert problems == {}


def test_quotas_are_met(records):
    assert quota_problems(records) == []


def test_spans_slice_the_text_exactly(records):
    for record in records:
        for span in record["spans"]:
            assert record["text"][span["start"] : span["end"]] == span["surface"], record["id"]


def test_counts_are_consistent(records):
    counts = quota_counts(records)
    assert counts["sentences"] == len(records)
    assert sum(counts[f"sentences:{lang}"] for lang in LANGS) == len(records)
    assert sum(counts[f"kind:{kind}"] for kind in KINDS) == sum(len(r["spans"]) for r in records)


def _find(records: list[dict[str, Any]], predicate: Any) -> dict[str, Any]:
    return copy.deepcopy(next(r for r in records if predicate(r)))


def _with_span(lang: str, kind: str | None = None) -> Any:
    return lambda r: r["lang"] == lang and any(kind in (None, s["kind"]) for s in r["spans"])


def _shift(r: dict[str, Any]) -> None:
    r["spans"][0]["start"] += 1


def _bad_concept(r: dict[str, Any]) -> None:
    r["spans"][0]["concept"] = "tokaev"


def _bad_kind(r: dict[str, Any]) -> None:
    r["spans"][0]["kind"] = "fuzzy"


def _drop_negative_tag(r: dict[str, Any]) -> None:
    r["tags"].remove("negative")


def _inside_word(r: dict[str, Any]) -> None:
    r["text"] = "x" + r["text"]
    for span in r["spans"]:
        span["start"] += 1
        span["end"] += 1


def _wrong_id(r: dict[str, Any]) -> None:
    r["id"] = "ru-001"


def _lowercase_abbreviation(r: dict[str, Any]) -> None:
    r["text"] = "The disco closed."
    r["spans"] = [{"start": 6, "end": 9, "surface": "sco", "concept": "sco", "kind": "abbreviation"}]


def _include_french_article(r: dict[str, Any]) -> None:
    span = next(s for s in r["spans"] if _is_french_elision(r, s))
    span["start"] -= 2
    span["surface"] = r["text"][span["start"] : span["end"]]


def _decompose(r: dict[str, Any]) -> None:
    r["text"] = unicodedata.normalize("NFD", r["text"])


def _misplaced_wrong_script(r: dict[str, Any]) -> None:
    r["spans"][0]["kind"] = "wrong_script"


BREAKAGES = [
    pytest.param(_with_span("en"), _shift, "not", id="shifted-offset"),
    pytest.param(_with_span("ru"), _bad_concept, "unknown concept", id="unknown-concept"),
    pytest.param(_with_span("de"), _bad_kind, "unknown kind", id="unknown-kind"),
    pytest.param(lambda r: not r["spans"], _drop_negative_tag, "negative", id="negative-untagged"),
    pytest.param(
        lambda r: r["lang"] == "kk" and r["spans"] and r["spans"][0]["start"] == 0,
        _inside_word,
        "inside a word",
        id="span-inside-word",
    ),
    pytest.param(_with_span("en"), _wrong_id, "does not match lang", id="id-lang-mismatch"),
    pytest.param(_with_span("en"), _lowercase_abbreviation, "capital", id="lowercase-abbreviation"),
    pytest.param(
        lambda r: any(_is_french_elision(r, s) for s in r["spans"]),
        _include_french_article,
        "elided article",
        id="french-article-in-span",
    ),
    pytest.param(lambda r: "ï" in r["text"] and r["spans"], _decompose, "NFC", id="decomposed-text"),
    pytest.param(
        _with_span("de", "exact"), _misplaced_wrong_script, "own script", id="wrong-script-mislabel"
    ),
]


@pytest.mark.parametrize(("pick", "breakage", "fragment"), BREAKAGES)
def test_checker_catches_broken_record(records, pick, breakage, fragment):
    record = _find(records, pick)
    assert record_problems(record) == []
    breakage(record)
    problems = record_problems(record)
    assert any(fragment in p for p in problems), problems


def test_quota_checker_catches_shortfalls(records):
    without_negatives = [r for r in records if r["spans"]]
    assert any(p.startswith("quota negative") for p in quota_problems(without_negatives))
    without_kk = [r for r in records if r["lang"] != "kk"]
    assert any(p.startswith("quota sentences:kk") for p in quota_problems(without_kk))
    no_misspellings = copy.deepcopy(records)
    for record in no_misspellings:
        record["spans"] = [s for s in record["spans"] if s["kind"] != "misspelling"]
    assert any(p.startswith("quota kind:misspelling") for p in quota_problems(no_misspellings))
    no_french_rzhev = [r for r in records if not (r["lang"] == "fr" and "rzhev" in str(r["spans"]))]
    assert "quota concept:rzhev:fr: 0 < 1" in quota_problems(no_french_rzhev)


def test_quota_checker_catches_duplicates(records):
    doubled = [*records, copy.deepcopy(records[0])]
    problems = quota_problems(doubled)
    assert f"duplicate id {records[0]['id']}" in problems
    assert any(p.startswith("duplicate en text") for p in problems)
