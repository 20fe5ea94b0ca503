"""One retry policy for Slack: 429 and 5xx retried; a call lost after sending never posted twice.

Slash commands are answered in their ack without waiting on auth.test.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import aiohttp
import pytest

from bot.app import build_app, build_deps
from tests.fakes.http import serve
from tests.fakes.slack_api import FakeSlackApi
from tests.slack.slack_driver import SlackDriver, button_payload, make_settings, mention

MAYBE_POSTED = "may or may not have been posted"


async def _until(condition: Callable[[], bool], timeout: float) -> None:
    """Wait until `condition()` holds, or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


def _posts(fake: FakeSlackApi) -> list[object]:
    return [c for c in fake.calls if c.method in ("chat.postMessage", "response_url")]


def _apologies(fake: FakeSlackApi) -> list[str]:
    texts = [
        json.dumps(c.args) for c in fake.calls if c.method in ("chat.postMessage", "response_url")
    ]
    return [t for t in texts if "Sorry, something went wrong" in t]


@pytest.fixture
async def impatient_slack(fake_slack: FakeSlackApi, tmp_path: Path) -> AsyncIterator[SlackDriver]:
    """The bot served with SLACK_API_TIMEOUT=1, so a slow Slack is quick to reproduce."""
    deps = build_deps(make_settings(fake_slack, tmp_path, slack_api_timeout=1))
    async with serve(build_app(deps)) as url, aiohttp.ClientSession() as session:
        yield SlackDriver(url, fake_slack, session)


async def test_rate_limited_post_is_retried_after_retry_after(slack: SlackDriver) -> None:
    """chat.postMessage answered 429 (Retry-After: 1) is sent again after at least a second."""
    slack.fake.fail_next("chat.postMessage", status=429, headers={"Retry-After": "1"})
    await slack.event(mention("<@UCHINABIO> deal Puhe"))
    first, second = await slack.fake.wait_for("chat.postMessage", count=2, timeout=10)
    assert second.at - first.at >= 1.0
    assert json.dumps(first.args["blocks"]) == json.dumps(second.args["blocks"])


async def test_server_error_is_retried(slack: SlackDriver) -> None:
    """A 503 from chat.postMessage is retried and the answer still arrives."""
    slack.fake.fail_next("chat.postMessage", status=503, error="service_unavailable")
    await slack.event(mention("<@UCHINABIO> deal Puhe"))
    posts = await slack.fake.wait_for("chat.postMessage", count=2, timeout=10)
    assert posts[1].args["channel"] == "C0GENERAL"


async def test_answer_lost_after_sending_is_logged_not_posted_twice(
    slack: SlackDriver, caplog: pytest.LogCaptureFixture
) -> None:
    """A connection dropped after Slack took the answer: one post, a log line, no apology."""
    caplog.set_level(logging.WARNING)
    slack.fake.drop_next("chat.postMessage")
    await slack.event(mention("<@UCHINABIO> deal Puhe", ts="1700000000.000777"))
    await _until(lambda: MAYBE_POSTED in caplog.text or len(_posts(slack.fake)) > 1, 8)
    await asyncio.sleep(0.3)  # room for a wrong second post to show up
    assert len(slack.fake.calls_to("chat.postMessage")) == 1
    assert _apologies(slack.fake) == []
    (line,) = [r.getMessage() for r in caplog.records if MAYBE_POSTED in r.getMessage()]
    assert "channel=C0GENERAL" in line
    assert "1700000000.000777" in line
    assert "Puhe" not in line  # ids only, never the message


async def test_share_lost_after_sending_is_not_posted_twice(
    slack: SlackDriver, caplog: pytest.LogCaptureFixture
) -> None:
    """Share-to-channel whose answer was lost after sending: one post, private copy kept, no apology."""
    caplog.set_level(logging.WARNING)
    slack.fake.drop_next("chat.postMessage")
    await slack.action(button_payload(slack.fake, "chinabio_share", "deal Puhe"))
    await _until(lambda: MAYBE_POSTED in caplog.text or len(_posts(slack.fake)) > 1, 8)
    await asyncio.sleep(0.3)
    assert len(slack.fake.calls_to("chat.postMessage")) == 1
    assert slack.fake.calls_to("response_url") == []  # neither deleted nor re-posted nor sorry


async def test_slack_slower_than_the_timeout_gets_no_apology(
    impatient_slack: SlackDriver, caplog: pytest.LogCaptureFixture
) -> None:
    """Slack answering after the client gave up: the answer stands alone, no "Sorry" after it."""
    caplog.set_level(logging.WARNING)
    fake = impatient_slack.fake
    fake.delay_next("chat.postMessage", 2.0)
    await impatient_slack.event(mention("<@UCHINABIO> deal Puhe"))
    await _until(lambda: MAYBE_POSTED in caplog.text or len(_posts(fake)) > 1, 8)
    await _until(lambda: bool(fake.answered("chat.postMessage")), 5)
    await asyncio.sleep(0.3)
    (post,) = fake.calls_to("chat.postMessage")
    assert "Puhe" in json.dumps(post.args["blocks"])
    assert _apologies(fake) == []
    assert MAYBE_POSTED in caplog.text


@pytest.mark.parametrize(
    ("status", "headers"),
    [(500, {}), (429, {"Retry-After": "5"})],
    ids=["auth.test-fails", "auth.test-rate-limited"],
)
async def test_command_is_answered_in_time_while_auth_test_fails(
    slack: SlackDriver, status: int, headers: dict[str, str]
) -> None:
    """auth.test failing or rate limited before its first success: /chinabio answers within 3 s."""
    slack.fake.fail_next("auth.test", status=status, headers=headers, times=20)
    for _ in range(2):
        started = time.monotonic()
        response = await slack.command("deal Puhe")
        assert response.status == 200
        assert time.monotonic() - started < 3.0
        body = await response.json()
        assert "Puhe" in json.dumps(body)
        assert "Sorry" not in json.dumps(body)
