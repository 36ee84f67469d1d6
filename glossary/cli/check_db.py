"""The database's documents as check units: each segment with its translation in every language."""

from __future__ import annotations

from glossary.checks.model import CheckUnit
from glossary.workspace import Workspace


def database_units(workspace: Workspace, languages: tuple[str, ...] | None) -> tuple[list[CheckUnit], int]:
    """Units of every document (``path`` is ``document/lang``, ``line`` the segment's position), and how
    many documents there are. Untranslated segments are checked on their source only."""
    from glossary.store.documents import list_segments
    from glossary.store.listing import list_documents

    units: list[CheckUnit] = []
    with workspace.session() as session:
        documents = list_documents(session=session)
        for document in documents:
            wanted = [lang for lang in document.languages if languages is None or lang in languages]
            sources = list_segments(session=session, document=document.name)
            translated: set[str] = set()
            for lang in wanted:
                for row in list_segments(session=session, document=document.name, lang=lang):
                    if not row.target:
                        continue
                    translated.add(row.key)
                    units.append(
                        CheckUnit(
                            key=row.key,
                            source=row.source,
                            source_lang=document.source_lang,
                            target=row.target,
                            target_lang=lang,
                            path=f"{document.name}/{lang}",
                            line=row.position + 1,
                            source_line=row.position + 1,
                            state=row.state,
                        )
                    )
            for row in sources:
                if row.key not in translated:
                    units.append(
                        CheckUnit(
                            key=row.key,
                            source=row.source,
                            source_lang=document.source_lang,
                            target=None,
                            target_lang=None,
                            path=f"{document.name}/{document.source_lang}",
                            line=row.position + 1,
                            source_line=row.position + 1,
                        )
                    )
    return units, len(documents)
