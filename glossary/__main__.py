"""``python -m glossary``: the same command line as the ``glossary`` script."""

from glossary.entry import run

run()
