"""Schema migrations on PostgreSQL: empty schemas, old create_all schemas, replicas starting together."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from alembic import command
from sqlalchemy import inspect, select, text

import bot.schema  # noqa: F401  (registers every table on the metadata)
from bot.app import build_app, build_deps
from bot.db.engine import make_engine, metadata
from bot.db.migrate import alembic_config, head_revision, upgrade_schema
from bot.deps import Deps
from bot.digest.book import SqlSubscriptionBook
from bot.digest.tables import subscriptions
from bot.settings import Settings
from handlers.context import DigestSchedule
from knowledge.reload import KnowledgeHolder
from tests.fixtures import KNOWLEDGE
from tests.pg_schema import empty_schema

pytestmark = [pytest.mark.postgres]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def pg_url() -> Iterator[str]:
    """An empty throw-away schema in the local PostgreSQL."""
    with empty_schema("db_test") as url:
        yield url


def _settings(url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=url, knowledge_dir=str(KNOWLEDGE), data_dir=str(tmp_path))


def _state(url: str) -> tuple[set[str], list[str]]:
    """Return the schema's tables and the revisions recorded in alembic_version."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars()
            return tables, list(rows)
    finally:
        engine.dispose()


def test_models_and_migrations_agree_on_postgres(pg_url: str) -> None:
    """After every migration, autogenerate finds no difference from the tables the code defines."""
    engine = make_engine(pg_url)
    upgrade_schema(engine)
    with engine.connect() as conn:
        command.check(alembic_config(conn))  # raises when a model changed without a migration
    engine.dispose()


def test_start_up_on_a_create_all_schema_adopts_it(pg_url: str, tmp_path: Path) -> None:
    """A schema made by the pre-migration code keeps its rows and is recorded at the head revision."""
    engine = make_engine(pg_url)
    metadata.create_all(engine)
    SqlSubscriptionBook(engine).subscribe("slack", "C0OLD", "U1", DigestSchedule())
    engine.dispose()
    deps = build_deps(_settings(pg_url, tmp_path))
    with deps.engine.connect() as conn:
        assert conn.execute(select(subscriptions.c.channel)).scalars().all() == ["C0OLD"]
    deps.engine.dispose()
    tables, revisions = _state(pg_url)
    assert revisions == [head_revision()]
    assert tables == set(metadata.tables) | {"alembic_version"}


def test_two_processes_migrating_one_empty_schema_both_succeed(pg_url: str) -> None:
    """Two `chinabio db upgrade` at once on an empty schema: both exit 0, one set of tables, one revision."""
    env = {**os.environ, "DATABASE_URL": pg_url, "PYTHONPATH": str(ROOT)}
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "bot", "db", "upgrade"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    for process, (_out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
        assert "Traceback" not in err
    said = sorted(out.strip() for out, _ in outputs)
    assert said == [
        f"schema created to revision {head_revision()}",
        f"schema up to date at revision {head_revision()}",
    ]
    tables, revisions = _state(pg_url)
    assert revisions == [head_revision()]
    assert tables == set(metadata.tables) | {"alembic_version"}


async def test_an_app_pointed_at_an_empty_schema_is_not_ready_until_migrated(pg_url: str) -> None:
    """A running app whose schema is empty answers /readyz 503 naming the missing tables, 200 after."""
    engine = make_engine(pg_url)
    deps = Deps(
        Settings(database_url=pg_url),
        KnowledgeHolder(KNOWLEDGE),
        engine,
        SqlSubscriptionBook(engine),
    )
    async with TestClient(TestServer(build_app(deps))) as client:
        response = await client.get("/readyz")
        body = await response.json()
        assert response.status == 503
        assert body["database"].startswith("schema not ready: missing tables ")
        assert "digest_deliveries" in body["database"]
        upgrade_schema(engine)
        assert (await client.get("/readyz")).status == 200
    engine.dispose()
