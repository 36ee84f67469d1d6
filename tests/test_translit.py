"""Tests for glossary.translit: every scheme's samples, casing, coverage and iuliia agreement."""

from __future__ import annotations

import dataclasses
import json
import re
import tomllib
import unicodedata
from pathlib import Path

import iuliia
import pytest

from glossary.model.errors import ParseError, UsageError
from glossary.translit import (
    has_cyrillic,
    list_schemes,
    romanize,
    romanize_all,
    source_langs,
)
from glossary.translit.registry import SCHEME_DIR, load_schemes

REPO = Path(__file__).resolve().parent.parent
TERMBASE = REPO / "glossary" / "data" / "termbase.toml"

REQUIRED = {
    "ru": {
        "bgn_pcgn",
        "iso9",
        "gost_7_79_b",
        "ala_lc",
        "icao_9303",
        "scientific",
        "wikipedia",
        "en_press",
        "de_press",
        "fr_press",
    },
    "kk": {"bgn_pcgn", "kz_latin_2021", "ala_lc", "de_press", "fr_press", "en_press"},
    "be": {"bgn_pcgn"},
    "tg": {"bgn_pcgn"},
    "hy": {"bgn_pcgn", "iso_9985"},
    "ky": {"bgn_pcgn", "iso9"},
}
KAZAKH_ALPHABET = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
KAZAKH_STANDARD_SCHEMES = ("bgn_pcgn", "kz_latin_2021", "ala_lc")
# The 38 letters of reformed Armenian spelling (ու and և included) and the 36 of Kyrgyz Cyrillic.
ARMENIAN_LETTERS = [*"աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրց", "ու", *"փքևօֆ"]
KYRGYZ_ALPHABET = "абвгдеёжзийклмнңоөпрстуүфхцчшщъыьэюя"
_ARMENIAN = re.compile("[\u0531-\u058f\ufb13-\ufb17]")

# Names from the source article, in the Cyrillic spellings a Russian text would use.
NAMES_RU = [
    "Токаев",
    "Касым-Жомарт Токаев",
    "Назарбаев",
    "Нурсултан",
    "Масимов",
    "Карим Масимов",
    "Путин",
    "Владимир Путин",
    "Лукашенко",
    "Александр Лукашенко",
    "Рахмон",
    "Эмомали Рахмон",
    "Зась",
    "Станислав Зась",
    "Сердюков",
    "Андрей Сердюков",
    "Блинкен",
    "Асад",
    "Алматы",
    "Алма-Ата",
    "Ржев",
    "Москва",
    "ОДКБ",
    "КНБ",
    "Мажилис",
    "Хорасан",
    "Жанаозен",
    "ЖАНАОЗЕН",
    "Соловьёв",
    "Мирзиёев",
    "Пашинян",
    "Жапаров",
    "Садыр Жапаров",
    "Казахстан",
    "Киргизия",
    "Таджикистан",
    "Армения",
    "Белоруссия",
    "Афганистан",
    "Кремль",
    "Талибан",
    "ИГИЛ",
    "Аль-Каида",
    "Хизб ут-Тахрир",
    "Меркурис",
    "Эскобар",
    "Тяньаньмэнь",
    "Женева",
    "Нур-Султан",
    "Ельцин",
    "Подъезд",
    "Щучинск",
    "Юрий",
]
NAMES_KK = [
    "Тоқаев",
    "Қасым-Жомарт Тоқаев",
    "Нұрсұлтан Назарбаев",
    "Кәрім Мәсімов",
    "Жаңаөзен",
    "ЖАҢАӨЗЕН",
    "Маңғыстау",
    "Қанды қаңтар",
    "Ақорда",
    "Мәжіліс",
    "ҰҚК",
    "Ұлттық қауіпсіздік комитеті",
    "Қазақстан",
    "Алматы",
    "Шымкент",
    "Өскемен",
    "Үкімет",
    "Шаһар",
    "Ангрен",
    "Исһақ",
    "Әзһар",
    "Тәжікстан",
    "Қырғызстан",
    "Ресей",
    "Путин",
    "Лукашенко",
    "Түркістан",
    "Ауғанстан",
]
NAMES_BE = ["Лукашэнка", "Аляксандр Лукашэнка", "Беларусь", "Мінск", "Зась", "Уладзімір Макей", "Гомель"]
NAMES_TG = ["Эмомалӣ Раҳмон", "Тоҷикистон", "Душанбе", "Хуҷанд", "Кӯлоб", "Ҳизби наҳзати исломӣ"]
NAMES_KY = [
    "Садыр Жапаров",
    "Жапаров",
    "Кыргызстан",
    "Кыргыз Республикасы",
    "Бишкек",
    "Ош",
    "Жогорку Кеңеш",
    "Улуттук коопсуздук мамлекеттик комитети",
    "Камчыбек Ташиев",
    "Өзбекстан",
    "Түркия",
    "Ысык-Көл",
    "Щучье",
    "Съезд",
    "Эркин",
    "Ёлка",
]
NAMES_HY = [
    "Նիկոլ Փաշինյան",
    "Հայաստան",
    "Հայաստանի Հանրապետություն",
    "Երևան",
    "ԵՐԵՎԱՆ",
    "Երեւան",
    "Հավաքական անվտանգության պայմանագրի կազմակերպություն",
    "ՀԱՊԿ",
    "Ռուսաստան",
    "Ղազախստան",
    "Ղրղզստան",
    "Տաջիկստան",
    "Բելառուս",
    "Վլադիմիր Պուտին",
    "Ալիև",
    "Ուրարտու",
    "Ով",
    "Ովքեր",
    "և",
]
FIXED_NAMES = {
    "ru": NAMES_RU,
    "kk": NAMES_KK + NAMES_RU,
    "be": NAMES_BE,
    "tg": NAMES_TG,
    "ky": NAMES_KY + NAMES_RU,
}

