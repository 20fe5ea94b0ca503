"""Word lists for reading plain-language questions: filler words and the cues of each intent."""

from __future__ import annotations

from knowledge.stopwords import STOPWORDS as SEARCH_STOPWORDS


def words_of(text: str) -> frozenset[str]:
    """Return the set of space-separated words in `text`."""
    return frozenset(text.split())


#: Words a question can do without: English stop words, greetings and the bot's own name.
STOPWORDS = SEARCH_STOPWORDS | words_of("bot chinabio hey hi hello thanks thank know like")

#: (intent, cue words), checked in order: the first intent with a cue in the question wins.
INTENT_CUES: tuple[tuple[str, frozenset[str]], ...] = (
    ("explain", words_of("explain explains explained meaning define definition")),
    (
        "quote",
        words_of(
            "quote quotes said say says saying think thinks thought believe believes view views "
            "opinion opinions perspective perspectives advice advise advises comment comments "
            "look looks looking want wants expect expects prefer prefers"
        ),
    ),
    (
        "deal",
        words_of(
            "deal deals get got gets getting buy bought acquire acquired acquisition license "
            "licence licensed licenced licensing pay paid terms upfront worth signed "
            "partnership partnered"
        ),
    ),
    ("profile", words_of("profile bio background biography")),
    (
        "stat",
        words_of(
            "many much percent percentage proportion share statistic statistics figure figures "
            "number numbers"
        ),
    ),
    ("event", words_of("event events forum conference")),
    ("trend", words_of("trend trends trending hot")),
    ("explain", words_of("mean means structure structured model models work works")),
)

#: Words that only steer a question; dropped before full-text search.
CUE_WORDS = frozenset(w for _intent, cues in INTENT_CUES for w in cues)
