"""Bad input is refused by the reader that reads it, naming file and line, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hostile_helpers import counts, glossary, refused

from glossary.cli import main
from glossary.formats.article import decode_article
from glossary.formats.csv import read_csv
from glossary.formats.seed import read_termbase_toml
from glossary.formats.tbx import read_tbx
from glossary.formats.tmx import read_tmx
from glossary.model import limits
from glossary.model.conceptid import concept_id_problem
from glossary.model.errors import ParseError, ParseWarning
from glossary.model.tables import Concept, Document, Segment, Term, TMUnit

TBX = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"><text><body>
<conceptEntry id="{id}">
<langSec xml:lang="{lang}"><termSec><term>Hostileville</term></termSec></langSec>
</conceptEntry>
</body></text></tbx>
"""
CSV = "concept,lang,text\n{id},{lang},Hostileville\n"
TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="en" datatype="plaintext" segtype="sentence" adminlang="en"
 o-tmf="x" creationtool="x" creationtoolversion="1"/><body>
<tu><tuv xml:lang="en"><seg>The troops left Hostileville.</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>The troops reached Hostileville.</seg></tuv>
<tuv xml:lang="{lang}"><seg>Войска дошли до Хостилвиля.</seg></tuv></tu>
</body></tmx>
"""
SEED = ('[[concept]]\nid = "{id}"\nkind = "place"\n\n'
        '[[concept.term]]\nlang = "{lang}"\ntext = "Hostileville"\n')
PO_HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: {lang}\\n"\n\n'


def _write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "data", "line", "message"),
    [
        ("empty.txt", b"", None, "empty article"),
        ("blank.md", b"  \n\t\n\r\n   \n", None, "empty article"),
        ("only-code.md", b"```\nprint('no prose')\n```\n", None, "no text to translate"),
        ("utf16le.txt", "Hello world. Привет.\nSecond line.\n".encode("utf-16-le"), 1, "UTF-16LE"),
        ("utf16be.txt", "Привет мир. Второе предложение.\n".encode("utf-16-be"), 1, "UTF-16BE"),
        ("nul.txt", b"First line.\nSecond line.\nA NUL\x00 here.\n", 3, "U+0000"),
        ("bell.md", b"# Title\n\nA bell\x07 rings.\n", 3, "U+0007"),
        ("latin1.txt", "Caf\u00e9 au lait.\n".encode("latin-1"), 1, "not UTF-8"),
    ],
)
def test_an_article_that_is_no_text_is_refused_and_nothing_is_stored(
    seeded_db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    name: str, data: bytes, line: int | None, message: str,
) -> None:
    path = _write(tmp_path, name, data)
    before = counts(seeded_db_url)
    capsys.readouterr()
    assert main(["import", str(path), "--db", seeded_db_url]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{path}:{line}: " if line else f"{path}: "), err
    assert message in err and err.count("\n") == 1
    assert counts(seeded_db_url) == before


def test_utf16_with_a_byte_order_mark_is_decoded(seeded_db_url: str, tmp_path: Path) -> None:
    path = _write(tmp_path, "bom.txt", "Войска ушли. Президент выступил.\n".encode("utf-16"))
    done = glossary(seeded_db_url, "import", str(path), "--source-lang", "ru", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert '"added": 2' in done.stdout


def test_a_stray_nul_in_utf8_is_a_control_character_not_utf16() -> None:
    with pytest.raises(ParseError, match=r"U\+0000") as caught:
        decode_article(b"Hello\x00 world.\nMore.\n", "a.txt")
    assert caught.value.line == 1
    assert decode_article(b"\xef\xbb\xbfTabs\tand\r\nreturns.\n", "a.txt") == "Tabs\tand\r\nreturns.\n"


def test_a_bad_source_language_is_refused(seeded_db_url: str, tmp_path: Path) -> None:
    path = _write(tmp_path, "ok.txt", "The troops left. They came back.\n")
    done = glossary(seeded_db_url, "import", str(path), "--source-lang", "not a lang!")
    assert done.returncode == 2 and "'not a lang!' is not a language tag" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("fmt", "template", "line"),
    [("tbx", TBX, 4), ("csv", CSV, 2), ("tmx", TMX, 6), ("toml", SEED, 5)],
)
def test_a_bad_language_tag_names_file_and_line(tmp_path: Path, fmt: str, template: str, line: int) -> None:
    path = _write(tmp_path, f"bad.{fmt}", template.format(id="hostile", lang="not a lang!"))
    with pytest.raises(ParseError, match="not a lang!") as caught:
        _read(fmt, path)
    assert (caught.value.path, caught.value.line) == (str(path), line)


@pytest.mark.parametrize(
    ("fmt", "template", "line"), [("tbx", TBX, 3), ("csv", CSV, 2), ("toml", SEED, 1)]
)
@pytest.mark.parametrize("bad", ["Adv Y/..", "../etc", "-rf", "a b", "é", "x" * 101, "a\"b"])
def test_a_bad_concept_id_names_file_and_line(
    tmp_path: Path, fmt: str, template: str, line: int, bad: str
) -> None:
    value = bad.replace('"', "&quot;") if fmt == "tbx" else bad.replace('"', '\\"') if fmt == "toml" else bad
    if fmt == "csv" and '"' in bad:
        value = '"' + bad.replace('"', '""') + '"'
    path = _write(tmp_path, f"ids.{fmt}", template.format(id=value, lang="en"))
    with pytest.raises(ParseError, match="concept id") as caught:
        _read(fmt, path)
    assert (caught.value.path, caught.value.line) == (str(path), line)


@pytest.mark.parametrize("good", ["tokayev", "c1", "IATE-1234", "TE_5.1", "_x", "9may"])
def test_ids_of_other_tools_are_concept_ids(tmp_path: Path, good: str) -> None:
    assert concept_id_problem(good) is None
    for fmt, template in (("tbx", TBX), ("csv", CSV), ("toml", SEED)):
        path = _write(tmp_path, f"ids.{fmt}", template.format(id=good, lang="en"))
        assert [concept.id for concept in _read(fmt, path)] == [good]


def test_terms_add_refuses_a_bad_concept_id(seeded_db_url: str) -> None:
    before = counts(seeded_db_url)
    done = glossary(seeded_db_url, "terms", "add", "Adv Y/..", "Foo", "--lang", "en")
    assert done.returncode == 2 and "concept id 'Adv Y/..' is not valid" in done.stderr
    assert counts(seeded_db_url) == before


@pytest.mark.parametrize("command", [["tm", "import"], ["import"]])
def test_a_tmx_unit_without_target_is_reported_and_counted(
    seeded_db_url: str, tmp_path: Path, command: list[str]
) -> None:
    path = _write(tmp_path, "one.tmx", TMX.format(lang="ru"))
    before = counts(seeded_db_url)
    done = glossary(seeded_db_url, *command, str(path))
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"{path}:4: warning: <tu> with a single <tuv> has no target; left out\n"
    assert "1 unit(s) without a target left out" in done.stdout
    assert counts(seeded_db_url)["TMUnit"] == before["TMUnit"] + 1


def test_read_tmx_tells_where_a_unit_without_target_was() -> None:
    warnings: list[ParseWarning] = []
    units = list(read_tmx(io.BytesIO(TMX.format(lang="ru").encode()), "m.tmx", warn=warnings.append))
    assert [unit.line for unit in units] == [5]
    assert [(w.path, w.line) for w in warnings] == [("m.tmx", 4)]


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ('msgid "Hello."\nmsgstr "Прив\\0ет."\n', 6, "U+0000"),
        ('msgid "Hello\x01."\nmsgstr "Привет."\n', 6, "U+0001"),
        ('#. a note\x1b\nmsgid "Hello."\nmsgstr "Привет."\n', 7, "U+001B"),  # the entry's msgid line
    ],
)
def test_a_catalogue_with_control_characters_is_refused(
    seeded_db_url: str, tmp_path: Path, body: str, line: int, message: str
) -> None:
    path = _write(tmp_path, "ru.po", PO_HEADER.format(lang="ru") + body)
    before = counts(seeded_db_url)
    done = glossary(seeded_db_url, "import", str(path))
    assert refused(done, f"{path}:{line}", message), done.stderr
    assert counts(seeded_db_url) == before


def test_a_catalogue_with_a_bad_language_is_refused(seeded_db_url: str, tmp_path: Path) -> None:
    path = _write(tmp_path, "ru.po", PO_HEADER.format(lang="not a lang!") + 'msgid "A."\nmsgstr "Б."\n')
    done = glossary(seeded_db_url, "import", str(path))
    assert refused(done, f"{path}:1", "Language 'not a lang!' is not a language tag"), done.stderr


def test_a_control_character_in_a_csv_is_refused_on_both_databases(seeded_db_url: str, tmp_path: Path):
    path = _write(tmp_path, "terms.csv", "concept,lang,text\nhostile,en,Hostile\x00ville\n")
    before = counts(seeded_db_url)
    done = glossary(seeded_db_url, "terms", "import", str(path))
    assert refused(done, f"{path}:2", "U+0000"), done.stderr
    assert counts(seeded_db_url) == before


def test_a_language_tag_too_long_for_the_database_is_refused(tmp_path: Path) -> None:
    tag = "en-US-u-ca-gregory-nu-latn"  # valid BCP 47, longer than any language column
    path = _write(tmp_path, "long.csv", CSV.format(id="hostile", lang=tag))
    with pytest.raises(ParseError, match="not a valid BCP 47 language tag") as caught:
        _read("csv", path)
    assert caught.value.line == 2


def test_the_limits_are_the_columns_lengths() -> None:
    tables = {"term": Term, "concept": Concept, "segment": Segment, "document": Document, "tmunit": TMUnit}
    pairs = [
        (limits.TERM_TEXT, "term.text"), (limits.LANG, "term.lang"), (limits.SCHEME, "term.scheme"),
        (limits.DATE, "concept.valid_from"), (limits.DATE, "term.valid_until"),
        (limits.EXTERNAL_ID, "concept.external_id"), (limits.CONTEXT, "segment.context"),
        (limits.FLAGS, "segment.flags"), (limits.DOCUMENT_NAME, "document.name"),
        (limits.ORIGIN, "tmunit.origin"),
    ]
    for limit, name in pairs:
        table, column = name.split(".")
        assert tables[table].__table__.c[column].type.length == limit, name  # type: ignore[attr-defined]
    assert Concept.__table__.c.id.type.length >= 100  # type: ignore[attr-defined]  # the id grammar's longest


def _read(fmt: str, path: Path) -> list:
    if fmt == "tbx":
        with path.open("rb") as handle:
            return list(read_tbx(handle, str(path)))
    if fmt == "csv":
        with path.open(encoding="utf-8", newline="") as handle:
            return list(read_csv(handle, str(path)))
    if fmt == "tmx":
        with path.open("rb") as handle:
            return list(read_tmx(handle, str(path)))
    return read_termbase_toml(str(path))
