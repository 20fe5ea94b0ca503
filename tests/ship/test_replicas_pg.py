"""Two replicas on one PostgreSQL: one leads the digest scheduler; SIGTERM hands the lead over.

Each test gets its own database, because advisory locks are per database and other suites
may be running against the shared server at the same time.
"""

from __future__ import annotations

import asyncio
import signal
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import Engine, create_engine, text

from bot.app import build_deps
from bot.serve import assemble_app
from bot.settings import Settings
from tests.ship.conftest import ServedBot

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

SERVER = "postgresql+psycopg://{user}@127.0.0.1:5432/{db}"


def _admin_engine() -> Engine:
    for user in ("root", "postgres"):
        engine = create_engine(SERVER.format(user=user, db="test"), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return engine
        except Exception:
            engine.dispose()
    pytest.skip("PostgreSQL is not answering at 127.0.0.1:5432")


@pytest.fixture
def database() -> Iterator[tuple[str, Engine]]:
    """A fresh database for one test: its plain URL (as operators write it) and an admin engine."""
    admin = _admin_engine()
    name = f"chinabio_ship_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    user = admin.url.username
    try:
        yield f"postgresql://{user}@127.0.0.1:5432/{name}", admin
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _advisory_holders(admin: Engine, db: str) -> set[int]:
    with admin.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT l.pid FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
                "WHERE l.locktype = 'advisory' AND l.granted AND d.datname = :db"
            ),
            {"db": db},
        )
        return {row[0] for row in rows}


def _connections(admin: Engine, db: str) -> int:
    with admin.connect() as conn:
        count = conn.execute(
            text("SELECT count(*) FROM pg_stat_activity WHERE datname = :db"), {"db": db}
        ).scalar()
    return int(count or 0)


def _wait(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


def test_one_replica_leads_and_sigterm_hands_the_lead_over(
    serve_bot: Callable[..., ServedBot], knowledge_dir: Path, database: tuple[str, Engine]
) -> None:
    """Exactly one of two replicas holds the lock; after SIGTERM it is released and the other leads."""
    url, admin = database
    db = url.rsplit("/", 1)[1]
    first = serve_bot(knowledge_dir, {"DATABASE_URL": url, "LOG_FORMAT": "json"})
    first.wait_healthy()
    _wait(lambda: len(_advisory_holders(admin, db)) == 1, 20, "the first replica to lead")
    leader_pid = next(iter(_advisory_holders(admin, db)))
    second = serve_bot(knowledge_dir, {"DATABASE_URL": url, "LOG_FORMAT": "json"})
    second.wait_healthy()
    time.sleep(1)
    assert _advisory_holders(admin, db) == {leader_pid}, "two replicas lead at once"

    first.process.send_signal(signal.SIGTERM)
    _, stderr = first.process.communicate(timeout=40)
    assert first.process.returncode == 0, stderr
    assert leader_pid not in _advisory_holders(admin, db)
    _wait(lambda: len(_advisory_holders(admin, db)) == 1, 20, "the second replica to take over")

    second.process.send_signal(signal.SIGTERM)
    _, stderr = second.process.communicate(timeout=40)
    assert second.process.returncode == 0, stderr
    assert _advisory_holders(admin, db) == set()
    assert "shutdown complete" in stderr


async def test_cleanup_releases_the_lock_and_closes_every_connection(
    knowledge_dir: Path, tmp_path: Path, database: tuple[str, Engine]
) -> None:
    """The app's cleanup (what SIGTERM ends in) unlocks the scheduler and closes the pool, in-process."""
    url, admin = database
    db = url.rsplit("/", 1)[1]
    settings = Settings.from_env(
        {"DATABASE_URL": url, "KNOWLEDGE_DIR": str(knowledge_dir), "DATA_DIR": str(tmp_path)},
        dotenv=None,
    )
    app = assemble_app(build_deps(settings))
    async with TestClient(TestServer(app)) as client:
        deadline = time.monotonic() + 20
        while not await asyncio.to_thread(_advisory_holders, admin, db):
            assert time.monotonic() < deadline, "the scheduler never took the lock"
            await asyncio.sleep(0.2)
        assert (await client.get("/readyz")).status == 200
        assert await asyncio.to_thread(_connections, admin, db) >= 2  # the pool and the lock
    # This process is still alive: only the cleanup hooks can have closed these.
    assert await asyncio.to_thread(_advisory_holders, admin, db) == set()
    assert await asyncio.to_thread(_connections, admin, db) == 0
