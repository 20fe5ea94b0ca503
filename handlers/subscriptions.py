"""`subscribe`, `unsubscribe` and `subscriptions`: parse the command, then ask the bot's subscription book."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from handlers.context import AskContext, DigestSchedule, StoreUnavailable, Subscription
from handlers.digest import resolve_topic, topic_label
from handlers.outage import unavailable_reply as outage_reply
from handlers.parse import BadNumber, read_number
from handlers.reply import Action, ActionKind, Fact, Reply, ReplyKind
from knowledge import KnowledgeStore
from knowledge.models import Topic

SUBSCRIPTION_WORDS = ("subscribe", "unsubscribe", "subscriptions")
EXAMPLE = "subscribe weekly tue 08:30 Europe/Paris topics:ADC,oncology"
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAYS = {
    **{name.lower(): i for i, name in enumerate(DAY_NAMES)},
    **{name[:3].lower(): i for i, name in enumerate(DAY_NAMES)},
    "tues": 1,
    "weds": 2,
    "thur": 3,
    "thurs": 3,
}
_FILLER = {"weekly", "every", "on", "at", "in", "week"}
_OTHER_PERIODS = {"daily", "monthly", "hourly", "biweekly", "fortnightly", "yearly"}
_TIME = re.compile(r"^([0-9]{1,2})(?:[:h.]([0-9]{2}))?\s*(am|pm)?$", re.IGNORECASE)
_TOPICS = re.compile(r"\btopics?\s*[:=]\s*", re.IGNORECASE)


class CommandError(ValueError):
    """The user's command cannot be understood; the message says how to fix it."""


@dataclass(frozen=True)
class ParsedSchedule:
    """A subscribe command, understood; `zone_defaulted` when the user gave no zone."""

    schedule: DigestSchedule
    zone_defaulted: bool


def handle_subscription_command(text: str, store: KnowledgeStore, ctx: AskContext) -> Reply:
    """Answer `subscribe …`, `unsubscribe` or `subscriptions` for the asking channel."""
    try:
        return _handle(text, store, ctx)
    except StoreUnavailable:
        return unavailable_reply()


def unavailable_reply() -> Reply:
    """Return what a subscription command answers while the database does not."""
    return outage_reply("Subscriptions unavailable", "subscriptions are", "subscriptions")


def _handle(text: str, store: KnowledgeStore, ctx: AskContext) -> Reply:
    words = text.strip().split(maxsplit=1)
    command = words[0].lower() if words else ""
    rest = words[1] if len(words) > 1 else ""
    book = ctx.subscriptions
    if book is None:
        return Reply(
            kind=ReplyKind.SUBSCRIPTION,
            title="Digests are not available here",
            text="Subscribe from a Slack or Teams channel to receive the weekly digest.",
            shareable=False,
        )
    if command == "unsubscribe":
        removed = book.unsubscribe(ctx.platform, ctx.conversation_id)
        return _reply(
            "Unsubscribed" if removed else "This channel has no digest subscription",
            "This channel will get no more weekly digests."
            if removed
            else f"Nothing to remove. To get a weekly digest here, type `{EXAMPLE}`.",
        )
    if command == "subscriptions":
        current = book.get(ctx.platform, ctx.conversation_id)
        if current is None:
            return _reply(
                "No digest subscription in this channel",
                f"Type `subscribe` for a weekly digest on Mondays at 09:00, or e.g. `{EXAMPLE}`.",
            )
        return _describe(current, store, "Digest subscription in this channel")
    if command != "subscribe":
        return _error(
            f"Unknown subscription command {command!r}: use subscribe, unsubscribe or subscriptions."
        )
    try:
        parsed = parse_subscribe(rest, store, ctx.user_tz)
    except CommandError as exc:
        return _error(str(exc))
    previous = book.get(ctx.platform, ctx.conversation_id)
    saved = book.subscribe(
        ctx.platform, ctx.conversation_id, ctx.user_id, parsed.schedule, workspace=ctx.workspace
    )
    reply = _describe(saved, store, "Subscribed to the weekly digest")
    notes = []
    if parsed.zone_defaulted:
        notes.append(
            f"Times are in your time zone, {saved.schedule.tz}."
            if _usable_zone(ctx.user_tz)
            else "Times are in UTC because your time zone is unknown; add one, e.g. Europe/Paris."
        )
    if previous is not None:
        notes.append(f"This replaces the previous schedule ({_when(previous.schedule)}).")
    if notes:
        reply = reply.model_copy(update={"text": " ".join([reply.text or "", *notes]).strip()})
    return reply


