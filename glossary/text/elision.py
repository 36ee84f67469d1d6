"""French elided articles glued to a name by an apostrophe (d'Almaty, l'ONU)."""

from __future__ import annotations

import re

# French elided articles and conjunctions glued to a name by an apostrophe (d'Almaty,
# l'ONU, qu'Astana). Folding turns that apostrophe into a space, so the name starts a word.
FRENCH_ELISIONS = ("d", "l", "qu", "jusqu", "lorsqu", "puisqu", "s", "n", "c", "j", "m", "t")
ELISION = re.compile(
    r"(?<![^\W_])(?i:" + "|".join(FRENCH_ELISIONS) + r")([’'ʼ])(?=[^\W\d_])"
)

def mark_elisions(text: str) -> str:
    """``d'Almaty`` → ``d Almaty`` (same length, so offsets stay valid)."""
    if "'" not in text and "’" not in text and "ʼ" not in text:
        return text
    return ELISION.sub(lambda m: m.group()[:-1] + " ", text)
