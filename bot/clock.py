"""The bot's notion of now: an injectable clock, aware and in UTC by default."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    """Return the current time, aware, in UTC (the default clock)."""
    return dt.datetime.now(dt.UTC)