def parse_subscribe(text: str, store: KnowledgeStore, user_tz: str | None) -> ParsedSchedule:
    """Parse the words after `subscribe`; raise CommandError with a helpful message."""
    topics_part = ""
    match = _TOPICS.search(text)
    if match:
        topics_part = text[match.end() :]
        text = text[: match.start()]
    topic_items = [t.strip() for t in topics_part.split(",") if t.strip()]
    words = text.split()
    if topic_items:
        # "topics:ADC tue 08:30": schedule words after the last topic belong to the schedule.
        last = topic_items[-1].split()
        while len(last) > 1 and _is_schedule_word(last[-1]):
            words.append(last.pop())
        topic_items[-1] = " ".join(last)
    elif match:
        raise CommandError(f"Name at least one topic after `topics:`, e.g. `{EXAMPLE}`.")
    weekday: int | None = None
    clock: tuple[int, int] | None = None
    zone: str | None = None
    for word in words:
        low = word.lower().rstrip(",")
        if low in _FILLER:
            continue
        if low in _OTHER_PERIODS:
            raise CommandError(
                f"Digests are weekly; choose a day and time instead, e.g. `{EXAMPLE}`."
            )
        if low in _DAYS:
            if weekday is not None:
                raise CommandError("Give one day of the week, e.g. `subscribe weekly tue 08:30`.")
            weekday = _DAYS[low]
        elif _TIME.match(low):
            if clock is not None:
                raise CommandError("Give one time of day, e.g. `subscribe weekly tue 08:30`.")
            clock = parse_time(low)
        elif (found := find_zone(word)) is not None:
            if zone is not None:
                raise CommandError("Give one time zone, e.g. Europe/Paris.")
            zone = found
        else:
            raise CommandError(_unknown_word(word))
    topics = tuple(dict.fromkeys(_resolve_topics(topic_items, store)))
    zone_defaulted = zone is None
    hour, minute = clock or (9, 0)
    schedule = DigestSchedule(
        weekday=0 if weekday is None else weekday,
        hour=hour,
        minute=minute,
        tz=zone or _usable_zone(user_tz) or "UTC",
        topics=topics,
    )
    return ParsedSchedule(schedule, zone_defaulted)


def parse_time(word: str) -> tuple[int, int]:
    """Return (hour, minute) for '08:30', '8:30', '17h00', '8am' or '8:30pm'."""
    not_a_time = f"{word!r} is not a time: write HH:MM on a 24-hour clock, e.g. 08:30."
    match = _TIME.match(word.strip())
    if not match or (match.group(2) is None and match.group(3) is None):
        raise CommandError(not_a_time)
    try:
        hour = read_number(match.group(1), "the hour", low=0, high=23, example="08:30")
        minute = read_number(match.group(2) or "0", "the minute", low=0, high=59, example="08:30")
    except BadNumber:
        raise CommandError(not_a_time) from None
    meridiem = (match.group(3) or "").lower()
    if meridiem:
        if not 1 <= hour <= 12:
            raise CommandError(f"{word!r} is not a time: with am/pm the hour is 1 to 12.")
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    return hour, minute


@cache
def _zones_by_lower() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def find_zone(word: str) -> str | None:
    """Return the IANA zone name `word` spells (any case), or None."""
    return _zones_by_lower().get(word.strip().lower())


