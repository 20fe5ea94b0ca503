"""The subscription book in the database: what `subscribe` writes and the scheduler reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError

from bot.db.offload import unavailable_when_down
from bot.digest.schedule import Clock, as_utc, next_fire, utc_now
from bot.digest.tables import subscriptions
from handlers.context import DigestSchedule, Subscription


@dataclass(frozen=True)
class StoredSubscription:
    """A subscription row, with what the scheduler needs beyond the handlers' view."""

    subscription: Subscription
    active_since: dt.datetime

    @property
    def key(self) -> tuple[str, str]:
        return self.subscription.platform, self.subscription.channel


def _schedule(row: Row[tuple[object, ...]]) -> DigestSchedule:
    m = row._mapping
    return DigestSchedule(
        weekday=m["weekday"],
        hour=m["hour"],
        minute=m["minute"],
        tz=m["tz"],
        topics=tuple(m["topics"] or ()),
    )


class SqlSubscriptionBook:
    """Implements handlers.context.SubscriptionBook on the bot's database (one row per channel)."""

    def __init__(self, engine: Engine, clock: Clock = utc_now) -> None:
        self.engine = engine
        self.clock = clock

    # -- the SubscriptionBook protocol (an outage raises StoreUnavailable) -------------------
    @unavailable_when_down
    def subscribe(
        self,
        platform: str,
        channel: str,
        subscriber: str,
        schedule: DigestSchedule,
        workspace: str | None = None,
    ) -> Subscription:
        """Create or replace the channel's subscription (resuming it if it was paused)."""
        now = self.clock()
        values = {
            "subscriber": subscriber,
            "workspace": workspace,
            "weekday": schedule.weekday,
            "hour": schedule.hour,
            "minute": schedule.minute,
            "tz": schedule.tz,
            "topics": list(schedule.topics),
            "paused_reason": None,
            "paused_at": None,
        }
        where = (subscriptions.c.platform == platform) & (subscriptions.c.channel == channel)
        with self.engine.begin() as conn:
            current = conn.execute(
                select(subscriptions.c.active_since, subscriptions.c.paused_reason).where(where)
            ).first()
            if current is not None:
                # A schedule change keeps catch-up for a digest already due; resuming starts afresh.
                since = now if current.paused_reason else as_utc(current.active_since)
                conn.execute(
                    update(subscriptions).where(where).values(active_since=since, **values)
                )
        if current is None:
            try:
                with self.engine.begin() as conn:
                    conn.execute(
                        insert(subscriptions).values(
                            platform=platform,
                            channel=channel,
                            active_since=now,
                            created_at=now,
                            **values,
                        )
                    )
            except IntegrityError:  # subscribed at the same moment elsewhere: replace theirs
                with self.engine.begin() as conn:
                    conn.execute(update(subscriptions).where(where).values(**values))
        found = self.get(platform, channel)
        assert found is not None
        return found

    @unavailable_when_down
    def unsubscribe(self, platform: str, channel: str) -> bool:
        """Remove the channel's subscription; return False if there was none."""
        with self.engine.begin() as conn:
            result = conn.execute(
                delete(subscriptions).where(
                    (subscriptions.c.platform == platform) & (subscriptions.c.channel == channel)
                )
            )
        return bool(result.rowcount)

    @unavailable_when_down
    def get(self, platform: str, channel: str) -> Subscription | None:
        """Return the channel's subscription with its next digest time, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(subscriptions).where(
                    (subscriptions.c.platform == platform) & (subscriptions.c.channel == channel)
                )
            ).first()
        return self._stored(row).subscription if row is not None else None

    # -- for the scheduler ------------------------------------------------------------------
    def find(self, channel: str, platform: str | None = None) -> StoredSubscription | None:
        """Return a channel's subscription on `platform` (or on any platform)."""
        query = select(subscriptions).where(subscriptions.c.channel == channel)
        if platform:
            query = query.where(subscriptions.c.platform == platform)
        with self.engine.connect() as conn:
            row = conn.execute(query.order_by(subscriptions.c.id)).first()
        return self._stored(row) if row is not None else None

    def active(self) -> list[StoredSubscription]:
        """Return every subscription that is not paused."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(subscriptions).where(subscriptions.c.paused_reason.is_(None))
            ).all()
        return [self._stored(row, with_next=False) for row in rows]

    def pause(self, platform: str, channel: str, reason: str) -> None:
        """Pause a channel's subscription because the platform refused to post there."""
        with self.engine.begin() as conn:
            conn.execute(
                update(subscriptions)
                .where(
                    (subscriptions.c.platform == platform) & (subscriptions.c.channel == channel)
                )
                .values(paused_reason=reason, paused_at=self.clock())
            )

    def _stored(self, row: Row[tuple[object, ...]], with_next: bool = True) -> StoredSubscription:
        m = row._mapping
        schedule = _schedule(row)
        paused = m["paused_reason"]
        upcoming = None if paused or not with_next else next_fire(schedule, self.clock())
        sub = Subscription(
            platform=m["platform"],
            channel=m["channel"],
            subscriber=m["subscriber"],
            schedule=schedule,
            paused_reason=paused,
            next_digest=upcoming,
            workspace=m["workspace"],
        )
        return StoredSubscription(sub, as_utc(m["active_since"]))
