"""TBX term bases: read TBX v3 (TBX-Basic) and v2 (martif) incrementally, write TBX-Basic (DCA).

What goes where in the written file (the reader takes each back):

- concept kind → ``<descrip type="subjectField">`` (omitted for ``other``); concept
  note → ``<descrip type="definition">``; external id → ``<xref
  type="externalCrossReference" target=URL>ID</xref>`` (a Wikidata Q-number gets
  its Wikidata URL as target);
- status → ``<termNote type="administrativeStatus">`` with the four TBX-Basic
  values; ``forbidden`` has no TBX value, so it is written as
  ``deprecatedTerm-admn-sts`` plus ``<admin type="x-status">forbidden</admin>``,
  which other readers ignore and which turns it back into ``forbidden`` here;
- type → ``<termNote type="termType">`` (fullForm, shortForm, abbreviation), or
  ``<termNote type="partOfSpeech">adjective</termNote>`` for adjectives;
- term source → ``<admin type="source">``; when the writer is given the sources register and
  the source is one of its entries, also ``<xref type="externalCrossReference" target=URL>``
  with the entry's title (readers keep the ``source`` and skip the link); term note →
  ``<note>``;
- scheme, origin and validity (term or concept) → the private admin categories
  ``x-scheme``, ``x-origin``, ``x-validFrom`` and ``x-validUntil``. They are
  well-formed TBX that ordinary readers skip, though a strict TBX-Basic schema
  check lists them as unknown.

Terms come out grouped by language (languages in first-seen order, terms in
their given order). A term without ``x-origin`` was not written by Glossary and
reads as ``imported``; surrounding whitespace of texts is not significant.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

from glossary.formats.xmlsafe import XML_LANG, LocatedElement, iter_elements, text_of, xml_attr, xml_text
from glossary.model.conceptid import parse_concept_id
from glossary.model.errors import GlossaryError, ParseError
from glossary.model.langtag import parse_lang
from glossary.model.limits import check_concept, check_term
from glossary.model.records import (
    CONCEPT_KINDS,
    ORIGINS,
    STATUSES,
    ConceptRecord,
    SourceRecord,
    TermRecord,
    ascii_slug,
    checked_choice,
)

TBX_NAMESPACE = "urn:iso:std:iso:30042:ed-2"
_SCHEMA_BASE = "https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA"
_WIKIDATA = "https://www.wikidata.org/wiki/"

_STATUS_TO_TBX = {
    "preferred": "preferredTerm-admn-sts",
    "admitted": "admittedTerm-admn-sts",
    "deprecated": "deprecatedTerm-admn-sts",
    "superseded": "supersededTerm-admn-sts",
    "forbidden": "deprecatedTerm-admn-sts",
}
# Keys are values with any "-admn-sts" and "Term" suffix removed, lower-cased;
# they cover TBX-Basic administrativeStatus, v2 normativeAuthorization and the
# plain words other tools write.
_STATUS_FROM_TBX = {
    "preferred": "preferred",
    "standardized": "preferred",
    "admitted": "admitted",
    "legal": "admitted",
    "regulated": "admitted",
    "deprecated": "deprecated",
    "superseded": "superseded",
    "obsolete": "superseded",
    "forbidden": "forbidden",
}
_TYPE_TO_TBX = {"full_form": "fullForm", "short_form": "shortForm", "abbreviation": "abbreviation"}
_TYPE_FROM_TBX = {
    "fullform": "full_form",
    "shortform": "short_form",
    "abbreviation": "abbreviation",
    "acronym": "abbreviation",
    "initialism": "abbreviation",
}
# Term-level admin categories and the TermRecord field each one fills.
_TERM_ADMINS = {
    "source": "source",
    "x-scheme": "scheme",
    "x-origin": "origin",
    "x-status": "status",
    "x-validFrom": "valid_from",
    "x-validUntil": "valid_until",
}
_KIND_ALIASES = {"organization": "organisation"}
_ENTRY_TAGS = {"conceptEntry", "termEntry"}
_SLUG_LENGTH = 80  # of an id made from a term: room for a "_2" suffix within the id grammar
_LANG_TAGS = {"langSec", "langSet"}
_TERM_TAGS = {"termSec", "tig", "ntig"}


def read_tbx(fileobj: IO[bytes], path: str = "<input>") -> Iterator[ConceptRecord]:
    """Concepts of a TBX file, one entry at a time, in file order."""
    items = iter_elements(fileobj, path, _ENTRY_TAGS, with_root=True)
    first = next(items, None)
    if first is None:
        raise ParseError(path, 1, "not a TBX file: no root element")
    root, line = first
    if root.tag not in ("tbx", "martif"):
        raise ParseError(path, line, f"not a TBX file: the root element is <{root.tag}>")
    default_lang = root.get(XML_LANG)
    seen: dict[str, int] = {}
    for entry, line in items:
        yield _read_entry(entry, line, path, default_lang, seen)


def _read_entry(
    entry: LocatedElement, line: int, path: str, default_lang: str | None, seen: dict[str, int]
) -> ConceptRecord:
    concept = ConceptRecord(id=(entry.get("id") or "").strip())
    # Note candidates, best first: concept definitions, language definitions
    # (where TBX-Basic puts them), then concept notes.
    notes: tuple[list[str], list[str], list[str]] = ([], [], [])
    for item in _metadata(entry, _LANG_TAGS):
        _apply_concept_item(concept, item, notes)
    for section in entry:
        if section.tag not in _LANG_TAGS:
            continue
        lang = (section.get(XML_LANG) or default_lang or "").strip()
        if not lang:
            raise ParseError(path, _line(section), f"<{section.tag}> without xml:lang")
        lang = parse_lang(lang, path, _line(section), "xml:lang")
        for item in _metadata(section, _TERM_TAGS):
            if item.tag == "descrip" and item.get("type") in (None, "definition") and text_of(item):
                notes[1].append(text_of(item))
        concept.terms.extend(_read_term(group, lang, path) for group in section if group.tag in _TERM_TAGS)
    concept.note = next((found[0] for found in notes if found), None)
    optional = ("note", "external_id", "valid_from", "valid_until")
    stated = {name for name in optional if getattr(concept, name) is not None}
    concept.given = frozenset(stated | ({"kind"} if concept.kind != "other" else set()))
    if not concept.id:
        if entry.tag == "conceptEntry":
            raise ParseError(path, line, "<conceptEntry> without id")
        concept.id = _unique(_generated_id(concept, path, line), seen)
    else:
        parse_concept_id(concept.id, path, line)
    if concept.id in seen:
        raise ParseError(
            path, line, f"duplicate concept id {concept.id!r} (first on line {seen[concept.id]})"
        )
    seen[concept.id] = line
    return check_concept(concept, path, line)


def _apply_concept_item(
    concept: ConceptRecord, item: LocatedElement, notes: tuple[list[str], list[str], list[str]]
) -> None:
    kind, value = item.get("type"), text_of(item)
    if item.tag == "descrip" and kind == "subjectField":
        value = _KIND_ALIASES.get(value.lower(), value.lower())
        if value in CONCEPT_KINDS:
            concept.kind = value
    elif item.tag == "descrip" and kind in (None, "definition") and value:
        notes[0].append(value)
    elif item.tag == "note" and value:
        notes[2].append(value)
    elif item.tag in ("xref", "ref") and kind in (None, "externalCrossReference", "crossReference"):
        target = (item.get("target") or "").strip()
        if concept.external_id is None and (value or target):
            concept.external_id = value or _external_id_from(target)
    elif item.tag == "admin" and kind == "x-validFrom":
        concept.valid_from = value or None
    elif item.tag == "admin" and kind == "x-validUntil":
        concept.valid_until = value or None


def _read_term(group: LocatedElement, lang: str, path: str) -> TermRecord:
    term = next(group.iter("term"), None)
    if term is None:
        raise ParseError(path, _line(group), f"<{group.tag}> without <term>")
    text = text_of(term)
    if not text:
        raise ParseError(path, _line(term), "<term> without text")
    fields: dict[str, Any] = {"lang": lang, "text": text, "origin": "imported"}
    status = explicit_status = term_type = None
    adjective = False
    # Items inside a descripGrp qualify that description (e.g. the source of a
    # context sentence), not the term, so they are not read as term data.
    for item in _metadata(group, {"descripGrp"}):
        kind, value = item.get("type"), text_of(item)
        if item.tag == "termNote" and kind in ("administrativeStatus", "normativeAuthorization"):
            status = _status_from(value, path, _line(item))
        elif item.tag == "termNote" and kind == "termType":
            term_type = _TYPE_FROM_TBX.get(value.lower(), "full_form")
        elif item.tag == "termNote" and kind == "partOfSpeech":
            adjective = value.lower() == "adjective"
        elif item.tag == "note" and value:
            fields.setdefault("note", value)
        elif item.tag == "admin" and value:
            name = _TERM_ADMINS.get(kind or "")
            if name == "status":
                explicit_status = checked_choice(value, STATUSES, "status", path, _line(item))
            elif name == "origin":
                fields["origin"] = checked_choice(value, ORIGINS, "origin", path, _line(item))
            elif name:
                fields[name] = value
    given = {name for name in fields if name != "origin"}
    if "origin" in fields and fields["origin"] != "imported":
        given.add("origin")
    if explicit_status or status:
        given.add("status")
    if adjective or term_type:
        given.add("type")
    fields["status"] = explicit_status or status or "preferred"
    fields["type"] = "adjective" if adjective else term_type or "full_form"
    return check_term(TermRecord(**fields, given=frozenset(given)), path, _line(term))


def _metadata(container: LocatedElement, stop: set[str]) -> list[LocatedElement]:
    """Descendants of ``container`` in document order, entering groups but not ``stop`` elements."""
    found: list[LocatedElement] = []
    pending = [iter(container)]
    while pending:
        for child in pending[-1]:
            if child.tag in stop:
                continue
            found.append(child)
            if len(child):
                pending.append(iter(child))
                break
        else:
            pending.pop()
    return found


def _status_from(value: str, path: str, line: int | None) -> str:
    status = _status_key(value)
    if status is None:
        raise ParseError(path, line, f"unknown administrative status {value!r}")
    return status


@functools.lru_cache(maxsize=64)
def _status_key(value: str) -> str | None:
    key = re.sub(r"[-_ ]?admn[-_ ]?sts$", "", value.strip(), flags=re.IGNORECASE).lower()
    return _STATUS_FROM_TBX.get(key.removesuffix("term"))


def _external_id_from(target: str) -> str:
    return target.removeprefix(_WIKIDATA) if re.fullmatch(re.escape(_WIKIDATA) + r"Q\d+", target) else target


def _generated_id(concept: ConceptRecord, path: str, line: int) -> str:
    """A stable slug from the entry's first term that has ASCII letters, else a hash of the first term."""
    if not concept.terms:
        raise ParseError(path, line, "<termEntry> without id and without terms")
    for term in concept.terms:
        slug = ascii_slug(term.text)[:_SLUG_LENGTH].rstrip("_")
        if slug:
            return slug
    return "term_" + hashlib.sha1(concept.terms[0].text.encode("utf-8")).hexdigest()[:10]


