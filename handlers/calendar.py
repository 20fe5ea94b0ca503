"""`calendar`: dates and team reminders ahead; `calendar file`: an .ics; `calendar subscribe|revoke`."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from handlers.calendar_entries import CalendarEntry, ahead, calendar_entries
from handlers.calendar_team import DOWNLOAD, UNREAD_NOTE, by_date, calendar_file_reply, team_entries
from handlers.context import AskContext, StoreUnavailable
from handlers.outage import unavailable_reply as outage_reply
from handlers.paging import PAGE_SIZE, more_action, page_note, paginate
from handlers.parse import Command, clean, parse_command, shorten
from handlers.reply import (
    Action,
    ActionKind,
    Fact,
    ListItem,
    Reply,
    ReplyKind,
    Section,
    SourceCitation,
)
from knowledge import KnowledgeStore

#: The sub-commands that manage the channel's feed (every `calendar` reads the team reminders).
FEED_WORDS = ("subscribe", "revoke")
FILE_WORD = "file"
SUBSCRIBE = Action(
    kind=ActionKind.RUN, label="Subscribe to the calendar", command="calendar subscribe"
)


def calendar_uses_store(text: str) -> bool:
    """Return True for every `calendar` command (cleaned text): all read the team reminders."""
    return text.split(" ", 1)[0].casefold() == "calendar"


def is_calendar_file(text: str) -> bool:
    """Return True when `text` is `calendar file` (its platform then delivers the .ics)."""
    return clean(text)[0].casefold().split()[:2] == ["calendar", FILE_WORD]


def handle_calendar(cmd: Command, store: KnowledgeStore, ctx: AskContext) -> Reply:
    """Answer `calendar`, `calendar file`, `calendar subscribe` or `calendar revoke`."""
    return _calendar(cmd, store, ctx, reminders_down=False)


def calendar_while_down(text: str, store: KnowledgeStore, ctx: AskContext) -> Reply:
    """Answer a `calendar` command while the database does not: the knowledge's dates only."""
    cmd = parse_command(text)
    word = cmd.words.split(maxsplit=1)[0].casefold() if cmd.words else ""
    if word in FEED_WORDS:
        return calendar_unavailable_reply()
    return _calendar(cmd, store, ctx, reminders_down=True)


def _calendar(cmd: Command, store: KnowledgeStore, ctx: AskContext, reminders_down: bool) -> Reply:
    word = cmd.words.split(maxsplit=1)[0].casefold() if cmd.words else ""
    if word in ("", FILE_WORD):
        team, unread = ([], True) if reminders_down else team_entries(ctx)
        if word == FILE_WORD:
            return calendar_file_reply(store, team, unread, dt.datetime.now(dt.UTC))
        return calendar_reply(store, ctx.today or _today(ctx.user_tz), cmd.page, team, unread)
    if word not in FEED_WORDS:
        return Reply(
            kind=ReplyKind.NOT_FOUND,
            title="I couldn't read that command",
            text=(
                f"“{shorten(cmd.words, 30)}” is not a calendar command: type calendar for the "
                "dates ahead, calendar file for an .ics file, calendar subscribe for this "
                "channel's feed, calendar revoke to end it."
            ),
            suggestions=["calendar", "calendar file", "calendar subscribe"],
            shareable=False,
        )
    feeds = ctx.calendar_feeds
    if feeds is None:
        return Reply(
            kind=ReplyKind.CALENDAR,
            title="Calendar feeds are not available here",
            text=(
                "A subscribable feed needs a Slack or Teams channel and the bot's public address "
                "(its operator sets PUBLIC_URL). Type calendar for the dates ahead."
            ),
            suggestions=["calendar"],
            shareable=False,
        )
    try:
        if word == "revoke":
            removed = feeds.revoke(ctx.platform, ctx.conversation_id)
            return _feed_reply(
                "Calendar feed revoked" if removed else "This channel has no calendar feed",
                "Its address no longer works; calendars subscribed to it stop updating."
                if removed
                else "Nothing to revoke. Type calendar subscribe for a feed.",
            )
        url = feeds.issue(ctx.platform, ctx.conversation_id, ctx.user_id, ctx.workspace)
    except StoreUnavailable:
        return calendar_unavailable_reply()
    return _feed_reply(
        "Calendar feed for this channel",
        "Subscribe to this address in Outlook (Add calendar → Subscribe from web) or Google "
        "Calendar (Other calendars → From URL); it stays current as the knowledge changes. "
        "Anyone with the address can read the calendar, so keep it in this channel. "
        "Subscribing again replaces the address; calendar revoke turns it off.",
        [Fact(label="Feed", value=url)],
    )


