"""The PO wrapper against msgcat itself: fixed cases, then thousands of random strings."""

from __future__ import annotations

import random
import shutil
import subprocess

import pytest

from glossary.formats.po_wrap import escape, text_width, wrap_string

pytestmark = pytest.mark.skipif(shutil.which("msgcat") is None, reason="gettext's msgcat is not installed")

HEADER = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
# Letters weigh most, as in text; then every kind of break, quote, dash, escape, width.
ALPHABET = (
    list("abcdefghij") * 6 + list("ABCXYZ0123456789") + [" "] * 25
    + list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") + ["\t", "\n", "\r", "\a"]
    + list("абвгдежзАБВ") * 3 + list("«»—–…“”’‘„‹›") + list("ңқәөүұ")
    + ["\u00a0", "\u202f", "中", "文", "の", "\u0301", "😀", "\u00ad", "\u200b", "ß", "é", "ё", "€", "°", "№"]
)


def _random_strings(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    strings = []
    for _ in range(count):
        size = rng.choice([rng.randint(1, 40), rng.randint(40, 240), rng.randint(60, 90)])
        strings.append("".join(rng.choice(ALPHABET) for _ in range(size)))
    return strings


def _msgcat_entries(entries: list[str]) -> list[list[str]]:
    """msgcat's lines for each entry (the entries are separated by blank lines)."""
    source = HEADER + "\n".join(entries)
    out = subprocess.run(["msgcat", "-"], input=source.encode(), capture_output=True, check=True).stdout
    return [block.split("\n") for block in out.decode().rstrip("\n").split("\n\n")[1:]]


def _check(kind: str, strings: list[str], *, no_wrap: bool = False) -> None:
    entries, expected = [], []
    # One "#," line: gettext keeps only the last one of several.
    flag = "#, no-wrap\n" if no_wrap else ""
    for number, text in enumerate(strings):
        ctx = f'msgctxt "{number}"\n'
        if kind == "msgid":
            entries.append(f'{flag}{ctx}msgid "{escape(text)}"\nmsgstr "x"\n')
            ours = wrap_string("msgid", text, wrap=not no_wrap)
        elif kind == "msgstr":
            entries.append(f'{flag}{ctx}msgid "x"\nmsgstr "{escape(text)}"\n')
            ours = wrap_string("msgstr", text, wrap=not no_wrap)
        elif kind == "obsolete":
            entries.append(f'{flag}#~ {ctx}#~ msgid "{escape(text)}"\n#~ msgstr "x"\n')
            ours = wrap_string("msgid", text, wrap=not no_wrap, line_prefix="#~ ")
        else:  # previous msgid (no-wrap applies to it too)
            entries.append(f'#, fuzzy{", no-wrap" if no_wrap else ""}\n#| msgid "{escape(text)}"\n{ctx}'
                           'msgid "x"\nmsgstr "y"\n')
            ours = wrap_string("msgid", text, wrap=not no_wrap, line_prefix="#| ")
        expected.append(ours)
    got = _msgcat_entries(entries)
    assert len(got) == len(strings)
    mismatches = []
    for text, theirs, ours in zip(strings, got, expected, strict=True):
        if kind == "msgid":
            theirs = [line for line in theirs if not line.startswith(("#,", "msgctxt", "msgstr"))]
        elif kind == "msgstr":
            theirs = theirs[theirs.index(next(line for line in theirs if line.startswith("msgstr"))):]
        elif kind == "obsolete":
            start = next(i for i, line in enumerate(theirs) if line.startswith("#~ msgid"))
            end = next(i for i, line in enumerate(theirs) if line.startswith("#~ msgstr"))
            theirs = theirs[start:end]
        else:
            theirs = [line for line in theirs if line.startswith("#|")]
        if theirs != ours:
            mismatches.append((text, theirs, ours))
    assert mismatches == []


FIXED = [
    "a" * 60 + " " + "b" * 10,  # exactly 79 columns on the msgid line
    "a" * 61 + " " + "b" * 10,  # one more: the text moves to lines of its own
    "0123456789" * 9,  # no break opportunity: one over-long line
    "averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylongword and more",
    "line one\nline two\n",
    "x\n",
    "",
    "a" * 70 + "\\\\" + "b" * 10,  # breaks between two escaped backslashes, never inside one
    "a" * 60 + '-"' + "b" * 10,
    "Ааааа ббббб вввв гггг дддд ееее жжжж зззз ииии кккк лллл мммм нннн оооо пппп рррр",
    "中" * 37 + " bbb",  # two columns each
    "e\u0301" * 72 + " bbb",  # combining marks take none
    "Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);\n",
    "« Selon Tokaïev, la mission de l'OTSC est terminée » : le retrait commencera dans deux jours, "
    "a-t-il dit.",
    "Касым-Жомарт Токаев заявил, что основная миссия миротворческих сил ОДКБ успешно завершена.",
]


@pytest.mark.parametrize("kind", ["msgid", "msgstr", "obsolete", "previous"])
def test_fixed_cases_wrap_as_msgcat_does(kind: str):
    _check(kind, FIXED)


@pytest.mark.parametrize("kind", ["msgid", "msgstr", "obsolete", "previous"])
def test_random_strings_wrap_as_msgcat_does(kind: str):
    _check(kind, _random_strings(seed=len(kind), count=1500))


@pytest.mark.parametrize("kind", ["msgid", "previous"])
def test_no_wrap_keeps_only_newline_breaks_as_msgcat_does(kind: str):
    _check(kind, _random_strings(seed=99, count=400), no_wrap=True)


def test_widths_count_display_columns():
    assert text_width("Токаев") == 6
    assert text_width("中文") == 4
    assert text_width("e\u0301\u200b") == 1


def test_escape_covers_every_c_escape():
    assert escape('\a\b\f\n\r\t\v\\"') == '\\a\\b\\f\\n\\r\\t\\v\\\\\\"'
    assert escape("«Алматы»") == "«Алматы»"
