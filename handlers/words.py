"""Word lists for reading plain-language questions: filler words and the cues of each intent."""

from __future__ import annotations


def words_of(text: str) -> frozenset[str]:
    """Return the set of space-separated words in `text`."""
    return frozenset(text.split())


STOPWORDS = words_of("""
    a about above after again all am an and any anything are as at be been being both but by can
    could did do does doing done for from get give had has have having he her here hers him his
    how i if in into is it its itself just let me more most my no nor not now of off on once only
    or other our out over own please same she should show so some something such tell than that
    the their them then there these they this those through to too under until up us very was we
    were what when where which while who whom why will with would you your yours
    anyone everyone someone bot chinabio hey hi hello thanks thank know like
    """)

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
