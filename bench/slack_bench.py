"""Load `/chinabio deal Puhe` through POST /slack/events: the bot against a bare Bolt app.

Run from the repository root:  .venv/bin/python -m bench.slack_bench [--duration 20]
Needs `wrk` (apt-get install -y wrk). Each server runs in its own process; a fake Slack Web API
(tests/fakes) answers auth.test. Requests are signed once with a fresh timestamp per run (Slack
accepts a signature for 5 minutes), so wrk replays one signed request and computes nothing.
Targets: bot throughput >= 1.3x bare Bolt's (the owner's standard), p99 <= 50 ms, no non-2xx.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench-token"
COMMAND_TEXT = "deal Puhe"


def command_body() -> str:
    """Return the form body Slack posts for `/chinabio deal Puhe`."""
    return urlencode(
        {
            "token": "legacy",
            "team_id": "T0TEAM001",
            "team_domain": "bench",
            "channel_id": "C0BENCH",
            "channel_name": "bench",
            "user_id": "U0BENCH",
            "user_name": "bench",
            "command": "/chinabio",
            "text": COMMAND_TEXT,
            "api_app_id": "A0CHINABIO",
            "response_url": "http://127.0.0.1:9/unused",
            "trigger_id": "1.2.3",
        }
    )


def signed_headers(body: str) -> dict[str, str]:
    """Return Slack's headers for `body`, signed now."""
    from slack_sdk.signature import SignatureVerifier

    timestamp = str(int(time.time()))
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": SignatureVerifier(SECRET).generate_signature(
            timestamp=timestamp, body=body
        ),
    }


def serve_bot(port: int, api_url: str, data_dir: str) -> None:
    """Serve the bot exactly as `chinabio serve` builds it."""
    from aiohttp import web

    from bot.app import build_app, build_deps
    from bot.settings import Settings

    settings = Settings(
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=api_url,
        data_dir=data_dir,
    )
    web.run_app(
        build_app(build_deps(settings)), host="127.0.0.1", port=port, access_log=None, print=None
    )


def serve_bare(port: int, api_url: str) -> None:
    """Serve a stock Bolt AsyncApp that only acks a fixed text, through the same aiohttp adapter."""
    from aiohttp import web
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
    from slack_bolt.async_app import AsyncAck, AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    bolt = AsyncApp(signing_secret=SECRET, client=AsyncWebClient(token=TOKEN, base_url=api_url))

    @bolt.command("/chinabio")
    async def fixed(ack: AsyncAck) -> None:
        await ack("Bayer licenses Puhe's PRMT5 inhibitor")

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    app = web.Application()
    app.router.add_post("/slack/events", events)
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


@dataclasses.dataclass
class Result:
    """What wrk measured for one server."""

    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: int
    cpu_ms: float = 0.0  # server CPU time per request: steadier than req/s on a shared machine


def parse_wrk(name: str, output: str) -> Result:
    """Read requests/s, latency percentiles and errors from wrk's --latency output."""

    def ms(label: str) -> float:
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        if not match:
            raise ValueError(f"no {label}% latency in wrk output:\n{output}")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.findall(r"(?:connect|read|write|timeout) (\d+)", output)
    return Result(
        name=name,
        rps=float(rps.group(1)) if rps else 0.0,
        p50_ms=ms("50"),
        p99_ms=ms("99"),
        requests=int(total.group(1)) if total else 0,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(e) for e in errors),
    )


def median_of(results: list[Result], name: str) -> Result:
    """Return the median req/s and p99 of one server's rounds, with all errors summed."""
    mine = [r for r in results if r.name == name]
    return Result(
        name=name,
        rps=statistics.median(r.rps for r in mine),
        p50_ms=statistics.median(r.p50_ms for r in mine),
        p99_ms=statistics.median(r.p99_ms for r in mine),
        requests=sum(r.requests for r in mine),
        non_2xx=sum(r.non_2xx for r in mine),
        socket_errors=sum(r.socket_errors for r in mine),
        cpu_ms=statistics.median(r.cpu_ms for r in mine),
    )


def process_cpu_seconds(pid: int) -> float:
    """Return the user+system CPU seconds process `pid` has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def wait_listening(port: int, timeout: float = 30) -> None:
    """Wait until something accepts connections on `port`."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.1)


