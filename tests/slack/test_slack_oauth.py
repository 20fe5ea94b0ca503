"""Multi-workspace install: Bolt's OAuth flow against the fake oauth.v2.access, kept in the DB."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from bot.app import build_app, build_deps
from bot.deps import Deps
from bot.slack.tables import slack_bots, slack_installations
from tests.fakes.http import serve
from tests.fakes.slack_api import FakeSlackApi
from tests.slack.slack_driver import JSON, SlackDriver, event_body, make_settings

CLIENT_ID, CLIENT_SECRET, STATE_SECRET = "1111.2222", "client-secret-xyz", "state-secret-abc"
INSTALLED_TEAM = "T0INSTALL"
TOKEN_KEY = Fernet.generate_key().decode()


@pytest.fixture
def oauth_deps(fake_slack: FakeSlackApi, tmp_path: Path) -> Deps:
    """Deps for a multi-workspace app: no bot token, client id/secret and state secret set."""
    return build_deps(
        make_settings(
            fake_slack,
            tmp_path,
            slack_bot_token=None,
            slack_client_id=CLIENT_ID,
            slack_client_secret=CLIENT_SECRET,
            slack_state_secret=STATE_SECRET,
            token_encryption_keys=(TOKEN_KEY,),
        )
    )


@pytest.fixture
async def oauth_slack(fake_slack: FakeSlackApi, oauth_deps: Deps) -> AsyncIterator[SlackDriver]:
    """The multi-workspace bot served on loopback."""
    async with serve(build_app(oauth_deps)) as url, aiohttp.ClientSession() as session:
        yield SlackDriver(url, fake_slack, session)


async def install(slack: SlackDriver, code: str = "c0de") -> tuple[int, str, str]:
    """Walk the install flow like a browser; return the callback's status, page and the state."""
    async with slack.session.get(f"{slack.url}/slack/install") as page:
        assert page.status == 200
        html = await page.text()
        state = page.cookies["slack-app-oauth-state"].value
    assert f"state={state}" in html
    async with slack.session.get(
        f"{slack.url}/slack/oauth_redirect",
        params={"code": code, "state": state},
        headers={"Cookie": f"slack-app-oauth-state={state}"},
    ) as callback:
        return callback.status, await callback.text(), state


def rows(deps: Deps, table: Any) -> list[Any]:
    with deps.engine.connect() as conn:
        return list(conn.execute(select(table)).mappings())


async def test_install_round_trip_stores_the_installation(
    oauth_slack: SlackDriver, oauth_deps: Deps
) -> None:
    """Add to Slack -> oauth.v2.access with the code -> an installation row for the team."""
    status, page, _state = await install(oauth_slack)
    assert status == 200, page
    (access,) = oauth_slack.fake.calls_to("oauth.v2.access")
    assert access.args["code"] == "c0de"
    (installed,) = rows(oauth_deps, slack_installations)
    assert installed["team_id"] == INSTALLED_TEAM
    assert installed["bot_token"]
    assert installed["bot_refresh_token"]
    assert installed["client_id"] == CLIENT_ID
    assert len(rows(oauth_deps, slack_bots)) == 1


async def test_install_page_asks_for_the_manifest_scopes(oauth_slack: SlackDriver) -> None:
    """The Add to Slack link requests exactly the bot scopes, and no user scopes."""
    async with oauth_slack.session.get(f"{oauth_slack.url}/slack/install") as page:
        html = await page.text()
    link = re.search(r'href="([^"]*oauth/v2/authorize[^"]*)"', html)
    assert link is not None
    assert (
        "scope=commands,app_mentions:read,chat:write,im:history,channels:read,groups:read,files:write"
        in link.group(1)
    )
    assert link.group(1).startswith(oauth_slack.fake.base)  # same host as SLACK_API_URL


async def test_oauth_state_is_usable_once(oauth_slack: SlackDriver) -> None:
    """Replaying a callback with an already used state is refused without calling Slack."""
    status, _page, state = await install(oauth_slack)
    assert status == 200
    async with oauth_slack.session.get(
        f"{oauth_slack.url}/slack/oauth_redirect",
        params={"code": "again", "state": state},
        headers={"Cookie": f"slack-app-oauth-state={state}"},
    ) as replay:
        assert replay.status >= 400
    assert len(oauth_slack.fake.calls_to("oauth.v2.access")) == 1


