"""Fixtures for the digest tests: test knowledge, a SQLite database, a clock, senders, fake Slack."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.db.engine import make_engine, metadata
from bot.digest.book import SqlSubscriptionBook
from bot.digest.delivery import DigestDelivery
from handlers.context import AskContext
from knowledge import KnowledgeStore, load_store
from tests.digest.digest_fakes import FakeClock, FakeSlack, RecordingSender

HERE = Path(__file__).resolve().parent

DATA = HERE / "data"
# Monday 30 March 2026, 09:00 UTC: the week after Europe's spring DST change.
MONDAY = dt.datetime(2026, 3, 30, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def digest_store() -> KnowledgeStore:
    """The digest tests' own small knowledge folder."""
    return load_store(DATA)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """A fresh SQLite database with every table."""
    import bot.schema  # noqa: F401

    engine = make_engine(f"sqlite:///{tmp_path / 'digest.db'}")
    metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> FakeClock:
    """A clock set to Monday 30 March 2026, 09:00 UTC."""
    return FakeClock(MONDAY)


@pytest.fixture
def book(engine: Engine, clock: FakeClock) -> SqlSubscriptionBook:
    """The database subscription book on the fake clock."""
    return SqlSubscriptionBook(engine, clock)


@pytest.fixture
def sender() -> RecordingSender:
    """A sender that records what it posts."""
    return RecordingSender()


@pytest.fixture
def delivery(
    engine: Engine, digest_store: KnowledgeStore, sender: RecordingSender, clock: FakeClock
) -> DigestDelivery:
    """A delivery engine posting to the recording sender."""
    return DigestDelivery(engine, lambda: digest_store, {"slack": sender}, clock=clock, owner="r1")


@pytest.fixture
def ctx(book: SqlSubscriptionBook) -> AskContext:
    """A Slack channel context with the subscription book lent."""
    return AskContext(platform="slack", user_id="U1", conversation_id="C1", subscriptions=book)


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    """A fake Slack Web API on loopback."""
    fake = FakeSlack()
    await fake.start()
    yield fake
    await fake.stop()
