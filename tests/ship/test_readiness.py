"""/readyz takes a replica out of service when its database stops answering, and says why."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import create_engine, text

from bot.app import build_app, build_deps
from bot.cli import main
from bot.db.engine import metadata, normalise_url
from bot.db.migrate import head_revision
from bot.deps import Deps
from bot.digest.book import SqlSubscriptionBook
from bot.settings import Settings
from knowledge.reload import KnowledgeHolder


async def _readyz(deps: Deps) -> tuple[int, dict[str, object]]:
    async with TestClient(TestServer(build_app(deps))) as client:
        response = await client.get("/readyz")
        return response.status, await response.json()


async def test_ready_when_knowledge_and_database_answer(tmp_path: Path) -> None:
    """A reachable, migrated database and loaded knowledge: 200 with the knowledge version."""
    deps = build_deps(Settings(data_dir=str(tmp_path)))
    status, body = await _readyz(deps)
    assert status == 200
    holder = deps.knowledge
    assert body["database"] == "ok"
    assert body["knowledge_version"] == holder.store.version
    load = body["knowledge_load"]
    assert isinstance(load, dict)
    assert load["entities"] == len(holder.store.entities)
    assert load["loaded_from"] == "YAML files"
    assert load["seconds"] == holder.last_load.seconds


async def test_not_ready_when_the_database_does_not_answer() -> None:
    """Nobody listening at the database address: 503, the database named as the reason; /healthz stays 200."""
    engine = create_engine(normalise_url("postgresql://nobody@127.0.0.1:1/none"))
    deps = Deps(Settings(), KnowledgeHolder(), engine, SqlSubscriptionBook(engine))
    status, body = await _readyz(deps)
    assert status == 503
    assert str(body["database"]).startswith("unreachable")
    async with TestClient(TestServer(build_app(deps))) as client:
        assert (await client.get("/healthz")).status == 200


async def test_an_emptied_database_makes_a_running_app_not_ready_until_upgraded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Database emptied while serving: /readyz 503 naming them, /healthz 200; `chinabio db upgrade` heals it."""
    deps = build_deps(Settings(data_dir=str(tmp_path)))
    async with TestClient(TestServer(build_app(deps))) as client:
        assert (await client.get("/readyz")).status == 200
        metadata.drop_all(deps.engine)  # the database recreated empty under the running app
        with deps.engine.begin() as conn:
            conn.execute(text("DROP TABLE alembic_version"))
        response = await client.get("/readyz")
        body = await response.json()
        assert response.status == 503
        assert body["status"] == "not ready"
        assert "missing tables " in body["database"]
        assert "digest_deliveries, digest_featured," in body["database"]
        assert "chinabio db upgrade" in body["database"]
        assert (await client.get("/healthz")).status == 200

        monkeypatch.setenv("DATABASE_URL", str(deps.engine.url))
        assert main(["db", "upgrade"]) == 0
        assert (await (await client.get("/readyz")).json())["database"] == "ok"


async def test_a_database_at_another_revision_is_not_ready(tmp_path: Path) -> None:
    """All tables present but the recorded revision is not this version's: 503 naming both revisions."""
    deps = build_deps(Settings(data_dir=str(tmp_path)))
    with deps.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0000'"))
    status, body = await _readyz(deps)
    assert status == 503
    assert "schema at revision 0000" in str(body["database"])
    assert f"needs {head_revision()}" in str(body["database"])