def _unique(base: str, seen: dict[str, int]) -> str:
    candidate, number = base, 1
    while candidate in seen:
        number += 1
        candidate = f"{base}_{number}"
    return candidate


def _line(element: LocatedElement) -> int | None:
    return getattr(element, "line", None) or None


def generate_tbx(
    concepts: Iterable[ConceptRecord],
    *,
    source_lang: str = "en",
    title: str = "Glossary term base",
    sources: Mapping[str, SourceRecord] | None = None,
) -> Iterator[str]:
    """Yield a TBX-Basic (TBX v3, DCA style) document, one concept per chunk; same input, same bytes.

    With ``sources`` (register entries by id), a term whose source is an entry with a URL
    also links to it.
    """
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    for schema, kind in (
        ("TBXcoreStructV03_TBX-Basic_integrated.rng", "http://relaxng.org/ns/structure/1.0"),
        ("TBX-Basic_DCA.sch", "http://purl.oclc.org/dsdl/schematron"),
    ):
        yield f'<?xml-model href="{_SCHEMA_BASE}/{schema}" type="application/xml" schematypens="{kind}"?>\n'
    yield (
        f'<tbx type="TBX-Basic" style="dca" xml:lang="{_attr(source_lang)}" xmlns="{TBX_NAMESPACE}">\n'
        "  <tbxHeader>\n    <fileDesc>\n"
        f"      <titleStmt>\n        <title>{_text(title)}</title>\n      </titleStmt>\n"
        "      <sourceDesc>\n        <p>Exported by Glossary</p>\n      </sourceDesc>\n"
        "    </fileDesc>\n  </tbxHeader>\n  <text>\n    <body>\n"
    )
    for concept in concepts:
        yield "".join(_concept_lines(concept, sources or {}))
    yield "    </body>\n  </text>\n</tbx>\n"


