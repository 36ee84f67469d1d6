"""Write a new revision: ``python -m glossary.store.migrations "what changed"``.

The models (``glossary/model/tables.py``) are compared with a fresh SQLite database upgraded to
the current head, and the difference becomes ``versions/NNNN_what_changed.py`` (Alembic's
autogenerate). Read it before committing: add what autogenerate cannot see (triggers, data).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from glossary.store.schema import new_revision


def main(argv: list[str]) -> int:
    """Create the revision file and print its path."""
    if len(argv) != 1 or not argv[0].strip():
        print('usage: python -m glossary.store.migrations "what changed"', file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        path = new_revision(argv[0], url=f"sqlite:///{Path(folder) / 'head.db'}")
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
