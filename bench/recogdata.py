"""Synthetic term bases and news-like segments for the recognition benchmarks (deterministic per seed).

The people are made of Kazakh syllables and get the forms a real entry has: Kazakh, Russian,
English, German and French spellings, short forms and three generated romanizations. The
segments are the sentences of the bundled article in each language (real text, full of names
the synthetic term base does not know), each followed by an attribution clause that names
people: one from the term base, and always at least one unknown person whose name appears
nowhere else in the run, so no memo can have seen it.
"""

from __future__ import annotations

import random
import tomllib

from glossary.formats.seed import bundled_path
from glossary.model.records import ConceptRecord, TermRecord
from glossary.text.fold import fold
from glossary.text.segment import split_sentences

LANGS = ("en", "ru", "kk", "de", "fr")


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
# Unknown people come from other sounds (Western, Caucasian, Chinese-like), as in real news.
_OTHER_SYLLABLES = _words(
    "vel tor mig ran dus kel pan sor lin gar bri ston wen hol fer mon tes cal dro vik har len "
    "pet ros ber gun mar til hen rik chao wei zhang liu geor gi dze shvi li ani pol son mun "
    "ald rich ham mer wald stein feld burg mann ell ott ini ucci ez ov ski"
)
_OTHER_ENDINGS = ("son", "ski", "ner", "ard", "elli", "dze", "yan", "shvili", "ez", "ton", "mann", "wei")
_OTHER_FIRST = _words(
    "Anna Peter Giorgi Li Maria Jean Thomas Ashot Elena Miguel Karl Sofia Wang Tamar Pierre Olga "
    "David Chen Ingrid Levan Marco Hans Irina Paolo Nino Klaus Zhang Lucia Otar Henrik"
)
_LATIN = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "gh", "д": "d", "е": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n", "ң": "ng",
    "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u",
    "ф": "f", "х": "kh", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ы": "y", "і": "i",
    "ь": "", "ъ": "", "э": "e", "ю": "yu", "я": "ya", "ё": "yo",
}
_CYRILLIC = {
    "sh": "ш", "ch": "ч", "zh": "ж", "kh": "х", "ts": "ц", "a": "а", "b": "б", "c": "к", "d": "д",
    "e": "е", "f": "ф", "g": "г", "h": "х", "i": "и", "j": "дж", "k": "к", "l": "л", "m": "м",
    "n": "н", "o": "о", "p": "п", "q": "к", "r": "р", "s": "с", "t": "т", "u": "у", "v": "в",
    "w": "в", "x": "кс", "y": "й", "z": "з",
}
_ISO9 = str.maketrans(dict(zip("жшчхцйюящыЖШЧХЦ", "žščhcjûâŝyŽŠČHC", strict=True)))
_RUSSIAN = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")

# Attribution clauses: {k} is a person of the term base, {u} and {v} are unknown people.
_CLAUSES = {
    "en": (
        "{u} told reporters on Tuesday that {k} would attend.",
        "According to {u}, the talks with {k} ended without a statement.",
        "{u} and {v}, aides to {k}, declined to comment.",
        "The report was confirmed by {u}, a spokesman for {k}.",
        "{k} met {u} and {v} in the capital.",
        "{u}, who advised {k} until last year, was detained.",
    ),
    "ru": (
        "Об этом журналистам сообщил {u}; {k} подтвердил.",
        "Как заявил {u}, {k} примет участие в переговорах.",
        "{u} и {v} из окружения {k} отказались от комментариев.",
        "Это подтвердил {u}; {k} пока не ответил.",
        "{k}, {u} и {v} встретились в столице.",
        "Задержан {u}, до прошлого года советник; его покровителем считался {k}.",
    ),
    "kk": (
        "Бұл туралы журналистерге {u} хабарлады, {k} растады.",
        "{u} {k} келіссөзге қатысатынын айтты.",
        "{k} көмекшілері {u} және {v} пікір білдіруден бас тартты.",
        "Мұны {u} растады, ал {k} әлі жауап берген жоқ.",
        "Елордада {k}, {u} және {v} кездесті.",
        "Былтырға дейін кеңесші болған {u} ұсталды, оны {k} қорғап келген.",
    ),
    "de": (
        "Das sagte {u} am Dienstag vor Journalisten; {k} bestätigte es.",
        "Nach Angaben von {u} endeten die Gespräche mit {k} ohne Erklärung.",
        "{u} und {v}, Berater von {k}, lehnten eine Stellungnahme ab.",
        "Bestätigt wurde der Bericht von {u}, einem Sprecher von {k}.",
        "{k} traf {u} und {v} in der Hauptstadt.",
        "Festgenommen wurde {u}, der {k} bis zum vergangenen Jahr beriet.",
    ),
    "fr": (
        "{u} l'a confirmé mardi aux journalistes, tout comme {k}.",
        "Selon {u}, les discussions avec {k} se sont achevées sans déclaration.",
        "{u} et {v}, conseillers de {k}, n'ont pas souhaité commenter.",
        "L'information a été confirmée par {u}, porte-parole de {k}.",
        "{k} a rencontré {u} et {v} dans la capitale.",
        "{u}, conseiller de {k} jusqu'à l'an dernier, a été arrêté.",
    ),
}


