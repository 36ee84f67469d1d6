"""Where the database is: the URL a command uses (option, ``$GLOSSARY_DB``, the default file)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_VAR = "GLOSSARY_DB"


def default_path() -> Path:
    """The SQLite file used when no URL is given."""
    return Path(platformdirs.user_data_dir("glossary", appauthor=False)) / "glossary.db"


def resolve_url(url: str | None = None) -> str:
    """The URL a command should use: the option, then ``$GLOSSARY_DB``, then the default file."""
    url = url or os.environ.get(ENV_VAR) or f"sqlite:///{default_path()}"
    if url.startswith(("postgresql://", "postgres://")):
        # SQLAlchemy would pick psycopg2; the project ships psycopg 3.
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url
