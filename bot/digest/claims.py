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
from typing import Any

from sqlalchemy import Connection, Engine, Executable, Integer, bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.digest.book import StoredSubscription
from bot.digest.schedule import as_utc, latest_fire, period_of
from bot.digest.tables import deliveries

log = logging.getLogger("bot.digest")

Key = tuple[str, str]
#: Periods of the delivery log that are knowledge alerts ("alert-<step id>"), not digests.
ALERT_PREFIX = "alert-"


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


def _insert_many(conn: Connection, rows: list[dict[str, object]]) -> set[tuple[str, str]]:
    """INSERT delivery rows whose key is free, in one statement; return the keys inserted."""
    if not rows:
        return set()
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    stmt = (
        insert(deliveries)
        .on_conflict_do_nothing()
        .returning(deliveries.c.platform, deliveries.c.channel, sort_by_parameter_order=True)
    )
    return {(r.platform, r.channel) for r in conn.execute(stmt, rows)}


def _where(key: Key, period: str):  # type: ignore[no-untyped-def]
    return (
        (deliveries.c.platform == key[0])
        & (deliveries.c.channel == key[1])
        & (deliveries.c.period == period)
    )


def due_claims(subs: list[StoredSubscription], now: dt.datetime) -> list[Claim]:
    """Return, per subscription, its latest scheduled time if it is due and after it subscribed."""
    fires: dict[tuple[int, int, int, str], dt.datetime | None] = {}
    due: list[Claim] = []
    for sub in subs:
        schedule = sub.subscription.schedule
        key = (schedule.weekday, schedule.hour, schedule.minute, schedule.tz)
        if key not in fires:  # channels mostly share a few schedules: compute each once
            try:
                fires[key] = latest_fire(schedule, now)
            except Exception:  # a zone the database holds but this machine cannot read
                log.exception("digest schedule unreadable: %s", key)
                fires[key] = None
        fire = fires[key]
        if fire is not None and as_utc(fire) >= sub.active_since:
            due.append(Claim(sub.key, period_of(fire), fire, sub))
    return due


def claim_due(
    engine: Engine, subs: list[StoredSubscription], now: dt.datetime, policy: ClaimPolicy
) -> list[Claim]:
    """Claim every subscription whose latest scheduled time is due and not yet delivered."""
    return claim(engine, due_claims(subs, now), now, policy)


def claim(engine: Engine, due: list[Claim], now: dt.datetime, policy: ClaimPolicy) -> list[Claim]:
    """Claim each of `due` not yet delivered (nor being delivered); return those this process won."""
    if not due:
        return []
    periods = {c.period for c in due}
    claimed: list[Claim] = []
    fresh: list[Claim] = []
    stale: list[Claim] = []
    with engine.begin() as conn:
        existing = {
            (r.platform, r.channel, r.period): r
            for r in conn.execute(select(deliveries).where(deliveries.c.period.in_(periods)))
        }
        for claim in due:
            row = existing.get((*claim.key, claim.period))
            late = now - as_utc(claim.fire)
            if row is None:
                (stale if late > policy.grace else fresh).append(claim)
            elif _retake(conn, claim, row, now, late, policy):
                claimed.append(claim)
        won = _insert_many(conn, [_row(c, "claimed", policy.owner, now) for c in fresh])
        claimed += [c for c in fresh if c.key in won]
        skipped = _insert_many(conn, [_row(c, "skipped", policy.owner, now) for c in stale])
    for claim in stale:
        if claim.key in skipped:
            log.warning(
                "skipping the digest for %s %s due %s: %.1f h late, past the %g h grace period",
                *claim.key,
                claim.fire.isoformat(),
                (now - as_utc(claim.fire)).total_seconds() / 3600,
                policy.grace.total_seconds() / 3600,
            )
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
        return bool(_insert_many(conn, [_row(claim, "claimed", owner, now)]))


# Built once: constructing SQLAlchemy expressions costs far more than running them, and a
# thousand digests run these two statements a thousand times each.
_KEY = (
    (deliveries.c.platform == bindparam("k_platform"))
    & (deliveries.c.channel == bindparam("k_channel"))
    & (deliveries.c.period == bindparam("k_period"))
    & (deliveries.c.owner == bindparam("k_owner"))
)
_BEGIN = (
    update(deliveries)
    .where(_KEY & (deliveries.c.status == "claimed"))
    .values(status="sending", attempts=deliveries.c.attempts + 1, claimed_at=bindparam("k_now"))
)
_FINISH = (
    update(deliveries)
    .where(_KEY)
    .values(
        status=bindparam("k_status"),
        finished_at=bindparam("k_now"),
        message_id=bindparam("k_message_id"),
        error=bindparam("k_error"),
        knowledge_version=func.coalesce(bindparam("k_version"), deliveries.c.knowledge_version),
        attempts=func.coalesce(bindparam("k_attempts", type_=Integer), deliveries.c.attempts),
    )
)


def _key_params(claim: Claim, owner: str, now: dt.datetime) -> dict[str, object]:
    return {
        "k_platform": claim.key[0],
        "k_channel": claim.key[1],
        "k_period": claim.period,
        "k_owner": owner,
        "k_now": now,
    }


def begin_send(conn: Connection, claim: Claim, owner: str, now: dt.datetime) -> bool:
    """Move our claim to `sending`; False if another process took it over meanwhile."""
    return bool(conn.execute(_BEGIN, _key_params(claim, owner, now)).rowcount)


def finish_statement(
    claim: Claim,
    owner: str,
    now: dt.datetime,
    status: str,
    *,
    message_id: str | None = None,
    error: str | None = None,
    knowledge_version: str | None = None,
    attempts: int | None = None,
) -> tuple[Executable, list[dict[str, Any]]]:
    """Return the statement and parameters that record how a send we started ended."""
    return _FINISH, [
        {
            **_key_params(claim, owner, now),
            "k_status": status,
            "k_message_id": message_id,
            "k_error": error,
            "k_version": knowledge_version,
            "k_attempts": attempts,
        }
    ]
