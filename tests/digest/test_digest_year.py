"""A year of weekly digests for one channel on the shipped knowledge, through the scheduler's tick.

The clock is simulated; each week the runtime's tick claims, composes, posts and records the
digest exactly as in production, and every quarter the bot "restarts" (a new delivery engine
and runtime on the same database), so the rotation memory and team reminders must survive.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from itertools import pairwise

from sqlalchemy import Engine

from bot.digest.book import SqlSubscriptionBook
from bot.digest.delivery import DigestDelivery
from bot.digest.leader import LocalLeaderLock
from bot.digest.reminders import SqlReminderBook
from bot.digest.scheduler import DigestRuntime
from handlers.context import DigestSchedule
from handlers.digest import SEASON_WEEKS
from handlers.reply import Reply
from knowledge import KnowledgeStore
from knowledge.models import Trend
from tests.digest.digest_fakes import FakeClock, RecordingSender

FIRST = dt.datetime(2026, 12, 7, 9, 1, tzinfo=dt.UTC)  # a Monday, a minute after 09:00 UTC
WEEKS = 52


def _runtime(
    engine: Engine, store: KnowledgeStore, sender: RecordingSender, clock: FakeClock
) -> DigestRuntime:
    delivery = DigestDelivery(engine, lambda: store, {"slack": sender}, clock=clock)
    return DigestRuntime(delivery, LocalLeaderLock())


def _picked(reply: Reply, heading: str, word: str) -> str | None:
    """Return the id a section's 'more' button opens (`trend <id>`, `deal <id>`)."""
    for section in reply.sections:
        if section.heading.startswith(heading):
            for item in section.items:
                if item.action and item.action.command.startswith(f"{word} "):
                    return item.action.command.split(" ", 1)[1]
    return None


def _reminders(reply: Reply) -> list[tuple[str, str]]:
    """Return (title, subtitle) of the deal reminders section's lines."""
    (section,) = [s for s in reply.sections if s.heading == "Deal reminders"]
    return [(i.title, i.subtitle or "") for i in section.items]


def _no_repeat_within_season(picks: list[str | None]) -> None:
    last: dict[str, int] = {}
    for week, picked in enumerate(picks):
        if picked is None:
            continue
        if picked in last:
            assert week - last[picked] >= SEASON_WEEKS, f"{picked} back after {week - last[picked]}"
        last[picked] = week


async def test_a_year_of_weekly_digests(engine: Engine, store: KnowledgeStore) -> None:
    """52 digests: no trend, deal or quote back within 12 weeks, anniversaries once, reminders on time."""
    clock = FakeClock(FIRST - dt.timedelta(days=7))
    SqlSubscriptionBook(engine, clock).subscribe("slack", "C1", "U1", DigestSchedule())
    reminders = SqlReminderBook(engine, clock)
    iit = reminders.add(
        "slack",
        "C1",
        "bayer-puhe-ph020",
        "Bayer and Puhe",
        dt.date(2027, 3, 3),
        "IIT readout",
        "U1",
    )
    reminders.add(
        "slack", "C2", "bayer-puhe-ph020", "Bayer and Puhe", dt.date(2027, 3, 3), "not ours", "U2"
    )
    sender = RecordingSender()
    runtime = _runtime(engine, store, sender, clock)
    for week in range(WEEKS):
        if week and week % 13 == 0:  # a restart each quarter: everything comes from the database
            runtime = _runtime(engine, store, sender, clock)
        clock.set(FIRST + dt.timedelta(weeks=week))
        if clock().date() == dt.date(2027, 3, 15):  # the team marks it done before this digest
            assert reminders.finish("slack", "C1", iit.number) is not None
        report = await runtime.tick()
        assert report.count("sent") == 1, week
    replies = [reply for _, reply in sender.posts]
    assert len(replies) == WEEKS
    days = [FIRST.date() + dt.timedelta(weeks=w) for w in range(WEEKS)]

    _no_repeat_within_season([_picked(r, "Trend of the week", "trend") for r in replies])
    _no_repeat_within_season([_picked(r, "Deal of the week", "deal") for r in replies])
    trends = {_picked(r, "Trend of the week", "trend") for r in replies}
    assert trends == {t.id for t in store.all(Trend)}  # every trend had its turn

    quote_weeks: dict[str, list[int]] = defaultdict(list)
    for week, reply in enumerate(replies):
        quotes = [q for s in reply.sections for q in s.quotes]
        assert len({q.speaker for q in quotes}) == len(quotes), week  # different speakers
        assert all(len(q.text.split()) >= 8 for q in quotes), week  # no fragments
        for quote in quotes:
            quote_weeks[quote.quote_id].append(week)
        assert reply.sections[0].heading == "Deal reminders", week  # never missing
        figures = [f.label for s in reply.sections for f in s.facts]
        assert not any("electric vehicle" in label for label in figures), week
    for quote_id, weeks in quote_weeks.items():
        assert all(b - a >= SEASON_WEEKS for a, b in pairwise(weeks)), quote_id

    anniversaries: dict[str, list[dt.date]] = defaultdict(list)
    open_item: list[int] = []
    team: list[dt.date] = []
    for week, (day, reply) in enumerate(zip(days, replies, strict=True)):
        for title, subtitle in _reminders(reply):
            if subtitle == "anniversary":
                anniversaries[title.split(": ", 1)[1]].append(day)
            if title.startswith("Still open: Servier"):
                open_item.append(week)
            if "IIT readout" in title:
                team.append(day)
            assert "not ours" not in title
    assert anniversaries, "the year holds anniversaries"
    assert all(len(d) == 1 for d in anniversaries.values()), anniversaries
    assert [
        d.month
        for d in anniversaries["Servier acquisition of Greater China rights to Tibsovo from CStone"]
    ] == [12]
    assert open_item == list(range(0, WEEKS, 4))  # every four weeks, not weekly
    assert team == [dt.date(2027, 3, 1), dt.date(2027, 3, 8)]  # its week, then overdue until done
