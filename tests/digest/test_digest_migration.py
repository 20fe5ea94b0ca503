"""Databases made before subscriptions recorded a workspace keep working after an upgrade."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text

import bot.schema  # noqa: F401  (registers every table)
from bot.db.engine import make_engine, metadata
from bot.db.migrate import upgrade_schema
from bot.digest.book import SqlSubscriptionBook
from handlers.context import DigestSchedule


def _columns(engine: object) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("digest_subscriptions")}  # type: ignore[arg-type]


def test_old_sqlite_database_gains_the_workspace_column(tmp_path: Path) -> None:
    """Start-up on a database made without `workspace` adds the column and keeps existing rows."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    metadata.create_all(engine)
    SqlSubscriptionBook(engine).subscribe("slack", "C0OLD", "U1", DigestSchedule(hour=7))
    with engine.begin() as conn:  # what the previous schema looked like
        conn.execute(text("ALTER TABLE digest_subscriptions DROP COLUMN workspace"))
    assert "workspace" not in _columns(engine)
    engine.dispose()

    upgraded = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade_schema(upgraded)  # what build_deps does at start-up
    assert "workspace" in _columns(upgraded)
    book = SqlSubscriptionBook(upgraded)
    old = book.get("slack", "C0OLD")
    assert old is not None
    assert old.workspace is None
    assert old.schedule.hour == 7
    book.subscribe("slack", "C0NEW", "U2", DigestSchedule(), workspace="T0NEW")
    assert book.get("slack", "C0NEW").workspace == "T0NEW"  # type: ignore[union-attr]
    upgrade_schema(upgraded)  # a second start-up changes nothing
    assert "workspace" in _columns(upgraded)
    upgraded.dispose()


def test_subscribing_again_updates_the_workspace(tmp_path: Path) -> None:
    """Re-subscribing a channel records the workspace it was re-subscribed from."""
    engine = make_engine(f"sqlite:///{tmp_path / 'bot.db'}")
    upgrade_schema(engine)
    book = SqlSubscriptionBook(engine)
    book.subscribe("slack", "C1", "U1", DigestSchedule())
    assert book.get("slack", "C1").workspace is None  # type: ignore[union-attr]
    book.subscribe("slack", "C1", "U1", DigestSchedule(), workspace="E1/T1")
    assert book.get("slack", "C1").workspace == "E1/T1"  # type: ignore[union-attr]
    engine.dispose()
