"""The console and `chinabio ask` log misses too; a database that does not answer costs no answer."""

from __future__ import annotations

import io
import logging
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

import bot.schema  # noqa: F401  (every table)
from bot.app import run_console
from bot.cli import main
from bot.curation.tables import misses
from bot.db.engine import make_engine
from bot.db.migrate import upgrade_schema
from bot.settings import Settings
from tests.fixtures import KNOWLEDGE


def _migrated(path: Path) -> str:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade_schema(engine)
    engine.dispose()
    return url


def _stored(url: str) -> list[tuple[str, str, str, int]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(misses.c.question, misses.c.platform, misses.c.channel, misses.c.times)
            ).all()
    finally:
        engine.dispose()
    return [(r.question, r.platform, r.channel, r.times) for r in rows]


@pytest.fixture
def silent_database() -> Iterator[str]:
    """A PostgreSQL URL whose server accepts the connection and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    yield f"postgresql://bot@127.0.0.1:{port}/test"
    listener.close()


def test_ask_logs_a_miss_once_a_day_and_not_an_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`chinabio ask` with DATABASE_URL stores what it could not answer, counted per ask."""
    url = _migrated(tmp_path / "bot.db")
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("KNOWLEDGE_DIR", str(KNOWLEDGE))
    assert main(["ask", "company", "Qwertyzyx Pharma"]) == 0
    assert main(["ask", "company", "qwertyzyx  pharma"]) == 0
    assert main(["ask", "deal", "Puhe"]) == 0
    out = capsys.readouterr().out
    assert "Qwertyzyx Pharma" in out
    assert "PRMT5" in out
    assert _stored(url) == [("company Qwertyzyx Pharma", "cli", "cli", 2)]


def test_ask_without_database_url_stores_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without DATABASE_URL `chinabio ask` opens no database, not even the default file."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    assert main(["ask", "company", "Qwertyzyx Pharma"]) == 0
    assert "Qwertyzyx" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []


def test_ask_answers_at_once_when_the_database_does_not_answer(
    silent_database: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A silent database: the answer prints, exit 0, the miss is dropped with one log line."""
    monkeypatch.setenv("DATABASE_URL", silent_database)
    monkeypatch.setenv("DATABASE_CONNECT_TIMEOUT", "30")
    started = time.perf_counter()
    with caplog.at_level(logging.WARNING):
        assert main(["ask", "company", "Qwertyzyx Pharma"]) == 0
    assert time.perf_counter() - started < 5.0
    assert "Qwertyzyx Pharma" in capsys.readouterr().out
    dropped = [r for r in caplog.records if "miss was not stored" in r.getMessage()]
    assert len(dropped) == 1


def test_ask_with_an_unmigrated_database_still_answers(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A database without the curation tables: the answer prints and one line says why."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    with caplog.at_level(logging.WARNING):
        assert main(["ask", "company", "Qwertyzyx Pharma"]) == 0
    assert "Qwertyzyx Pharma" in capsys.readouterr().out
    assert len([r for r in caplog.records if "miss was not stored" in r.getMessage()]) == 1


def test_the_console_logs_misses(tmp_path: Path) -> None:
    """A question the console could not answer is in the misses log after the chat."""
    url = f"sqlite:///{tmp_path / 'console.db'}"
    settings = Settings(database_url=url, knowledge_dir=str(KNOWLEDGE), data_dir=str(tmp_path))
    stdin = io.StringIO("/chinabio company Qwertyzyx Pharma\n/chinabio deal Puhe\nexit\n")
    stdout = io.StringIO()
    assert run_console(settings, stdin=stdin, stdout=stdout) == 0
    assert "PRMT5" in stdout.getvalue()
    assert _stored(url) == [("company Qwertyzyx Pharma", "console", "console", 1)]
