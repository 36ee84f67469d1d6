"""``python -m glossary``: the same command line as the ``glossary`` script."""

from glossary.cli import run

run()
