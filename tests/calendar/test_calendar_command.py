"""`calendar`: the dates ahead from the knowledge, and the .ics they make, read back event by event."""

from __future__ import annotations

import datetime as dt

import icalendar

from handlers import ReplyKind
from handlers.calendar_entries import calendar_entries
from handlers.calendar_ics import calendar_ics
from knowledge import KnowledgeStore
from tests.chat_helpers import Chat

STAMP = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)


def _events(ics: bytes) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(ics)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


async def test_calendar_lists_the_dates_ahead_soonest_first(chat: Chat) -> None:
    """Seen from 1 April 2025, the forum and its keynote are ahead, with Open buttons."""
    chat.ctx.today = dt.date(2025, 4, 1)
    reply = await chat.ask("calendar")
    assert reply.kind == ReplyKind.CALENDAR
    assert reply.title == "Calendar: 2 dated items ahead"
    titles = [item.title for item in reply.items]
    assert titles[0] == "23 April 2025 – 24 April 2025 — ChinaBio Partnering Forum 2025"
    assert titles[1].startswith("23 April 2025 — Global Biotech Perspective")
    assert reply.items[0].action is not None
    assert reply.items[0].action.command == "event chinabio-partnering-forum-2025"
    assert [a.command for a in reply.actions] == ["calendar subscribe", "calendar file"]
    assert reply.sources


async def test_a_month_precision_milestone_is_ahead_until_its_month_ends(chat: Chat) -> None:
    """On 30 September 2024 the September 2024 milestones still count as ahead, marked to the month."""
    chat.ctx.today = dt.date(2024, 9, 30)
    reply = await chat.ask("calendar")
    co_lab = next(i for i in reply.items if "Co.Lab" in i.title)
    assert co_lab.title.startswith("September 2024 — ")
    assert co_lab.subtitle is not None
    assert "date to the month" in co_lab.subtitle
    askbio = next(i for i in reply.items if "AskBio" in i.title)
    assert askbio.subtitle is not None
    assert "the source says “last September”" in askbio.subtitle
    chat.ctx.today = dt.date(2024, 10, 1)
    later = await chat.ask("calendar")
    assert not any("Co.Lab" in i.title for i in later.items)


async def test_with_nothing_ahead_the_calendar_says_so_and_shows_the_latest(chat: Chat) -> None:
    """After the knowledge's last date the reply says nothing is ahead and lists the latest dates."""
    chat.ctx.today = dt.date(2026, 12, 4)
    reply = await chat.ask("calendar")
    assert reply.title == "Calendar: nothing dated ahead"
    assert reply.text is not None
    assert "4 December 2026" in reply.text
    (recent,) = reply.sections
    assert recent.items[0].title.endswith("ChinaBio Partnering Forum 2025")
    assert "calendar subscribe" in [a.command for a in reply.actions]


async def test_an_unknown_calendar_word_says_what_the_calendar_takes(chat: Chat) -> None:
    """`calendar export` is not a calendar command: the reply names the three that are."""
    reply = await chat.ask("calendar export")
    assert reply.kind == ReplyKind.NOT_FOUND
    assert reply.text is not None
    assert "calendar subscribe" in reply.text


async def test_subscribing_where_no_feed_can_be_served_says_why(chat: Chat) -> None:
    """Without a feed service (no PUBLIC_URL, or the CLI) `calendar subscribe` explains, not fails."""
    reply = await chat.ask("calendar subscribe")
    assert reply.title == "Calendar feeds are not available here"
    assert reply.text is not None
    assert "PUBLIC_URL" in reply.text
    assert not reply.shareable


def test_ics_holds_every_event_and_milestone_as_all_day_events(store: KnowledgeStore) -> None:
    """Each knowledge date becomes one all-day VEVENT with the source's dates and precision."""
    events = _events(calendar_ics(calendar_entries(store), STAMP))
    assert len(events) == 7
    forum = events["event.chinabio-partnering-forum-2025@chinabio-bot"]
    assert str(forum["SUMMARY"]) == "ChinaBio Partnering Forum 2025"
    assert forum.decoded("DTSTART") == dt.date(2025, 4, 23)
    assert forum.decoded("DTEND") == dt.date(2025, 4, 25)  # exclusive: through the 24th
    assert "Shanghai" in str(forum["DESCRIPTION"])
    assert "Editor's note" in str(forum["DESCRIPTION"])
    assert str(forum["URL"]).startswith("https://")
    co_lab = events["milestone.bayer-co-lab-incubation.launch.2024-09@chinabio-bot"]
    assert co_lab.decoded("DTSTART") == dt.date(2024, 9, 1)
    assert co_lab.decoded("DTEND") == dt.date(2024, 10, 1)
    assert "date to the month" in str(co_lab["DESCRIPTION"])
    agios = events["milestone.servier-agios-acquisition.closed.2021@chinabio-bot"]
    assert (agios.decoded("DTSTART"), agios.decoded("DTEND")) == (
        dt.date(2021, 1, 1),
        dt.date(2022, 1, 1),
    )
    assert "date to the year" in str(agios["DESCRIPTION"])
    for event in events.values():
        assert type(event.decoded("DTSTART")) is dt.date  # all day, never a time
        assert event.decoded("DTSTAMP") == STAMP
        assert str(event["TRANSP"]) == "TRANSPARENT"
        assert "Source: Sourcing Biotech Innovation in China" in str(event["DESCRIPTION"])


def test_december_month_precision_ends_on_new_year(store: KnowledgeStore) -> None:
    """A December milestone spans the month and ends on 1 January of the next year."""
    events = _events(calendar_ics(calendar_entries(store), STAMP))
    tibsovo = events["milestone.servier-cstone-tibsovo.closed.2023-12@chinabio-bot"]
    assert tibsovo.decoded("DTEND") == dt.date(2024, 1, 1)


def test_uids_are_stable_across_builds_and_reloads(store: KnowledgeStore) -> None:
    """Two builds at different times give the same UIDs, so a calendar re-import updates in place."""
    first = _events(calendar_ics(calendar_entries(store), STAMP))
    again = _events(calendar_ics(calendar_entries(store), STAMP + dt.timedelta(days=3)))
    assert sorted(first) == sorted(again)
    assert len(set(first)) == len(first)


def test_the_calendar_names_itself_and_asks_to_be_refreshed(store: KnowledgeStore) -> None:
    """The VCALENDAR carries a name and a refresh interval that subscribed calendars honour."""
    cal = icalendar.Calendar.from_ical(calendar_ics(calendar_entries(store), STAMP))
    assert str(cal["X-WR-CALNAME"]) == "ChinaBio knowledge"
    assert cal.decoded("REFRESH-INTERVAL") == dt.timedelta(hours=12)
    assert str(cal["VERSION"]) == "2.0"


async def test_an_unknown_time_zone_counts_from_today_in_utc(chat: Chat) -> None:
    """An asker's zone the bot cannot read (a platform's odd value) still gets the calendar."""
    chat.ctx.user_tz = "Not/A_Zone"
    reply = await chat.ask("calendar")
    assert reply.kind == ReplyKind.CALENDAR
