"""Slack tokens at rest: encrypted with TOKEN_ENCRYPTION_KEY, rotated by `chinabio tokens rotate`."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store.models.installation import Installation
from sqlalchemy import select

from bot.app import build_app, build_deps
from bot.cli import main
from bot.db.engine import make_engine
from bot.deps import Deps
from bot.slack.oauth import installation_store
from bot.slack.tables import slack_bots, slack_installations
from bot.slack.token_crypt import TOKEN_FIELDS
from tests.fakes.http import serve
from tests.fakes.slack_api import FakeSlackApi
from tests.slack.slack_driver import SlackDriver, make_settings, mention
from tests.slack.test_slack_oauth import (
    CLIENT_ID,
    CLIENT_SECRET,
    INSTALLED_TEAM,
    STATE_SECRET,
    install,
)

OLD_KEY, NEW_KEY = Fernet.generate_key().decode(), Fernet.generate_key().decode()
TOKENS = ("xoxb-installed-token", "xoxe-1-refresh")
TOKEN_PREFIXES = ("xoxb-", "xoxp-", "xoxe-", "xoxe.")


def oauth_deps(fake: FakeSlackApi, tmp_path: Path, **overrides: Any) -> Deps:
    """Deps for the multi-workspace bot on tmp_path's database, with the given key settings."""
    return build_deps(
        make_settings(
            fake,
            tmp_path,
            slack_bot_token=None,
            slack_client_id=CLIENT_ID,
            slack_client_secret=CLIENT_SECRET,
            slack_state_secret=STATE_SECRET,
            **overrides,
        )
    )


@asynccontextmanager
async def running(
    fake: FakeSlackApi, tmp_path: Path, **overrides: Any
) -> AsyncIterator[SlackDriver]:
    """Serve the multi-workspace bot on loopback (a fresh start on the same database)."""
    deps = oauth_deps(fake, tmp_path, **overrides)
    try:
        async with serve(build_app(deps)) as url, aiohttp.ClientSession() as session:
            yield SlackDriver(url, fake, session)
    finally:
        deps.engine.dispose()


def sqlite_url(tmp_path: Path) -> str:
    """Return the URL of the SQLite file `make_settings` gives the bot in tmp_path."""
    return f"sqlite:///{tmp_path / 'bot.db'}"


def stored_text(url: str) -> str:
    """Return every token cell of both Slack tables, as the database holds them."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            cells = [
                str(row[column])
                for table in (slack_installations, slack_bots)
                for row in conn.execute(select(table)).mappings()
                for column in TOKEN_FIELDS
                if column in row
            ]
    finally:
        engine.dispose()
    return "\n".join(cells)


def database_bytes(tmp_path: Path) -> bytes:
    """Return the raw SQLite files (the write-ahead log included)."""
    return b"".join(path.read_bytes() for path in sorted(tmp_path.glob("bot.db*")))


def rotate(
    tmp_path: Path,
    url: str,
    keys: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> tuple[int, str, str]:
    """Run `chinabio tokens rotate` on tmp_path's database; return exit code, stdout, stderr."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("TOKEN_ENCRYPTION_KEY", keys)
    capsys.readouterr()
    code = main(["tokens", "rotate"])
    out, err = capsys.readouterr()
    return code, out, err


async def answers_with(slack: SlackDriver, token: str, team: str = INSTALLED_TEAM) -> None:
    """Send a signed command and a mention from `team`; the answer is posted with `token`."""
    response = await slack.command("deal Puhe", team=team)
    assert response.status == 200
    assert "Puhe" in await response.text()
    before = len(slack.fake.calls_to("chat.postMessage"))
    response = await slack.event(mention("<@UCHINABIO> deal Puhe"), team=team)
    assert response.status == 200
    posted = (await slack.fake.wait_for("chat.postMessage", before + 1))[before]
    assert posted.headers["Authorization"] == f"Bearer {token}"


async def test_installed_tokens_are_not_stored_in_plain_text(
    fake_slack: FakeSlackApi, tmp_path: Path
) -> None:
    """After an install the database holds no token text, and the bot still uses the token."""
    db = sqlite_url(tmp_path)
    async with running(fake_slack, tmp_path, token_encryption_keys=(OLD_KEY,)) as slack:
        status, page, _state = await install(slack)
        assert status == 200, page
        await answers_with(slack, "xoxb-installed-token")
    stored = stored_text(db)
    assert stored
    assert not any(prefix in stored for prefix in TOKEN_PREFIXES)
    raw = database_bytes(tmp_path)
    assert not any(token.encode() in raw for token in TOKENS)


