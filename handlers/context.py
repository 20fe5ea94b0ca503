"""What a handler may know about who is asking, without knowing the platform."""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from cachetools import TTLCache


class StoreUnavailable(RuntimeError):
    """The bot's store (its database) did not answer in time; the request can be retried later."""


class QuoteMemory(Protocol):
    """Remembers which quotes a conversation has seen, so repeats are avoided."""

    def recent(self, conversation: str) -> list[str]: ...

    def remember(self, conversation: str, quote_id: str) -> None: ...


@dataclass(frozen=True)
class DigestSchedule:
    """When a channel wants its digest: weekly on `weekday` (0 = Monday) at hour:minute in `tz`."""

    weekday: int = 0
    hour: int = 9
    minute: int = 0
    tz: str = "UTC"  # an IANA zone name, checked by the handler with zoneinfo
    topics: tuple[str, ...] = ()  # topic ids or subject words; empty = everything


@dataclass(frozen=True)
class Subscription:
    """A channel's subscription as the book holds it."""

    platform: str
    channel: str
    subscriber: str  # who subscribed: told when the channel becomes unreachable
    schedule: DigestSchedule
    paused_reason: str | None = None  # set when the channel was unreachable
    next_digest: dt.datetime | None = None  # aware, in the schedule's zone; None while paused
    workspace: str | None = None  # the platform's workspace id (which bot install posts there)


class SubscriptionBook(Protocol):
    """The bot's store of digest subscriptions, lent to the subscription handlers.

    Defined here, implemented by bot/digest (database) — handlers only call it. A channel
    has at most one subscription; subscribing again replaces it (and resumes a paused one).
    Every method may raise StoreUnavailable when the database does not answer in time.
    """

    def subscribe(
        self,
        platform: str,
        channel: str,
        subscriber: str,
        schedule: DigestSchedule,
        workspace: str | None = None,
    ) -> Subscription:
        """Create or replace the channel's subscription; return it with its next digest time."""
        ...

    def unsubscribe(self, platform: str, channel: str) -> bool:
        """Remove the channel's subscription; return False if there was none."""
        ...

    def get(self, platform: str, channel: str) -> Subscription | None:
        """Return the channel's subscription with its next digest time, or None."""
        ...


class CalendarFeeds(Protocol):
    """The bot's secret calendar feeds, one per channel, lent to the `calendar` handler.

    Defined here, implemented by bot/calendar (database; tokens stored hashed). Every method
    may raise StoreUnavailable when the database does not answer in time.
    """

    def issue(
        self, platform: str, channel: str, issued_by: str, workspace: str | None = None
    ) -> str:
        """Create the channel's feed, replacing any earlier one; return its secret URL."""
        ...

    def revoke(self, platform: str, channel: str) -> bool:
        """Remove the channel's feed; return False if there was none."""


@dataclass(frozen=True)
class Follow:
    """One thing a conversation follows: its kind, its key, and how to show it."""

    kind: str  # "organisation", "asset", "deal", "topic", "person", "event", "modality", "area", "country"
    key: str  # an entity id, or a normalised subject word (modality, area, country)
    label: str  # the display name: "Bayer", "ADC"


#: How a conversation hears of knowledge changes touching what it follows.
ALERT_MODES = ("instant", "in digest", "off")


class FollowBook(Protocol):
    """The bot's store of follows and alert choices, one list per conversation (channel or DM).

    Defined here, implemented by bot/digest (database) — handlers only call it. Every method
    may raise StoreUnavailable when the database does not answer in time.
    """

    def follow(
        self, platform: str, channel: str, follower: str, target: Follow, workspace: str | None
    ) -> bool:
        """Follow `target` in the conversation; return False if it was followed already."""
        ...

    def unfollow(self, platform: str, channel: str, kind: str, key: str) -> bool:
        """Stop following; return False if it was not followed."""
        ...

    def following(self, platform: str, channel: str) -> list[Follow]:
        """Return what the conversation follows, in the order it was followed."""
        ...

    def alert_mode(self, platform: str, channel: str) -> str:
        """Return the conversation's alert choice (one of ALERT_MODES; "instant" by default)."""
        ...

    def set_alert_mode(self, platform: str, channel: str, mode: str) -> None:
        """Set the conversation's alert choice."""
        ...


@dataclass(frozen=True)
class TeamReminder:
    """A follow-up a channel set on a deal: shown in that week's digest until it is done."""

    number: int  # what `done N` names
    platform: str
    channel: str
    entity_id: str  # the deal's id
    subject: str  # the deal's title when the reminder was set
    due: dt.date
    note: str
    created_by: str
    done: bool = False


class ReminderBook(Protocol):
    """The bot's store of team reminders, lent to the reminder handlers.

    Defined here, implemented by bot/digest (database). Every method may raise
    StoreUnavailable when the database does not answer in time.
    """

    def add(
        self,
        platform: str,
        channel: str,
        entity_id: str,
        subject: str,
        due: dt.date,
        note: str,
        created_by: str,
    ) -> TeamReminder:
        """Store a new reminder for the channel and return it with its number."""
        ...

    def open(self, platform: str, channel: str) -> list[TeamReminder]:
        """Return the channel's reminders not yet done, soonest first."""
        ...

    def finish(self, platform: str, channel: str, number: int) -> TeamReminder | None:
        """Mark the channel's reminder `number` done; return it, or None if it has none open."""
        ...


class InMemoryQuoteMemory:
    """Quote history kept in memory, bounded: the most recently active conversations only.

    A conversation beyond `max_conversations` pushes out the one idle longest, and one without
    a new quote for `ttl_seconds` is forgotten; either then gets quotes as if it were new.
    """

    def __init__(
        self,
        keep: int = 50,
        *,
        max_conversations: int = 10_000,
        ttl_seconds: float = 24 * 3600,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self._seen: TTLCache[str, list[str]] = TTLCache(max_conversations, ttl_seconds, timer)
        self._keep = keep
        self._lock = threading.Lock()  # answers may run in threads; the cache is not thread-safe

    def recent(self, conversation: str) -> list[str]:
        with self._lock:
            return list(self._seen.get(conversation, ()))

    def remember(self, conversation: str, quote_id: str) -> None:
        with self._lock:
            seen = [*self._seen.get(conversation, ()), quote_id]
            self._seen[conversation] = seen[-self._keep :]  # storing it starts its time anew


@dataclass
class AskContext:
    """Who asks, where, on which platform; plus services the bot layer lends the handlers."""

    platform: str = "console"  # "slack" | "teams" | "console" | "cli"
    user_id: str = "local"
    conversation_id: str = "console"
    is_mention: bool = False
    quote_memory: QuoteMemory = field(default_factory=InMemoryQuoteMemory)
    subscriptions: SubscriptionBook | None = None
    user_tz: str | None = None  # the asker's IANA zone when the platform tells us
    workspace: str | None = None  # opaque id of the asker's workspace (e.g. a Slack team), if any
    rng: random.Random = field(default_factory=random.Random)  # seed it to make picks repeatable
    calendar_feeds: CalendarFeeds | None = None  # secret .ics feeds; None where none can be served
    today: dt.date | None = None  # what "ahead" counts from; None = today in UTC
    follows: FollowBook | None = None  # what the conversation follows, when a database is lent
    reminders: ReminderBook | None = None  # the channel's team reminders (remind, reminders, done)
