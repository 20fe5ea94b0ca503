"""/chinabio: answered in the ack, privately, with a Share button; failures apologise."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import aiohttp
import pytest
from prometheus_client import REGISTRY

import bot.answering
from bot.app import build_app
from bot.deps import Deps
from bot.slack.text import plain_text
from handlers import AskContext, Reply, ReplyKind
from tests.fakes.http import serve
from tests.fakes.slack_api import FakeSlackApi
from tests.slack.slack_driver import SlackDriver


def _buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for block in message.get("blocks", []):
        found += [e for e in block.get("elements", []) if e.get("type") == "button"]
        if block.get("accessory", {}).get("type") == "button":
            found.append(block["accessory"])
    return found


def _texts(node: Any) -> list[str]:
    """Return every displayed text (not button values) in a block tree."""
    if isinstance(node, list):
        return [t for item in node for t in _texts(item)]
    if isinstance(node, dict):
        own = [node["text"]] if isinstance(node.get("text"), str) else []
        return own + [t for k, v in node.items() if k != "value" for t in _texts(v)]
    return []


async def test_command_is_answered_in_the_ack_privately(
    slack: SlackDriver, blocks_text: Callable[[dict[str, Any]], str]
) -> None:
    """`/chinabio deal Puhe` is acked within 3 s with an ephemeral Block Kit answer."""
    started = time.monotonic()
    response = await slack.command("deal Puhe")
    elapsed = time.monotonic() - started
    body = await response.json()
    assert response.status == 200
    assert elapsed < 3
    assert body["response_type"] == "ephemeral"
    assert "Puhe" in blocks_text(body)
    assert body["text"]
    assert slack.fake.calls_to("chat.postMessage") == []  # no second round trip


async def test_command_answer_has_a_share_button_carrying_the_command(slack: SlackDriver) -> None:
    """The private answer's Share button carries the command, so Share can post it for all."""
    body = await (await slack.command("deal Puhe")).json()
    share = [b for b in _buttons(body) if b["action_id"].startswith("chinabio_share")]
    assert len(share) == 1
    assert share[0]["value"] == "deal Puhe"


async def test_command_text_never_becomes_a_live_mention(slack: SlackDriver) -> None:
    """Slack-escaped user text (<!channel>, <@U…>) comes back escaped, never as a live mention."""
    body = await (await slack.command("<!channel> &lt;@U0VICTIM&gt; zzz")).json()
    shown = json.dumps([body["text"], _texts(body["blocks"])])
    assert "<!channel>" not in shown
    assert "<@U0VICTIM>" not in shown


async def test_command_text_is_decoded_once(slack: SlackDriver) -> None:
    """`&amp;` typed as such (Slack sends `&amp;amp;`) is read as typed, not decoded twice."""
    body = await (await slack.command("deal AT&amp;amp;T")).json()
    assert plain_text(body["text"]).startswith("“AT&amp;T” is not in the knowledge:")


async def test_failure_in_a_command_gives_an_apology_with_an_error_id(
    slack: SlackDriver, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A handler exception answers the asker with a short apology and logs the detail under its id."""

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the store exploded")

    monkeypatch.setattr(bot.answering, "answer", broken)
    with caplog.at_level(logging.ERROR):
        response = await slack.command("deal Puhe")
    body = await response.json()
    assert response.status == 200
    assert body["response_type"] == "ephemeral"
    assert "error id" in body["text"]
    error_id = body["text"].split("`")[1]
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert logged
    assert logged[0].exc_info is not None
    assert "the store exploded" not in body["text"]


async def test_command_is_counted_in_metrics(slack: SlackDriver) -> None:
    """Each answered command increments chinabio_requests_total for platform slack."""

    def count() -> float:
        total = 0.0
        for metric in REGISTRY.collect():
            if metric.name == "chinabio_requests":
                total += sum(
                    s.value
                    for s in metric.samples
                    if s.name.endswith("_total") and s.labels.get("platform") == "slack"
                )
        return total

    before = count()
    await slack.command("deal Puhe")
    assert count() == before + 1


async def test_subscription_commands_get_the_book_and_run_off_the_event_loop(
    fake_slack: FakeSlackApi, deps: Deps, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`/chinabio subscribe` reaches handlers with the digest book, the channel, and a worker thread."""
    book = object()
    seen: list[tuple[AskContext, str]] = []

    def recording_answer(text: str, _store: object, ctx: AskContext) -> Reply:
        seen.append((ctx, threading.current_thread().name))
        return Reply(kind=ReplyKind.SUBSCRIPTION, title=f"ok: {text}", shareable=False)

    deps.subscriptions = book  # type: ignore[assignment]
    monkeypatch.setattr(bot.answering, "answer", recording_answer)
    async with serve(build_app(deps)) as url, aiohttp.ClientSession() as session:
        slack = SlackDriver(url, fake_slack, session)
        body = await (await slack.command("subscribe weekly mon 09:00", channel="C0DIGEST")).json()
        await slack.command("deal Puhe")
    assert body["text"] == "ok: subscribe weekly mon 09:00"
    assert "chinabio_share" not in json.dumps(body)  # shareable=False
    (subscribe_ctx, subscribe_thread), (_deal_ctx, deal_thread) = seen
    assert subscribe_ctx.subscriptions is book
    assert (subscribe_ctx.platform, subscribe_ctx.conversation_id) == ("slack", "C0DIGEST")
    assert subscribe_ctx.user_id == "U0ASKER"
    assert subscribe_thread != threading.main_thread().name
    assert deal_thread == threading.main_thread().name