async def test_rotation_moves_tokens_to_the_new_key_so_the_old_one_can_go(
    fake_slack: FakeSlackApi,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`tokens rotate` with NEW,OLD re-encrypts every token; then NEW alone reads them."""
    db = sqlite_url(tmp_path)
    async with running(fake_slack, tmp_path, token_encryption_keys=(OLD_KEY,)) as slack:
        status, page, _state = await install(slack)
        assert status == 200, page
    before = stored_text(db)

    code, out, err = rotate(tmp_path, db, f"{NEW_KEY},{OLD_KEY}", monkeypatch, capsys)
    assert code == 0, err
    assert "slack_installations: 1 row(s); 0 token(s) encrypted from plain text, " in out
    assert "2 re-encrypted with the newest key, 0 already current, 0 left as they were" in out
    assert "slack_bots: 1 row(s)" in out
    after = stored_text(db)
    assert after != before
    assert not any(prefix in after for prefix in TOKEN_PREFIXES)

    code, again, _err = rotate(tmp_path, db, f"{NEW_KEY},{OLD_KEY}", monkeypatch, capsys)
    assert code == 0
    assert again.count("0 re-encrypted with the newest key, 2 already current") == 2
    assert stored_text(db) == after  # idempotent: nothing rewritten

    async with running(fake_slack, tmp_path, token_encryption_keys=(NEW_KEY,)) as slack:
        await answers_with(slack, "xoxb-installed-token")


async def test_plain_text_rows_are_read_then_encrypted_by_rotation(
    fake_slack: FakeSlackApi,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Rows stored unencrypted (as before) still work with a key, and rotation encrypts them."""
    db = sqlite_url(tmp_path)
    async with running(fake_slack, tmp_path, allow_plaintext_tokens=True) as slack:
        status, page, _state = await install(slack)
        assert status == 200, page
    assert "xoxb-installed-token" in stored_text(db)

    async with running(fake_slack, tmp_path, token_encryption_keys=(OLD_KEY,)) as slack:
        await answers_with(slack, "xoxb-installed-token")

    code, out, err = rotate(tmp_path, db, OLD_KEY, monkeypatch, capsys)
    assert code == 0, err
    assert out.count("2 token(s) encrypted from plain text, 0 re-encrypted") == 2
    stored = stored_text(db)
    assert not any(prefix in stored for prefix in TOKEN_PREFIXES)

    async with running(fake_slack, tmp_path, token_encryption_keys=(OLD_KEY,)) as slack:
        await answers_with(slack, "xoxb-installed-token")


async def test_undecryptable_token_fails_only_its_workspace_with_a_clear_error(
    fake_slack: FakeSlackApi,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A token under a lost key: that workspace is refused, named in the log; others work."""
    db = sqlite_url(tmp_path)
    async with running(fake_slack, tmp_path, token_encryption_keys=(OLD_KEY,)) as slack:
        status, page, _state = await install(slack)
        assert status == 200, page
    other = oauth_deps(fake_slack, tmp_path, allow_plaintext_tokens=True)
    installation_store(other.settings, other.engine).sync.save(
        Installation(
            app_id="A0CHINABIO",
            team_id="T0OTHER",
            bot_token="xoxb-other-token",
            bot_id="BOTHER",
            bot_user_id="UCHINABIO",
            bot_scopes="commands,chat:write",
            user_id="UINSTALLER",
        )
    )
    other.engine.dispose()

    async with running(fake_slack, tmp_path, token_encryption_keys=(NEW_KEY,)) as slack:
        checks = len(fake_slack.calls_to("auth.test"))
        with caplog.at_level(logging.INFO):
            refused = await slack.command("deal Puhe", team=INSTALLED_TEAM)
        assert refused.status < 500
        assert "Puhe" not in await refused.text()
        assert len(fake_slack.calls_to("auth.test")) == checks  # no garbage token sent
        assert (
            "slack_bots.bot_token of Slack workspace T0INSTALL cannot be decrypted with any key "
            "in TOKEN_ENCRYPTION_KEY" in caplog.text
        )
        assert OLD_KEY not in caplog.text
        assert NEW_KEY not in caplog.text
        await answers_with(slack, "xoxb-other-token", team="T0OTHER")

    code, out, err = rotate(tmp_path, db, NEW_KEY, monkeypatch, capsys)
    assert code == 1
    assert "slack_bots.bot_token of Slack workspace T0INSTALL" in err
    assert "1 token(s) encrypted from plain text" in out  # T0OTHER's row still got encrypted
    assert "xoxb-other-token" not in stored_text(db)


def test_rotate_without_a_key_says_what_to_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`tokens rotate` with no key, or a malformed one, exits 2 naming TOKEN_ENCRYPTION_KEY."""
    db = sqlite_url(tmp_path)
    code, _out, err = rotate(tmp_path, db, "", monkeypatch, capsys)
    assert code == 2
    assert "TOKEN_ENCRYPTION_KEY is not set" in err
    code, _out, err = rotate(tmp_path, db, f"{NEW_KEY},not-a-key-at-all", monkeypatch, capsys)
    assert code == 2
    assert "TOKEN_ENCRYPTION_KEY: key 2 of 2 is not a Fernet key" in err
    assert "not-a-key-at-all" not in err
    assert NEW_KEY not in err


@pytest.mark.postgres
async def test_long_rotating_tokens_are_encrypted_on_postgres(
    fake_slack: FakeSlackApi, tmp_path: Path, postgres_url: str
) -> None:
    """A rotating-size token, too long for VARCHAR(200) once encrypted, is stored encrypted."""
    long_bot, long_refresh = "xoxe.xoxb-1-" + "B" * 140, "xoxe-1-" + "R" * 140
    fake_slack.overrides["oauth.v2.access"] = {
        **fake_slack._answer("oauth.v2.access", {}),
        "access_token": long_bot,
        "refresh_token": long_refresh,
    }
    keys = {"token_encryption_keys": (OLD_KEY,), "database_url": postgres_url}
    async with running(fake_slack, tmp_path, **keys) as slack:
        status, page, _state = await install(slack)
        assert status == 200, page
        await answers_with(slack, long_bot)
    stored = stored_text(postgres_url)
    assert long_bot not in stored
    assert long_refresh not in stored
    async with running(fake_slack, tmp_path, **keys) as slack:
        await answers_with(slack, long_bot)
