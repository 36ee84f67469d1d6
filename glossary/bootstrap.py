"""The bundled material loaded into a new database: term base, article, translations, memory."""

from __future__ import annotations

from sqlmodel import Session

from glossary.formats.seed import bundled_path, read_termbase_toml
from glossary.store.termbase import merge_concepts

ARTICLE_NAME = "article"
ARTICLE_CREDIT = (
    "Source article: an analysis of the January 2022 events in Kazakhstan and the CSTO "
    "deployment, from the yesxorno newsletter (https://yesxorno.substack.com), "
    "© the blog's author, licensed CC BY-SA 4.0 "
    "(https://creativecommons.org/licenses/by-sa/4.0/). The translations into ru, kk, de "
    "and fr shipped with Glossary are adaptations under the same licence."
)


def load_bundle(*, session: Session) -> None:
    """Seed an empty database with everything Glossary ships; the caller commits."""
    from glossary.memory.units import sync_from_documents
    from glossary.store.documents import import_document, load_bundled_translations

    merge_concepts(session=session, concepts=read_termbase_toml(), origin="entered")
    article = bundled_path("article.txt")
    import_document(
        session=session,
        name=ARTICLE_NAME,
        text=article.read_text(encoding="utf-8"),
        path=article.name,
        credit=ARTICLE_CREDIT,
    )
    load_bundled_translations(session=session, document=ARTICLE_NAME)
    session.flush()
    sync_from_documents(session=session)
