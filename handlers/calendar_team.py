"""A channel's team reminders as calendar entries, and the calendar as an .ics file to download."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from handlers.calendar_entries import UID_DOMAIN, CalendarEntry, calendar_entries
from handlers.calendar_ics import MEDIA_TYPE, calendar_ics
from handlers.context import AskContext, StoreUnavailable, TeamReminder
from handlers.reminders import when
from handlers.reply import Action, ActionKind, Reply, ReplyFile, ReplyKind
from knowledge import KnowledgeStore

FILE_NAME = "chinabio-calendar.ics"
FILE_COMMAND = "calendar file"
DOWNLOAD = Action(kind=ActionKind.RUN, label="Download .ics", command=FILE_COMMAND)
UNREAD_NOTE = (
    "This channel's team reminders could not be read right now (the database is not "
    "answering), so only the knowledge's dates are here; try again in a minute."
)


def reminder_entry(reminder: TeamReminder) -> CalendarEntry:
    """Return an open team reminder as an all-day entry on its day; its UID is its number."""
    n = reminder.number
    return CalendarEntry(
        uid=f"reminder.{n}@{UID_DOMAIN}",
        title=f"Team reminder: {reminder.note}",
        start=reminder.due,
        end=reminder.due + dt.timedelta(days=1),
        when=when(reminder.due),
        context=f"Team reminder #{n} · {reminder.subject}",
        description=(
            f"{reminder.subject}: {reminder.note}\n"
            f"A team reminder set in this channel (#{n}); done {n} clears it."
        ),
        entity_id=reminder.entity_id,
        open_command=f"deal {reminder.entity_id}",
        sources=(),
    )


def by_date(entries: Iterable[CalendarEntry]) -> list[CalendarEntry]:
    """Return entries earliest first, a longer one first on a day (as calendar_entries orders)."""
    return sorted(entries, key=lambda e: (e.start, -e.end.toordinal(), e.title))


def team_entries(ctx: AskContext) -> tuple[list[CalendarEntry], bool]:
    """Return the asking channel's open reminders as entries, and True if they could not be read."""
    if ctx.reminders is None:
        return [], False
    try:
        found = ctx.reminders.open(ctx.platform, ctx.conversation_id)
    except StoreUnavailable:
        return [], True
    return [reminder_entry(r) for r in found], False


def channel_calendar(
    store: KnowledgeStore, reminders: Iterable[TeamReminder]
) -> list[CalendarEntry]:
    """Return every dated item of the knowledge and the channel's open reminders, by date."""
    return by_date([*calendar_entries(store), *(reminder_entry(r) for r in reminders)])


def calendar_file_reply(
    store: KnowledgeStore, team: list[CalendarEntry], unread: bool, stamp: dt.datetime
) -> Reply:
    """Return the calendar (knowledge and team reminders) as an .ics file the platform delivers."""
    entries = by_date([*calendar_entries(store), *team])
    count = len(team)
    reminders = f" ({count} of them this channel's team reminder{'s' * (count != 1)})"
    text = (
        f"{len(entries)} dates{reminders if team else ''}, as all-day events. Open the file to add them to "
        "Outlook, Google or Apple Calendar; importing a newer file updates the same events "
        "instead of adding copies. For a calendar that stays current, type calendar subscribe."
    )
    return Reply(
        kind=ReplyKind.EXPORT,
        title="Calendar file (.ics)",
        text=f"{text} {UNREAD_NOTE}" if unread else text,
        files=[
            ReplyFile(
                name=FILE_NAME,
                media_type=MEDIA_TYPE,
                data=calendar_ics(entries, stamp),
                label="calendar",
            )
        ],
        suggestions=["calendar"],
        shareable=False,
        command=FILE_COMMAND,
    )
