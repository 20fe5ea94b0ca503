"""Bad configuration reaches the operator as one clear line and an exit code, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main


def test_a_non_numeric_port_is_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """PORT=abc: exit 2 and a message naming PORT and what to give instead."""
    monkeypatch.setenv("PORT", "abc")
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "PORT='abc' is not a number" in err and "Traceback" not in err


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
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr
