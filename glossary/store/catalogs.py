"""A document's gettext catalogue built from the database, and the record each export leaves behind.

Articles get a catalogue made for translators: ``msgctxt`` is the segment key, ``#:`` the line
of the article, ``#.`` the names the segment mentions with the form the term base prefers in
the catalogue's language, ``#,`` fuzzy with ``#|`` the previous source. A document that came
from a .po file is written back exactly as it was read.

Headers come from Babel's locale data: ``Language-Team`` is the language's own name and
``Plural-Forms`` Babel's (CLDR's) rule, except French: gettext's two forms ``(n > 1)`` rather
than CLDR's three. CLDR's third French form ("many") covers exact multiples of a million
(« un million de personnes ») and nothing else; gettext's manual, msginit and French catalogues
in the wild (GNU, GNOME, KDE, Weblate's default) use two forms, so two keep our catalogues
mergeable with theirs, and a third form would make every French plural message carry a copy
of "other" for a case our texts do not have.

Dates are stable: ``POT-Creation-Date`` is when the document entered the database and
``PO-Revision-Date`` the latest change to a translation in that language, so exporting
unchanged data twice writes the same bytes.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, and_, func
from sqlmodel import Session, select

from glossary.gcpause import collector_paused
from glossary.model.catalog import FUZZY, PoCatalog, PoMessage
from glossary.model.catalog_langs import english_name, gettext_language, language_team, plural_forms
from glossary.model.errors import NotFoundError
from glossary.model.records import ConceptRecord
from glossary.model.tables import Catalog, CatalogEntry, Document, Segment, Translation, utcnow
from glossary.recognize.index import TermIndex

PO_ORIGIN = "po"
TEMPLATE = ""  # the ``lang`` of a template's Catalog row
DEFAULT_TRANSLATOR = "Glossary contributors"
DATE_FORMAT = "%Y-%m-%d %H:%M+0000"


@dataclass(frozen=True, slots=True)
class ExportedCatalog:
    """A catalogue ready to write, with the translation versions it holds (segment id → version)."""

    document: str
    document_id: int
    lang: str | None
    catalog: PoCatalog
    versions: dict[int, int] = field(default_factory=dict)


def ensure_tables(session: Session) -> None:
    """Create the catalogue tables in a database made before they existed."""
    connection = session.connection()
    for table in (Catalog, CatalogEntry):
        table.__table__.create(connection, checkfirst=True)  # type: ignore[attr-defined]


def find_document(session: Session, name: str) -> Document:
    """The document called ``name``."""
    document = session.exec(select(Document).where(Document.name == name)).first()
    if document is None:
        raise NotFoundError(f"no document named {name!r}")
    return document


def is_po_document(session: Session, document_id: int) -> bool:
    """Whether the document came from a .po file (and is written back verbatim)."""
    found = session.exec(
        select(Catalog.id).where(Catalog.document_id == document_id, Catalog.origin == PO_ORIGIN)
    ).first()
    return found is not None


def translated_languages(*, session: Session, document: str) -> list[str]:
    """The languages the document has translations in, sorted."""
    ensure_tables(session)
    doc = find_document(session, document)
    rows = session.exec(
        select(Translation.lang).join(Segment, Segment.id == Translation.segment_id)
        .where(Segment.document_id == doc.id).distinct()
    )
    langs = set(rows)
    langs.update(row for row in session.exec(
        select(Catalog.lang).where(Catalog.document_id == doc.id, Catalog.origin == PO_ORIGIN)
    ) if row)
    return sorted(langs)


def build_catalog(
    *,
    session: Session,
    document: str,
    lang: str | None,
    concepts: Sequence[ConceptRecord] = (),
    index: TermIndex | None = None,
) -> ExportedCatalog:
    """The catalogue of ``document`` in ``lang`` (``None``: the template), ready to write.

    ``concepts`` is the term base whose names are listed in the ``#.`` comments of an article, and
    ``index`` its compiled recognizer (compiled here when not given).
    """
    ensure_tables(session)
    doc = find_document(session, document)
    assert doc.id is not None
    if is_po_document(session, doc.id):
        return _verbatim(session, doc, lang)
    return _article(session, doc, lang, concepts, index)


def _rows(session: Session, document_id: int, lang: str | None) -> list[tuple[Any, ...]]:
    """Segments in catalogue order (live ones, then obsolete) with their translation and extras in
    ``lang``, as plain tuples (``obsolete`` is 0 or 1 on SQLite): see :func:`plain_rows`; sorting
    in Python is cheaper than SQLite's sort of the wide rows."""
    tag = lang or TEMPLATE
    statement = (
        select(Segment.id, Segment.key, Segment.source, Segment.source_plural, Segment.context,
               Segment.comments, Segment.references, Segment.flags, Segment.previous_source,
               Segment.obsolete, Translation.text, Translation.plurals, Translation.state,
               Translation.version, CatalogEntry.translator_comments, CatalogEntry.previous_context,
               CatalogEntry.previous_plural, Segment.position)
        .outerjoin(Translation, and_(Translation.segment_id == Segment.id, Translation.lang == tag))
        .outerjoin(CatalogEntry, and_(CatalogEntry.segment_id == Segment.id, CatalogEntry.lang == tag))
        .where(Segment.document_id == document_id)
    )
    rows = plain_rows(session, statement)
    rows.sort(key=lambda row: (bool(row[9]), row[17], row[0]))
    return rows