def _latin(text: str) -> str:
    out = "".join(_LATIN.get(ch.lower(), ch) if ch.islower() else _LATIN.get(ch.lower(), ch).title()
                  for ch in text)
    return out.replace("aev", "ayev")


def _cyrillic(word: str) -> str:
    out, i, lower = [], 0, word.lower()
    while i < len(lower):
        pair = lower[i : i + 2]
        if pair in _CYRILLIC:
            out.append(_CYRILLIC[pair])
            i += 2
        else:
            out.append(_CYRILLIC.get(lower[i], lower[i]))
            i += 1
    return "".join(out).capitalize()


def synthesize(count: int, rng: random.Random) -> list[ConceptRecord]:
    """``count`` people, each with 11 native, Russian and Latin forms (Russian case forms come from
    the recognizer)."""
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


def article_sentences(lang: str) -> list[str]:
    """The sentences of the bundled article (English) or of its bundled translation."""
    if lang == "en":
        text = bundled_path("article.txt").read_text(encoding="utf-8")
        return [s for line in text.splitlines() for s in split_sentences(line) if len(s) > 20]
    data = tomllib.loads(bundled_path(f"translations/{lang}.toml").read_text(encoding="utf-8"))
    return [unit["target"] for unit in data["unit"] if len(unit["target"]) > 20]


class UnknownPeople:
    """Names the term base does not hold, in Latin or Cyrillic letters, each given out once."""

    def __init__(self, known: list[ConceptRecord], rng: random.Random) -> None:
        self._known = {fold(t.text) for c in known for t in c.terms}
        self._known |= {fold(w) for c in known for t in c.terms for w in t.text.split()}
        self._rng = rng
        self.given: set[str] = set()

    def name(self, cyrillic: bool) -> str:
        while True:
            rng = self._rng
            root = "".join(rng.choice(_OTHER_SYLLABLES) for _ in range(rng.choice((1, 2, 2, 3))))
            surname = (root + rng.choice(_OTHER_ENDINGS)).capitalize()
            name = f"{rng.choice(_OTHER_FIRST)} {surname}" if rng.random() < 0.5 else surname
            if cyrillic:
                name = " ".join(_cyrillic(part) for part in name.split())
            if name in self.given or fold(surname if not cyrillic else name.split()[-1]) in self._known:
                continue
            self.given.add(name)
            return name


def segments(
    concepts: list[ConceptRecord], count: int, lang: str, rng: random.Random, unknown: UnknownPeople
) -> list[tuple[str, str, tuple[str, ...]]]:
    """``count`` segments in ``lang`` as (text, the term-base form it names, the unknown names in
    it): an attribution clause naming a person of the term base and one or two people never named
    before, after or before an article sentence half of the time."""
    sentences = article_sentences(lang)
    clauses = _CLAUSES[lang]
    cyrillic = lang in ("ru", "kk")
    result = []
    for _ in range(count):
        person = rng.choice(concepts)
        full = {t.lang: t.text for t in reversed(person.terms) if t.type == "full_form"}
        short = {t.lang: t.text for t in reversed(person.terms) if t.type == "short_form"}
        known = short[lang] if lang in short and rng.random() < 0.3 else full[lang]
        clause = rng.choice(clauses)
        names = (unknown.name(cyrillic), unknown.name(cyrillic) if "{v}" in clause else "")
        clause = clause.format(k=known, u=names[0], v=names[1])
        roll = rng.random()
        if roll < 0.25:
            text = f"{rng.choice(sentences)} {clause}"
        elif roll < 0.5:
            text = f"{clause} {rng.choice(sentences)}"
        else:
            text = clause
        result.append((text, known, tuple(name for name in names if name)))
    return result
