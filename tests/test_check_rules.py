"""Each rule of ``glossary check``, table-driven: cases that must fire and cases that must not, in every
target language (ru, kk, de, fr) and on English sources."""

from __future__ import annotations

import pytest
from check_helpers import check_one
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary.checks.model import CheckConfig, CheckUnit, check_units
from glossary.checks.registry import all_rules

pytest_plugins = ["check_fixtures"]

# (language, source, target, expected (rule, surface) pairs on the target)
MUST_FIRE = [
    # term-variant: another language's spelling, out-of-use forms, Kazakh letters in Russian
    ("de", "Tokayev spoke.", "Tokayev sprach.", {("term-variant", "Tokayev")}),
    ("de", "Tokayev spoke.", "Tokaev sprach.", {("term-variant", "Tokaev")}),
    ("fr", "Putin spoke.", "Putin a parlé.", {("term-variant", "Putin")}),
    ("kk", "Tokayev spoke.", "Токаев сөйледі.", {("term-variant", "Токаев")}),
    ("ru", "Tokayev spoke.", "Тоқаев выступил.", {("term-variant", "Тоқаев")}),
    (
        "ru",
        "The capital moved from Almaty in 1997.",
        "В 1997 году столицу перенесли из Алма-Аты.",
        {("term-variant", "Алма-Аты")},
    ),
    ("fr", "Kyrgyzstan sent troops.", "La Kirghizie a envoyé des troupes.", {("term-variant", "Kirghizie")}),
    ("ru", "TASS reported it.", "Об этом сообщило ИТАР-ТАСС.", {("term-variant", "ИТАР-ТАСС")}),
    # term-forbidden: a form forbidden in the text's own language
    ("de", "The CSTO met.", "Die ODKB tagte.", {("term-script", "ODKB")}),
    # term-misspelled: near misses and lost diacritics
    ("ru", "Nazarbayev spoke.", "Назарбев выступил.", {("term-misspelled", "Назарбев")}),
    ("kk", "Nazarbayev spoke.", "Назарбайев сөйледі.", {("term-misspelled", "Назарбайев")}),
    ("de", "Tokayev spoke.", "Tokajev sprach.", {("term-misspelled", "Tokajev")}),
    ("fr", "Tokayev spoke.", "Tokaiev a parlé.", {("term-misspelled", "Tokaiev")}),
    ("de", "Nazarbyev spoke.", "Nazarbyev sprach.", {("term-misspelled", "Nazarbyev")}),
    # term-script: wrong script, look-alike letters, transliterated abbreviations
    ("de", "Tokayev spoke.", "Токаев sprach.", {("term-script", "Токаев")}),
    ("ru", "Tokayev spoke.", "Tokayev выступил.", {("term-script", "Tokayev")}),
    ("ru", "The CSTO met.", "OДКБ провела заседание.", {("term-script", "OДКБ")}),
    ("kk", "Moscow agreed.", "Мəскеу келісті.", {("term-script", "Мəскеу")}),
    ("kk", "Kazakhstan agreed.", "Қaзақстан келісті.", {("term-script", "Қaзақстан")}),
    ("de", "The CSTO met.", "Die ОVKS tagte.", {("term-script", "ОVKS")}),
    ("fr", "The CSTO met.", "L'ODKB s'est réunie.", {("term-script", "ODKB")}),
    # term-missing: a name of the source that the translation drops
    (
        "ru",
        "Kyrgyzstan and Armenia sent troops.",
        "Армения направила войска.",
        {("term-missing", "Kyrgyzstan")},
    ),
    ("kk", "Kyrgyzstan and Armenia sent troops.", "Армения әскер жіберді.", {("term-missing", "Kyrgyzstan")}),
    ("de", "Talks were held in Geneva.", "Die Gespräche fanden statt.", {("term-missing", "Geneva")}),
    ("fr", "Tokayev thanked the CSTO.", "Tokaïev a remercié tout le monde.", {("term-missing", "CSTO")}),
    # number-mismatch: a number of the source that the translation lacks, read in each locale
    ("ru", "More than 1,300 were injured.", "Пострадали более 1200 человек.", {("number-mismatch", "1200")}),
    ("kk", "About 2,030 soldiers.", "2 300-ге жуық әскер.", {("number-mismatch", "2 300")}),
    (
        "de",
        "More than 1,300 were injured.",
        "Mehr als 1.200 wurden verletzt.",
        {("number-mismatch", "1.200")},
    ),
    ("fr", "It began in 2021.", "Cela a commencé en 2020.", {("number-mismatch", "2020")}),
]

