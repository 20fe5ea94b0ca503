"""The English words a search ignores: the one stop-word list (handlers add chat filler to it)."""

from __future__ import annotations

_ENGLISH = """
    a about above after again all am an and any anyone anything are as at be been being both but
    by can could did do does doing done everyone for from get give had has have having he her
    here hers him his how i if in into is it its itself just let me more most my no nor not now
    of off on once only or other our out over own please same she should show so some someone
    something such tell than that the their them then there these they this those through to too
    under until up us very was we were what when where which while who whom why will with would
    you your yours
    """

STOPWORDS = frozenset(_ENGLISH.split())
