"""DATABASE_CONNECT_TIMEOUT and DATABASE_STATEMENT_TIMEOUT: a hung database is given up on in time."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from bot.app import build_deps
from bot.settings import Settings, SettingsError
from tests.fakes.stalling_proxy import StallingProxy
from tests.pg_schema import empty_schema, server_user

pytestmark = [pytest.mark.timeout(60)]


@pytest.fixture
def user() -> str:
    """A user the local PostgreSQL lets in."""
    found = server_user()
    if found is None:
        pytest.skip("PostgreSQL at 127.0.0.1:5432 (database test) is not reachable")
    return found


@pytest.fixture
def stalled_proxy() -> Iterator[StallingProxy]:
    """A proxy in front of PostgreSQL that accepts connections but relays nothing."""
    with StallingProxy() as proxy:
        proxy.stall()
        yield proxy


@pytest.mark.postgres
def test_serve_against_a_hung_database_exits_1_with_one_clear_line(
    user: str, stalled_proxy: StallingProxy, tmp_path: Path
) -> None:
    """`chinabio serve` gives up within the connect timeout: exit 1, host named, no password."""
    env = {
        **os.environ,
        "DATABASE_URL": f"postgresql://{user}:s3cret-pw@127.0.0.1:{stalled_proxy.port}/test",
        "DATABASE_CONNECT_TIMEOUT": "2",
        "DATA_DIR": str(tmp_path),
        "PORT": "0",
    }
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        env.pop(name, None)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "bot", "serve"],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=30,  # Python and the knowledge load in a few; the database gets 2 seconds
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("chinabio serve was still waiting for the hung database after 30 s")
    errors = [line for line in proc.stderr.splitlines() if "database" in line]
    assert proc.returncode == 1
    assert stalled_proxy.connections >= 1  # it really tried the hung database
    assert len(errors) == 1, proc.stderr
    assert f"127.0.0.1:{stalled_proxy.port}" in errors[0]
    assert "DATABASE_CONNECT_TIMEOUT" in errors[0]
    assert "DATABASE_URL" in errors[0]
    assert "s3cret-pw" not in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.postgres
def test_statement_timeout_stops_a_slow_statement(tmp_path: Path) -> None:
    """DATABASE_STATEMENT_TIMEOUT=1 makes PostgreSQL cancel a 10-second statement after a second."""
    with empty_schema("timeout_test") as url:
        _check_statement_timeout(url, tmp_path)


def _check_statement_timeout(url: str, tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "DATABASE_URL": url,
            "DATABASE_STATEMENT_TIMEOUT": "1",
            "DATA_DIR": str(tmp_path),
        },
        dotenv=None,
    )
    engine = build_deps(settings).engine
    started = time.perf_counter()
    try:
        with pytest.raises(OperationalError, match="statement timeout"), engine.connect() as conn:
            conn.execute(text("SELECT pg_sleep(10)"))
    finally:
        engine.dispose()
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize("name", ["DATABASE_CONNECT_TIMEOUT", "DATABASE_STATEMENT_TIMEOUT"])
@pytest.mark.parametrize("value", ["soon", "0", "-1"])
def test_a_timeout_that_is_not_a_positive_number_is_named(name: str, value: str) -> None:
    """A timeout of `soon`, 0 or -1 is refused with a message naming the variable."""
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value}, dotenv=None)
