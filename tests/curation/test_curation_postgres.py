"""The curation book on PostgreSQL: misses deduplicated per text and day, the week's summary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, select

import bot.schema  # noqa: F401  (every table)
from bot.curation.book import SqlCurationBook
from bot.curation.tables import misses
from bot.db.engine import make_engine
from bot.db.migrate import upgrade_schema
from handlers.curation import Feedback, OutdatedReport, Signal
from tests.pg_schema import empty_schema

NOW = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def engine() -> Iterator[Engine]:
    """A migrated throw-away PostgreSQL schema (skipped without PostgreSQL)."""
    with empty_schema("curation_test") as url:
        engine = make_engine(url)
        upgrade_schema(engine)
        yield engine
        engine.dispose()


def signal(question: str) -> Signal:
    """Return a Teams signal."""
    return Signal(question, "not-found", (), "v1", "teams", None, "19:deals@thread.tacv2")


def test_the_same_miss_asked_at_once_is_one_row_counted_each_time(engine: Engine) -> None:
    """Eight concurrent asks of one text on one day: one row, times 8; the next day a new row."""
    book = SqlCurationBook(engine, clock=lambda: NOW)
    with ThreadPoolExecutor(4) as pool:
        fresh = list(pool.map(lambda _: book.record_miss(signal("company Examplar Bio")), range(8)))
    assert fresh.count(True) == 1
    SqlCurationBook(engine, clock=lambda: NOW + dt.timedelta(days=1)).record_miss(
        signal("Company  EXAMPLAR bio")
    )
    with engine.connect() as conn:
        rows = conn.execute(select(misses.c.day, misses.c.times).order_by(misses.c.day)).all()
    assert [(r.day.isoformat(), r.times) for r in rows] == [("2026-12-04", 8), ("2026-12-05", 1)]


def test_summary_counts_the_week_and_lists_the_latest_reports(engine: Engine) -> None:
    """The summary counts signals since a moment and lists reports newest first."""
    old = SqlCurationBook(engine, clock=lambda: NOW - dt.timedelta(days=9))
    old.record_feedback(Feedback(signal("deal Puhe"), "down", "wrong"))
    book = SqlCurationBook(engine, clock=lambda: NOW)
    book.record_feedback(Feedback(signal("deal Puhe"), "up"))
    book.record_miss(signal("deal Nothing"))
    for words in ("first change", "second change"):
        book.record_report(OutdatedReport(signal("deal Puhe"), "bayer-puhe-ph020", words, "src"))
    summary = book.summary(NOW - dt.timedelta(days=7))
    assert summary.counts == {"misses": 1, "up": 1, "down": 0, "outdated": 2, "proposals": 0}
    assert [r.what_changed for r in summary.latest] == ["second change", "first change"]