def _concept_lines(concept: ConceptRecord, sources: Mapping[str, SourceRecord]) -> Iterator[str]:
    pad = " " * 6
    yield f'{pad}<conceptEntry id="{_attr(concept.id)}">\n'
    if concept.kind != "other":
        yield f'{pad}  <descrip type="subjectField">{_text(concept.kind)}</descrip>\n'
    if concept.note:
        yield f'{pad}  <descrip type="definition">{_text(concept.note)}</descrip>\n'
    if concept.external_id:
        target = concept.external_id
        if re.fullmatch(r"Q\d+", target):
            target = _WIKIDATA + target
        yield (
            f'{pad}  <xref type="externalCrossReference" target="{_attr(target)}">'
            f"{_text(concept.external_id)}</xref>\n"
        )
    yield from _admins(
        pad + "  ", (("x-validFrom", concept.valid_from), ("x-validUntil", concept.valid_until))
    )
    languages: dict[str, list[TermRecord]] = {}
    for term in concept.terms:
        languages.setdefault(term.lang, []).append(term)
    for lang, terms in languages.items():
        yield f'{pad}  <langSec xml:lang="{_attr(lang)}">\n'
        for term in terms:
            yield from _term_lines(term, pad + "    ", sources)
        yield f"{pad}  </langSec>\n"
    yield f"{pad}</conceptEntry>\n"