async def check_answer(port: int) -> str:
    """Send one signed command; return the ack's body (raises unless it is a 200)."""
    import aiohttp

    body = command_body()
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"http://127.0.0.1:{port}/slack/events", data=body, headers=signed_headers(body)
        ) as response,
    ):
        text = await response.text()
        if response.status != 200:
            raise RuntimeError(f"port {port} answered {response.status}: {text}")
        return text


async def run_wrk(port: int, duration: int, connections: int, threads: int) -> str:
    """Replay the signed command with wrk; return its output."""
    body = command_body()
    lines = ['wrk.method = "POST"', f"wrk.body = {json.dumps(body)}"]
    lines += [
        f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in signed_headers(body).items()
    ]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write("\n".join(lines) + "\n")
    process = await asyncio.create_subprocess_exec(
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency",
        "-s", script.name, f"http://127.0.0.1:{port}/slack/events",
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    output, _ = await process.communicate()
    Path(script.name).unlink()
    return output.decode()


async def measure(name: str, port: int, api_url: str, args: argparse.Namespace) -> Result:
    """Start one server in its own process, warm it up, load it, stop it."""
    data_dir = tempfile.mkdtemp(prefix="slack-bench-")
    server = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--serve", name, "--port", str(port),
        "--api-url", api_url, "--data-dir", data_dir, *(["--uvloop"] if args.uvloop else []),
    )  # fmt: skip
    try:
        await wait_listening(port)
        sample = await check_answer(port)
        if name == "bot" and ("Puhe" not in sample or '"ephemeral"' not in sample):
            raise RuntimeError(f"the bot did not answer the deal: {sample[:300]}")
        await run_wrk(port, args.warmup, args.connections, args.threads)
        cpu_before = process_cpu_seconds(server.pid)
        output = await run_wrk(port, args.duration, args.connections, args.threads)
        cpu_used = process_cpu_seconds(server.pid) - cpu_before
        if args.verbose:
            print(output)
        result = parse_wrk(name, output)
        result.cpu_ms = 1000 * cpu_used / max(result.requests, 1)
        return result
    finally:
        server.terminate()
        await server.wait()
        shutil.rmtree(data_dir, ignore_errors=True)


async def orchestrate(args: argparse.Namespace) -> int:
    """Measure the bare Bolt app, then the bot, and check the targets."""
    from tests.fakes.slack_api import FakeSlackApi

    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return 2
    fake = await FakeSlackApi().start()
    results: list[Result] = []
    try:
        # Alternate the two servers so a noisy neighbour hurts both alike; report medians.
        for _round in range(args.rounds):
            results.append(await measure("bare", args.port, fake.api_url, args))
            results.append(await measure("bot", args.port + 1, fake.api_url, args))
    finally:
        await fake.stop()
    print(
        f"{args.connections} connections, {args.rounds} rounds of {args.duration}s, "
        f"/chinabio {COMMAND_TEXT}"
    )
    print(
        f"{'server':<6} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9} {'non-2xx':>8}"
        f" {'CPU ms/req':>11}"
    )
    for r in results:
        print(
            f"{r.name:<6} {r.rps:>9.0f} {r.p50_ms:>8.2f} {r.p99_ms:>8.2f} {r.requests:>9} {r.non_2xx:>8}"
            f" {r.cpu_ms:>11.3f}"
        )
    bare, bot = median_of(results, "bare"), median_of(results, "bot")
    print(
        f"median bare {bare.rps:.0f} req/s p99 {bare.p99_ms:.1f} ms; bot {bot.rps:.0f} req/s p99 {bot.p99_ms:.1f} ms"
    )
    ratio = bot.rps / bare.rps if bare.rps else 0.0
    ok = ratio >= 1.3 and bot.p99_ms <= 50 and bot.non_2xx == 0 and bot.socket_errors == 0
    print(f"bot/bare throughput {ratio:.2f}x; targets {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or, with --serve, one of its servers)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--port", type=int, default=3901)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--uvloop", action="store_true", help="serve both apps on uvloop")
    parser.add_argument("--serve", choices=["bot", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--api-url", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.uvloop:
        import uvloop  # optional: pip install uvloop

        uvloop.install()
    if args.serve == "bot":
        serve_bot(args.port, args.api_url, args.data_dir)
        return 0
    if args.serve == "bare":
        serve_bare(args.port, args.api_url)
        return 0
    return asyncio.run(orchestrate(args))


if __name__ == "__main__":
    sys.exit(main())