ALL_SAMPLES = [
    pytest.param(s.lang, s.name, source, expected, id=f"{s.lang}/{s.name}/{source}")
    for s in list_schemes()
    for source, expected in s.samples
]


def _data_file(lang: str, name: str) -> dict:
    return json.loads((SCHEME_DIR / f"{lang}_{name}.json").read_text(encoding="utf-8"))


def _turkic_upper(text: str) -> str:
    return text.replace("i", "İ").upper()


def _turkic_lower(text: str) -> str:
    return text.replace("I", "ı").replace("İ", "i").lower()


def _termbase_names() -> dict[str, list[str]]:
    """Cyrillic ``text`` values of ru/kk terms in the seed term base, if it exists yet."""
    found: dict[str, list[str]] = {"ru": [], "kk": []}
    if not TERMBASE.exists():
        return found

    def walk(node: object) -> None:
        if isinstance(node, dict):
            text, lang = node.get("text"), node.get("lang")
            if isinstance(text, str) and lang in found and has_cyrillic(text):
                found[lang].append(text)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(tomllib.loads(TERMBASE.read_text(encoding="utf-8")))
    return found


# --- samples --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "scheme", "source", "expected"), ALL_SAMPLES)
def test_sample(lang: str, scheme: str, source: str, expected: str) -> None:
    assert romanize(source, lang, scheme) == expected


@pytest.mark.parametrize(("lang", "scheme", "source", "expected"), ALL_SAMPLES)
def test_sample_in_all_caps_and_lower_case(lang: str, scheme: str, source: str, expected: str) -> None:
    turkic = _data_file(lang, scheme).get("casing") == "turkic"
    upper, lower = (_turkic_upper, _turkic_lower) if turkic else (str.upper, str.lower)
    assert romanize(source.upper(), lang, scheme) == unicodedata.normalize("NFC", upper(expected))
    assert romanize(source.lower(), lang, scheme) == unicodedata.normalize("NFC", lower(expected))


def test_every_required_scheme_exists() -> None:
    found: dict[str, set[str]] = {}
    for scheme in list_schemes():
        found.setdefault(scheme.lang, set()).add(scheme.name)
    for lang, names in REQUIRED.items():
        assert names <= found[lang], lang


@pytest.mark.parametrize("scheme", list_schemes(), ids=lambda s: f"{s.lang}/{s.name}")
def test_scheme_file_names_its_authority_and_has_ten_samples(scheme) -> None:
    data = _data_file(scheme.lang, scheme.name)
    assert len(data["samples"]) >= 10
    assert data["samples_source"].strip()
    assert data["authority"]["document"].strip() and data["authority"]["source"].strip()
    assert scheme.target_langs and all(re.fullmatch("[a-z]{2}", t) for t in scheme.target_langs)


