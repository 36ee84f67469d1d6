"""What the database holds, listed: each document with its source language and translation languages."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from glossary.model.tables import Document, Segment, Translation


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """A document's name, the file it came from, its source language and its translations' languages."""

    name: str
    path: str | None
    source_lang: str
    languages: tuple[str, ...]


def list_documents(*, session: Session) -> list[DocumentInfo]:
    """Every document, by name, with the languages that have at least one translation."""
    documents = session.exec(select(Document).order_by(Document.name)).all()
    rows = session.exec(
        select(Segment.document_id, Translation.lang)
        .join(Translation, Translation.segment_id == Segment.id)
        .distinct()
    ).all()
    languages: dict[int, set[str]] = {}
    for document_id, lang in rows:
        languages.setdefault(document_id, set()).add(lang)
    return [
        DocumentInfo(doc.name, doc.path, doc.source_lang, tuple(sorted(languages.get(doc.id or 0, ()))))
        for doc in documents
    ]
