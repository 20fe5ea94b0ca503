"""Fixtures: the project's aiohttp app with Teams mounted, talking to a fake Bot Connector."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import build_app, build_deps
from bot.deps import Deps
from bot.settings import Settings
from bot.teams.app import TEAMS_BOT, TeamsBot
from tests.fixtures import KNOWLEDGE
from tests.shared_files import shared_file
from tests.teams.fake_connector import FakeConnector, LoopbackTokenProvider
from tests.teams.teams_activities import BOT_APP_ID, TENANT_ID

CLIENT_SECRET = "not-a-real-secret"


@pytest.fixture(scope="session")
def card_validator() -> jsonschema.Draft6Validator:
    """The official Adaptive Card 1.5 schema from ../shared, as a validator (skips without it)."""
    schema = json.loads(shared_file("schemas/adaptive-card-1.5.json").read_text())
    return jsonschema.Draft6Validator(schema)


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    """A fake Bot Connector (and token service, and JWKS) on loopback."""
    fake = await FakeConnector().start()
    yield fake
    await fake.close()


@dataclass
class TeamsHarness:
    """The running app, its dependencies and the fake connector it answers to."""

    client: TestClient
    deps: Deps
    connector: FakeConnector

    @property
    def bot(self) -> TeamsBot:
        """Return the mounted Teams bot."""
        return self.client.server.app[TEAMS_BOT]

    async def send(self, activity: dict[str, Any], token: str | None = None) -> tuple[int, Any]:
        """POST an activity to /api/messages; return the status and the JSON body (or None)."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await self.client.post("/api/messages", json=activity, headers=headers)
        body = await response.json() if response.content_type == "application/json" else None
        return response.status, body


MakeHarness = Callable[..., Awaitable[TeamsHarness]]


@pytest.fixture
async def make_teams(tmp_path: Path, connector: FakeConnector) -> AsyncIterator[MakeHarness]:
    """Return a factory: `await make_teams(secured=False)` starts the app with Teams mounted."""
    clients: list[TestClient] = []
    engines = []

    async def make(
        *,
        secured: bool = False,
        knowledge_dir: str | None = str(KNOWLEDGE),
        database_url: str | None = None,
        **overrides: Any,
    ) -> TeamsHarness:
        """Start the app; `knowledge_dir=None` uses the shipped knowledge; SQLite by default."""
        settings = Settings(
            teams_client_id=BOT_APP_ID if secured else None,
            teams_client_secret=CLIENT_SECRET if secured else None,
            teams_tenant_id=TENANT_ID if secured else None,
            teams_anonymous=not secured,
            database_url=database_url or f"sqlite:///{tmp_path / 'bot.db'}",
            knowledge_dir=knowledge_dir,
            data_dir=str(tmp_path),
        ).model_copy(update=overrides)
        deps = build_deps(settings)
        engines.append(deps.engine)
        if secured:
            deps.teams_jwks_url = connector.url + "keys"
            token_url = connector.url + "oauth2/v2.0/token"
            deps.teams_token_provider = lambda config: LoopbackTokenProvider(config, token_url)
        client = TestClient(TestServer(build_app(deps), host="127.0.0.1"))
        await client.start_server()
        clients.append(client)
        return TeamsHarness(client, deps, connector)

    yield make
    for client in clients:
        await client.close()
    for engine in engines:
        engine.dispose()


@pytest.fixture
async def teams(make_teams: MakeHarness) -> TeamsHarness:
    """The app in local anonymous mode (no credentials, TEAMS_ANONYMOUS=1)."""
    return await make_teams()


@pytest.fixture
async def secured_teams(make_teams: MakeHarness) -> TeamsHarness:
    """The app with Teams credentials set: every request needs a valid token."""
    return await make_teams(secured=True)