def test_kazakh_samples_cover_the_alphabet_separators_and_dotted_i() -> None:
    for name in KAZAKH_STANDARD_SCHEMES:
        letters = {c for source, _ in _data_file("kk", name)["samples"] for c in source.lower()}
        assert set(KAZAKH_ALPHABET) - letters == set(), name
    bgn = _data_file("kk", "bgn_pcgn")["samples"]
    for cluster in ("нг", "гһ", "сһ"):
        assert any(cluster in s.lower() and "·" in e for s, e in bgn), cluster
    latin = _data_file("kk", "kz_latin_2021")["samples"]
    assert any(s.isupper() and "И" in s and "І" in s and "İ" in e and "I" in e for s, e in latin)
    assert any(s.startswith("И") and e.startswith("İ") and not s.isupper() for s, e in latin)


@pytest.mark.parametrize("scheme", sorted(REQUIRED["hy"]))
def test_armenian_samples_cover_every_letter(scheme: str) -> None:
    sources = " ".join(source.lower() for source, _ in _data_file("hy", scheme)["samples"])
    assert [letter for letter in ARMENIAN_LETTERS if letter not in sources] == []


@pytest.mark.parametrize("scheme", sorted(REQUIRED["ky"]))
def test_kyrgyz_samples_cover_the_alphabet(scheme: str) -> None:
    letters = {c for source, _ in _data_file("ky", scheme)["samples"] for c in source.lower()}
    assert set(KYRGYZ_ALPHABET) - letters == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Rule 1: ե is ye word-initially and after a vowel (ու included), else e.
        ("Եղեգնաձոր", "Yeghegnadzor"),
        ("Նոեմբերյան", "Noyemberyan"),
        ("Գուեր", "Guyer"),  # an artificial form: ե after the digraph ու
        ("Գայանե", "Gayane"),
        # Rule 2: ո is vo word-initially except in the word ով; ու is u even word-initially.
        ("Ոսկան", "Voskan"),
        ("Ով", "Ov"),
        ("ՈՎ", "OV"),
        ("Ովքեր", "Vovk’er"),
        ("Հովհաննես", "Hovhannes"),
        ("Ուրարտու", "Urartu"),
        ("ՈՒՐԱՐՏՈՒ", "URARTU"),
        # Rule 3: և, ԵՎ and the Soviet-era եւ are yev initially, alone and after a vowel, else ev.
        ("և", "yev"),
        ("Ալիև", "Aliyev"),
        ("Սևան", "Sevan"),
        ("ՍԵՎԱՆ", "SEVAN"),
        ("Երեւան", "Yerevan"),
        ("Եվրոպա", "Yevropa"),
        # Aspirates keep their apostrophe in title case and ALL CAPS, and do not start a word.
        ("Քոչարյան", "K’och’aryan"),
        ("ՓԱՇԻՆՅԱՆ", "P’ASHINYAN"),
    ],
)
def test_armenian_bgn_pcgn_context_rules(text: str, expected: str) -> None:
    assert romanize(text, "hy", "bgn_pcgn") == expected


def test_armenian_iso_9985_has_no_context_rules() -> None:
    result = romanize("Ոսկան Ով Եղեգնաձոր Ալիև Ուրարտու", "hy", "iso_9985")
    assert result == "Oskan Ov Eġegnajor Aliew Owrartow"


# --- casing, Unicode, contexts --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "scheme", "expected"),
    [
        ("ЖАНАОЗЕН", "ru", "bgn_pcgn", "ZHANAOZEN"),
        ("ЖАНАОЗЕН", "ru", "wikipedia", "ZHANAOZEN"),
        ("ТОҚАЕВ", "kk", "bgn_pcgn", "TOQAEV"),
        ("ІЛИЯС", "kk", "kz_latin_2021", "ILİIAS"),
        ("Ілияс", "kk", "kz_latin_2021", "Iliıas"),
        ("Ислам", "kk", "kz_latin_2021", "İslam"),
        ("Алма-Ата", "ru", "bgn_pcgn", "Alma-Ata"),
        ("Қасым-Жомарт", "kk", "bgn_pcgn", "Qasym-Zhomart"),
        ("Ж. Тоқаев", "kk", "bgn_pcgn", "Zh. Toqaev"),
        ("Соловьёв", "ru", "bgn_pcgn", "Solov’yëv"),
        ("СОЛОВЬЁВ", "ru", "bgn_pcgn", "SOLOV’YËV"),
        ("Тока\u0301ев", "ru", "bgn_pcgn", "Tokayev"),
        ("Жаңаөзен", "kk", "bgn_pcgn", "Zhangaözen"),
        ("Шаңғай", "kk", "bgn_pcgn", "Shangghay"),
        ("Эмомалӣ Раҳмон", "tg", "bgn_pcgn", "Ėmomalí Rahmon"),
        ("Лукашэнка", "be", "bgn_pcgn", "Lukashenka"),
        ("Москва, 2022 г.", "ru", "bgn_pcgn", "Moskva, 2022 g."),
    ],
)
def test_casing_and_context(text: str, lang: str, scheme: str, expected: str) -> None:
    assert romanize(text, lang, scheme) == expected


