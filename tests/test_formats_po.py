"""The .po contract: every catalogue of tests/data/po reads and writes back as msgcat would, losslessly."""

from __future__ import annotations

import gettext
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from glossary.formats.mo import generate_mo
from glossary.formats.po import encode_po, generate_po, read_po, write_po
from glossary.formats.po_write import ordered_flags
from glossary.model.catalog import PoCatalog, PoMessage
from glossary.model.errors import ParseError

DATA = Path(__file__).parent / "data" / "po"
CATALOGUES = sorted(p for p in DATA.iterdir() if p.suffix in (".po", ".pot"))
GETTEXT = shutil.which("msgcat") is not None
needs_gettext = pytest.mark.skipif(not GETTEXT, reason="gettext tools (msgcat, msgfmt) are not installed")


def _read(path: Path) -> PoCatalog:
    with path.open("rb") as handle:
        return read_po(handle, path)


def _written(catalog: PoCatalog) -> bytes:
    return b"".join(encode_po(catalog, generate_po(catalog)))


def _msgcat(path: Path) -> bytes:
    return subprocess.run(["msgcat", str(path)], capture_output=True, check=True).stdout


def _msgfmt_messages(path: Path) -> tuple[int, list[str]]:
    """Return code and messages of ``msgfmt -c --check-format``, without file names and line numbers."""
    done = subprocess.run(["msgfmt", "-c", "--check-format", "-o", "/dev/null", str(path)],
                          capture_output=True, text=True, errors="replace")
    messages = [re.sub(r"^[^:]*:(\d+:)?\s*", "", line) for line in done.stderr.splitlines()]
    return done.returncode, messages


def test_the_set_covers_what_the_contract_names():
    catalogs = [_read(path) for path in CATALOGUES]
    messages = [m for c in catalogs for m in c.messages]
    charsets = {c.charset.upper() for c in catalogs}
    assert {"UTF-8", "KOI8-R", "ISO-8859-1"} <= charsets
    assert {c.header_fields().get("Language") for c in catalogs} >= {"ru", "kk", "de", "fr"}
    assert any(m.msgid_plural and len(m.msgstr_plural) == 3 for m in messages)  # ru
    assert any(m.msgid_plural and len(m.msgstr_plural) == 2 for m in messages)  # kk, de, fr
    assert any(m.msgctxt == "" for m in messages) and any(m.msgctxt for m in messages)
    assert any(m.obsolete and m.previous_msgid for m in messages)  # #~|
    assert any(m.obsolete and not m.previous_msgid for m in messages)
    assert any(m.fuzzy and m.previous_msgid and not m.obsolete for m in messages)
    assert any(m.previous_msgctxt for m in messages)
    assert any(len(m.msgid) > 100 for m in messages)
    flags = {f for m in messages for f in m.flags}
    assert {"no-wrap", "c-format", "python-format", "python-brace-format", "fuzzy"} <= flags
    text = "".join(m.msgid + m.msgstr for m in messages)
    assert all(ch in text for ch in "\a\b\f\n\r\t\v\\\"")


@needs_gettext
@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.name)
def test_written_bytes_equal_msgcats_canonical_form(path: Path):
    assert _written(_read(path)) == _msgcat(path)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.name)
def test_entries_equal_under_polib_before_and_after(path: Path, tmp_path: Path):
    out = tmp_path / path.name
    write_po(out, _read(path))
    before, after = polib.pofile(str(path)), polib.pofile(str(out))
    assert before.metadata == after.metadata
    assert before.header == after.header
    assert len(before) == len(after) > 0

    def key(entry: polib.POEntry) -> tuple:
        return (entry.msgctxt, entry.msgid, entry.msgid_plural, entry.msgstr,
                sorted(entry.msgstr_plural.items()),
                entry.comment, entry.tcomment, entry.occurrences, sorted(entry.flags), entry.previous_msgctxt,
                entry.previous_msgid, entry.previous_msgid_plural, entry.obsolete)

    assert sorted(map(key, before), key=repr) == sorted(map(key, after), key=repr)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.name)
def test_reading_our_output_gives_the_same_catalogue(path: Path, tmp_path: Path):
    original = _read(path)
    out = tmp_path / path.name
    write_po(out, original)
    again = _read(out)
    assert again.charset == original.charset

    def normal(message: PoMessage) -> PoMessage:
        return PoMessage(**{**{f: getattr(message, f) for f in message.__dataclass_fields__},
                            "flags": tuple(ordered_flags(message))})

    assert sorted(map(normal, again.messages), key=repr) == sorted(map(normal, original.messages), key=repr)
    assert out.read_bytes() == _written(again)  # a second round changes nothing


@needs_gettext
@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.name)
def test_msgfmt_check_is_as_clean_after_as_before(path: Path, tmp_path: Path):
    out = tmp_path / path.name
    write_po(out, _read(path))
    assert _msgfmt_messages(out) == _msgfmt_messages(path)


def test_non_utf8_catalogue_is_written_back_in_its_charset(tmp_path: Path):
    path = DATA / "ru_koi8r.po"
    catalog = _read(path)
    assert catalog.charset == "KOI8-R"
    assert any("Токаев" in m.msgstr for m in catalog.messages)
    out = tmp_path / "out.po"
    write_po(out, catalog)
    assert "Токаев".encode("koi8_r") in out.read_bytes()
    assert "Токаев".encode() not in out.read_bytes()


