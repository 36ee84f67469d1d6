"""The app's long-lived objects taken out of the garbage collector's full passes once they are loaded."""

from __future__ import annotations

import gc


def settle() -> None:
    """Exempt every object alive now from the collector's passes (``gc.freeze``).

    Call it when a large batch of objects that live as long as the app has just been loaded (the
    segment list, the workspace and its imports, the recognizer and memory index, the document's
    findings). The collector's full passes otherwise walk all of them again and again: at 100,000
    segments one pass took up to 0.9 s, landing on whichever key press happened to trigger it.
    Objects frozen here are still freed when nothing refers to them; only reference cycles among
    them are left to the end of the process.
    """
    gc.freeze()
