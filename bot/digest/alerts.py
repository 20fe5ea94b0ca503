"""Knowledge alerts: after a curator's edit is served, one message per conversation following it.

The leading replica runs `AlertDelivery.run_once` at each digest tick: it records the served
knowledge version (bot/digest/versions.py); when that is a new step, it diffs the step, picks
the conversations with `alerts instant` whose follows the change touches, and claims each in
the digest's delivery log under the period "alert-<step id>" — so, however many replicas,
ticks or restarts, a conversation hears of a version once. Posting goes through the digest's
`Sender` ports, exactly like a digest.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

from bot.digest.book import StoredSubscription
from bot.digest.claims import ALERT_PREFIX, Claim, claim
from bot.digest.delivery import DigestDelivery, Job, RunReport
from bot.digest.follows import Follower, SqlFollowBook
from bot.digest.versions import VersionStep, latest_step, load_states, record_version
from handlers.alerts import alert_reply
from handlers.changes import KnowledgeChange, diff, entity_states
from handlers.context import DigestSchedule, Follow, Subscription
from handlers.reply import Reply
from knowledge import KnowledgeStore

log = logging.getLogger("bot.digest")


@dataclass(frozen=True)
class Composed:
    """The alerts of one knowledge step: a reply per conversation the change concerns."""

    step: VersionStep
    replies: dict[tuple[str, str], Reply]
    followers: dict[tuple[str, str], Follower]
    seconds: float


def compose_alerts(
    change: KnowledgeChange, followers: Sequence[Follower], store: KnowledgeStore
) -> dict[tuple[str, str], Reply]:
    """Return the alert of every follower with `alerts instant` that the change concerns."""
    by_follows: dict[tuple[Follow, ...], Reply | None] = {}
    replies: dict[tuple[str, str], Reply] = {}
    for follower in followers:
        if follower.mode != "instant":
            continue
        key = tuple(follower.follows)
        if key not in by_follows:  # channels following the same things get the same alert
            by_follows[key] = alert_reply(change, follower.follows, store)
        reply = by_follows[key]
        if reply is not None:
            replies[follower.key] = reply
    return replies


class AlertDelivery:
    """Sends each new knowledge step's alerts once, through the digest delivery engine."""

    def __init__(self, delivery: DigestDelivery, book: SqlFollowBook | None = None) -> None:
        self.delivery = delivery
        self.engine = delivery.engine
        self.book = book or SqlFollowBook(delivery.engine, delivery.clock)
        self._finished: int | None = None  # the step with nothing left to claim
        self.last_compose_seconds = 0.0

    async def run_once(self) -> RunReport:
        """Record the served version; post the alerts of its step not posted yet."""
        store = self.delivery.knowledge()
        now = self.delivery.clock()
        step = await asyncio.to_thread(self._current_step, store, now)
        if step is None or step.previous is None or step.id == self._finished:
            return RunReport()
        composed = await asyncio.to_thread(self.compose, step, store)
        if composed is None:
            self._finished = step.id
            return RunReport()
        self.last_compose_seconds = composed.seconds
        jobs = await asyncio.to_thread(self._claim, composed, store, now)
        if not jobs:  # all sent, in flight elsewhere, skipped, or out of attempts
            self._finished = step.id
            return RunReport()
        report = await self.delivery.post_jobs(jobs)
        if report.outcomes:
            log.info(
                "knowledge alerts for version %s: %d sent, %d failed",
                step.version,
                report.count("sent"),
                report.count("failed"),
            )
        return report

    def _current_step(self, store: KnowledgeStore, now: dt.datetime) -> VersionStep | None:
        """Return the step to the version this replica serves, when it is the latest one."""
        step = record_version(self.engine, store, now) or latest_step(self.engine)
        if step is None or step.version != store.version:
            return (
                None  # this replica serves an older snapshot: leave it to the one that is current
            )
        return step

    def compose(self, step: VersionStep, store: KnowledgeStore) -> Composed | None:
        """Diff the step and compose every follower's alert (None when the step has no alerts)."""
        started = time.perf_counter()
        before = load_states(self.engine, step.previous) if step.previous else None
        if before is None:
            return None
        change = diff(before, entity_states(store))
        if not change:
            return None
        followers = {f.key: f for f in self.book.followers()}
        replies = compose_alerts(change, list(followers.values()), store)
        return Composed(step, replies, followers, time.perf_counter() - started)

    def _claim(self, composed: Composed, store: KnowledgeStore, now: dt.datetime) -> list[Job]:
        """Claim each conversation's alert in the delivery log; return the jobs this process won."""
        step = composed.step
        due = [
            Claim(key, f"{ALERT_PREFIX}{step.id}", step.recorded_at, _as_subscription(f, step))
            for key, f in composed.followers.items()
            if key in composed.replies
        ]
        won = claim(self.engine, due, now, self.delivery.policy)
        return [Job(c, composed.replies[c.key], store, pause_on_unavailable=False) for c in won]


def _as_subscription(follower: Follower, step: VersionStep) -> StoredSubscription:
    """Return what the delivery engine needs to reach the conversation (its workspace)."""
    platform, channel = follower.key
    return StoredSubscription(
        Subscription(
            platform=platform,
            channel=channel,
            subscriber=follower.follower,
            schedule=DigestSchedule(),
            workspace=follower.workspace,
        ),
        step.recorded_at,
    )
