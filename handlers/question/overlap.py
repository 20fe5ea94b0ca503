"""Compare a question's words with a text by their first letters ("licensed" ~ "licensing")."""

from __future__ import annotations

from handlers.parse import tokens
from handlers.words import STOPWORDS

STEM = 4


def stems(text: str) -> set[str]:
    """Return the folded first letters of each word of `text` but filler words."""
    return {w.casefold()[:STEM] for w in tokens(text) if w.casefold() not in STOPWORDS}


def covered(words: set[str], text_stems: set[str]) -> float:
    """Return the share of `words` (stems) that `text_stems` holds."""
    return len(words & text_stems) / len(words) if words else 0.0
