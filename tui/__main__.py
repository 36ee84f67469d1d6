"""``python -m tui``: the review app."""

import sys

from tui.cli import main

sys.exit(main())