def plain_rows(session: Session, statement: Select[Any]) -> list[tuple[Any, ...]]:
    """The rows of ``statement`` as the database driver gives them: plain tuples, no type conversion
    (a boolean is 0 or 1 on SQLite). ORM objects, or even SQLAlchemy's rows, cost seconds at a
    hundred thousand rows; the driver's ``fetchall`` builds the tuples in C."""
    result = session.connection().execute(statement)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


def _translation_parts(
    text: str | None, plurals: str | None, state: str | None, plural: bool
) -> tuple[str, tuple[str, ...], bool]:
    """(msgstr, msgstr[n], fuzzy) of a translation (``text`` None: there is none)."""
    if text is None:
        return "", (), False
    fuzzy = state in ("fuzzy", "new") and bool(text)
    if plural:
        forms = tuple(json.loads(plurals)) if plurals else (text,)
        return "", forms, fuzzy and any(forms)
    return text, (), fuzzy


def _lines(text: str | None) -> tuple[str, ...]:
    return tuple(text.split("\n")) if text is not None else ()


def _article(
    session: Session, doc: Document, lang: str | None, concepts: Sequence[ConceptRecord],
    index: TermIndex | None = None,
) -> ExportedCatalog:
    assert doc.id is not None
    names = _NameLister(concepts, lang, index) if concepts else None
    messages = [_article_header(session, doc, lang)]
    versions: dict[int, int] = {}
    for row in _rows(session, doc.id, lang):
        (segment_id, key, source, _plural, _context, _comments, references, _flags, previous,
         obsolete, text, _plurals, state, version, translator, *_rest) = row
        msgstr, _forms, fuzzy = _translation_parts(text, None, state, plural=False)
        if lang is None:
            msgstr, fuzzy = "", False
        else:
            versions[segment_id] = version or 0
        messages.append(PoMessage(
            msgid=source,
            msgstr=msgstr,
            msgctxt=key,
            translator_comments=_lines(translator),
            extracted_comments=names.comments(source) if names is not None else (),
            references=tuple(references.split()) if references else (),
            flags=(FUZZY,) if fuzzy else (),
            previous_msgid=previous if fuzzy else None,
            obsolete=bool(obsolete),
        ))
    catalog = PoCatalog(messages=tuple(messages), charset="UTF-8")
    return ExportedCatalog(doc.name, doc.id, lang, catalog, versions)


def _article_header(session: Session, doc: Document, lang: str | None) -> PoMessage:
    assert doc.id is not None
    created = _utc(doc.created)
    revised, translator = created, DEFAULT_TRANSLATOR
    if lang is not None:
        latest = session.exec(
            select(func.max(Translation.updated)).join(Segment, Segment.id == Translation.segment_id)
            .where(Segment.document_id == doc.id, Translation.lang == lang)
        ).first()
        if latest is not None:
            revised = max(created, _utc(latest))
        author = session.exec(
            select(Translation.author).join(Segment, Segment.id == Translation.segment_id)
            .where(Segment.document_id == doc.id, Translation.lang == lang, Translation.author.is_not(None))
            .order_by(Translation.updated.desc())
        ).first()
        translator = author or DEFAULT_TRANSLATOR
    fields = [("Project-Id-Version", doc.name), ("POT-Creation-Date", created.strftime(DATE_FORMAT)),
              ("PO-Revision-Date", revised.strftime(DATE_FORMAT)), ("Last-Translator", translator)]
    if lang is not None:
        fields += [("Language-Team", language_team(lang)), ("Language", gettext_language(lang))]
    else:  # as xgettext leaves them, for msginit to fill in
        fields += [("Language-Team", "LANGUAGE <LL@li.org>"), ("Language", "")]
    fields += [("MIME-Version", "1.0"), ("Content-Type", "text/plain; charset=UTF-8"),
               ("Content-Transfer-Encoding", "8bit")]
    if lang is not None:
        fields.append(("Plural-Forms", plural_forms(lang)))
    what = f"{english_name(lang)} translation" if lang else "Template for translations"
    comments = [f"{what} of {doc.name!r}, exported by Glossary."]
    if doc.credit:
        comments += textwrap.wrap(doc.credit, width=77, break_on_hyphens=False, break_long_words=False)
    return PoMessage(
        msgid="",
        msgstr="".join(f"{name}: {value}\n" for name, value in fields),
        translator_comments=tuple(comments),
        # A template's header is fuzzy until a translator fills it in (as xgettext writes it).
        flags=(FUZZY,) if lang is None else (),
    )