def test_decomposed_input_gives_nfc_output() -> None:
    name = "Йошкар-Ола Соловьёв Мирзиёев"
    decomposed = unicodedata.normalize("NFD", name)
    assert decomposed != name
    for lang in ("ru", "kk"):
        for scheme, value in romanize_all(decomposed, lang).items():
            assert value == romanize(name, lang, scheme)
            assert unicodedata.is_normalized("NFC", value)


@pytest.mark.parametrize("lang", ["ru", "kk", "be", "tg", "ky"])
def test_no_scheme_leaves_cyrillic(lang: str) -> None:
    names = FIXED_NAMES[lang] + _termbase_names().get(lang, [])
    assert len(names) >= (40 if lang == "ru" else 5)
    for scheme in list_schemes(lang):
        for name in names:
            out = romanize(name, lang, scheme.name)
            assert not has_cyrillic(out), f"{scheme.name}: {name} -> {out}"
            assert unicodedata.is_normalized("NFC", out)


def test_no_scheme_leaves_armenian() -> None:
    forms = NAMES_HY + [n.upper() for n in NAMES_HY] + [n.lower() for n in NAMES_HY]
    for scheme in list_schemes("hy"):
        for form in forms:
            out = romanize(form, "hy", scheme.name)
            assert _ARMENIAN.search(out) is None, f"{scheme.name}: {form} -> {out}"
            assert unicodedata.is_normalized("NFC", out)


# --- agreement with iuliia ------------------------------------------------------------------------

_WORD = re.compile(r"([^\W\d_]+)")
IULIIA_SCHEMES = [
    (s.name, data["iuliia_schema"])
    for s in list_schemes("ru")
    if (data := _data_file("ru", s.name)).get("engine") == "iuliia"
]


def _iuliia_corrected(text: str, schema: str) -> str:
    """iuliia's output with its two known defects repaired: Cyrillic ё kept, and ZhANAOZEN."""
    translate = iuliia.schemas.get(schema).translate
    parts = []
    for part in _WORD.split(text):
        if not _WORD.fullmatch(part):
            parts.append(part)
            continue
        out = translate(part).replace("ё", "ë").replace("Ё", "Ë")
        parts.append(out.upper() if len(part) > 1 and part.isupper() else out)
    return unicodedata.normalize("NFC", "".join(parts))


def test_every_iuliia_backed_scheme_is_listed() -> None:
    assert {name for name, _ in IULIIA_SCHEMES} == REQUIRED["ru"] - {"en_press", "de_press", "fr_press"}


@pytest.mark.parametrize(("scheme", "schema"), IULIIA_SCHEMES)
def test_russian_schemes_agree_with_iuliia(scheme: str, schema: str) -> None:
    forms = NAMES_RU + [n.upper() for n in NAMES_RU] + _termbase_names()["ru"]
    forms += [source for source, _ in iuliia.schemas.get(schema).samples]
    for form in forms:
        assert romanize(form, "ru", scheme) == _iuliia_corrected(form, schema), form


# ISO 9 gives ң ө ү the letters ņ ô ù; iuliia's gost_779 knows only the Russian letters and leaves them.
_KYRGYZ_ISO9_LETTERS = {"ң": "ņ", "Ң": "Ņ", "ө": "ô", "Ө": "Ô", "ү": "ù", "Ү": "Ù"}


def test_kyrgyz_iso9_agrees_with_iuliia_gost_779() -> None:
    forms = NAMES_KY + [source for source, _ in _data_file("ky", "iso9")["samples"]]
    forms += [source for source, _ in _data_file("ky", "bgn_pcgn")["samples"]]
    forms += [form.upper() for form in forms] + [form.lower() for form in forms]
    kyrgyz_letters = 0
    for form in forms:
        expected = _iuliia_corrected(form, "gost_779")
        for cyrillic, latin in _KYRGYZ_ISO9_LETTERS.items():
            kyrgyz_letters += expected.count(cyrillic)
            expected = expected.replace(cyrillic, latin)
        assert romanize(form, "ky", "iso9") == unicodedata.normalize("NFC", expected), form
    assert kyrgyz_letters > 50