async def test_installed_workspace_is_answered_with_its_own_token(
    oauth_slack: SlackDriver,
) -> None:
    """After install, a command from that workspace is answered, authorised by the stored token."""
    await install(oauth_slack)
    response = await oauth_slack.command("deal Puhe", team=INSTALLED_TEAM)
    assert response.status == 200
    assert "Puhe" in await response.text()
    checks = oauth_slack.fake.calls_to("auth.test")
    assert {c.headers["Authorization"] for c in checks} == {"Bearer xoxb-installed-token"}
    await oauth_slack.command("deal Puhe", team=INSTALLED_TEAM)
    assert len(oauth_slack.fake.calls_to("auth.test")) == len(checks)  # authorisation is cached


async def test_installed_workspace_is_answered_in_time_while_auth_test_fails(
    oauth_slack: SlackDriver,
) -> None:
    """auth.test failing after install: /chinabio still answers in its ack, within 3 s."""
    await install(oauth_slack)
    oauth_slack.fake.fail_next("auth.test", status=500, times=20)
    started = time.monotonic()
    response = await oauth_slack.command("deal Puhe", team=INSTALLED_TEAM)
    assert time.monotonic() - started < 3.0
    assert response.status == 200
    assert "Puhe" in await response.text()


async def test_expiring_token_is_rotated_through_slack_api_url(oauth_slack: SlackDriver) -> None:
    """A bot token about to expire is refreshed (grant_type=refresh_token) at the configured API."""
    fake = oauth_slack.fake
    fake.overrides["oauth.v2.access"] = {
        **fake._answer("oauth.v2.access", {}),
        "expires_in": 60,  # inside the rotation window
    }
    await install(oauth_slack)
    response = await oauth_slack.command("deal Puhe", team=INSTALLED_TEAM)
    assert response.status == 200
    _install, refresh_call = fake.calls_to("oauth.v2.access")
    assert refresh_call.args["grant_type"] == "refresh_token"
    assert refresh_call.args["refresh_token"] == "xoxe-1-refresh"


async def test_install_logs_no_token_or_secret(
    oauth_slack: SlackDriver, caplog: pytest.LogCaptureFixture
) -> None:
    """Even at DEBUG, the install flow logs neither the issued tokens nor the app's secrets."""
    with caplog.at_level(logging.DEBUG):
        status, _page, _state = await install(oauth_slack)
        await oauth_slack.command("deal Puhe", team=INSTALLED_TEAM)
    assert status == 200
    assert caplog.records
    for secret in ("xoxb-installed-token", "xoxe-1-refresh", CLIENT_SECRET, STATE_SECRET):
        assert secret not in caplog.text


async def _until(condition: Any, seconds: float = 5.0) -> bool:
    """Wait for a lazy listener's work to show."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return True
        await asyncio.sleep(0.05)
    return bool(condition())


def _from_installed_team(event: dict[str, Any]) -> str:
    body = event_body(event)
    body["team_id"] = INSTALLED_TEAM
    body["authorizations"][0]["team_id"] = INSTALLED_TEAM
    return json.dumps(body)


async def test_uninstall_forgets_the_workspace(oauth_slack: SlackDriver, oauth_deps: Deps) -> None:
    """app_uninstalled deletes the workspace's installation and bot token (its digests pause)."""
    status, page, _state = await install(oauth_slack)
    assert status == 200, page
    assert rows(oauth_deps, slack_installations)
    assert rows(oauth_deps, slack_bots)
    response = await oauth_slack.post(_from_installed_team({"type": "app_uninstalled"}), JSON)
    assert response.status == 200
    assert await _until(
        lambda: not rows(oauth_deps, slack_installations) and not rows(oauth_deps, slack_bots)
    )


async def test_revoked_bot_token_is_forgotten(oauth_slack: SlackDriver, oauth_deps: Deps) -> None:
    """tokens_revoked naming the bot deletes the stored bot token."""
    status, page, _state = await install(oauth_slack)
    assert status == 200, page
    event = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UCHINABIO"]}}
    response = await oauth_slack.post(_from_installed_team(event), JSON)
    assert response.status == 200
    assert await _until(lambda: not rows(oauth_deps, slack_bots))
