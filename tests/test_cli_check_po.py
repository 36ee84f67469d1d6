"""The .po adapter of ``glossary check``: the same entries as polib, and file positions of every character."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from glossary.checks.fixes import apply_edits
from glossary.cli.check_inputs import read_catalogue
from glossary.model.errors import ParseError

EVAL = Path(__file__).parent / "data" / "check_eval"

TRICKY = r"""# A translator's note
msgid ""
msgstr ""
"Project-Id-Version: test\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Language: ru\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : 1);\n"

# glossary: ignore[term-variant] -- quoting
#. extracted
#: file.c:12
#, fuzzy, c-format
#| msgid "Old"
msgctxt "menu"
msgid "Tokayev \"quoted\"\tand a tab"
msgstr "Токаев «в кавычках»\tи табуляция"

msgid ""
"Wrapped source "
"over lines"
msgstr ""
"Перенос "
"по строкам\n"
"и новая строка"

msgid "One day"
msgid_plural "%d days"
msgstr[0] "%d день"
msgstr[1] "%d дня"
msgstr[2] "%d дней"

msgid "Untranslated"
msgstr ""

#~ msgid "Obsolete"
#~ msgstr "Устарело"
"""


def _ours(path: Path) -> list[tuple[object, ...]]:
    checked = read_catalogue(path, "en", None)
    assert checked is not None
    rows: dict[str, list[object]] = {}
    for unit in checked.units:
        key = unit.key.rsplit("[", 1)[0] if unit.key.endswith("]") and "[" in unit.key else unit.key
        context, _, msgid = key.rpartition("\x04") if "\x04" in key else (None, "", key)
        row = rows.setdefault(key, [context or None, msgid, [], unit.state == "fuzzy", unit.comments])
        row[2].append(unit.target)
    return [(c, i, tuple(t), f, tuple(m)) for c, i, t, f, m in rows.values()]


def _polib(path: Path) -> list[tuple[object, ...]]:
    rows = []
    for entry in polib.pofile(str(path)):
        if entry.obsolete:
            continue
        plural = tuple(entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural))
        comments = tuple(entry.tcomment.splitlines()) if entry.tcomment else ()
        rows.append((entry.msgctxt, entry.msgid, plural or (entry.msgstr,), entry.fuzzy, comments))
    return rows


@pytest.mark.parametrize("name", ["tricky", "ru", "kk", "de", "fr"])
def test_units_match_polib(tmp_path, name):
    path = tmp_path / "t.po"
    if name == "tricky":
        path.write_text(TRICKY, encoding="utf-8")
    else:
        path.write_bytes((EVAL / f"{name}.po").read_bytes())
    assert _ours(path) == _polib(path)


def test_positions_inside_escaped_and_wrapped_strings(tmp_path):
    path = tmp_path / "ru.po"
    path.write_text(TRICKY, encoding="utf-8")
    checked = read_catalogue(path, "en", None)
    assert checked is not None
    units = {unit.key: unit for unit in checked.units}
    first = units['menu\x04Tokayev "quoted"\tand a tab']
    assert first.comments[0].startswith("glossary: ignore[term-variant]") and first.state == "fuzzy"
    lines = TRICKY.split("\n")
    # "и" after the tab: the file spells the tab as two characters.
    offset = first.target.index("и табуляция")
    line, column, _ = checked.locate(first, "target", offset, offset + 1)
    assert lines[line - 1][column - 1] == "и" and lines[line - 1][column - 3 : column - 1] == "\\t"
    wrapped = units["Wrapped source over lines"]
    offset = wrapped.target.index("новая")
    line, column, end = checked.locate(wrapped, "target", offset, offset + len("новая"))
    assert lines[line - 1][column - 1 : end - 1] == "новая"
    assert wrapped.line == lines.index('"Wrapped source "')  # its msgid line, until a finding asks


def test_edits_replace_in_place_even_across_a_wrap(tmp_path):
    path = tmp_path / "ru.po"
    path.write_text(TRICKY, encoding="utf-8")
    checked = read_catalogue(path, "en", None)
    assert checked is not None
    wrapped = next(unit for unit in checked.units if unit.key == "Wrapped source over lines")
    start = wrapped.target.index("Перенос по")
    edits = checked.edits([(wrapped, "target", start, start + len("Перенос по"), 'Строки "в"')])
    text, count = apply_edits(checked.text, edits)
    assert count == 2
    assert '"Строки \\"в\\""\n" строкам\\n"' in text
    reread = read_catalogue_text(tmp_path, text)
    assert any(unit.target == 'Строки "в" строкам\nи новая строка' for unit in reread)


def read_catalogue_text(folder: Path, text: str) -> list:
    path = folder / "again.po"
    path.write_text(text, encoding="utf-8")
    checked = read_catalogue(path, "en", None)
    assert checked is not None
    return checked.units


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('msgid ""\nmsgstr "Language: ru\\n"\n\nmsgid "a"\nmsgstr "b\n', 5),
        ('msgid ""\nmsgstr "Language: ru\\n"\n\nmsgid "a"\nmsgstr "b"\nbogus "c"\n', 6),
    ],
)
def test_defects_name_their_line(tmp_path, text, line):
    path = tmp_path / "bad.po"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParseError) as caught:
        read_catalogue(path, "en", None)
    assert caught.value.line == line


def test_a_declared_charset_is_honoured(tmp_path):
    data = (
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=KOI8-R\\nLanguage: ru\\n"\n\n'
        'msgid "a"\nmsgstr "Токаев"\n'
    )
    path = tmp_path / "k.po"
    path.write_bytes(data.encode("koi8-r"))
    checked = read_catalogue(path, "en", None)
    assert checked is not None and checked.units[0].target == "Токаев"
    assert "Токаев" in checked.text


def test_the_tags_read_without_the_registry_are_canonical():
    from glossary.cli.check_inputs import _CANONICAL
    from glossary.model.langtag import canonical_lang

    assert _CANONICAL and all(canonical_lang(tag) == tag for tag in _CANONICAL)
