"""The delivery log: claim a (platform, channel, period) before posting, record the outcome after.

A claim is an INSERT on a unique key, so however many replicas, ticks or restarts race for a
channel's week, one wins. States: claimed -> sending -> sent | ambiguous | failed | unavailable,
and skipped (the grace period passed). Only `claimed` rows (nothing was posted yet), `failed`
rows with attempts left and `skipped` rows may be taken again; `sending` never is.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.digest.book import StoredSubscription
from bot.digest.schedule import as_utc, latest_fire, period_of
from bot.digest.tables import deliveries

log = logging.getLogger("bot.digest")

Key = tuple[str, str]


@dataclass(frozen=True)
class Claim:
    """A digest this process may now post: the channel, its period and when it was due."""

    key: Key
    period: str
    fire: dt.datetime  # in the channel's zone; its date is the digest's date
    subscription: StoredSubscription | None


@dataclass
class ClaimPolicy:
    """How long a missed digest may still go out, and how often a failed one is retried."""

    owner: str
    grace: dt.timedelta = dt.timedelta(hours=24)
    max_attempts: int = 3
    stale_after: dt.timedelta = dt.timedelta(minutes=10)


def _insert(conn: Connection, values: dict[str, object]) -> bool:
    """INSERT a delivery row unless its key exists; return True if this call inserted it."""
    stmt = (pg_insert if conn.dialect.name == "postgresql" else sqlite_insert)(deliveries)
    result = conn.execute(stmt.values(**values).on_conflict_do_nothing())
    return bool(result.rowcount)


def _where(key: Key, period: str):  # type: ignore[no-untyped-def]
    return (
        (deliveries.c.platform == key[0])
        & (deliveries.c.channel == key[1])
        & (deliveries.c.period == period)
    )


def claim_due(
    engine: Engine, subs: list[StoredSubscription], now: dt.datetime, policy: ClaimPolicy
) -> list[Claim]:
    """Claim every subscription whose latest scheduled time is due and not yet delivered."""
    due: list[Claim] = []
    for sub in subs:
        try:
            fire = latest_fire(sub.subscription.schedule, now)
        except Exception:  # a zone or schedule the database holds but this machine cannot read
            log.exception("digest schedule unreadable for %s", sub.key)
            continue
        if fire is not None and as_utc(fire) >= sub.active_since:
            due.append(Claim(sub.key, period_of(fire), fire, sub))
    if not due:
        return []
    periods = {c.period for c in due}
    claimed: list[Claim] = []
    with engine.begin() as conn:
        existing = {
            (r.platform, r.channel, r.period): r
            for r in conn.execute(select(deliveries).where(deliveries.c.period.in_(periods)))
        }
        for claim in due:
            row = existing.get((*claim.key, claim.period))
            late = now - as_utc(claim.fire)
            if row is None:
                if late > policy.grace:
                    if _insert(conn, _row(claim, "skipped", policy.owner, now)):
                        log.warning(
                            "skipping the digest for %s %s due %s: %.1f h late, past the %g h grace period",
                            *claim.key,
                            claim.fire.isoformat(),
                            late.total_seconds() / 3600,
                            policy.grace.total_seconds() / 3600,
                        )
                elif _insert(conn, _row(claim, "claimed", policy.owner, now)):
                    claimed.append(claim)
            elif _retake(conn, claim, row, now, late, policy):
                claimed.append(claim)
    return claimed


def _retake(conn: Connection, claim: Claim, row, now, late, policy: ClaimPolicy) -> bool:  # type: ignore[no-untyped-def]
    """Take over a row nothing was posted for; mark long-unfinished sends ambiguous."""
    where = _where(claim.key, claim.period)
    if row.status == "sending":
        if now - as_utc(row.claimed_at) > policy.stale_after:
            conn.execute(
                update(deliveries)
                .where(
                    where & (deliveries.c.status == "sending") & (deliveries.c.owner == row.owner)
                )
                .values(status="ambiguous", error="unfinished send (process stopped mid-post?)")
            )
            log.warning(
                "digest for %s %s %s was being sent by %s and never finished: marked ambiguous, "
                "not re-posted",
                *claim.key,
                claim.period,
                row.owner,
            )
        return False
    retakable = (
        row.status == "claimed"
        or row.status == "skipped"
        or (row.status == "failed" and row.attempts < policy.max_attempts)
    )
    if not retakable or late > policy.grace:
        return False
    result = conn.execute(
        update(deliveries)
        .where(
            where
            & (deliveries.c.status == row.status)
            & (deliveries.c.owner == row.owner)
            & (deliveries.c.attempts == row.attempts)
        )
        .values(
            status="claimed", owner=policy.owner, claimed_at=now, scheduled_for=as_utc(claim.fire)
        )
    )
    return bool(result.rowcount)


def _row(claim: Claim, status: str, owner: str, now: dt.datetime) -> dict[str, object]:
    return {
        "platform": claim.key[0],
        "channel": claim.key[1],
        "period": claim.period,
        "scheduled_for": as_utc(claim.fire),
        "status": status,
        "owner": owner,
        "attempts": 0,
        "claimed_at": now,
    }


def claim_manual(engine: Engine, claim: Claim, owner: str, now: dt.datetime) -> bool:
    """Claim a digest asked for by hand (its period is unique to the request)."""
    with engine.begin() as conn:
        return _insert(conn, _row(claim, "claimed", owner, now))


def begin_send(engine: Engine, claim: Claim, owner: str, now: dt.datetime) -> bool:
    """Move our claim to `sending`; False if another process took it over meanwhile."""
    with engine.begin() as conn:
        result = conn.execute(
            update(deliveries)
            .where(
                _where(claim.key, claim.period)
                & (deliveries.c.status == "claimed")
                & (deliveries.c.owner == owner)
            )
            .values(status="sending", attempts=deliveries.c.attempts + 1, claimed_at=now)
        )
    return bool(result.rowcount)


def finish(
    conn: Connection, claim: Claim, owner: str, now: dt.datetime, status: str, **values: object
) -> None:
    """Record how a send we started ended."""
    conn.execute(
        update(deliveries)
        .where(_where(claim.key, claim.period) & (deliveries.c.owner == owner))
        .values(status=status, finished_at=now, **values)
    )
