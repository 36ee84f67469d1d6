"""The document check in a process of its own: ``python -m tui.background URL DOCUMENT LANG`` writes
the findings by segment key, pickled, to its standard output (read only by the app that started it)."""

from __future__ import annotations

import pickle
import sys


def main() -> int:
    from tui.data import check_document

    url, document, lang = sys.argv[1:4]
    findings = check_document(url, document, lang)
    pickle.dump(findings, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
