"""The .po adapter of ``glossary check``: the same entries as polib, and file positions of every character."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from glossary.checks.fixes import apply_edits
from glossary.cli import check_po
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


def _ours(text: str) -> list[tuple[object, ...]]:
    entries = check_po.parse(text, "t.po")
    rows = []
    for entry in entries:
        if entry.obsolete or entry.msgid is None:
            continue
        rows.append(
            (
                entry.msgctxt.text if entry.msgctxt else None,
                entry.msgid.text,
                entry.msgid_plural.text if entry.msgid_plural else "",
                tuple(entry.msgstr[n].text for n in sorted(entry.msgstr)),
                "fuzzy" in entry.flags,
                tuple(c for c in entry.comments),
            )
        )
    return rows


def _polib(path: Path) -> list[tuple[object, ...]]:
    rows = []
    for entry in polib.pofile(str(path)):
        if entry.obsolete:
            continue
        plural = tuple(entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural))
        rows.append(
            (
                entry.msgctxt,
                entry.msgid,
                entry.msgid_plural,
                plural or (entry.msgstr,),
                entry.fuzzy,
                tuple(entry.tcomment.splitlines()) if entry.tcomment else (),
            )
        )
    return rows


@pytest.mark.parametrize("name", ["tricky", "ru", "kk", "de", "fr"])
def test_entries_match_polib(tmp_path, name):
    path = tmp_path / "t.po"
    if name == "tricky":
        path.write_text(TRICKY, encoding="utf-8")
    else:
        path.write_bytes((EVAL / f"{name}.po").read_bytes())
    ours = _ours(path.read_text(encoding="utf-8"))
    header, *entries = ours
    assert header[1] == "" and "Language" in header[3][0]  # polib keeps the header apart
    assert entries == _polib(path)


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
    assert wrapped.line == lines.index('"Перенос "') + 1


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
        ('msgid "a"\nmsgstr "b\n', 2),
        ('msgid "a"\nmsgstr "b"\nbogus "c"\n', 3),
        ('msgid "a"\n', 1),
        ('"orphan"\n', 1),
    ],
)
def test_defects_name_their_line(text, line):
    with pytest.raises(ParseError) as caught:
        check_po.parse(text, "bad.po")
    assert caught.value.line == line


def test_a_declared_charset_is_honoured():
    data = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=KOI8-R\\n"\n\nmsgid "a"\nmsgstr "Токаев"\n'
    text = check_po.decode(data.encode("koi8-r"), "k.po")
    assert "Токаев" in text
    with pytest.raises(ParseError):
        check_po.decode(data.encode("koi8-r").replace(b"KOI8-R", b"UTF-8"), "k.po")
