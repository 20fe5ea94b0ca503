"""Weekly digests in a multi-workspace Slack app: each workspace's install token, or a pause."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store.models.installation import Installation

from bot.app import build_app, build_deps, digest_senders
from bot.deps import Deps
from bot.digest.delivery import RunReport
from bot.digest.service import build_delivery, close_senders
from bot.slack.oauth import DatabaseInstallationStore, installation_store
from bot.slack.workspace import SlackWorkspace, workspace_key
from handlers.context import DigestSchedule
from tests.fakes.http import serve
from tests.fakes.slack_api import BOT_USER_ID, TEAM_ID, FakeSlackApi
from tests.slack.slack_driver import BOT_TOKEN, SlackDriver, make_settings

CLIENT_ID, CLIENT_SECRET, STATE_SECRET = "1111.2222", "client-secret-xyz", "state-secret-abc"
TOKEN_KEY = Fernet.generate_key().decode()


def oauth_settings(fake: FakeSlackApi, tmp_path: Path, **overrides: Any) -> Any:
    """Return multi-workspace settings (no bot token unless given) against the fake."""
    oauth = {
        "slack_bot_token": None,
        "slack_client_id": CLIENT_ID,
        "slack_client_secret": CLIENT_SECRET,
        "slack_state_secret": STATE_SECRET,
        "token_encryption_keys": (TOKEN_KEY,),
    }
    return make_settings(fake, tmp_path, **{**oauth, **overrides})


@pytest.fixture
def oauth_deps(fake_slack: FakeSlackApi, tmp_path: Path) -> Deps:
    """Deps for a multi-workspace app with no SLACK_BOT_TOKEN."""
    return build_deps(oauth_settings(fake_slack, tmp_path))


@pytest.fixture
async def oauth_slack(fake_slack: FakeSlackApi, oauth_deps: Deps) -> AsyncIterator[SlackDriver]:
    """The multi-workspace bot served on loopback."""
    async with serve(build_app(oauth_deps)) as url, aiohttp.ClientSession() as session:
        yield SlackDriver(url, fake_slack, session)


def installations(deps: Deps) -> DatabaseInstallationStore:
    """Return the installation store the bot itself uses, on the deps' database."""
    return installation_store(deps.settings, deps.engine)


def install(deps: Deps, team: str, token: str, **extra: Any) -> None:
    """Save an installation for `team` through slack_sdk's SQLAlchemy installation store."""
    installations(deps).sync.save(
        Installation(
            app_id="A0CHINABIO",
            team_id=team,
            team_name=f"Team {team}",
            bot_token=token,
            bot_id=f"B{team}",
            bot_user_id=BOT_USER_ID,
            bot_scopes="commands,app_mentions:read,chat:write,im:history",
            user_id="UINSTALLER",
            **extra,
        )
    )


async def subscribe(slack: SlackDriver, channel: str, team: str) -> None:
    """Send a signed `/chinabio subscribe` from `channel` in workspace `team`."""
    response = await slack.command("subscribe", channel=channel, team=team)
    assert response.status == 200
    assert "Subscribed" in await response.text()


async def deliver_due(deps: Deps, channel: str) -> RunReport:
    """Run one digest pass just after `channel`'s next digest time."""
    sub = deps.subscriptions.get("slack", channel)
    assert sub is not None
    assert sub.next_digest is not None
    moment = sub.next_digest.astimezone(dt.UTC) + dt.timedelta(minutes=1)
    delivery = build_delivery(deps, digest_senders(deps), clock=lambda: moment)
    try:
        return await delivery.run_once()
    finally:
        await close_senders(delivery.senders)


def posted_tokens(fake: FakeSlackApi) -> dict[str, set[str]]:
    """Return, per channel, the Authorization headers chat.postMessage received."""
    tokens: dict[str, set[str]] = {}
    for call in fake.calls_to("chat.postMessage"):
        tokens.setdefault(call.args["channel"], set()).add(call.headers["Authorization"])
    return tokens


async def test_each_workspace_gets_its_digest_with_its_own_token(
    oauth_slack: SlackDriver, oauth_deps: Deps
) -> None:
    """Channels subscribed from two installed workspaces are posted with each install's token."""
    install(oauth_deps, "T0ALPHA", "xoxb-alpha-token")
    install(oauth_deps, "T0BETA", "xoxb-beta-token")
    await subscribe(oauth_slack, "C0ALPHA", "T0ALPHA")
    await subscribe(oauth_slack, "C0BETA", "T0BETA")
    book = oauth_deps.subscriptions
    assert book.get("slack", "C0ALPHA").workspace == "T0ALPHA"  # type: ignore[union-attr]
    assert oauth_slack.fake.calls_to("chat.postMessage") == []
    report = await deliver_due(oauth_deps, "C0ALPHA")
    assert report.outcomes == {("slack", "C0ALPHA"): "sent", ("slack", "C0BETA"): "sent"}
    assert posted_tokens(oauth_slack.fake) == {
        "C0ALPHA": {"Bearer xoxb-alpha-token"},
        "C0BETA": {"Bearer xoxb-beta-token"},
    }


