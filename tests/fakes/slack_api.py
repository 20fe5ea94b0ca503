"""A fake Slack on loopback: the Web API methods the bot calls, response_url, and Socket Mode.

Like bolt-python's tests/mock_web_api_server, but in-process with aiohttp on a free port. Every
call is recorded; a test can queue failures (429 with Retry-After, 5xx), slow answers, hang-ups
after the request was read, or override answers.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web

BOT_USER_ID = "UCHINABIO"
TEAM_ID = "T0TEAM001"
JSON_FIELDS = ("blocks", "view", "attachments", "metadata")


@dataclass
class Call:
    """One request the fake received."""

    method: str  # Web API method, or "response_url"
    args: dict[str, Any]
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)
    status: int | None = None  # what the fake answered; None while pending or when it hung up


@dataclass
class Failure:
    """A canned non-200 answer the next call to a method gets."""

    status: int
    headers: dict[str, str]
    body: dict[str, Any]


class FakeSlackApi:
    """Start with `await fake.start()`; point SLACK_API_URL at `fake.api_url`."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.failures: dict[str, list[Failure]] = {}
        self.overrides: dict[str, dict[str, Any]] = {}
        self.delays: dict[str, list[float]] = {}
        self.drops: dict[str, int] = {}
        self.socket_acks: dict[str, dict[str, Any]] = {}
        self.sockets: list[web.WebSocketResponse] = []
        self.socket_connected = asyncio.Event()
        self._ack_events: dict[str, asyncio.Event] = {}
        self._changed = asyncio.Condition()
        self._ts = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.port = 0
        #: conversations.members answers: channel id -> member user ids.
        self.channel_members: dict[str, list[str]] = {}

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/"

    def response_url(self, name: str = "r1") -> str:
        """Return a response_url that records what is posted to it."""
        return f"{self.base}/response/{name}"

    async def start(self) -> FakeSlackApi:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get(
            "/api/{method}", self._api
        )  # slack_sdk GETs a few (conversations.members)
        app.router.add_post("/response/{name}", self._response_url)
        app.router.add_get("/link", self._socket)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        for ws in self.sockets:
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    def fail_next(
        self,
        method: str,
        status: int = 429,
        headers: dict[str, str] | None = None,
        times: int = 1,
        error: str = "ratelimited",
    ) -> None:
        """Make the next `times` calls to `method` answer `status` (default 429, Retry-After: 1)."""
        if headers is None:
            headers = {"Retry-After": "1"} if status == 429 else {}
        failure = Failure(status, headers, {"ok": False, "error": error})
        self.failures.setdefault(method, []).extend([failure] * times)

    def delay_next(self, method: str, seconds: float, times: int = 1) -> None:
        """Make the next `times` calls to `method` wait `seconds` before the (normal) answer."""
        self.delays.setdefault(method, []).extend([seconds] * times)

    def drop_next(self, method: str, times: int = 1) -> None:
        """Make the next `times` calls to `method` act, then hang up before answering.

        As when the connection breaks after Slack received (and carried out) the request.
        """
        self.drops[method] = self.drops.get(method, 0) + times

    def answered(self, method: str) -> list[Call]:
        """Return the calls to `method` that got a 200, i.e. that Slack carried out."""
        return [c for c in self.calls_to(method) if c.status == 200]

    def calls_to(self, method: str) -> list[Call]:
        """Return the recorded calls to `method`, oldest first."""
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5) -> list[Call]:
        """Wait until `method` was called `count` times; return those calls."""
        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: len(self.calls_to(method)) >= count), timeout
            )
        return self.calls_to(method)

    async def send_envelope(
        self, kind: str, payload: dict[str, Any], timeout: float = 5
    ) -> dict[str, Any]:
        """Push a Socket Mode envelope to the connected app; return its acknowledgement."""
        await asyncio.wait_for(self.socket_connected.wait(), timeout)
        envelope_id = str(uuid.uuid4())
        self._ack_events[envelope_id] = asyncio.Event()
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": 0,
            "retry_reason": "",
        }
        await self.sockets[-1].send_str(json.dumps(envelope))
        await asyncio.wait_for(self._ack_events[envelope_id].wait(), timeout)
        return self.socket_acks[envelope_id]

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await _read_args(request)
        call = Call(method, args, dict(request.headers))
        await self._record(call)
        queued = self.failures.get(method)
        if queued:
            failure = queued.pop(0)
            call.status = failure.status
            return web.json_response(failure.body, status=failure.status, headers=failure.headers)
        body = self.overrides.get(method) or self._answer(method, args)
        if self.drops.get(method):
            self.drops[method] -= 1
            call.status = 200 if body.get("ok") else None  # carried out, but the answer is lost
            assert request.transport is not None
            request.transport.abort()
            return web.Response()  # never reaches the client: the connection is gone
        if self.delays.get(method):
            await asyncio.sleep(self.delays[method].pop(0))
        call.status = 200
        return web.json_response(body)

    async def _response_url(self, request: web.Request) -> web.Response:
        args = await request.json()
        await self._record(Call("response_url", {**args, "_name": request.match_info["name"]}, {}))
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.sockets.append(ws)
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1}))
        self.socket_connected.set()
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                ack = json.loads(message.data)
                envelope_id = ack.get("envelope_id", "")
                self.socket_acks[envelope_id] = ack
                if envelope_id in self._ack_events:
                    self._ack_events[envelope_id].set()
        return ws

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://chinabio-test.slack.com/",
                "team": "Test Team",
                "team_id": TEAM_ID,
                "user": "chinabio",
                "user_id": BOT_USER_ID,
                "bot_id": "BCHINABIO",
                "is_enterprise_install": False,
            }
        if method == "chat.postMessage":
            ts = f"{int(time.time())}.{next(self._ts):06d}"
            return {"ok": True, "channel": args.get("channel"), "ts": ts, "message": args}
        if method == "oauth.v2.access":
            return {
                "ok": True,
                "app_id": "A0CHINABIO",
                "authed_user": {"id": "UINSTALLER"},
                "scope": "commands,app_mentions:read,chat:write,im:history",
                "token_type": "bot",
                "access_token": "xoxb-installed-token",
                "refresh_token": "xoxe-1-refresh",
                "expires_in": 43200,
                "bot_user_id": BOT_USER_ID,
                "team": {"id": "T0INSTALL", "name": "Installed Team"},
                "enterprise": None,
                "is_enterprise_install": False,
            }
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/link"}
        if method == "conversations.members":
            channel = str(args.get("channel"))
            if channel not in self.channel_members:
                return {"ok": False, "error": "channel_not_found"}
            return {"ok": True, "members": self.channel_members[channel]}
        if method in ("views.publish", "views.open", "chat.delete", "chat.update"):
            return {"ok": True}
        return {"ok": False, "error": "unknown_method"}


async def _read_args(request: web.Request) -> dict[str, Any]:
    args: dict[str, Any] = dict(request.query)
    raw = await request.text()
    if not raw:
        return args
    if request.content_type == "application/json":
        args.update(json.loads(raw))
    else:
        args.update(dict(parse_qsl(raw)))
    for key in JSON_FIELDS:
        if isinstance(args.get(key), str):
            args[key] = json.loads(args[key])
    return args
