"""Fakes for digest tests and the digest benchmark: a clock, a recording sender, a fake Slack Web API."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from handlers.reply import Reply


class FakeClock:
    """A clock tests move by hand; always aware UTC."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start.astimezone(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, moment: dt.datetime) -> None:
        self.now = moment.astimezone(dt.UTC)

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


class RecordingSender:
    """A Sender that records posts; `fail[channel]` lists exceptions to raise first, in order."""

    def __init__(self, platform: str = "slack") -> None:
        self.platform = platform
        self.posts: list[tuple[str, Reply]] = []
        self.fail: dict[str, list[Exception]] = defaultdict(list)
        self.notified: list[tuple[str, Reply]] = []

    async def post(self, channel: str, reply: Reply) -> str:
        if self.fail[channel]:
            raise self.fail[channel].pop(0)
        self.posts.append((channel, reply))
        return f"m{len(self.posts)}"

    async def notify(self, user_id: str, reply: Reply) -> None:
        self.notified.append((user_id, reply))

    async def sender_for(self, _workspace: str | None) -> RecordingSender:
        return self

    async def aclose(self) -> None:
        pass

    def channels(self) -> list[str]:
        return [channel for channel, _ in self.posts]


@dataclass
class FakeSlack:
    """A fake Slack Web API on loopback: chat.postMessage, with scripted errors and rate limits.

    `script[channel]` lists answers to give first: an int HTTP status (429 → Retry-After), an
    error code string (answered ok=false), or "hang" (record the message, never answer).
    `per_channel_interval` > 0 makes it enforce that spacing per channel with 429s.
    """

    script: dict[str, list[int | str]] = field(default_factory=lambda: defaultdict(list))
    retry_after: int = 0
    per_channel_interval: float = 0.0
    hang_after: int | None = None  # record, then hang, every message after this many
    messages: list[dict[str, Any]] = field(default_factory=list)
    requests: int = 0
    rate_limited: int = 0
    hanging: int = 0
    tokens: set[str] = field(default_factory=set)
    _last: dict[str, float] = field(default_factory=dict)
    _release: asyncio.Event | None = None
    _runner: web.AppRunner | None = None
    url: str = ""

    async def start(self) -> str:
        self._release = asyncio.Event()
        app = web.Application()
        app.router.add_post("/api/{method}", self._handle)
        app.router.add_get("/stats", self._stats)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/api/"
        return self.url

    async def stop(self) -> None:
        if self._release:
            self._release.set()
        if self._runner:
            await self._runner.cleanup()

    def release(self) -> None:
        """Stop hanging: answer new requests again."""
        self.hang_after = None
        if self._release:
            self._release.set()

    def first_parts(self) -> dict[str, int]:
        """Return, per channel, how many digests began there (first parts only)."""
        counts: dict[str, int] = defaultdict(int)
        for message in self.messages:
            if "(continued" not in message.get("text", "") and not message["channel"].startswith(
                "U"
            ):
                counts[message["channel"]] += 1
        return dict(counts)

    async def _stats(self, _request: web.Request) -> web.Response:
        return web.json_response(
            {
                "first_parts": self.first_parts(),
                "messages": len(self.messages),
                "requests": self.requests,
                "rate_limited": self.rate_limited,
            }
        )

    async def _handle(self, request: web.Request) -> web.Response:
        self.requests += 1
        self.tokens.add(request.headers.get("Authorization", ""))
        if request.content_type == "application/json":
            body = await request.json()
        else:
            body = dict(await request.post())
        method = request.match_info["method"]
        if method != "chat.postMessage":
            return web.json_response({"ok": False, "error": "unknown_method"})
        channel = str(body.get("channel", ""))
        if isinstance(body.get("blocks"), str):
            body["blocks"] = json.loads(body["blocks"])
        scripted = self.script[channel].pop(0) if self.script.get(channel) else None
        if scripted is not None and isinstance(scripted, int):
            self.rate_limited += scripted == 429
            return web.json_response(
                {"ok": False, "error": "ratelimited" if scripted == 429 else "internal_error"},
                status=scripted,
                headers={"Retry-After": str(self.retry_after)} if scripted == 429 else None,
            )
        if scripted is not None and scripted != "hang":
            return web.json_response({"ok": False, "error": scripted})
        if self.per_channel_interval:
            now = time.monotonic()
            last = self._last.get(channel)
            if last is not None and now - last < self.per_channel_interval:
                self.rate_limited += 1
                return web.json_response(
                    {"ok": False, "error": "ratelimited"},
                    status=429,
                    headers={"Retry-After": str(self.retry_after)},
                )
            self._last[channel] = now
        self.messages.append(body)
        if scripted == "hang" or (
            self.hang_after is not None and len(self.messages) > self.hang_after
        ):
            self.hanging += 1
            assert self._release is not None
            await self._release.wait()
            await asyncio.sleep(3600)  # the client is gone or has timed out: never answer
        ts = f"{time.time():.6f}"
        return web.json_response({"ok": True, "channel": channel, "ts": ts, "message": body})