@needs_gettext
@pytest.mark.parametrize("path", [p for p in CATALOGUES if p.suffix == ".po"], ids=lambda p: p.name)
def test_our_mo_decompiles_like_msgfmts(path: Path, tmp_path: Path):
    ours, theirs = tmp_path / "ours.mo", tmp_path / "theirs.mo"
    ours.write_bytes(generate_mo(_read(path)))
    subprocess.run(["msgfmt", "-o", str(theirs), str(path)], check=True, capture_output=True)

    def unfmt(mo: Path) -> bytes:
        return subprocess.run(["msgunfmt", str(mo)], check=True, capture_output=True).stdout

    assert unfmt(ours) == unfmt(theirs)


def test_python_gettext_translates_with_our_mo():
    translations = gettext.GNUTranslations(io.BytesIO(generate_mo(_read(DATA / "ru.po"))))
    assert translations.gettext("Latest articles") == "Последние статьи"
    assert translations.pgettext("document state", "Open") == "Открыт"
    found = "Found %d name in the text.", "Found %d names in the text."
    assert translations.ngettext(*found, 1) % 1 == "В тексте найдено 1 имя."
    assert translations.ngettext(*found, 3) % 3 == "В тексте найдено 3 имени."
    assert translations.ngettext(*found, 11) % 11 == "В тексте найдено 11 имён."
    # fuzzy and untranslated messages are left out, as msgfmt leaves them out
    assert translations.gettext("The term base has no preferred form of this name in Russian.") == \
        "The term base has no preferred form of this name in Russian."


HEADER = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
          '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n')
MALFORMED = [
    ("unterminated", HEADER + 'msgid "open\nmsgstr "x"\n', 6, "unterminated"),
    ("plural-index",
     HEADER + 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[1] "y"\nmsgstr[2] "z"\n',
     10, "nplurals=2"),
    ("bad-charset",
     'msgid ""\nmsgstr "Content-Type: text/plain; charset=NO-SUCH-CODE\\n"\n\nmsgid "a"\nmsgstr "b"\n',
     1, "unknown charset"),
    ("invalid-utf8", HEADER.encode() + b'msgid "a"\nmsgstr "\xd0\xd0"\n', 7, "invalid UTF-8"),
    ("duplicate", HEADER + 'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', 9, "duplicate"),
    ("duplicate-obsolete", HEADER + 'msgid "a"\nmsgstr "b"\n\n#~ msgid "a"\n#~ msgstr "c"\n', 9, "duplicate"),
    ("missing-msgstr", HEADER + 'msgid "a"\n\nmsgid "b"\nmsgstr "c"\n', 8, "missing msgstr"),
    ("bad-escape", HEADER + 'msgid "a\\q"\nmsgstr "b"\n', 6, "escape"),
    ("unknown-keyword", HEADER + 'msgid "a"\nmsgtxt "b"\n', 7, "unknown keyword"),
    ("plural-without-id", HEADER + 'msgid "a"\nmsgstr[0] "b"\n', 7, "without msgid_plural"),
    ("end-inside", HEADER + 'msgid "a"\n', 7, "missing msgstr"),
]


@pytest.mark.parametrize(("text", "line", "words"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED])
def test_malformed_catalogue_names_file_and_line(text: str | bytes, line: int, words: str):
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(ParseError) as raised:
        read_po(io.BytesIO(data), "bad.po")
    assert raised.value.path == "bad.po"
    assert raised.value.line == line, str(raised.value)
    assert words in raised.value.message


# Each makes a regular expression fail after a long string; with backtracking into the string
# that took time exponential in its length (2^60 steps here): the reader runs in a subprocess
# whose timeout guards against a hang.
SLOW_TO_FAIL = [
    ("text-after-quote", HEADER + 'msgid "' + "слово " * 10 + '" и ещё\nmsgstr ""\n', 6, "unterminated"),
    ("stray-quote-line", HEADER + 'msgid "a"\nmsgstr "' + "слово " * 10 + '"\n"\n', 8, "unterminated"),
    ("stray-line", HEADER + 'msgid "' + "word " * 12 + '"\nmsgstr "b"\nmsgfoo\n', 8, "unknown keyword"),
]


READ_AND_REPORT = """import sys
from glossary.formats.po import read_po
from glossary.model.errors import ParseError
try:
    read_po(open(sys.argv[1], "rb"), "bad.po")
except ParseError as exc:
    print(exc.line, exc.message)
"""


@pytest.mark.parametrize(("text", "line", "words"), [m[1:] for m in SLOW_TO_FAIL],
                         ids=[m[0] for m in SLOW_TO_FAIL])
def test_a_defect_after_a_long_string_is_reported_at_once(text: str, line: int, words: str, tmp_path: Path):
    path = tmp_path / "bad.po"
    path.write_text(text, encoding="utf-8")
    command = [sys.executable, "-c", READ_AND_REPORT, str(path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    number, _space, message = done.stdout.strip().partition(" ")
    assert int(number) == line and words in message, done.stdout


def test_a_catalogue_without_header_is_read_as_utf8():
    catalog = read_po(io.BytesIO('msgid "Алматы"\nmsgstr "Almaty"\n'.encode()), "x.po")
    assert catalog.header is None and catalog.charset == "UTF-8"
    assert catalog.messages[0].msgid == "Алматы"


def test_crlf_and_bom_are_accepted():
    data = b"\xef\xbb\xbf" + (HEADER + 'msgid "a"\nmsgstr "b"\n').replace("\n", "\r\n").encode()
    catalog = read_po(io.BytesIO(data), "x.po")
    assert [m.msgstr for m in catalog.messages][-1] == "b"
    assert catalog.header_fields()["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
