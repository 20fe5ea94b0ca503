"""`chinabio curation report`: misses grouped by similar text, 👎 and outdated per entity, names."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from sqlalchemy import Engine

import bot.schema  # noqa: F401  (every table)
from bot.cli import main
from bot.curation.book import SqlCurationBook
from bot.db.engine import make_engine
from bot.db.migrate import upgrade_schema
from handlers.curation import Feedback, OutdatedReport, Signal

NOW = dt.datetime.now(dt.UTC)


@pytest.fixture
def engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """A migrated SQLite database that DATABASE_URL points at."""
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    engine = make_engine(url)
    upgrade_schema(engine)
    return engine


def signal(question: str, kind: str = "not-found", *ids: str) -> Signal:
    """Return a Slack signal from #general."""
    return Signal(question, kind, ids, "v1", "slack", "T0", "C0GENERAL")


def seed(engine: Engine) -> None:
    """Store a week of signals, and some older ones the default --since leaves out."""
    book = SqlCurationBook(engine, clock=lambda: NOW - dt.timedelta(days=1))
    for text in ("company Zyxwv Therapeutics", "company zyxwv  therapeutics"):
        book.record_miss(signal(text))  # one text, the same day: counted twice
    book.record_miss(signal("company Zyxwv Therapeutic"))  # alike: the same group
    book.record_miss(signal("who leads Qorvex Bio?", "search"))
    deal = signal("deal Puhe", "deal", "bayer-puhe-prmt5", "bayer")
    book.record_feedback(Feedback(deal, "down", "outdated"))
    book.record_feedback(Feedback(deal, "down", "wrong", "amount"))
    book.record_feedback(Feedback(deal, "up"))
    book.record_report(OutdatedReport(deal, "bayer-puhe-prmt5", "Rights returned.", "news"))
    old = SqlCurationBook(engine, clock=lambda: NOW - dt.timedelta(days=30))
    old.record_miss(signal("company Ancient Pharma"))


def report_rows(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, str]]:
    """Run the report as CSV; return its rows."""
    assert main(["curation", "report", "--format", "csv", *args]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def test_report_counts_misses_by_group_and_signals_by_entity(
    engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    """Alike misses form one group; 👎 and reports are counted per entity; older rows are out."""
    seed(engine)
    rows = report_rows(capsys)
    by_section: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_section.setdefault(row["section"], []).append(row)
    first = by_section["miss"][0]
    assert (first["item"], first["count"]) == ("company Zyxwv Therapeutics", "3")
    assert first["detail"] == "company Zyxwv Therapeutic"
    assert [r["item"] for r in by_section["miss"]] == [
        "company Zyxwv Therapeutics",
        "who leads Qorvex Bio?",
    ]
    downs = {r["item"]: (r["count"], r["detail"]) for r in by_section["thumbs-down"]}
    assert downs["bayer-puhe-prmt5"][0] == "2"
    assert "outdated 1" in downs["bayer-puhe-prmt5"][1]
    assert "wrong 1" in downs["bayer-puhe-prmt5"][1]
    (outdated,) = by_section["outdated"]
    assert (outdated["item"], outdated["count"], outdated["detail"]) == (
        "bayer-puhe-prmt5",
        "1",
        "Rights returned.",
    )
    names = [(r["item"], r["count"]) for r in by_section["unanswered-name"]]
    assert names[0] == ("Zyxwv Therapeutics", "3")
    assert ("Qorvex Bio", "1") in names
    assert "Ancient" not in str(rows)


def test_since_reaches_back_and_text_is_the_default_format(
    engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    """--since 60d includes older misses; the text format has the same sections."""
    seed(engine)
    assert "company Ancient Pharma" in str(report_rows(capsys, "--since", "60d"))
    assert main(["curation", "report"]) == 0
    text = capsys.readouterr().out
    assert "Misses: 4 asks in 2 groups" in text
    assert "Top unanswered names" in text


def test_an_unreadable_since_is_refused_in_one_line(
    engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    """--since yesterday exits 2 saying how to write it."""
    assert main(["curation", "report", "--since", "yesterday"]) == 2
    err = capsys.readouterr().err
    assert "7d" in err
    assert "Traceback" not in err