@pytest.mark.parametrize(("scheme", "schema"), IULIIA_SCHEMES)
def test_iuliia_own_samples_hold_after_the_yo_fix(scheme: str, schema: str) -> None:
    for source, expected in iuliia.schemas.get(schema).samples:
        fixed = unicodedata.normalize("NFC", expected.replace("ё", "ë").replace("Ё", "Ë"))
        assert romanize(source, "ru", scheme) == fixed


# --- public interface -----------------------------------------------------------------------------


def test_source_langs_and_listing() -> None:
    assert set(source_langs()) == {"ru", "kk", "be", "tg", "hy", "ky"}
    assert [s.name for s in list_schemes("kk")] == sorted(s.name for s in list_schemes("kk"))
    by_key = {(s.lang, s.name): s for s in list_schemes()}
    assert by_key["ru", "de_press"].target_langs == ("de",)
    assert by_key["kk", "fr_press"].target_langs == ("fr",)
    assert by_key["ru", "bgn_pcgn"].target_langs == ("en",)
    assert set(by_key["ru", "iso9"].target_langs) == {"en", "de", "fr"}
    assert by_key["hy", "bgn_pcgn"].target_langs == ("en",)
    assert set(by_key["hy", "iso_9985"].target_langs) == {"en", "de", "fr"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        by_key["ru", "iso9"].name = "other"  # type: ignore[misc]


def test_romanize_all_is_keyed_by_scheme_in_listing_order() -> None:
    result = romanize_all("Тоқаев", "kk")
    assert list(result) == [s.name for s in list_schemes("kk")]
    assert result["kz_latin_2021"] == "Toqaev"
    assert result["de_press"] == "Tokajew"


@pytest.mark.parametrize(
    ("lang", "scheme", "valid"),
    [
        ("xx", "bgn_pcgn", "be, hy, kk, ky, ru, tg"),
        ("kk", "iso_nine", "kz_latin_2021"),
        ("be", "ala_lc", "bgn_pcgn"),
        ("hy", "iso9", "bgn_pcgn, iso_9985"),
    ],
)
def test_unknown_language_or_scheme_lists_valid_ones(lang: str, scheme: str, valid: str) -> None:
    with pytest.raises(UsageError, match=valid):
        romanize("Тест", lang, scheme)


def test_has_cyrillic() -> None:
    assert has_cyrillic("Tokayev (Тоқаев)")
    assert has_cyrillic("Ӣ")
    assert not has_cyrillic("Qasym-Jomart Toqaev İ ı ë")


# --- data files -----------------------------------------------------------------------------------

NEW_SCHEME = {
    "name": "demo",
    "language": "kk",
    "title": "Demo",
    "authority": {"document": "test", "source": "test"},
    "target_langs": ["en"],
    "mapping": {"а": "a", "е": "e", "т": "t", "қ": "q", "та": "ta+"},
    "context": {"after": [{"letters": "^а", "mapping": {"е": "ye"}}], "word_ending": {"т": "t!"}},
    "samples": [],
}


def test_adding_a_scheme_is_adding_a_file(tmp_path: Path) -> None:
    (tmp_path / "kk_demo.json").write_text(json.dumps(NEW_SCHEME, ensure_ascii=False), encoding="utf-8")
    schemes = load_schemes(tmp_path)
    scheme, rules = schemes["kk", "demo"]
    assert scheme.title == "Demo"
    from glossary.translit.engine import apply

    assert apply(rules, "Қает ЕТАҚ") == "Qayet! YETA+Q"


def test_malformed_scheme_file_reports_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "kk_demo.json").write_text('{\n  "name": "demo",\n  "language": }\n', encoding="utf-8")
    with pytest.raises(ParseError) as info:
        load_schemes(tmp_path)
    assert info.value.line == 3 and info.value.path.endswith("kk_demo.json")


def test_scheme_file_must_be_named_after_language_and_name(tmp_path: Path) -> None:
    (tmp_path / "ru_demo.json").write_text(json.dumps(NEW_SCHEME, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ParseError, match="kk_demo"):
        load_schemes(tmp_path)
