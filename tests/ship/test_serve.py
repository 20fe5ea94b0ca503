"""`chinabio serve` as a real process: graceful SIGTERM, JSON logs without secrets, clear start errors."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

import aiohttp
import pytest

from tests.fakes.slack_api import FakeSlackApi
from tests.ship.conftest import ServedBot, get_json
from tests.slack.slack_driver import BOT_TOKEN, SlackDriver, mention
from tests.slack.slack_driver import SIGNING_SECRET as DRIVER_SECRET

pytestmark = pytest.mark.slow

SIGNING_SECRET = "ops-test-signing-secret-1234567890"
CLIENT_SECRET = "ops-test-teams-client-secret-0987"


def _refuses_connections(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) != 0


def test_sigterm_lets_a_request_in_flight_finish_then_exits_0(
    serve_bot: Callable[..., ServedBot], knowledge_dir: Path
) -> None:
    """After SIGTERM new connections are refused, the slow request still gets its answer, exit is 0."""
    bot = serve_bot(knowledge_dir, {"CHINABIO_TEST_HOOKS": "1"})
    bot.wait_healthy()
    answer: dict[str, object] = {}

    def slow_request() -> None:
        answer["status"], answer["body"], _ = get_json(bot.base + "/__test__/sleep?seconds=3", 15)

    client = threading.Thread(target=slow_request)
    client.start()
    time.sleep(0.8)  # the request is now inside the handler's sleep
    bot.process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 2
    while not _refuses_connections(bot.port) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _refuses_connections(bot.port), "still accepting connections after SIGTERM"
    assert client.is_alive(), "the slow request ended before the listener closed"
    client.join(timeout=15)
    _, stderr = bot.process.communicate(timeout=30)
    assert answer == {"status": 200, "body": {"slept": 3.0}}
    assert bot.process.returncode == 0, stderr
    assert "shutdown complete" in stderr


def test_json_logs_parse_and_never_carry_secrets(
    serve_bot: Callable[..., ServedBot], knowledge_dir: Path
) -> None:
    """With LOG_FORMAT=json every line is a JSON event with the core fields and no secret value."""
    bot = serve_bot(
        knowledge_dir,
        {
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "DEBUG",
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTSECRET": CLIENT_SECRET,
        },
    )
    bot.wait_healthy()
    status, _, headers = get_json(bot.base + f"/readyz?token={SIGNING_SECRET}")
    assert status == 200
    assert headers["X-Request-Id"]
    bot.process.send_signal(signal.SIGTERM)
    _, stderr = bot.process.communicate(timeout=30)
    lines = [line for line in stderr.splitlines() if line.strip()]
    events = [json.loads(line) for line in lines]
    assert events, "no log lines at all"
    for event in events:
        assert {"time", "level", "logger", "message", "request_id"} <= event.keys()
    request_events = [e for e in events if e.get("path") == "/readyz"]
    assert request_events[0]["request_id"] == headers["X-Request-Id"]
    assert isinstance(request_events[0]["latency_ms"], float)
    assert SIGNING_SECRET not in stderr
    assert CLIENT_SECRET not in stderr


def test_invalid_knowledge_at_start_exits_1_listing_file_and_line(
    serve_bot: Callable[..., ServedBot], knowledge_dir: Path
) -> None:
    """An invalid knowledge folder stops the start with each problem as file:line, no traceback."""
    (knowledge_dir / "broken.yaml").write_text("topics:\n  - id: Not A Slug\n", encoding="utf-8")
    bot = serve_bot(knowledge_dir)
    _, stderr = bot.process.communicate(timeout=30)
    assert bot.process.returncode == 1
    assert "broken.yaml:" in stderr
    assert "chinabio validate" in stderr
    assert "Traceback" not in stderr


def test_a_taken_port_exits_1_with_a_clear_message(
    serve_bot: Callable[..., ServedBot], knowledge_dir: Path
) -> None:
    """Starting on a port already in use says so and exits 1 instead of dumping a traceback."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        bot = serve_bot(knowledge_dir, {"PORT": str(port)})
        _, stderr = bot.process.communicate(timeout=30)
    assert bot.process.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in stderr
    assert "Traceback" not in stderr


def test_run_without_credentials_opens_the_console(tmp_path: Path, knowledge_dir: Path) -> None:
    """`chinabio run` (what `make run` starts) with no Slack or Teams settings chats in the terminal."""
    import os
    import subprocess
    import sys

    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "CONNECTIONS__", "TEAMS_", "DATABASE_URL"))
    }
    env.update({"KNOWLEDGE_DIR": str(knowledge_dir), "DATA_DIR": str(tmp_path / "data")})
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        input="/chinabio topic ADC\nexit\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "ChinaBio console" in done.stdout
    assert "Antibody-drug conjugates" in done.stdout


async def test_sigterm_waits_for_mention_answers_held_up_by_slack_rate_limits(
    serve_bot: Callable[..., ServedBot], knowledge_dir: Path
) -> None:
    """SIGTERM while 10 mention answers wait out Slack's 429 Retry-After: all 10 still get posted."""
    fake = await FakeSlackApi().start()
    try:
        fake.fail_next("chat.postMessage", status=429, headers={"Retry-After": "2"}, times=10)
        bot = serve_bot(
            knowledge_dir,
            {
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_SIGNING_SECRET": DRIVER_SECRET,
                "SLACK_API_URL": fake.api_url,
            },
        )
        await asyncio.to_thread(bot.wait_healthy)
        asked = {f"1700000000.{n:06d}" for n in range(10)}
        async with aiohttp.ClientSession() as session:
            slack = SlackDriver(bot.base, fake, session)
            for ts in sorted(asked):
                assert (await slack.event(mention("<@UCHINABIO> help", ts=ts))).status == 200
        await fake.wait_for("chat.postMessage", count=10, timeout=15)  # each one got its 429
        bot.process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.to_thread(bot.process.communicate, timeout=40)
    finally:
        await fake.stop()
    assert {c.args["thread_ts"] for c in fake.answered("chat.postMessage")} == asked
    assert bot.process.returncode == 0, stderr
    assert "dropped at shutdown" not in stderr
    assert "shutdown complete" in stderr
