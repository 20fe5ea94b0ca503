"""`chinabio digest preview|send` from the command line."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.db.engine import make_engine
from bot.digest.book import SqlSubscriptionBook
from bot.digest.tables import deliveries
from handlers.context import DigestSchedule
from tests.digest.digest_fakes import FakeSlack

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the CLI at the test knowledge and a fresh SQLite file, with no Slack configured."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("KNOWLEDGE_DIR", str(DATA))
    monkeypatch.setenv("DATABASE_URL", url)
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL"):
        monkeypatch.delenv(name, raising=False)
    return url


def _subscribe(url: str, channel: str, platform: str = "slack", **kw: object) -> None:
    import bot.schema  # noqa: F401
    from bot.db.engine import metadata

    engine = make_engine(url)
    metadata.create_all(engine)
    SqlSubscriptionBook(engine).subscribe(platform, channel, "U1", DigestSchedule(**kw))  # type: ignore[arg-type]
    engine.dispose()


def test_preview_prints_the_digest_for_a_date(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`digest preview --date 2026-12-07` prints that week's digest with its month anniversary."""
    assert main(["digest", "preview", "--date", "2026-12-07"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ChinaBio weekly digest — week of 7 December 2026")
    assert "Three years ago this month (December 2023)" in out
    assert "Source: ChinaBio" in out


def test_preview_for_a_channel_uses_its_topics(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--channel` applies the channel's topic filter."""
    _subscribe(db_url, "C9", topics=("adc",))
    assert main(["digest", "preview", "--channel", "C9", "--date", "2026-03-30"]) == 0
    out = capsys.readouterr().out
    assert "Topics: ADC." in out
    assert "Deal of the week: J&J and LegoChem on the Trop2 ADC LCB84" in out
    assert "Perceptions have shifted dramatically." not in out  # a fragment, never on its own


def test_preview_of_an_unknown_channel_says_so(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A channel with no subscription gets the unfiltered digest and a note on stderr."""
    assert main(["digest", "preview", "--channel", "C404"]) == 0
    assert "C404 has no subscription" in capsys.readouterr().err


def test_preview_rejects_a_bad_date(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A malformed --date is a clear error with exit code 2, not a stack trace."""
    assert main(["digest", "preview", "--date", "30/03/2026"]) == 2
    assert "is not a date: write YYYY-MM-DD" in capsys.readouterr().err


def test_send_without_a_platform_prints_to_the_console(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """With no Slack or Teams configured, `digest send` posts to the console and logs the delivery."""
    assert main(["digest", "send", "--channel", "console"]) == 0
    out = capsys.readouterr().out
    assert "[digest for console]" in out
    assert "posted the digest to console console" in out
    engine = make_engine(db_url)
    with engine.connect() as conn:
        row = conn.execute(select(deliveries)).one()
    engine.dispose()
    assert row.status == "sent"
    assert row.period.startswith("manual-")


async def test_send_posts_through_slack_when_configured(
    db_url: str, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With SLACK_BOT_TOKEN set, `digest send --channel C1` posts to Slack's Web API."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-cli")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.url)
    _subscribe(db_url, "C1")
    code = await asyncio.to_thread(main, ["digest", "send", "--channel", "C1"])
    assert code == 0
    assert fake_slack.first_parts() == {"C1": 1}
    assert fake_slack.tokens == {"Bearer xoxb-cli"}


async def test_send_to_a_refusing_channel_fails_with_a_message(
    db_url: str,
    fake_slack: FakeSlack,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """If Slack says not_in_channel, `digest send` exits 1 and says what happened."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-cli")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.url)
    fake_slack.script["C1"] = ["not_in_channel"]
    _subscribe(db_url, "C1")
    code = await asyncio.to_thread(main, ["digest", "send", "--channel", "C1"])
    assert code == 1
    assert "digest for slack C1: unavailable" in capsys.readouterr().err


def test_preview_shows_every_section_with_the_channels_memory_and_reminders(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Preview for a channel skips the trend it had last week and lists its team reminder."""
    from bot.digest.history import memory_statement
    from bot.digest.reminders import SqlReminderBook

    _subscribe(db_url, "C9")
    assert main(["digest", "preview", "--channel", "C9", "--date", "2026-03-30"]) == 0
    first = capsys.readouterr().out
    for heading in (
        "Deal reminders",
        "Trend of the week: ",
        "Deal of the week: ",
        "Quote of the week",
    ):
        assert heading in first
    trend = next(line for line in first.splitlines() if line.startswith("Trend of the week: "))

    engine = make_engine(db_url)
    with engine.begin() as conn:
        trend_id = next(
            line.split("trend ", 1)[1]
            for line in first.splitlines()
            if line.strip().startswith("→ /chinabio trend ")
        )
        statement, rows = memory_statement(
            "sqlite", ("slack", "C9"), dt.date(2026, 3, 23), [trend_id]
        )
        conn.execute(statement, rows)
    SqlReminderBook(engine).add(
        "slack",
        "C9",
        "bayer-puhe-prmt5",
        "Bayer licenses Puhe",
        dt.date(2026, 4, 1),
        "call Puhe",
        "U1",
    )
    engine.dispose()
    assert main(["digest", "preview", "--channel", "C9", "--date", "2026-03-30"]) == 0
    second = capsys.readouterr().out
    assert trend not in second
    assert "1 April 2026: Bayer licenses Puhe — call Puhe" in second