async def test_uninstalled_workspace_pauses_its_subscription(
    oauth_slack: SlackDriver, oauth_deps: Deps, caplog: pytest.LogCaptureFixture
) -> None:
    """A workspace whose installation was removed: nothing is posted and the channel is paused."""
    install(oauth_deps, "T0GONE", "xoxb-gone-token")
    await subscribe(oauth_slack, "C0GONE", "T0GONE")
    store = installations(oauth_deps).sync
    store.delete_installation(enterprise_id=None, team_id="T0GONE")
    store.delete_bot(enterprise_id=None, team_id="T0GONE")
    with caplog.at_level(logging.INFO, logger="bot.digest"):
        report = await deliver_due(oauth_deps, "C0GONE")
    assert report.outcomes == {("slack", "C0GONE"): "unavailable"}
    assert oauth_slack.fake.calls_to("chat.postMessage") == []
    paused = oauth_deps.subscriptions.get("slack", "C0GONE")
    assert paused is not None
    assert (paused.paused_reason or "").startswith("app_not_installed")
    assert "paused the digest subscription of slack C0GONE" in caplog.text


async def test_expiring_workspace_token_is_rotated_before_posting(
    oauth_slack: SlackDriver, oauth_deps: Deps
) -> None:
    """An install token about to expire is refreshed at SLACK_API_URL, saved, then used to post."""
    install(oauth_deps, "T0ROT", "xoxb-old-token")
    await subscribe(oauth_slack, "C0ROT", "T0ROT")
    store = installations(oauth_deps).sync
    bot = store.find_bot(enterprise_id=None, team_id="T0ROT")
    assert bot is not None
    bot.bot_refresh_token = "xoxe-1-rot"
    bot.bot_token_expires_at = int(time.time()) + 60  # inside the rotation window
    bot.installed_at = time.time()
    store.save_bot(bot)
    report = await deliver_due(oauth_deps, "C0ROT")
    assert report.outcomes == {("slack", "C0ROT"): "sent"}
    (refresh,) = oauth_slack.fake.calls_to("oauth.v2.access")
    assert refresh.args["grant_type"] == "refresh_token"
    assert refresh.args["refresh_token"] == "xoxe-1-rot"
    assert posted_tokens(oauth_slack.fake) == {"C0ROT": {"Bearer xoxb-installed-token"}}
    saved = store.find_bot(enterprise_id=None, team_id="T0ROT")
    assert saved is not None
    assert saved.bot_token == "xoxb-installed-token"


async def test_single_token_mode_still_delivers(slack: SlackDriver, deps: Deps) -> None:
    """With only SLACK_BOT_TOKEN, a channel subscribed by command gets its digest with that token."""
    await subscribe(slack, "C0SINGLE", TEAM_ID)
    assert deps.subscriptions.get("slack", "C0SINGLE").workspace == TEAM_ID  # type: ignore[union-attr]
    report = await deliver_due(deps, "C0SINGLE")
    assert report.outcomes == {("slack", "C0SINGLE"): "sent"}
    assert posted_tokens(slack.fake) == {"C0SINGLE": {f"Bearer {BOT_TOKEN}"}}


@pytest.mark.parametrize(
    ("fallback", "outcome"), [(BOT_TOKEN, "sent"), (None, "unavailable")], ids=["token", "none"]
)
async def test_subscription_without_workspace_uses_the_fallback_token(
    fake_slack: FakeSlackApi, tmp_path: Path, fallback: str | None, outcome: str
) -> None:
    """A subscription from before workspaces were recorded: SLACK_BOT_TOKEN if set, else paused."""
    deps = build_deps(oauth_settings(fake_slack, tmp_path, slack_bot_token=fallback))
    deps.subscriptions.subscribe("slack", "C0OLD", "U0OLD", DigestSchedule())
    report = await deliver_due(deps, "C0OLD")
    assert report.outcomes == {("slack", "C0OLD"): outcome}
    expected = {"C0OLD": {f"Bearer {BOT_TOKEN}"}} if fallback else {}
    assert posted_tokens(fake_slack) == expected
    sub = deps.subscriptions.get("slack", "C0OLD")
    assert sub is not None
    assert (sub.paused_reason is None) == bool(fallback)


@pytest.mark.parametrize(
    ("ids", "key", "parsed"),
    [
        (("", "T1", False), "T1", SlackWorkspace(None, "T1")),
        (("E1", "T1", False), "E1/T1", SlackWorkspace("E1", "T1")),
        (("E1", "T1", True), "E1/", SlackWorkspace("E1", None)),
    ],
)
def test_workspace_key_round_trips(
    ids: tuple[str, str, bool], key: str, parsed: SlackWorkspace
) -> None:
    """Team, Enterprise Grid team and org-wide install ids survive being stored as one string."""
    assert workspace_key(*ids) == key
    assert SlackWorkspace.parse(key) == parsed
    assert parsed.is_enterprise_install == ids[2]


async def test_revoked_workspace_token_pauses_the_subscription(
    oauth_slack: SlackDriver, oauth_deps: Deps
) -> None:
    """Slack answering token_revoked to an install's token pauses that channel (app removed)."""
    install(oauth_deps, "T0REV", "xoxb-revoked-token")
    await subscribe(oauth_slack, "C0REV", "T0REV")
    oauth_slack.fake.fail_next("chat.postMessage", status=200, error="token_revoked", times=2)
    report = await deliver_due(oauth_deps, "C0REV")
    assert report.outcomes == {("slack", "C0REV"): "unavailable"}
    paused = oauth_deps.subscriptions.get("slack", "C0REV")
    assert paused is not None
    assert (paused.paused_reason or "").startswith("token_revoked")
