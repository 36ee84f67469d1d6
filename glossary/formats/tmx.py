"""TMX 1.4b: read translation units incrementally from a file object, generate a document line by line."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import Element

from glossary.atomic import write_atomic
from glossary.formats.xmlsafe import XML_LANG, iter_elements, xml_attr, xml_text
from glossary.model.errors import ParseError, ParseWarning
from glossary.model.langtag import canonical_lang
from glossary.model.records import UnitRecord, UnitVariant, tmx_date

# Inline elements whose content is native markup, not text; their tails are text.
_CODE_ELEMENTS = frozenset({"bpt", "ept", "it", "ph", "ut", "sub"})


TmxVariant = UnitVariant
TmxUnit = UnitRecord


def read_tmx(
    fileobj: IO[bytes], path: str | Path, *, warn: Callable[[ParseWarning], None] | None = None
) -> Iterator[TmxUnit]:
    """Yield each ``tu`` of a TMX document as it is read; any defect raises ParseError with the line.

    A ``tu`` with a single ``tuv`` has no target: it is not yielded, and ``warn`` (if given) is told
    where it was.
    """
    where = str(path)
    header_lang: str | None = None
    elements = iter_elements(fileobj, where, {"header", "tu"}, with_root=True)
    root = next(elements, None)
    if root is None or root[0].tag != "tmx":
        line = root[1] if root is not None else 1
        raise ParseError(where, line, "not a TMX document: the root element is not <tmx>")
    for element, line in elements:
        if element.tag == "header":
            header_lang = _srclang(element.get("srclang"), where, line)
            continue
        unit = _unit(element, where, line, header_lang)
        if len(unit.variants) > 1:
            yield unit
        elif warn is not None:
            warn(ParseWarning(where, line, "<tu> with a single <tuv> has no target; left out"))


def _srclang(value: str | None, path: str, line: int) -> str | None:
    if value is None or value == "*all*":
        return None
    lang = canonical_lang(value)
    if lang is None:
        raise ParseError(path, line, f"srclang {value!r} is not a valid language tag")
    return lang


def _unit(tu: Element, path: str, line: int, header_lang: str | None) -> TmxUnit:
    variants: list[TmxVariant] = []
    for tuv in tu:
        if tuv.tag != "tuv":
            continue
        tuv_line = getattr(tuv, "line", line)
        raw = tuv.get(XML_LANG) or tuv.get("lang")
        if raw is None:
            raise ParseError(path, tuv_line, "<tuv> without xml:lang")
        lang = canonical_lang(raw)
        if lang is None:
            raise ParseError(path, tuv_line, f"{raw!r} is not a valid language tag")
        seg = next((child for child in tuv if child.tag == "seg"), None)
        if seg is None:
            raise ParseError(path, tuv_line, "<tuv> without <seg>")
        variants.append(TmxVariant(lang, seg_text(seg), _props(tuv), _notes(tuv)))
    if not variants:
        raise ParseError(path, line, "<tu> without any <tuv>")
    return TmxUnit(
        variants=variants,
        srclang=_srclang(tu.get("srclang"), path, line) or header_lang,
        props=_props(tu),
        notes=_notes(tu),
        tuid=tu.get("tuid"),
        creationdate=tu.get("creationdate"),
        line=line,
    )


def seg_text(seg: Element) -> str:
    """The text of a ``seg``: highlighted text kept, native codes inside inline elements left out.

    The tree is walked with a stack of its own, each element once, so nesting costs no recursion.
    """
    parts = [seg.text or ""]
    # Each pending item is an element to enter, or the tail text to add once its content is done.
    pending: list[Element | str] = []
    for child in reversed(seg):
        pending.extend((child.tail or "", child))
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        if item.tag in _CODE_ELEMENTS:
            continue
        parts.append(item.text or "")
        for child in reversed(item):
            pending.extend((child.tail or "", child))
    return "".join(parts)


def _props(element: Element) -> list[tuple[str, str]]:
    return [(p.get("type", ""), p.text or "") for p in element if p.tag == "prop"]


def _notes(element: Element) -> list[str]:
    return [n.text or "" for n in element if n.tag == "note"]


def generate_tmx(
    units: Iterable[TmxUnit],
    *,
    srclang: str,
    creation_tool: str = "Glossary",
    tool_version: str,
    adminlang: str = "en",
    datatype: str = "plaintext",
    creationdate: datetime | None = None,
) -> Iterator[str]:
    """The lines of a TMX 1.4b document holding ``units``."""
    header: dict[str, str] = {
        "creationtool": creation_tool,
        "creationtoolversion": tool_version,
        "datatype": datatype,
        "segtype": "sentence",
        "adminlang": adminlang,
        "srclang": srclang,
        "o-tmf": creation_tool,
        "creationdate": tmx_date(creationdate or datetime.now(UTC)),
    }
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield '<tmx version="1.4">\n'
    yield f"  <header{_attrs(header)}/>\n"
    yield "  <body>\n"
    for unit in units:
        attrs = {"tuid": unit.tuid, "srclang": unit.srclang, "creationdate": unit.creationdate}
        yield f"    <tu{_attrs(attrs)}>\n"
        yield from _extras(unit.props, unit.notes, "      ")
        for variant in unit.variants:
            yield f"      <tuv xml:lang={xml_attr(variant.lang)}>\n"
            yield from _extras(variant.props, variant.notes, "        ")
            yield f"        <seg>{_text(variant.text)}</seg>\n"
            yield "      </tuv>\n"
        yield "    </tu>\n"
    yield "  </body>\n"
    yield "</tmx>\n"


def write_tmx(path: str | Path, units: Iterable[TmxUnit], **options: Any) -> None:
    """Write a TMX file atomically (see :func:`generate_tmx` for the options)."""
    write_atomic(path, generate_tmx(units, **options))


def _extras(props: list[tuple[str, str]], notes: list[str], indent: str) -> Iterator[str]:
    # The DTD wants notes and props before the variants; notes come first by convention.
    for note in notes:
        yield f"{indent}<note>{_text(note)}</note>\n"
    for kind, value in props:
        yield f"{indent}<prop type={xml_attr(kind)}>{_text(value)}</prop>\n"


def _attrs(values: dict[str, str | None]) -> str:
    return "".join(f" {name}={xml_attr(value)}" for name, value in values.items() if value)


def _text(value: str) -> str:
    """Element text, carriage returns kept as ``&#13;``; see :func:`xml_text`."""
    return xml_text(value)
