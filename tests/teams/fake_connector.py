"""A fake Bot Connector on loopback: records what the bot posts, issues tokens, serves a JWKS.

It plays every Microsoft service the bot talks to: the Bot Connector REST API
(POST /v3/conversations/{id}/activities[/{replyTo}], GET /v3/conversations/{id}/pagedmembers
paged as `set_members(..., page_size=)` says), an OAuth client-credentials token
endpoint for the bot's outgoing calls, and the signing keys (JWKS) of the tokens the
"Bot Framework" puts on incoming requests.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import jwt
from aiohttp import web
from aiohttp.test_utils import TestServer
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from microsoft_agents.hosting.core import AccessTokenProviderBase, AgentAuthConfiguration

BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"


@dataclass
class Posted:
    """One activity the bot sent to the connector."""

    conversation_id: str
    reply_to_id: str | None
    activity: dict[str, Any]
    authorization: str | None

    @property
    def cards(self) -> list[dict[str, Any]]:
        """Return the Adaptive Cards attached to the activity."""
        return [
            a["content"]
            for a in self.activity.get("attachments", [])
            if a.get("contentType") == "application/vnd.microsoft.card.adaptive"
        ]


@dataclass
class SigningKey:
    """An RSA key standing in for Microsoft's token signing key."""

    kid: str = field(default_factory=lambda: uuid.uuid4().hex)
    private: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )

    def jwk(self) -> dict[str, Any]:
        """Return the public half as a JWK."""
        key = json.loads(RSAAlgorithm.to_jwk(self.private.public_key()))
        return {**key, "kid": self.kid, "use": "sig", "alg": "RS256"}

    def token(self, **claims: Any) -> str:
        """Return a signed JWT with Bot Framework-like default claims, overridden by `claims`."""
        now = dt.datetime.now(dt.UTC)
        payload = {
            "iss": BOT_FRAMEWORK_ISSUER,
            "nbf": now - dt.timedelta(minutes=1),
            "exp": now + dt.timedelta(minutes=30),
            **claims,
        }
        return jwt.encode(payload, self.private, algorithm="RS256", headers={"kid": self.kid})


class FakeConnector:
    """The fake service; start it with `await connector.start()`."""

    def __init__(self, signing_key: SigningKey | None = None) -> None:
        self.posted: list[Posted] = []
        self.token_requests: list[dict[str, str]] = []
        self.signing_key = signing_key or SigningKey()
        self.issued_tokens: list[str] = []
        self._failures: list[int] = []
        self._delay = 0.0
        self._ids = itertools.count(1)
        self.members: dict[str, list[dict[str, Any]]] = {}
        self.member_requests: list[tuple[str, dict[str, str]]] = []
        self._member_page = 500
        self._member_failures: list[int] = []
        self._member_delay = 0.0
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", self._post)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._post)
        app.router.add_get("/v3/conversations/{conversation}/pagedmembers", self._paged_members)
        app.router.add_post("/oauth2/v2.0/token", self._token)
        app.router.add_get("/keys", self._keys)
        self._server = TestServer(app, host="127.0.0.1")

    async def start(self) -> FakeConnector:
        """Listen on a free loopback port."""
        await self._server.start_server()
        return self

    async def close(self) -> None:
        """Stop listening."""
        await self._server.close()

    @property
    def url(self) -> str:
        """Return the service URL to put in activities (ends with a slash, as Teams sends it)."""
        return str(self._server.make_url("/"))

    def fail_next(self, *statuses: int) -> None:
        """Answer the next posts with these HTTP statuses instead of accepting them."""
        self._failures.extend(statuses)

    def delay_posts(self, seconds: float) -> None:
        """Wait this long before answering each post (to make the bot time out)."""
        self._delay = seconds

    def set_members(
        self, conversation_id: str, members: list[dict[str, Any]], page_size: int = 500
    ) -> None:
        """Make the conversation's member list (as Teams returns it), served `page_size` a page."""
        self.members[conversation_id] = members
        self._member_page = page_size

    def fail_members(self, *statuses: int) -> None:
        """Answer the next member-list reads with these HTTP statuses."""
        self._member_failures.extend(statuses)

    def delay_members(self, seconds: float) -> None:
        """Wait this long before answering each member-list read."""
        self._member_delay = seconds

    def messages(self) -> list[Posted]:
        """Return the posted activities of type message."""
        return [p for p in self.posted if p.activity.get("type") == "message"]

    async def _post(self, request: web.Request) -> web.Response:
        if self._delay:
            await asyncio.sleep(self._delay)
        if self._failures:
            status = self._failures.pop(0)
            return web.json_response(
                {"error": {"code": "Failed", "message": "fake"}}, status=status
            )
        self.posted.append(
            Posted(
                conversation_id=request.match_info["conversation"],
                reply_to_id=request.match_info.get("reply_to"),
                activity=await request.json(),
                authorization=request.headers.get("Authorization"),
            )
        )
        return web.json_response({"id": f"msg-{next(self._ids)}"})

    async def _paged_members(self, request: web.Request) -> web.Response:
        conversation = request.match_info["conversation"]
        self.member_requests.append((conversation, dict(request.query)))
        if self._member_delay:
            await asyncio.sleep(self._member_delay)
        if self._member_failures:
            status = self._member_failures.pop(0)
            return web.json_response(
                {"error": {"code": "Failed", "message": "fake"}}, status=status
            )
        if conversation not in self.members:
            return web.json_response(
                {"error": {"code": "ConversationNotFound", "message": "fake"}}, status=404
            )
        size = min(int(request.query.get("pageSize", "500")), self._member_page)
        start = int(request.query.get("continuationToken", "0"))
        members = self.members[conversation]
        page: dict[str, Any] = {"members": members[start : start + size]}
        if start + size < len(members):
            page["continuationToken"] = str(start + size)
        return web.json_response(page)

    async def _token(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        self.token_requests.append({k: str(v) for k, v in form.items()})
        token = f"outgoing-{uuid.uuid4().hex}"
        self.issued_tokens.append(token)
        return web.json_response(
            {"access_token": token, "token_type": "Bearer", "expires_in": 3600}
        )

    async def _keys(self, _request: web.Request) -> web.Response:
        return web.json_response({"keys": [self.signing_key.jwk()]})


class LoopbackTokenProvider(AccessTokenProviderBase):
    """Fetches the bot's outgoing tokens from the fake connector by client credentials."""

    def __init__(self, configuration: AgentAuthConfiguration, token_url: str) -> None:
        self._configuration = configuration
        self._token_url = token_url

    @property
    def configuration(self) -> AgentAuthConfiguration:
        return self._configuration

    async def get_access_token(
        self, resource_url: str, scopes: list[str], force_refresh: bool = False
    ) -> str:
        import aiohttp

        form = {
            "grant_type": "client_credentials",
            "client_id": self._configuration.CLIENT_ID or "",
            "client_secret": self._configuration.CLIENT_SECRET or "",
            "scope": " ".join(scopes or [f"{resource_url}/.default"]),
        }
        async with (
            aiohttp.ClientSession() as session,
            session.post(self._token_url, data=form) as response,
        ):
            response.raise_for_status()
            return str((await response.json())["access_token"])

    def get_token_credential(self) -> Any:
        raise NotImplementedError("not used by the bot")
