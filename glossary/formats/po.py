"""gettext catalogues: read a .po/.pot into a PoCatalog, write it back as msgcat would, compile a .mo."""

from __future__ import annotations

from glossary.formats.mo import generate_mo, write_mo
from glossary.formats.po_read import read_po
from glossary.formats.po_write import encode_po, generate_po, write_po

__all__ = ["encode_po", "generate_mo", "generate_po", "read_po", "write_mo", "write_po"]
