"""Term recognition throughput with about 100,000 forms loaded, against baselines in the same run.

Run: ``python bench/bench_recognize.py [--concepts 10000] [--segments 20000]``. Prints a table;
the target is at least 50,000 segments per second.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

from glossary.model.records import ConceptRecord, TermRecord
from glossary.recognize.spans import compile_index, recognize
from glossary.text.fold import fold


def _words(text: str) -> list[str]:
    return text.split()


_FIRST = _words(
    "Нұрсұлтан Қасым-Жомарт Серік Ерлан Дәулет Мақсат Асқар Ержан Талғат Айдар Байжан Кәрім Болат "
    "Дархан Қайрат Әлихан Рахым Омар Зейнолла Ыбырай Тұрсын Ілияс Бауыржан Ғабит Марат Нұрлан"
)
_SYLLABLES = _words(
    "на зар тоқ бек сер аб ды мұ хам сұл тан ер лан қа сым жо март нұр дәу лет ғаби мақ сат ас қар "
    "бау ыр жан тал ғат ай дар ақ бай құ дай әбіл өте міс ораз ис ма кә рім мә сім тіле у сағ ын "
    "шай мер есім бо лат дар хан қай рат мыр за тө ле жақ ып әли рах сей іт омар зей нол ла"
)
_ENDINGS = ("аев", "ов", "ин", "беков", "баев", "жанов", "ұлы", "ев", "енов", "алиев")
_LATIN = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "gh", "д": "d", "е": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n", "ң": "ng",
    "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u",
    "ф": "f", "х": "kh", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ы": "y", "і": "i",
    "ь": "", "ъ": "", "э": "e", "ю": "yu", "я": "ya", "ё": "yo",
}
_ISO9 = str.maketrans(dict(zip("жшчхцйюящыЖШЧХЦ", "žščhcjûâŝyŽŠČHC", strict=True)))
_RUSSIAN = str.maketrans("әғқңөұүһі", "агкноуухи")
_TEMPLATES = {
    "en": (
        "President {a} met {b} in {p} on Tuesday to discuss security cooperation and trade.",
        "According to officials in {p}, {a} has been charged with treason after the unrest.",
        "The talks between {a} and the delegation from {p} ended without a joint statement.",
        "{a} said the government would restore order in {p} and other regional centres.",
        "Protesters gathered outside the akimat in {p} demanding lower fuel prices.",
        "The former prime minister was replaced by {b}, a close ally of the president.",
    ),
    "ru": (
        "Президент {a} встретился с {b} в городе {p}, чтобы обсудить вопросы безопасности.",
        "По данным властей, {a} обвиняется в государственной измене после беспорядков.",
        "Переговоры в {p} завершились без совместного заявления, сообщил {b}.",
        "Протестующие собрались у здания акимата, требуя снизить цены на топливо.",
    ),
}


def _latin(text: str) -> str:
    out = "".join(_LATIN.get(ch.lower(), ch) if ch.islower() else _LATIN.get(ch.lower(), ch).title()
                  for ch in text)
    return out.replace("aev", "ayev")


def synthesize(count: int, rng: random.Random) -> list[ConceptRecord]:
    """``count`` people, each with 11 native, Russian and Latin forms (and Russian case forms)."""
    concepts = []
    seen: set[str] = set()
    while len(concepts) < count:
        root = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((1, 2, 2, 3))))
        surname = root.capitalize() + rng.choice(_ENDINGS)
        kk = f"{rng.choice(_FIRST)} {surname}"
        if kk in seen or len(root) < 3:
            continue
        seen.add(kk)
        ru = kk.translate(_RUSSIAN)
        en = _latin(ru)
        de = en.replace("y", "j").replace("zh", "sch").replace("v", "w")
        fr = en.replace("u", "ou").replace("zh", "j").replace("ye", "ïe")
        terms = [
            TermRecord("kk", kk),
            TermRecord("ru", ru),
            TermRecord("ru", ru.split()[1], type="short_form"),
            TermRecord("en", en),
            TermRecord("en", en.split()[1], type="short_form"),
            TermRecord("de", de),
            TermRecord("de", de.split()[1], type="short_form"),
            TermRecord("fr", fr),
            TermRecord("kk-Latn", _latin(kk), scheme="bgn_pcgn", origin="generated", status="deprecated"),
            TermRecord("ru-Latn", en.replace("y", "i"), scheme="icao_9303", origin="generated",
                       status="deprecated"),
            TermRecord("ru-Latn", _latin(ru.translate(_ISO9)).replace("ayev", "aev"), scheme="iso9",
                       origin="generated", status="deprecated"),
        ]
        concepts.append(ConceptRecord(id=f"c{len(concepts)}", kind="person", terms=terms))
    return concepts


def segments(concepts: list[ConceptRecord], count: int, lang: str, rng: random.Random) -> list[str]:
    """News-like sentences, most with one or two names of the term base in them."""
    result = []
    for _ in range(count):
        a, b, p = rng.choice(concepts), rng.choice(concepts), rng.choice(concepts)
        pick = {t.lang: t.text for t in reversed(a.terms)}
        other = {t.lang: t.text for t in reversed(b.terms)}
        place = {t.lang: t.text for t in p.terms}
        key = "en" if lang == "en" else "ru"
        template = rng.choice(_TEMPLATES[key])
        result.append(template.format(a=pick[key], b=other[key], p=place[key].split()[0]))
    return result


def _rate(
    fn: Callable[[str], object], texts: list[str], reset: Callable[[], None], repeat: int = 3
) -> float:
    """Segments per second, best of ``repeat`` runs (as timeit does: the others measured noise),
    each run starting with ``reset`` so no run profits from answers remembered by the one before."""
    best = float("inf")
    for _ in range(repeat):
        reset()
        start = time.perf_counter()
        for text in texts:
            fn(text)
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concepts", type=int, default=13_000)
    parser.add_argument("--segments", type=int, default=20_000)
    parser.add_argument("--naive-sample", type=int, default=100)
    args = parser.parse_args()
    rng = random.Random(7)
    concepts = synthesize(args.concepts, rng)
    started = time.perf_counter()
    index = compile_index(concepts)
    compile_seconds = time.perf_counter() - started
    started = time.perf_counter()
    index.near_index()
    near_seconds = time.perf_counter() - started
    forms = sorted({fold(t.text) for c in concepts for t in c.terms})
    automaton = index.automaton

    def bare(text: str) -> object:
        return list(automaton.iter(fold(text)))

    def naive(text: str) -> object:
        folded = fold(text)
        return [form for form in forms if folded.find(form) >= 0]

    print(f"{args.concepts} concepts, {len(forms)} distinct forms, {index.size} searchable keys "
          "(with Russian case forms); "
          f"compile {compile_seconds:.1f} s, misspelling index {near_seconds:.1f} s")
    print(f"{'lang':<5} {'method':<38} {'segments/s':>12}")
    for lang in ("en", "ru"):
        texts = segments(concepts, args.segments, lang, rng)
        recognize(texts[0], lang, index)
        hits = sum(len(recognize(text, lang, index)) for text in texts[:1000])
        rows = (
            ("recognize (full)", lambda text, lang=lang: recognize(text, lang, index), texts),
            ("Aho-Corasick only, no post-processing", bare, texts),
            ("naive str.find per form (sample)", naive, texts[: args.naive_sample]),
        )
        for name, fn, sample in rows:
            print(f"{lang:<5} {name:<38} {_rate(fn, sample, index.forget_memos):>12,.0f}")
        print(f"{lang:<5} {'(spans per segment)':<38} {hits / 1000:>12.2f}")


if __name__ == "__main__":
    main()
