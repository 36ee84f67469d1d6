"""Deeply nested and very large TBX and TMX: refused with file and line, or read in linear time."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hostile_helpers import counts, glossary, refused

from glossary.formats.tbx import read_tbx
from glossary.formats.tmx import read_tmx, seg_text
from glossary.formats.xmlsafe import MAX_DEPTH
from glossary.model.errors import ParseError

TMX_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en" '
            'datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x" creationtool="x" '
            'creationtoolversion="1"/><body>\n')
TBX_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<tbx type="TBX-Basic" style="dca" xml:lang="en" '
            'xmlns="urn:iso:std:iso:30042:ed-2"><text><body>\n')


def _tmx(seg: str) -> str:
    return (TMX_HEAD + f'<tu>\n<tuv xml:lang="en"><seg>{seg}</seg></tuv>\n'
            '<tuv xml:lang="ru"><seg>Привет.</seg></tuv></tu>\n</body></tmx>\n')


def _tbx(term: str = "Almaty", inside_term: str = "", inside_entry: str = "") -> str:
    return (TBX_HEAD + '<conceptEntry id="hostile">\n' + inside_entry
            + f'<langSec xml:lang="en"><termSec><term>{term}</term>\n{inside_term}</termSec></langSec>\n'
            "</conceptEntry>\n</body></text></tbx>\n")


def _nested(tag: str, depth: int, text: str = "x") -> str:
    return f"<{tag}>" * depth + text + f"</{tag}>" * depth


def test_5000_nested_hi_in_a_tmx_are_refused_with_file_and_line(seeded_db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "deep.tmx"
    path.write_text(_tmx(_nested("hi", 5000)), encoding="utf-8")
    assert 40_000 < path.stat().st_size < 60_000
    before = counts(seeded_db_url)
    for command in (["tm", "import"], ["import"]):
        done = glossary(seeded_db_url, *command, str(path))
        assert refused(done, f"{path}:4", "too deeply nested"), done.stderr
    assert counts(seeded_db_url) == before


@pytest.mark.parametrize("where", ["term", "entry"])
def test_200000_nested_elements_in_a_tbx_are_refused_with_file_and_line(
    seeded_db_url: str, tmp_path: Path, where: str
) -> None:
    path = tmp_path / "deep.tbx"
    nested = _nested("note", 200_000) + "\n"
    text = _tbx(inside_term=nested) if where == "term" else _tbx(inside_entry=nested)
    path.write_text(text, encoding="utf-8")
    before = counts(seeded_db_url)
    done = glossary(seeded_db_url, "terms", "import", str(path))
    assert refused(done, f"{path}:{5 if where == 'term' else 4}", "too deeply nested"), done.stderr
    assert counts(seeded_db_url) == before


@pytest.mark.parametrize("kind", ["tmx", "tbx"])
def test_nesting_up_to_the_limit_is_read_and_one_more_level_is_not(kind: str) -> None:
    # Levels used by the document itself: tmx/body/tu/tuv/seg, tbx/text/body/conceptEntry/langSec/termSec.
    own = 5 if kind == "tmx" else 6
    for extra, ok in ((MAX_DEPTH - own, True), (MAX_DEPTH - own + 1, False)):
        if kind == "tmx":
            data, read = _tmx(_nested("hi", extra, "deep")), read_tmx
        else:
            data, read = _tbx(inside_term=_nested("note", extra, "deep")), read_tbx
        source = io.BytesIO(data.encode("utf-8"))
        if ok:
            records = list(read(source, "doc"))
            assert len(records) == 1
        else:
            with pytest.raises(ParseError, match=r"too deeply nested") as caught:
                list(read(source, "doc"))
            assert caught.value.line is not None and caught.value.path == "doc"


def test_seg_text_walks_any_depth_without_recursion() -> None:
    seg = ET.Element("seg")
    seg.text = "a"
    parent = seg
    for level in range(20_000):  # a tree built by hand: no parser would let it through
        child = ET.SubElement(parent, "bpt" if level == 10 else "hi")
        child.text, child.tail = f"<{level}>" if level == 10 else "", "z" if level == 0 else ""
        parent = child
    parent.text = "deepest"
    # Everything inside the <bpt> is native code, left out; the text after it (tail) is kept.
    assert seg_text(seg) == "az"


def test_seg_text_keeps_text_and_tails_in_document_order() -> None:
    seg = ET.fromstring('<seg>The <hi>CSTO <hi>troops</hi> left</hi> <bpt i="1">&lt;b&gt;</bpt>Almaty'
                        '<ept i="1">&lt;/b&gt;</ept> <ph>{x}</ph>today.</seg>')
    assert seg_text(seg) == "The CSTO troops left Almaty today."


def test_200000_elements_in_a_term_are_read_in_bounded_time(seeded_db_url: str, tmp_path: Path) -> None:
    # Within the depth limit, in chunks 50 deep: every element's text is gathered once.
    chunks = "".join(_nested("hi", 50, "") for _ in range(2000))
    notes = "".join(_nested("note", 50, "n") + "\n" for _ in range(2000))
    path = tmp_path / "wide.tbx"
    path.write_text(_tbx(term="Hostileville" + chunks, inside_term=notes), encoding="utf-8")
    done = glossary(seeded_db_url, "terms", "import", str(path), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert '"created": 1' in done.stdout


def test_a_term_longer_than_its_column_is_refused_everywhere(seeded_db_url: str, tmp_path: Path) -> None:
    # SQLite would store it; PostgreSQL refused it with a driver traceback and no file or line.
    path = tmp_path / "long.tbx"
    path.write_text(_tbx(term="Almaty " * 100), encoding="utf-8")
    before = counts(seeded_db_url)
    done = glossary(seeded_db_url, "terms", "import", str(path))
    assert refused(done, f"{path}:4", "at most 400 can be stored"), done.stderr
    assert counts(seeded_db_url) == before