def _usable_zone(name: str | None) -> str | None:
    return find_zone(name) if name else None


def _is_schedule_word(word: str) -> bool:
    low = word.lower()
    return bool(low in _DAYS or low in _FILLER or _TIME.match(low) or find_zone(word))


def _unknown_word(word: str) -> str:
    low = word.lower()
    if any(c.isdigit() for c in low):
        return f"{word!r} is not a time: write HH:MM on a 24-hour clock, e.g. 08:30."
    if "/" in word:
        close = difflib.get_close_matches(low, _zones_by_lower(), n=1, cutoff=0.6)
        hint = f" Did you mean {_zones_by_lower()[close[0]]}?" if close else ""
        return f"{word!r} is not a time zone I know.{hint} Use an IANA name such as Europe/Paris or America/New_York."
    day = difflib.get_close_matches(low, _DAYS, n=1, cutoff=0.6)
    if day:
        return f"{word!r} is not a day of the week. Did you mean {DAY_NAMES[_DAYS[day[0]]]}?"
    return f"I don't understand {word!r}. Try e.g. `{EXAMPLE}` (topics last)."


def _resolve_topics(items: Sequence[str], store: KnowledgeStore) -> list[str]:
    resolved: list[str] = []
    for item in items:
        topic = resolve_topic(item, store)
        if topic is None:
            hints = store.suggest(item, [Topic])
            known = ", ".join(t.name for t in store.all(Topic)[:12])
            hint = f" Did you mean {' or '.join(hints)}?" if hints else ""
            raise CommandError(
                f"No topic {item!r} in the knowledge.{hint} Topics include: {known or 'none yet'}."
            )
        resolved.append(topic)
    return resolved


def _when(schedule: DigestSchedule) -> str:
    return (
        f"{DAY_NAMES[schedule.weekday]}s at {schedule.hour:02d}:{schedule.minute:02d} {schedule.tz}"
    )


def format_moment(moment: dt.datetime) -> str:
    """Return 'Tuesday 31 March 2026, 08:30 CEST'."""
    return f"{moment:%A} {moment.day} {moment:%B %Y, %H:%M} {moment.tzname() or ''}".strip()


def _describe(sub: Subscription, store: KnowledgeStore, title: str) -> Reply:
    topics = ", ".join(topic_label(t, store) for t in sub.schedule.topics) or "all topics"
    facts = [
        Fact(label="When", value=f"weekly, {_when(sub.schedule)}"),
        Fact(label="Topics", value=topics),
    ]
    if sub.paused_reason:
        facts.append(Fact(label="Status", value=f"paused ({sub.paused_reason})"))
        text = (
            "Paused: the bot could not post in this channel. Add the bot to the channel, "
            "then type `subscribe` again to resume."
        )
    else:
        nxt = format_moment(sub.next_digest) if sub.next_digest else "not scheduled"
        facts.append(Fact(label="Next digest", value=nxt))
        text = f"Next digest: {nxt}."
    return Reply(
        kind=ReplyKind.SUBSCRIPTION,
        title=title,
        text=text,
        facts=facts,
        actions=[Action(kind=ActionKind.RUN, label="Unsubscribe", command="unsubscribe")],
        shareable=False,
    )


def paused_notice(channel: str, reason: str) -> Reply:
    """Return what a subscriber is told, privately, when their channel's digest was paused."""
    return _reply(
        "Weekly digest paused",
        f"I could not post the weekly ChinaBio digest in {channel} ({reason}), so its "
        "subscription is paused. Add me to the channel and type `subscribe` there to resume.",
    )


def _reply(title: str, text: str) -> Reply:
    return Reply(kind=ReplyKind.SUBSCRIPTION, title=title, text=text, shareable=False)


def _error(message: str) -> Reply:
    return Reply(
        kind=ReplyKind.ERROR,
        title="Subscription not changed",
        text=message,
        suggestions=["subscribe", EXAMPLE, "subscriptions"],
        shareable=False,
    )
