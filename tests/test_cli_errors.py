"""Bad configuration reaches the operator as one clear line and an exit code, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from tests.fixtures import KNOWLEDGE


def test_a_non_numeric_port_is_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """PORT=abc: exit 2 and a message naming PORT and what to give instead."""
    monkeypatch.setenv("PORT", "abc")
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "PORT='abc' is not a number" in err
    assert "Traceback" not in err


def test_an_unreachable_database_is_named_for_digest_preview(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`digest preview` with a database nobody answers: exit 1 and a pointer to DATABASE_URL."""
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    assert main(["digest", "preview"]) == 1
    assert "check DATABASE_URL" in capsys.readouterr().err


def test_ask_into_a_closed_pipe_exits_quietly() -> None:
    """`chinabio ask deals | head -1`: the reader leaving is not an error and prints no traceback."""
    proc = subprocess.run(
        f"{sys.executable} -m bot ask deals | head -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.stdout.startswith("All deals")
    assert "Traceback" not in proc.stderr
    assert "BrokenPipe" not in proc.stderr


BAD_DATABASE_URLS = {
    "sqlite:////proc/nope/x.db": "cannot create the folder /proc/nope for the SQLite file",
    "mysql://bot@127.0.0.1/chinabio": "DATABASE_URL uses mysql, which the bot does not support",
    "postgresql+pg8000://bot@127.0.0.1/chinabio": "driver for DATABASE_URL (postgresql+pg8000)",
}


@pytest.mark.parametrize("url", list(BAD_DATABASE_URLS)[:2])
def test_serve_with_an_unusable_database_url_exits_1_with_one_line(
    url: str, tmp_path: Path
) -> None:
    """`chinabio serve` with a database it cannot open: exit 1, the reason in one line, no traceback."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "CONNECTIONS__", "LOG_"))
    }
    env.update(
        {
            "DATABASE_URL": url,
            "KNOWLEDGE_DIR": str(KNOWLEDGE),
            "DATA_DIR": str(tmp_path / "data"),
        }
    )
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--port", "1"],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1
    assert BAD_DATABASE_URLS[url] in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


@pytest.mark.parametrize("command", [["digest", "preview"], ["db", "upgrade"], ["db", "status"]])
@pytest.mark.parametrize("url", BAD_DATABASE_URLS)
def test_other_commands_with_an_unusable_database_url_exit_1(
    command: list[str],
    url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    """Every command that opens the database says what is wrong with DATABASE_URL and exits 1."""
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("KNOWLEDGE_DIR", str(KNOWLEDGE))
    assert main(command) == 1
    err = capsys.readouterr().err
    assert err.startswith("cannot open the database: ")
    assert BAD_DATABASE_URLS[url] in err
    assert len(err.strip().splitlines()) == 1
