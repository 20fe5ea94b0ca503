"""What a platform's home page can say about digests: subscribed channels and the latest sent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, select

from bot.digest.claims import ALERT_PREFIX
from bot.digest.tables import deliveries, subscriptions


@dataclass(frozen=True)
class SentDigest:
    """A digest that was delivered: where, for which period, when."""

    channel: str
    period: str
    finished_at: dt.datetime | None


def subscribed_channels(engine: Engine, platform: str) -> tuple[str, ...]:
    """Return the ids of the platform's channels with a subscription, sorted."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(subscriptions.c.channel)
            .where(subscriptions.c.platform == platform)
            .order_by(subscriptions.c.channel)
        )
        return tuple(str(row.channel) for row in rows)


def latest_sent(engine: Engine, platform: str) -> SentDigest | None:
    """Return the platform's most recently delivered digest, or None."""
    with engine.connect() as conn:
        row = conn.execute(
            select(deliveries.c.channel, deliveries.c.period, deliveries.c.finished_at)
            .where(
                deliveries.c.platform == platform,
                deliveries.c.status == "sent",
                ~deliveries.c.period.startswith(ALERT_PREFIX),
            )
            .order_by(deliveries.c.finished_at.desc())
            .limit(1)
        ).first()
    return SentDigest(row.channel, row.period, row.finished_at) if row is not None else None
