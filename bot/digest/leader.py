"""Which replica runs the scheduler: the one holding a PostgreSQL advisory lock (SQLite: this one).

APScheduler 3.x must never share a job store between schedulers, so replicas do not share one:
each would run its own in-memory scheduler, and only the lock holder starts it. The unique key
of the delivery log still guards against two leaders overlapping while the lock changes hands.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Protocol

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.pool import NullPool

log = logging.getLogger("bot.digest")
LOCK_NAME = "chinabio-digest-scheduler"


def lock_key(name: str = LOCK_NAME) -> int:
    """Return a stable signed 64-bit advisory lock key for `name`."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


class LeaderLock(Protocol):
    """Leadership among replicas: try to take it, check it is still held, give it back."""

    def acquire(self) -> bool: ...

    def held(self) -> bool: ...

    def release(self) -> None: ...


class LocalLeaderLock:
    """SQLite means one process: it always leads."""

    def __init__(self) -> None:
        self._held = False

    def acquire(self) -> bool:
        self._held = True
        return True

    def held(self) -> bool:
        return self._held

    def release(self) -> None:
        self._held = False


class PostgresLeaderLock:
    """pg_try_advisory_lock on a dedicated connection; the lock lives as long as the connection."""

    def __init__(self, engine: Engine, name: str = LOCK_NAME) -> None:
        # Its own engine without a pool: the session lock must stay on one connection we own,
        # and a dead connection must be noticed, not replaced silently by the pool.
        self._engine = create_engine(
            engine.url,
            poolclass=NullPool,
            connect_args={
                "keepalives": 1,
                "keepalives_idle": 10,
                "keepalives_interval": 5,
                "keepalives_count": 3,
            },
        )
        self._key = lock_key(name)
        self._conn: Connection | None = None

    def acquire(self) -> bool:
        """Try to take the lock without waiting; True if this replica now leads."""
        try:
            if self._conn is None:
                self._conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            got = self._conn.execute(
                text("SELECT pg_try_advisory_lock(:k)"), {"k": self._key}
            ).scalar()
        except Exception:
            log.warning("cannot reach PostgreSQL for the scheduler lock", exc_info=True)
            self._drop()
            return False
        return bool(got)

    def held(self) -> bool:
        """Return True while our connection is alive and still holds the lock."""
        if self._conn is None:
            return False
        try:
            count = self._conn.execute(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                    "AND pid = pg_backend_pid() AND objid = (:k & 4294967295)::oid"
                ),
                {"k": self._key},
            ).scalar()
        except Exception:
            log.warning("lost the connection holding the scheduler lock", exc_info=True)
            self._drop()
            return False
        return bool(count)

    def release(self) -> None:
        """Give the lock back and close the connection."""
        if self._conn is not None:
            try:
                self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self._key})
            except Exception:
                log.debug("unlock failed; closing the connection releases it", exc_info=True)
        self._drop()
        self._engine.dispose()

    def _drop(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:
                log.debug("closing a broken lock connection failed", exc_info=True)
        self._conn = None


def make_leader_lock(engine: Engine) -> LeaderLock:
    """Return the right lock for the database: advisory lock on PostgreSQL, local otherwise."""
    if engine.dialect.name == "postgresql":
        return PostgresLeaderLock(engine)
    return LocalLeaderLock()
