"""Fixtures for the operations tests: a small knowledge folder, free ports, a served process."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.fixtures import KNOWLEDGE as FIXTURE_KNOWLEDGE

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    """A writable copy of the tiny fixture knowledge folder."""
    # Not named "knowledge": `python -m` puts the cwd first on sys.path, shadowing the package.
    folder = tmp_path / "kb"
    shutil.copytree(FIXTURE_KNOWLEDGE, folder)
    return folder


def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get_json(url: str, timeout: float = 5.0) -> tuple[int, dict[str, object], dict[str, str]]:
    """GET `url`; return status, JSON body and headers (errors included)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, json.loads(response.read()), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}"), dict(exc.headers)


@dataclass
class ServedBot:
    """A `python -m bot serve` subprocess on a free loopback port."""

    process: subprocess.Popen[str]
    port: int
    env: dict[str, str] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_healthy(self, timeout: float = 30.0) -> None:
        """Block until GET /healthz answers, or fail with the process output."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"server exited early:\n{self.process.communicate()[1]}")
            try:
                if get_json(self.base + "/healthz", timeout=1)[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        pytest.fail("server did not answer /healthz in time")


def start_bot(
    tmp_path: Path, knowledge: Path, extra_env: dict[str, str] | None = None
) -> ServedBot:
    """Start the server as operators do, with SQLite in `tmp_path` and no platform credentials."""
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("SLACK_", "CONNECTIONS__", "DATABASE_URL", "LOG_", "TOKEN_ENCRYPTION_KEY", "ALLOW_")
        )
    }
    env.update(
        {
            "KNOWLEDGE_DIR": str(knowledge),
            "DATA_DIR": str(tmp_path / "data"),
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "PYTHONUNBUFFERED": "1",
            **(extra_env or {}),
        }
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return ServedBot(process=process, port=port, env=env)


@pytest.fixture
def serve_bot(tmp_path: Path) -> Iterator[Callable[..., ServedBot]]:
    """Start bots with `serve_bot(knowledge, extra_env)`; kill any still running after the test."""
    started: list[ServedBot] = []

    def _start(knowledge: Path, extra_env: dict[str, str] | None = None) -> ServedBot:
        bot = start_bot(tmp_path, knowledge, extra_env)
        started.append(bot)
        return bot

    yield _start
    for bot in started:
        if bot.process.poll() is None:
            bot.process.kill()
            bot.process.communicate(timeout=10)
