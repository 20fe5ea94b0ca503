"""`chinabio digest preview|send`: print a channel's digest, or post it now."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
from zoneinfo import ZoneInfo

from bot.deps import Deps, build_deps
from bot.digest.history import load_histories
from bot.digest.text import ConsoleSender, render_digest_text
from bot.digest.wiring import (
    build_delivery,
    build_subscription_book,
    close_senders,
    senders_from_deps,
)
from bot.settings import Settings
from handlers.digest import ChannelHistory, compose_digest
from knowledge import KnowledgeError


def run_digest_command(args: argparse.Namespace, settings: Settings) -> int:
    """Run `digest preview` or `digest send`; return the exit code."""
    try:
        deps = build_deps(settings)
    except KnowledgeError as exc:
        print(f"the knowledge is invalid; run `chinabio validate`:\n{exc}", file=sys.stderr)
        return 1
    if args.digest_command == "preview":
        return preview(deps, args.channel, args.date)
    return asyncio.run(send(deps, args.channel))


def preview(deps: Deps, channel: str | None, date_text: str | None) -> int:
    """Print the digest `channel` would get on `date_text` (default: today in its zone)."""
    topics: tuple[str, ...] = ()
    history = ChannelHistory()
    zone: dt.tzinfo = dt.UTC
    if channel:
        found = build_subscription_book(deps).find(channel)
        if found is None:
            print(
                f"note: {channel} has no subscription; showing the unfiltered digest",
                file=sys.stderr,
            )
        else:
            schedule = found.subscription.schedule
            topics, zone = schedule.topics, ZoneInfo(schedule.tz)
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
    print(render_digest_text(compose_digest(deps.knowledge.store, day, history, topics)))
    return 0


async def send(deps: Deps, channel: str) -> int:
    """Post a digest to `channel` now through its platform (the console when none is set up)."""
    senders = senders_from_deps(deps)
    senders.setdefault("console", ConsoleSender())
    found = build_subscription_book(deps).find(channel)
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