MUST_NOT_FIRE = [
    # case endings of every kind are the same name
    ("ru", "Putin spoke with Tokayev.", "Путин поговорил с Токаевым.", set()),
    ("ru", "Nazarbayev's nephew.", "Племянник Назарбаева.", set()),
    ("ru", "Karim Massimov was charged.", "Кариму Масимову предъявлено обвинение.", set()),
    ("kk", "Putin spoke with Tokayev in Moscow.", "Путин Мәскеуде Тоқаевпен сөйлесті.", set()),
    ("kk", "Nazarbayev's nephew.", "Назарбаевтың жиені.", set()),
    (
        "kk",
        "The UN Security Council did not discuss Kazakhstan.",
        "БҰҰ Қауіпсіздік Кеңесі Қазақстандағы жағдайды талқыламады.",
        set(),
    ),
    ("de", "Kazakhstan's capital.", "Die Hauptstadt Kasachstans.", set()),
    ("de", "Nazarbayev's nephew.", "Nasarbajews Neffe.", set()),
    ("fr", "Tokayev thanked the CSTO.", "Tokaïev a remercié l'OTSC.", set()),
    # admitted forms, history, names rendered by adjectives, numbers in words and locales
    ("ru", "Belarus agreed.", "Белоруссия согласилась.", set()),
    ("de", "Belarus agreed.", "Weißrussland stimmte zu.", set()),
    ("de", "In 1986 students protested in Alma-Ata.", "1986 protestierten Studenten in Alma-Ata.", set()),
    ("ru", "His mother worked at the Almaty Institute.", "Его мать работала в Алматинском институте.", set()),
    ("de", "Released from prisons in Afghanistan.", "Aus afghanischen Gefängnissen entlassen.", set()),
    ("fr", "The Kazakh parliament met.", "Le Parlement kazakh s'est réuni.", set()),
    ("de", "The USA Secretary of State.", "Der amerikanische Außenminister.", set()),
    ("ru", "Some 20,000 bandits.", "Около 20 тысяч бандитов.", set()),
    ("kk", "Nearly 10,000 were detained.", "10 мыңға жуық адам ұсталды.", set()),
    ("fr", "More than 1,300 were injured.", "Plus de 1 300 blessés.", set()),
    ("de", "On 2022-01-11.", "Am 11.01.2022.", set()),
    ("ru", "In two days.", "Через 2 дня.", set()),
    # ordinary words near names, unknown capitalised words
    ("de", "Many Kazakhs speak Russian.", "Viele Kasachen sprechen Russisch.", set()),
    ("ru", "Moscow and Minsk signed it.", "Москва и Минск подписали его.", set()),
    ("fr", "Sochi hosted them.", "Sotchi les a accueillis.", set()),
]


def _ids(cases: list[tuple[str, str, str, set[tuple[str, str]]]]) -> list[str]:
    return [f"{lang}:{target[:30]}" for lang, _, target, _ in cases]


@pytest.mark.parametrize(("lang", "source", "target", "expected"), MUST_FIRE, ids=_ids(MUST_FIRE))
def test_rule_fires(seed_index, lang, source, target, expected):
    found = {(f.rule, f.surface) for f in check_one(seed_index, source, target, lang)}
    assert found == expected


@pytest.mark.parametrize(("lang", "source", "target", "expected"), MUST_NOT_FIRE, ids=_ids(MUST_NOT_FIRE))
def test_rule_stays_quiet(seed_index, lang, source, target, expected):
    assert [(f.rule, f.surface, f.message) for f in check_one(seed_index, source, target, lang)] == []


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("Президент встретился с Тоқаевым.", "Токаевым"),  # Kazakh letters, instrumental kept
        ("В 1997 году из Алма-Аты.", "Алматы"),  # an indeclinable preferred form
        ("Nazarbayevs Rede.", "Nasarbajews"),  # German genitive -s
    ],
)
def test_replacement_keeps_the_case_ending(seed_index, target, expected):
    lang = "de" if target.startswith("Nazarbayevs") else "ru"
    (finding,) = check_one(seed_index, "x", target, lang)
    assert finding.rule == "term-variant"
    assert finding.expected == expected
    assert finding.fix is not None and finding.fix.replacement == expected
    assert target[finding.fix.start : finding.fix.end] == finding.surface


def test_kazakh_ending_follows_the_preferred_stem(seed_index):
    (finding,) = check_one(seed_index, "Tokayev's speech.", "Токаевтың сөзі.", "kk")
    assert (finding.rule, finding.expected) == ("term-variant", "Тоқаевтың")


def test_source_rules_run_on_english(seed_index):
    found = check_one(
        seed_index, "Nazarbyev chose him; Caucuses; the ODKB; Alma-Ata.", None, None, sources=True
    )
    assert {(f.rule, f.surface, f.side) for f in found} == {
        ("term-forbidden", "Nazarbyev", "source"),
        ("term-forbidden", "Caucuses", "source"),
        ("term-script", "ODKB", "source"),
        ("term-variant", "Alma-Ata", "source"),
    }


