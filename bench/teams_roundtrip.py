"""Teams round trip: POST an activity to /api/messages until the card reached the connector.

Run: `python -m bench.teams_roundtrip [N]`. Local anonymous mode, the shipped knowledge, SQLite,
and a minimal Bot Connector on loopback; prints latency percentiles and throughput.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.app import build_app, build_deps
from bot.settings import Settings
from bot.teams.render import render_card
from handlers import AskContext, answer

QUESTIONS = ("deal Puhe", "quote Irene Hong", "help", "company Servier", "trends")


def activity(service_url: str, n: int) -> dict[str, Any]:
    """Return a 1:1 message activity as Teams sends it."""
    return {
        "type": "message",
        "id": str(n),
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": "29:user", "aadObjectId": "00000000-0000-0000-0000-00000000000a"},
        "conversation": {"id": f"a:bench{n % 20}", "conversationType": "personal"},
        "recipient": {"id": "28:bot", "name": "ChinaBio"},
        "text": QUESTIONS[n % len(QUESTIONS)],
    }


async def run(n: int) -> None:
    """Measure `n` sequential and `n` concurrent (10 at a time) round trips."""
    received = 0

    async def connector(_request: web.Request) -> web.Response:
        nonlocal received
        received += 1
        return web.json_response({"id": f"m{received}"})

    fake = web.Application()
    fake.router.add_post("/v3/conversations/{c}/activities/{r}", connector)
    fake_server = TestServer(fake, host="127.0.0.1")
    await fake_server.start_server()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            teams_anonymous=True, database_url=f"sqlite:///{Path(tmp) / 'b.db'}", data_dir=tmp
        )
        client = TestClient(TestServer(build_app(build_deps(settings)), host="127.0.0.1"))
        await client.start_server()
        url = str(fake_server.make_url("/"))

        async def one(i: int) -> float:
            started = time.perf_counter()
            response = await client.post("/api/messages", json=activity(url, i))
            assert response.status == 202, response.status
            return time.perf_counter() - started

        for i in range(20):  # warm-up
            await one(i)
        sequential = [await one(i) for i in range(n)]
        gate = asyncio.Semaphore(10)

        async def gated(i: int) -> float:
            async with gate:
                return await one(i)

        started = time.perf_counter()
        await asyncio.gather(*(gated(i) for i in range(n)))
        concurrent_rate = n / (time.perf_counter() - started)
        await client.close()
    await fake_server.close()
    assert received == n * 2 + 20, received

    ms = sorted(t * 1000 for t in sequential)
    print(f"round trips: {n} sequential, {n} at concurrency 10")
    print(f"  latency p50 {statistics.median(ms):.1f} ms, p95 {ms[int(0.95 * n) - 1]:.1f} ms")
    print(f"  sequential {n / sum(sequential):.0f} req/s, concurrent {concurrent_rate:.0f} req/s")

    store = build_deps(Settings(data_dir=tempfile.gettempdir())).knowledge.store
    replies = [answer(q, store, AskContext(platform="teams")) for q in QUESTIONS]
    started = time.perf_counter()
    for _ in range(200):
        for reply in replies:
            render_card(reply)
    per_card = (time.perf_counter() - started) / (200 * len(replies)) * 1e6
    print(f"  render_card: {per_card:.0f} µs per card")


if __name__ == "__main__":
    asyncio.run(run(int(sys.argv[1]) if len(sys.argv) > 1 else 300))
