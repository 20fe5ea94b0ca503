"""Every HTTP request is verified: forged or stale signatures get 401 and reach no listener."""

from __future__ import annotations

import logging
import time

import pytest
from slack_driver import BOT_TOKEN, SIGNING_SECRET, SlackDriver, mention


async def test_forged_signature_is_rejected(slack: SlackDriver) -> None:
    """A request signed with another secret gets 401 and no answer."""
    response = await slack.command("deal Puhe", signature="v0=" + "0" * 64)
    assert response.status == 401
    assert "Puhe" not in await response.text()


async def test_stale_timestamp_is_rejected(slack: SlackDriver) -> None:
    """A correctly signed request older than 5 minutes (a replay) gets 401."""
    response = await slack.command("deal Puhe", timestamp=int(time.time()) - 6 * 60)
    assert response.status == 401


async def test_forged_event_triggers_no_web_api_call(slack: SlackDriver) -> None:
    """A forged event is refused before any listener runs: nothing is posted."""
    response = await slack.event(mention("<@UCHINABIO> deal Puhe"), signature="v0=bad")
    assert response.status == 401
    assert slack.fake.calls_to("chat.postMessage") == []


async def test_missing_signature_headers_are_rejected(slack: SlackDriver) -> None:
    """A request without Slack's headers gets 401."""
    async with slack.session.post(f"{slack.url}/slack/events", data=b"command=%2Fchinabio") as r:
        assert r.status == 401


async def test_url_verification_challenge_is_answered(slack: SlackDriver) -> None:
    """Slack's url_verification handshake (signed) gets its challenge back."""
    response = await slack.post(
        '{"type": "url_verification", "challenge": "c-123", "token": "t"}', "application/json"
    )
    assert response.status == 200
    assert "c-123" in await response.text()


async def test_secrets_never_reach_the_log(
    slack: SlackDriver, caplog: pytest.LogCaptureFixture
) -> None:
    """Even at DEBUG, neither the bot token nor the signing secret is logged."""
    with caplog.at_level(logging.DEBUG):
        await slack.command("deal Puhe")
        await slack.event(mention("<@UCHINABIO> deal Puhe"))
        await slack.fake.wait_for("chat.postMessage")
    assert caplog.records  # DEBUG logging really was on
    assert BOT_TOKEN not in caplog.text
    assert SIGNING_SECRET not in caplog.text


async def test_rejected_request_body_never_reaches_the_log(
    slack: SlackDriver, caplog: pytest.LogCaptureFixture
) -> None:
    """Bolt's INFO line about a refused signature keeps the fact, not the user's text or token."""
    with caplog.at_level(logging.DEBUG):
        response = await slack.command("deal zebra-secret-words", signature="v0=" + "0" * 64)
    assert response.status == 401
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Invalid request signature detected" in logged
    assert "zebra-secret-words" not in logged and "zebra" not in logged