def calendar_unavailable_reply() -> Reply:
    """Return what `calendar subscribe|revoke` answers while the database does not."""
    return outage_reply("Calendar feeds unavailable", "calendar feeds are", "calendar")


def _feed_reply(title: str, text: str, facts: list[Fact] | None = None) -> Reply:
    # Never shareable: Share re-runs the command, which would replace the address.
    return Reply(
        kind=ReplyKind.CALENDAR,
        title=title,
        text=text,
        facts=facts or [],
        suggestions=["calendar"],
        shareable=False,
    )


def _item(entry: CalendarEntry) -> ListItem:
    return ListItem(
        title=f"{entry.when} — {entry.title}",
        subtitle=entry.context,
        action=Action(kind=ActionKind.RUN, label="Open", command=entry.open_command),
    )


def calendar_reply(
    store: KnowledgeStore,
    today: dt.date,
    page: int = 1,
    team: list[CalendarEntry] | None = None,
    unread: bool = False,
) -> Reply:
    """Return the dates on or after `today` and the channel's open reminders; else the latest."""
    entries = calendar_entries(store)
    dated = ahead(entries, today)
    upcoming = by_date([*dated, *(team or [])])  # an overdue open reminder stays listed
    notes = (
        []
        if dated
        else [f"The knowledge has no event or milestone dated on or after {today:%-d %B %Y}."]
    )
    if unread:
        notes.append(UNREAD_NOTE)
    elif team:
        count = len(team)
        notes.append(f"Includes this channel's {count} open team reminder{'s' * (count != 1)}.")
    notes.append(
        f"Type calendar subscribe for a feed of all {len(entries)} dates in your calendar, "
        "or calendar file for an .ics file."
    )
    latest = [] if dated else sorted(entries, key=lambda e: e.end, reverse=True)[:PAGE_SIZE]
    recent = [Section(heading="Most recent dates", items=[_item(e) for e in latest])]
    if upcoming:
        shown, page, pages = paginate(upcoming, page)
        note = page_note(len(upcoming), page, pages)
        latest = latest[: PAGE_SIZE - len(shown)] if page == 1 else []  # one page in all
        recent = [Section(heading="Most recent dates", items=[_item(e) for e in latest])]
        return Reply(
            kind=ReplyKind.CALENDAR,
            title=f"Calendar: {len(upcoming)} dated {_plural(len(upcoming))} ahead",
            text=" ".join(t for t in (note, *notes) if t),
            items=[_item(e) for e in shown],
            sections=recent if latest else [],
            sources=_sources([*shown, *latest]),
            actions=[SUBSCRIBE, DOWNLOAD],
            more=more_action("calendar", page, pages),
            entity_ids=_ids([*shown, *latest]),
            suggestions=["events"],
        )
    return Reply(
        kind=ReplyKind.CALENDAR,
        title="Calendar: nothing dated ahead",
        text=" ".join(notes),
        sections=recent if latest else [],
        sources=_sources(latest),
        actions=[SUBSCRIBE, DOWNLOAD],
        entity_ids=_ids(latest),
        suggestions=["events"],
    )


def _today(zone: str | None) -> dt.date:
    """Return today's date where the asker is (UTC when their zone is unknown)."""
    try:
        tz: dt.tzinfo = zoneinfo.ZoneInfo(zone) if zone else dt.UTC
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        tz = dt.UTC
    return dt.datetime.now(tz).date()


def _plural(count: int) -> str:
    return "item" if count == 1 else "items"


def _ids(entries: list[CalendarEntry]) -> list[str]:
    return list(dict.fromkeys(e.entity_id for e in entries))


def _sources(entries: list[CalendarEntry]) -> list[SourceCitation]:
    seen: dict[tuple[str, str | None], SourceCitation] = {}
    for entry in entries:
        for source in entry.sources:
            seen.setdefault((source.title, source.locator), source)
    return list(seen.values())
