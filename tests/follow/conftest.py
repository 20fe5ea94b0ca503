"""Fixtures for follow and alert tests: an editable copy of the digest tests' knowledge, a database."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.db.engine import make_engine, metadata
from bot.digest.delivery import DigestDelivery
from bot.digest.follows import SqlFollowBook
from knowledge.reload import KnowledgeHolder
from tests.digest.digest_fakes import FakeClock, RecordingSender
from tests.follow.edits import DATA, MONDAY


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A knowledge folder a test may edit, copied from the digest tests' small knowledge."""
    target = tmp_path / "knowledge"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture
def holder(folder: Path) -> KnowledgeHolder:
    """The knowledge served from the editable folder; `reload()` picks up an edit."""
    return KnowledgeHolder(folder)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """A fresh SQLite database with every table."""
    import bot.schema  # noqa: F401

    engine = make_engine(f"sqlite:///{tmp_path / 'follow.db'}")
    metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> FakeClock:
    """A clock set to Monday 30 March 2026, 09:00 UTC."""
    return FakeClock(MONDAY)


@pytest.fixture
def follow_book(engine: Engine, clock: FakeClock) -> SqlFollowBook:
    """The database follow book."""
    return SqlFollowBook(engine, clock)


@pytest.fixture
def sender() -> RecordingSender:
    """A sender that records what it posts."""
    return RecordingSender()


@pytest.fixture
def delivery(
    engine: Engine, holder: KnowledgeHolder, sender: RecordingSender, clock: FakeClock
) -> DigestDelivery:
    """The digest delivery engine over the editable knowledge, posting to the recording sender."""
    return DigestDelivery(engine, lambda: holder.store, {"slack": sender}, clock=clock, owner="r1")
