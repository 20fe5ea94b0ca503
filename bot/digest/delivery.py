"""Deliver due digests: claim, compose, post concurrently (bounded), record — exactly once per week."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, Executable

from bot.digest.book import SqlSubscriptionBook, StoredSubscription
from bot.digest.claims import (
    Claim,
    ClaimPolicy,
    begin_send,
    claim_due,
    claim_manual,
    finish_statement,
)
from bot.digest.history import (
    featured_statement,
    load_histories,
    memory_statement,
    save_snapshot,
)
from bot.digest.schedule import Clock, utc_now
from bot.digest.sender import (
    AmbiguousDelivery,
    ChannelUnavailable,
    Sender,
    TransientDeliveryError,
)
from bot.metrics import DIGESTS
from handlers.digest import ChannelHistory, LeadProvider, compose_digest, fingerprints
from handlers.reply import Reply
from handlers.subscriptions import paused_notice
from knowledge import KnowledgeStore

log = logging.getLogger("bot.digest")
Key = tuple[str, str]
#: statements with their parameter rows, run together in one transaction
Statements = list[tuple[Executable, list[dict[str, Any]]]]


@dataclass(frozen=True)
class Job:
    """A claimed digest, composed and ready to post."""

    claim: Claim
    reply: Reply
    store: KnowledgeStore
    pause_on_unavailable: bool = True  # pause the channel's digest when it cannot be posted to


@dataclass
class RunReport:
    """What one pass did, by outcome: 'sent', 'failed', 'ambiguous', 'unavailable', 'lost'."""

    outcomes: dict[tuple[str, str], str] = field(default_factory=dict)
    compose_seconds: float = 0.0

    def count(self, outcome: str) -> int:
        return sum(1 for o in self.outcomes.values() if o == outcome)


class DigestDelivery:
    """Finds due digests and delivers each once, through the sender of its platform."""

    def __init__(
        self,
        engine: Engine,
        knowledge: Callable[[], KnowledgeStore],
        senders: Mapping[str, Sender],
        *,
        clock: Clock = utc_now,
        grace: dt.timedelta = dt.timedelta(hours=24),
        owner: str | None = None,
        concurrency: int = 200,
        max_attempts: int = 3,
        lead: LeadProvider | None = None,
    ) -> None:
        self.engine = engine
        self.knowledge = knowledge
        self.senders = dict(senders)
        self.clock = clock
        self.book = SqlSubscriptionBook(engine, clock)
        self.policy = ClaimPolicy(
            owner=owner or f"digest-{uuid.uuid4().hex[:12]}", grace=grace, max_attempts=max_attempts
        )
        self.concurrency = concurrency
        self.lead = lead  # the top sections (what's new, what the channel follows), if any

    @property
    def owner(self) -> str:
        return self.policy.owner

    async def run_once(self) -> RunReport:
        """Claim and deliver every digest due now; return what happened to each."""
        now = self.clock()
        claims = await asyncio.to_thread(
            lambda: claim_due(self.engine, self.book.active(), now, self.policy)
        )
        return await self._deliver_all(claims, now)

    async def send_now(self, channel: str, platform: str | None = None) -> RunReport:
        """Post a digest to `channel` now, outside the weekly schedule (`chinabio digest send`)."""
        now = self.clock()
        sub = await asyncio.to_thread(self.book.find, channel, platform)
        platform = sub.subscription.platform if sub else platform or next(iter(self.senders), "")
        zone_now = now.astimezone(_zone(sub))
        claim = Claim((platform, channel), f"manual-{now:%Y%m%dT%H%M%S%f}", zone_now, sub)
        if not await asyncio.to_thread(claim_manual, self.engine, claim, self.owner, now):
            return RunReport()
        return await self._deliver_all([claim], now)

    async def _deliver_all(self, claims: list[Claim], now: dt.datetime) -> RunReport:
        report = RunReport()
        if not claims:
            return report
        store = self.knowledge()
        started = time.perf_counter()
        histories = await asyncio.to_thread(
            load_histories, self.engine, [c.key for c in claims], now
        )
        # The fingerprints of the knowledge these digests use, for the next "what changed".
        await asyncio.to_thread(save_snapshot, self.engine, store.version, fingerprints(store))
        jobs = await asyncio.to_thread(self._compose, claims, store, histories)
        report.compose_seconds = time.perf_counter() - started
        return await self.post_jobs(jobs, report)

    async def post_jobs(self, jobs: list[Job], report: RunReport | None = None) -> RunReport:
        """Post claimed, composed jobs concurrently (bounded) and record how each ended."""
        report = report if report is not None else RunReport()
        limit = asyncio.Semaphore(self.concurrency)

        async def one(job: Job) -> None:
            async with limit:
                report.outcomes[job.claim.key] = await self._deliver(job)

        tasks = [asyncio.create_task(one(job)) for job in jobs]
        await asyncio.gather(*tasks)
        return report

    def _compose(
        self, claims: list[Claim], store: KnowledgeStore, histories: Mapping[Key, ChannelHistory]
    ) -> list[Job]:
        jobs = []
        for claim in claims:
            topics = claim.subscription.subscription.schedule.topics if claim.subscription else ()
            day, history = claim.fire.date(), histories.get(claim.key) or ChannelHistory()
            lead = self.lead(claim.key, store, day, history) if self.lead else None
            reply = compose_digest(store, day, history, topics, lead)
            jobs.append(Job(claim, reply, store))
        return jobs

    async def _deliver(self, job: Job) -> str:
        claim = job.claim
        platform, channel = claim.key
        now = self.clock()
        try:
            begun = await asyncio.to_thread(self._begin, claim, now)
        except Exception:  # the database is away: nothing was posted, a later tick retries
            log.exception("could not start the digest for %s %s", platform, channel)
            return "failed"
        if not begun:
            log.info(
                "digest for %s %s %s was taken over by another replica",
                platform,
                channel,
                claim.period,
            )
            return "lost"
        sender: Sender | None = None
        outcome: str = "failed"
        values: dict[str, Any] = {}
        try:
            sender = await self._sender_for(platform, claim.subscription)
            message_id = await sender.post(channel, job.reply)
            outcome, values = "sent", {"message_id": message_id, "error": None}
        except ChannelUnavailable as exc:
            outcome, values = "unavailable", {"error": str(exc)}
        except TransientDeliveryError as exc:
            values = {"error": f"transient: {exc}"}
        except AmbiguousDelivery as exc:
            outcome, values = "ambiguous", {"error": str(exc)}
            log.warning(
                "digest for %s %s %s may or may not have been posted (%s): not retried",
                platform,
                channel,
                claim.period,
                exc,
            )
        except Exception as exc:  # anything else is permanent: never retried blindly
            log.exception("digest for %s %s %s failed", platform, channel, claim.period)
            values = {"error": f"{type(exc).__name__}: {exc}", "attempts": self.policy.max_attempts}
        try:
            await asyncio.to_thread(self._write, self._record(job, outcome, values))
        except Exception:
            log.exception(
                "could not record the digest outcome %s for %s %s", outcome, platform, channel
            )
        DIGESTS.labels(platform=platform, outcome=outcome).inc()
        if outcome == "unavailable" and job.pause_on_unavailable:
            await self._pause(job, sender, str(values["error"]))
        elif outcome == "failed":
            log.warning(
                "digest for %s %s %s failed: %s", platform, channel, claim.period, values["error"]
            )
        return outcome

    async def _sender_for(self, platform: str, sub: StoredSubscription | None) -> Sender:
        """Return the platform's sender, narrowed to the subscription's workspace."""
        sender = self.senders.get(platform)
        if sender is None:
            raise LookupError(f"no sender configured for platform {platform!r}")
        return await sender.sender_for(sub.subscription.workspace if sub else None)

    def _begin(self, claim: Claim, now: dt.datetime) -> bool:
        """Mark a claimed digest as being sent, in its own transaction (committed before posting)."""
        with self.engine.begin() as conn:
            return begin_send(conn, claim, self.owner, now)

    def _write(self, statements: Statements) -> None:
        """Run `statements` in one transaction (a statement without rows is skipped)."""
        with self.engine.begin() as conn:
            for statement, rows in statements:
                if rows:
                    conn.execute(statement, rows)

    def _record(self, job: Job, outcome: str, values: dict[str, Any]) -> Statements:
        now = self.clock()
        if outcome != "sent":
            return [finish_statement(job.claim, self.owner, now, outcome, **values)]
        return [
            finish_statement(
                job.claim, self.owner, now, outcome, knowledge_version=job.store.version, **values
            ),
            featured_statement(
                self.engine.dialect.name, job.claim.key, job.claim.period, job.reply.entity_ids, now
            ),
            memory_statement(
                self.engine.dialect.name, job.claim.key, job.claim.fire.date(), job.reply.entity_ids
            ),
        ]

    async def _pause(self, job: Job, sender: Sender | None, reason: str) -> None:
        platform, channel = job.claim.key
        await asyncio.to_thread(self.book.pause, platform, channel, reason)
        log.warning("paused the digest subscription of %s %s: %s", platform, channel, reason)
        sub = job.claim.subscription
        if sub is None or sender is None:
            return
        try:
            await sender.notify(sub.subscription.subscriber, paused_notice(channel, reason))
        except Exception:  # telling the subscriber is best effort
            log.warning(
                "could not tell %s that %s was paused",
                sub.subscription.subscriber,
                channel,
                exc_info=True,
            )


def _zone(sub: StoredSubscription | None) -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(sub.subscription.schedule.tz) if sub else dt.UTC
