"""`chinabio digest preview|send`: print a channel's digest, or post it now."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Mapping
from zoneinfo import ZoneInfo

from bot.deps import Deps
from bot.digest.book import SqlSubscriptionBook
from bot.digest.history import load_histories
from bot.digest.sender import Sender
from bot.digest.service import build_delivery, close_senders, digest_lead
from handlers.digest import ChannelHistory, compose_digest
from handlers.reply import Reply


def preview(
    deps: Deps, channel: str | None, date_text: str | None, render: Callable[[Reply], str]
) -> int:
    """Print the digest `channel` would get on `date_text` (default: today in its zone)."""
    topics: tuple[str, ...] = ()
    key: tuple[str, str] = ("", channel or "")
    history = ChannelHistory()
    zone: dt.tzinfo = dt.UTC
    if channel:
        found = SqlSubscriptionBook(deps.engine).find(channel)
        if found is None:
            print(
                f"note: {channel} has no subscription; showing the unfiltered digest",
                file=sys.stderr,
            )
        else:
            schedule = found.subscription.schedule
            topics, zone, key = schedule.topics, ZoneInfo(schedule.tz), found.key
            now = dt.datetime.now(dt.UTC)
            history = load_histories(deps.engine, [found.key], now).get(found.key, history)
    if date_text:
        try:
            day = dt.date.fromisoformat(date_text)
        except ValueError:
            print(f"--date {date_text!r} is not a date: write YYYY-MM-DD", file=sys.stderr)
            return 2
    else:
        day = dt.datetime.now(zone).date()
    store = deps.knowledge.store
    provider = digest_lead(deps)
    lead = provider(key, store, day, history) if provider else None
    print(render(compose_digest(store, day, history, topics, lead)))
    return 0


async def send(deps: Deps, channel: str, senders: Mapping[str, Sender]) -> int:
    """Post a digest to `channel` now through its platform's sender (closed afterwards)."""
    found = SqlSubscriptionBook(deps.engine).find(channel)
    platform = found.subscription.platform if found else next(iter(senders))
    if platform not in senders:
        print(
            f"{channel} is subscribed on {platform}, which is not configured here", file=sys.stderr
        )
        return 1
    delivery = build_delivery(deps, senders)
    try:
        report = await delivery.send_now(channel, platform)
    finally:
        await close_senders(senders)
    outcome = report.outcomes.get((platform, channel), "not sent")
    if outcome != "sent":
        print(f"digest for {platform} {channel}: {outcome}; see the log", file=sys.stderr)
        return 1
    print(f"posted the digest to {platform} {channel}")
    return 0
