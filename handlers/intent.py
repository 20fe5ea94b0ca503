"""Tell a sentence to understand from a name to search (the question pipeline is handlers/question)."""

from __future__ import annotations

from handlers.parse import tokens
from handlers.words import words_of

_QUESTION_STARTS = words_of(
    "who whom whose what what's whats which when where why how how's is are was were does do "
    "did can could should would will any anything anyone tell show give explain describe"
)


def looks_like_question(text: str) -> bool:
    """Return True when text reads as a sentence to understand rather than a name to search."""
    words = tokens(text)
    if not words:
        return False
    return text.rstrip().endswith("?") or words[0].casefold() in _QUESTION_STARTS or len(words) >= 4