@pytest.mark.parametrize("lang", ["ru", "kk", "de", "fr"])
def test_a_suppression_with_a_reason_silences_a_quotation(seed_index, lang):
    quoted = {
        "ru": "В статье написано «Nazarbyev».",
        "kk": "Мақалада «Nazarbyev» деп жазылған.",
        "de": "Im Artikel steht „Nazarbyev“.",
        "fr": "L'article écrit « Nazarbyev ».",
    }[lang]
    rule = "term-script" if lang in ("ru", "kk") else "term-misspelled"
    source = "The article writes “Nazarbyev”."
    assert {f.rule for f in check_one(seed_index, source, quoted, lang)} == {rule}
    comment = f"glossary: ignore[{rule}] -- quoting the article's misspelling"
    assert check_one(seed_index, source, quoted, lang, comments=(comment,)) == []


def test_a_suppression_without_a_reason_silences_nothing(seed_index):
    found = check_one(
        seed_index, "Tokayev spoke.", "Tokayev sprach.", "de", comments=("glossary: ignore[term-variant]",)
    )
    assert sorted(f.rule for f in found) == ["bad-suppression", "term-variant"]


def _unit(key: str, source: str, target: str, lang: str) -> CheckUnit:
    return CheckUnit(key, source, "en", target, lang, path=f"{lang}.po", line=1)


def test_inconsistent_translation_and_source(seed_index):
    units = [
        _unit("a", "Tokayev dismissed the government.", "Токаев отправил правительство в отставку.", "ru"),
        _unit("b", "Tokayev dismissed the government.", "Токаев распустил правительство.", "ru"),
        _unit("c", "Tokayev thanked the CSTO.", "Токаев поблагодарил ОДКБ.", "ru"),
        _unit("d", "Tokayev thanked Putin.", "Токаев поблагодарил ОДКБ.", "ru"),
    ]
    found = {(f.rule, f.key) for f in check_units(units, seed_index, config=CheckConfig(check_sources=False))}
    assert ("inconsistent-translation", "b") in found
    assert ("inconsistent-source", "d") in found
    assert ("inconsistent-translation", "a") not in found and ("inconsistent-source", "c") not in found


def test_cross_language_needs_two_wrong_languages(seed_index):
    source = "Douglas McGregor criticised the decision."
    units = [
        _unit("e", source, "Дуглас Макгрегор раскритиковал это решение.", "ru"),
        _unit("e", source, "Douglas McGregor kritisierte die Entscheidung.", "de"),
        _unit("e", source, "Douglas McGregor a critiqué cette décision.", "fr"),
    ]
    config = CheckConfig(check_sources=False)
    found = [
        (f.rule, f.path) for f in check_units(units, seed_index, config=config) if f.rule == "cross-language"
    ]
    assert sorted(found) == [("cross-language", "de.po"), ("cross-language", "fr.po")]
    alone = [f.rule for f in check_units(units[:2], seed_index, config=config)]
    assert "cross-language" not in alone


def test_config_disables_selects_and_changes_severity(seed_index):
    unit = _unit("k", "Tokayev spoke on 1,300 days.", "Tokayev sprach an 1.200 Tagen.", "de")
    everything = {f.rule for f in check_units([unit], seed_index)}
    assert {"term-variant", "number-mismatch"} <= everything
    quiet = {
        f.rule
        for f in check_units([unit], seed_index, config=CheckConfig(disabled=frozenset({"term-variant"})))
    }
    assert "term-variant" not in quiet and "number-mismatch" in quiet
    only = {
        f.rule
        for f in check_units([unit], seed_index, config=CheckConfig(enabled=frozenset({"number-mismatch"})))
    }
    assert only == {"number-mismatch"}
    loud = check_units([unit], seed_index, config=CheckConfig(severities={"number-mismatch": "error"}))
    assert {f.severity for f in loud if f.rule == "number-mismatch"} == {"error"}


def test_every_rule_has_a_title_help_and_severity():
    rules = all_rules()
    assert {
        "term-forbidden",
        "term-variant",
        "term-misspelled",
        "term-missing",
        "term-script",
        "inconsistent-translation",
        "inconsistent-source",
        "cross-language",
        "number-mismatch",
    } <= set(rules)
    for rule in rules.values():
        assert rule.title and rule.help and rule.severity in ("error", "warning", "info")


def test_one_unit_on_every_keystroke_is_cheap(seed_index):
    # The TUI checks the unit being edited: one call gives its findings, with positions.
    unit = CheckUnit("k", "Tokayev met Putin.", "en", "Tokayev traf Putin.", "de", path="de.po", line=7)
    (finding,) = check_units([unit], seed_index)
    assert (finding.line, finding.column, finding.end_column) == (7, 1, 8)


_NUMBER_TEXT = st.text(alphabet="0123456789 \u00a0\u202f.,'’aZтЖ_-١٢", max_size=30)


@settings(max_examples=500, deadline=None)
@given(_NUMBER_TEXT)
def test_the_fast_number_scan_finds_what_the_pattern_finds(text):
    from glossary.checks.rules.numbers import _TOKEN, _tokens

    assert [m.span() for m in _tokens(text)] == [m.span() for m in _TOKEN.finditer(text)]
