"""Guess what a plain-language question wants: a quote, a deal, an explanation, a figure, ..."""

from __future__ import annotations

from handlers.parse import tokens
from handlers.words import INTENT_CUES, words_of

_QUESTION_STARTS = words_of(
    "who whom whose what what's whats which when where why how how's is are was were does do "
    "did can could should would will any anything anyone tell show give explain describe"
)


def detect_intent(text: str) -> str | None:
    """Return 'explain', 'quote', 'deal', 'profile', 'stat', 'event' or 'trend', else None."""
    folded = [w.casefold() for w in tokens(text)]
    if folded[:2] in (["who", "is"], ["who", "was"], ["tell", "me"]) or folded[:1] == ["who's"]:
        return "profile"
    words = set(folded)
    for intent, cues in INTENT_CUES:
        if words & cues:
            return intent
    return None


def looks_like_question(text: str) -> bool:
    """Return True when text reads as a sentence to understand rather than a name to search."""
    words = tokens(text)
    if not words:
        return False
    return text.rstrip().endswith("?") or words[0].casefold() in _QUESTION_STARTS or len(words) >= 4
