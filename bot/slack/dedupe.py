"""Answer each Slack event once, even when Slack retries it or two replicas both receive it."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from sqlalchemy import Engine, delete, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from bot.db.offload import run_db
from bot.slack.tables import seen_ids
from handlers.context import StoreUnavailable

log = logging.getLogger(__name__)
#: Seconds an event waits to be recorded before it is answered anyway (Slack acks in 3).
CLAIM_WAIT = 0.5


class SeenIds:
    """A set of keys shared through the database; the first `claim` of a key wins."""

    def __init__(
        self, engine: Engine, keep: dt.timedelta = dt.timedelta(hours=1), purge_every: float = 300
    ) -> None:
        self.engine = engine
        self.keep = keep
        self.purge_every = purge_every
        self._last_purge = float("-inf")

    def claim(self, key: str) -> bool:
        """Record `key`; return False if it was already recorded and has not expired."""
        now = dt.datetime.now(dt.UTC)
        self._maybe_purge(now)
        row = {"key": key[:200], "expires_at": now + self.keep}
        dialect = self.engine.dialect.name
        with self.engine.begin() as conn:
            if dialect in ("postgresql", "sqlite"):
                module: Any = postgresql if dialect == "postgresql" else sqlite
                # RETURNING, not rowcount: psycopg reports no rowcount for DO NOTHING.
                statement = (
                    module.insert(seen_ids)
                    .values(row)
                    .on_conflict_do_nothing()
                    .returning(seen_ids.c.key)
                )
                return conn.execute(statement).first() is not None
            try:
                conn.execute(insert(seen_ids).values(row))
            except IntegrityError:
                return False
        return True

    async def claim_async(self, key: str, wait: float = CLAIM_WAIT) -> bool:
        """`claim` on a database thread; raise StoreUnavailable after `wait` seconds."""
        return await run_db(wait, self.claim, key)

    def purge(self, now: dt.datetime | None = None) -> int:
        """Delete expired keys; return how many."""
        now = now or dt.datetime.now(dt.UTC)
        with self.engine.begin() as conn:
            return int(conn.execute(delete(seen_ids).where(seen_ids.c.expires_at < now)).rowcount)

    def _maybe_purge(self, now: dt.datetime) -> None:
        if time.monotonic() - self._last_purge >= self.purge_every:
            self._last_purge = time.monotonic()
            self.purge(now)


class SkipSeenEvents(AsyncMiddleware):
    """Bolt global middleware: ack and drop an event whose id was already claimed."""

    def __init__(self, seen: SeenIds) -> None:
        self.seen = seen

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],
    ) -> BoltResponse | None:
        body = req.body
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not await self._first_time(f"event:{event_id}"):
            return BoltResponse(status=200, body="")
        return await next()

    async def _first_time(self, key: str) -> bool:
        """Claim `key`; with the database away, answer anyway (a retry may then be answered twice)."""
        try:
            return await self.seen.claim_async(key)
        except (StoreUnavailable, SQLAlchemyError) as exc:
            log.warning("could not record Slack %s, answering it anyway: %s", key, exc)
            return True