def _utc(moment: datetime) -> datetime:
    """Database times: SQLite gives them back without a zone; they were written in UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class _NameLister:
    """The ``#.`` lines of a segment: each name it mentions, with the form preferred in ``lang``."""

    def __init__(self, concepts: Sequence[ConceptRecord], lang: str | None, index: TermIndex | None) -> None:
        from glossary.recognize.spans import compile_index

        self.index = index if index is not None else compile_index(concepts)
        self.by_id = {concept.id: concept for concept in concepts}
        self.lang = lang

    def comments(self, source: str) -> tuple[str, ...]:
        from glossary.recognize.spans import recognize

        lines: list[str] = []
        seen: set[tuple[str, str]] = set()
        for span in recognize(source, "en", self.index):
            if (span.concept, span.surface) in seen:
                continue
            seen.add((span.concept, span.surface))
            if self.lang is None:
                lines.append(f"{span.surface} ({span.concept})")
                continue
            concept = self.by_id.get(span.concept)
            matched = next((t for t in concept.terms if t.text == span.term and t.lang == span.lang), None) \
                if concept else None
            preferred = concept.preferred(self.lang, matched.type if matched else None) if concept else None
            if preferred is not None:
                lines.append(f"{span.surface} → {preferred.text}")
        return tuple(lines)


def _verbatim(session: Session, doc: Document, lang: str | None) -> ExportedCatalog:
    """A document that came from a .po: every entry as it was read, the header as it came."""
    assert doc.id is not None
    stored = session.exec(
        select(Catalog).where(Catalog.document_id == doc.id, Catalog.lang == (lang or TEMPLATE))
    ).first()
    header = message_from_json(stored.header) if stored is not None and stored.header else None
    messages = [header] if header is not None else []
    versions: dict[int, int] = {}
    with collector_paused():
        for row in _rows(session, doc.id, lang):
            (segment_id, _key, source, plural, context, comments, references, stored_flags, previous,
             obsolete, text, plurals, state, version, translator, previous_context, previous_plural,
             _position) = row
            if plural is None and text is not None and lang is not None:  # most entries: written out
                msgstr, forms, fuzzy = text, (), bool(text) and state in ("fuzzy", "new")
            else:
                msgstr, forms, fuzzy = _translation_parts(text, plurals, state, plural is not None)
            if lang is None:
                msgstr, forms, fuzzy = "", tuple("" for _ in forms) or (("", "") if plural else ()), False
            else:
                versions[segment_id] = version or 0
            flags = tuple(f.strip() for f in stored_flags.split(",") if f.strip()) if stored_flags else ()
            messages.append(PoMessage(
                source, msgstr, context, plural, forms,
                tuple(translator.split("\n")) if translator is not None else (),
                tuple(comments.split("\n")) if comments is not None else (),
                tuple(references.split("\n")) if references else (),
                (_FUZZY_FLAGS + flags if flags else _FUZZY_FLAGS) if fuzzy else flags,
                previous_context, previous, previous_plural, bool(obsolete),
            ))
        charset = stored.charset if stored is not None else "UTF-8"
        catalog = PoCatalog(messages=tuple(messages), charset=charset)
    return ExportedCatalog(doc.name, doc.id, lang, catalog, versions)


_FUZZY_FLAGS = (FUZZY,)


def message_to_json(message: PoMessage) -> str:
    """A header entry as stored in ``Catalog.header``."""
    return json.dumps({
        "msgstr": message.msgstr,
        "translator_comments": list(message.translator_comments),
        "extracted_comments": list(message.extracted_comments),
        "references": list(message.references),
        "flags": list(message.flags),
    }, ensure_ascii=False)


def message_from_json(text: str) -> PoMessage:
    """The header entry stored by :func:`message_to_json`."""
    data = json.loads(text)
    return PoMessage(
        msgid="",
        msgstr=data["msgstr"],
        translator_comments=tuple(data["translator_comments"]),
        extracted_comments=tuple(data["extracted_comments"]),
        references=tuple(data["references"]),
        flags=tuple(data["flags"]),
    )


def record_export(*, session: Session, exported: ExportedCatalog) -> None:
    """Remember which translation versions the export wrote; the caller commits."""
    lang = exported.lang or TEMPLATE
    row = session.exec(
        select(Catalog).where(Catalog.document_id == exported.document_id, Catalog.lang == lang)
    ).first()
    if row is None:
        row = Catalog(document_id=exported.document_id, lang=lang)
        session.add(row)
    row.exported = json.dumps({str(k): v for k, v in exported.versions.items()}, separators=(",", ":"))
    row.exported_at = utcnow()
    session.flush()
