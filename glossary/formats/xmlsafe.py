"""Streaming, entity-safe, depth-limited XML reading and exact XML escaping for TBX and TMX."""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterator
from typing import IO, Any, NoReturn
from xml.etree.ElementTree import Element
from xml.parsers import expat

from defusedxml.common import DefusedXmlException, EntitiesForbidden, ExternalReferenceForbidden

from glossary.model.chars import NOT_XML, describe
from glossary.model.errors import GlossaryError, ParseError

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CHUNK_SIZE = 64 * 1024
# Elements nested deeper than this (the root is level 1) make a file "too deeply nested". TBX and
# TMX need about ten levels (tbx/text/body/conceptEntry/langSec/termSec/descripGrp/descrip, or
# tmx/body/tu/tuv/seg and its inline markup); the limit keeps the text of every element cheap to
# gather and no reader ever recursing deeply.
MAX_DEPTH = 64


class LocatedElement(Element):
    """An element that remembers the line of its start tag, for error messages."""

    line: int = 0


def xml_text(value: str) -> str:
    """``value`` escaped as element text; nothing is dropped.

    A carriage return is written as ``&#13;`` (a parser turns a literal one into a line feed), so
    it survives a round trip. A character XML 1.0 cannot carry at all is an error naming it:
    imports refuse such text, so only a database written by other means can hold one.
    """
    bad = NOT_XML.search(value)
    if bad:
        raise GlossaryError(f"cannot write {describe(bad.group())} to XML (in {value!r})")
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def xml_attr(value: str) -> str:
    """``value`` as a double-quoted attribute value, quotes included; white space is referenced
    because parsers normalise it in attributes."""
    escaped = xml_text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return f'"{escaped}"'


def text_of(element: Element) -> str:
    """All text inside ``element`` (inline markup flattened), stripped."""
    if not len(element):
        return (element.text or "").strip()
    return "".join(element.itertext()).strip()  # ElementTree walks the subtree without recursing


def iter_elements(
    fileobj: IO[Any],
    path: str,
    tags: Collection[str],
    *,
    with_root: bool = False,
) -> Iterator[tuple[LocatedElement, int]]:
    """Yield ``(element, line)`` for each complete element whose local name is in ``tags``.

    Tags are reduced to local names (namespaces dropped); namespaced attributes
    keep Clark names (``XML_LANG``). With ``with_root`` the first item is the
    root element as soon as its start tag is read, with attributes and no
    children, so a caller can check the document type without holding it all.
    Only the subtrees of wanted elements are built, and each outermost one is
    cleared after the caller has seen it, so memory stays bounded by the largest
    entry. A DOCTYPE is allowed (TBX v2 files name a DTD, which is never
    fetched); entity declarations and external references are refused as
    defusedxml does, before anything expands. An element nested deeper than
    ``MAX_DEPTH`` levels is refused (``too deeply nested``) as soon as its
    start tag is read. Every problem becomes ``ParseError(path, line, message)``.
    """
    builder = _Builder(set(tags), with_root)
    # Driving expat directly (rather than through ElementTree's Python parser
    # class) halves the cost per element; the guards are defusedxml's.
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.EntityDeclHandler = _refuse_entity
    parser.UnparsedEntityDeclHandler = _refuse_unparsed_entity
    parser.ExternalEntityRefHandler = _refuse_external
    builder.parser = parser
    done = False
    while not done:
        try:
            chunk = fileobj.read(CHUNK_SIZE)
            done = not chunk
            parser.Parse(chunk, done)
        except expat.ExpatError as exc:
            reason = expat.ErrorString(exc.code)
            raise ParseError(path, exc.lineno, f"malformed XML: {reason} (column {exc.offset + 1})") from exc
        except DefusedXmlException as exc:
            raise ParseError(path, parser.CurrentLineNumber, _refusal(exc)) from exc
        except _TooDeep as exc:
            message = f"too deeply nested: more than {MAX_DEPTH} levels of elements"
            raise ParseError(path, exc.line, message) from exc
        except UnicodeDecodeError as exc:
            raise ParseError(path, parser.CurrentLineNumber, f"cannot decode the file: {exc}") from exc
        except (LookupError, ValueError) as exc:  # an encoding expat's codecs do not know
            raise ParseError(path, parser.CurrentLineNumber or 1, f"cannot read the file: {exc}") from exc
        while builder.ready:
            element, outermost = builder.ready.popleft()
            yield element, element.line
            if outermost:
                element.clear()


