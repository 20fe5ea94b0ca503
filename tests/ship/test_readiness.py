"""/readyz takes a replica out of service when its database stops answering, and says why."""

from __future__ import annotations

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import create_engine

from bot.db.engine import normalise_url
from bot.deps import Deps
from bot.server import build_app
from bot.settings import Settings
from knowledge.reload import KnowledgeHolder


async def _readyz(deps: Deps) -> tuple[int, dict[str, object]]:
    async with TestClient(TestServer(build_app(deps))) as client:
        response = await client.get("/readyz")
        return response.status, await response.json()


async def test_ready_when_knowledge_and_database_answer() -> None:
    """A reachable database and loaded knowledge: 200 with the knowledge version."""
    holder = KnowledgeHolder()
    status, body = await _readyz(Deps(Settings(), holder, create_engine("sqlite://")))
    assert status == 200
    assert body["database"] == "ok" and body["knowledge_version"] == holder.store.version
    load = body["knowledge_load"]
    assert isinstance(load, dict) and load["entities"] == len(holder.store.entities)
    assert load["loaded_from"] == "YAML files" and load["seconds"] == holder.last_load.seconds


async def test_not_ready_when_the_database_does_not_answer() -> None:
    """Nobody listening at the database address: 503, the database named as the reason; /healthz stays 200."""
    engine = create_engine(normalise_url("postgresql://nobody@127.0.0.1:1/none"))
    deps = Deps(Settings(), KnowledgeHolder(), engine)
    status, body = await _readyz(deps)
    assert status == 503
    assert str(body["database"]).startswith("unreachable")
    async with TestClient(TestServer(build_app(deps))) as client:
        assert (await client.get("/healthz")).status == 200