def _term_lines(term: TermRecord, pad: str, sources: Mapping[str, SourceRecord]) -> Iterator[str]:
    yield f"{pad}<termSec>\n"
    yield f"{pad}  <term>{_text(term.text)}</term>\n"
    if term.type == "adjective":
        yield f'{pad}  <termNote type="partOfSpeech">adjective</termNote>\n'
    else:
        yield f'{pad}  <termNote type="termType">{_lookup(_TYPE_TO_TBX, term.type, term)}</termNote>\n'
    status = _lookup(_STATUS_TO_TBX, term.status, term)
    yield f'{pad}  <termNote type="administrativeStatus">{status}</termNote>\n'
    yield from _admins(
        pad + "  ",
        (
            ("source", term.source),
            ("x-scheme", term.scheme),
            ("x-origin", term.origin),
            ("x-status", "forbidden" if term.status == "forbidden" else None),
            ("x-validFrom", term.valid_from),
            ("x-validUntil", term.valid_until),
        ),
    )
    cited = sources.get(term.source) if term.source else None
    if cited is not None and cited.url:
        yield (
            f'{pad}  <xref type="externalCrossReference" target="{_attr(cited.url)}">'
            f"{_text(cited.title)}</xref>\n"
        )
    if term.note:
        yield f"{pad}  <note>{_text(term.note)}</note>\n"
    yield f"{pad}</termSec>\n"


def _lookup(table: dict[str, str], value: str, term: TermRecord) -> str:
    if value not in table:
        raise GlossaryError(f"cannot export term {term.text!r}: unknown status or type {value!r}")
    return table[value]


def _admins(pad: str, pairs: Iterable[tuple[str, str | None]]) -> Iterator[str]:
    for kind, value in pairs:
        if value:
            yield f'{pad}<admin type="{kind}">{_text(value)}</admin>\n'


def _text(value: str) -> str:
    return xml_text(value)


def _attr(value: str) -> str:
    """An attribute value without its quotes (the templates above write them)."""
    return xml_attr(value)[1:-1]
