"""deploy/slack/manifest.yaml parses and asks for exactly what the code uses."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.slack.listeners.commands.chinabio import COMMAND
from bot.slack.listeners.shortcuts.ask_about import CALLBACK_ID as ASK_ABOUT
from bot.slack.scopes import BOT_EVENTS, BOT_SCOPES

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "deploy" / "slack" / "manifest.yaml"
SLACK_CODE = ROOT / "bot" / "slack"
#: The scope each Web API method the bot calls needs (None: no scope, e.g. trigger-based).
METHOD_SCOPES = {
    "chat_postMessage": "chat:write",
    "views_publish": None,
    "views_open": None,
    "auth_test": None,
    "conversations_members": "channels:read",
}
#: The manifest event each `app.event(...)` registration corresponds to.
EVENT_NAMES = {
    "app_mention": "app_mention",
    "message": "message.im",
    "app_home_opened": "app_home_opened",
    "app_uninstalled": "app_uninstalled",
    "tokens_revoked": "tokens_revoked",
}


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    """The parsed manifest."""
    data: dict[str, Any] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return data


def _source() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in SLACK_CODE.rglob("*.py"))


def test_manifest_scopes_are_exactly_the_bot_scopes(manifest: dict[str, Any]) -> None:
    """The manifest's bot scopes are the ones the OAuth flow requests, no more."""
    assert manifest["oauth_config"]["scopes"]["bot"] == list(BOT_SCOPES)
    assert "user" not in manifest["oauth_config"]["scopes"]


def test_manifest_events_are_the_ones_listened_to(manifest: dict[str, Any]) -> None:
    """Every event a listener registers is subscribed in the manifest, and nothing else."""
    registered = set(re.findall(r"app\.event\(\s*\"([a-z_.]+)\"", _source()))
    assert {EVENT_NAMES[name] for name in registered} == set(BOT_EVENTS)
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == list(BOT_EVENTS)


def test_every_web_api_method_called_has_its_scope(manifest: dict[str, Any]) -> None:
    """Each Web API method the code calls (say() is chat.postMessage) has its scope granted."""
    source = _source()
    called = set(re.findall(r"client\.([a-z]+_[A-Za-z]+)\(", source))
    if re.search(r"\bawait say\(", source):
        called.add("chat_postMessage")
    assert called <= set(METHOD_SCOPES), f"add the scope of {called - set(METHOD_SCOPES)}"
    needed = {METHOD_SCOPES[m] for m in called} - {None}
    assert needed <= set(manifest["oauth_config"]["scopes"]["bot"])
    assert "app_mentions:read" in manifest["oauth_config"]["scopes"]["bot"]  # app_mention
    assert "im:history" in manifest["oauth_config"]["scopes"]["bot"]  # message.im


def test_manifest_routes_everything_to_one_url(manifest: dict[str, Any]) -> None:
    """The command, events and interactivity all go to /slack/events; OAuth to /slack/oauth_redirect."""
    (command,) = manifest["features"]["slash_commands"]
    assert command["command"] == COMMAND
    urls = {
        command["url"],
        manifest["settings"]["event_subscriptions"]["request_url"],
        manifest["settings"]["interactivity"]["request_url"],
    }
    assert len(urls) == 1
    assert urls.pop().endswith("/slack/events")
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    (redirect,) = manifest["oauth_config"]["redirect_urls"]
    assert redirect.endswith("/slack/oauth_redirect")


def test_manifest_enables_home_and_messages_tabs(manifest: dict[str, Any]) -> None:
    """The Home tab and a writable Messages tab are on; Socket Mode is an explicit toggle."""
    home = manifest["features"]["app_home"]
    assert home["home_tab_enabled"] is True
    assert home["messages_tab_enabled"] is True
    assert home["messages_tab_read_only_enabled"] is False
    assert manifest["settings"]["socket_mode_enabled"] in (True, False)


def test_the_message_shortcut_is_declared_with_its_scope(manifest: dict[str, Any]) -> None:
    """ "Ask ChinaBio about this" is a message shortcut whose callback_id the code listens to."""
    (shortcut,) = [s for s in manifest["features"]["shortcuts"] if s["callback_id"] == ASK_ABOUT]
    assert shortcut["type"] == "message"
    assert shortcut["callback_id"] == ASK_ABOUT
    assert "commands" in manifest["oauth_config"]["scopes"]["bot"]  # shortcuts need it
    assert re.search(r"app\.shortcut\(CALLBACK_ID\)", _source())