def _refuse_entity(
    name: str,
    _is_parameter: bool,
    value: str | None,
    base: str | None,
    sysid: str | None,
    pubid: str | None,
    notation: str | None,
) -> NoReturn:
    raise EntitiesForbidden(name, value, base, sysid, pubid, notation)


def _refuse_unparsed_entity(
    name: str, base: str | None, sysid: str | None, pubid: str | None, notation: str | None
) -> NoReturn:
    raise EntitiesForbidden(name, None, base, sysid, pubid, notation)


def _refuse_external(context: str, base: str | None, sysid: str | None, pubid: str | None) -> NoReturn:
    raise ExternalReferenceForbidden(context, base, sysid, pubid)


def _refusal(exc: DefusedXmlException) -> str:
    """A user-facing reason for a refused construct; never expands what it names."""
    if isinstance(exc, EntitiesForbidden):
        return f"entity declarations are not allowed (entity {exc.name!r}); refusing to expand it"
    if isinstance(exc, ExternalReferenceForbidden):
        return f"external references are not allowed ({exc.sysid or exc.pubid})"
    return f"unsafe XML refused: {exc}"


class _TooDeep(Exception):
    """Raised inside expat's handler; turned into a ParseError where the parser is driven."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class _Builder:
    """Expat handlers that keep only wanted subtrees and queue them when complete."""

    def __init__(self, tags: set[str], with_root: bool) -> None:
        self.tags = tags
        self.with_root = with_root
        self.parser: Any = None
        self.ready: deque[tuple[LocatedElement, bool]] = deque()
        # One entry per open element: the kept element (None outside wanted subtrees)
        # and whether the element itself is a wanted one.
        self._stack: list[tuple[LocatedElement | None, bool]] = []
        self._wanted_depth = 0
        self._last: LocatedElement | None = None
        self._tail = False

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if len(self._stack) >= MAX_DEPTH:
            raise _TooDeep(self.parser.CurrentLineNumber)
        name = tag.rpartition("}")[2]
        wanted = name in self.tags
        element: LocatedElement | None = None
        if wanted or self._wanted_depth:
            element = self._element(name, attrib)
            if self._wanted_depth:
                parent = self._stack[-1][0]
                if parent is not None:
                    parent.append(element)
            if wanted:
                self._wanted_depth += 1
        elif self.with_root and not self._stack:
            self.ready.append((self._element(name, attrib), False))
        self._stack.append((element, wanted))
        self._last, self._tail = element, False

    def end(self, _tag: str) -> None:
        element, wanted = self._stack.pop()
        if wanted and element is not None:
            self._wanted_depth -= 1
            self.ready.append((element, self._wanted_depth == 0))
        # Text after an outermost wanted element belongs to no kept element.
        self._last = element if self._wanted_depth else None
        self._tail = True

    def data(self, text: str) -> None:
        # With buffer_text, expat delivers each run of text in one call.
        last = self._last
        if last is None:
            return
        if self._tail:
            last.tail = (last.tail or "") + text
        else:
            last.text = (last.text or "") + text

    def _element(self, name: str, attrib: dict[str, str]) -> LocatedElement:
        if attrib and "}" in "".join(attrib):
            attrib = {("{" + key if "}" in key else key): value for key, value in attrib.items()}
        element = LocatedElement(name, attrib)
        element.line = self.parser.CurrentLineNumber
        return element
