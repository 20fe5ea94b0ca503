"""Every HTTP request is verified: forged or stale signatures get 401 and reach no listener."""

from __future__ import annotations

import logging
import time

import pytest
from multidict import CIMultiDict
from slack_sdk.signature import SignatureVerifier

from tests.slack.slack_driver import (
    BOT_TOKEN,
    FORM,
    SIGNING_SECRET,
    SlackDriver,
    button_payload,
    command_body,
    mention,
)


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
    assert "zebra-secret-words" not in logged
    assert "zebra" not in logged


@pytest.mark.parametrize(
    "timestamp",
    ["abc", "1e12", "", " 1700000000", "1_700_000_000", "١٧٠٠٠٠٠٠٠٠", "9" * 5000, "-1"],
)
async def test_unreadable_timestamp_is_rejected_with_no_answer(
    slack: SlackDriver, timestamp: str
) -> None:
    """A timestamp that is not plain ASCII digits gets 401, never an apology or a 500."""
    forged = {"X-Slack-Request-Timestamp": timestamp}
    command = await slack.command("deal Puhe", signature="v0=" + "0" * 64, headers=forged)
    event = await slack.event(mention("<@UCHINABIO> deal Puhe"), signature="v0=x", headers=forged)
    assert (command.status, event.status) == (401, 401)
    assert slack.fake.calls == []


async def test_forged_button_click_never_posts_to_its_response_url(slack: SlackDriver) -> None:
    """A block_actions payload with a bad timestamp gets 401; its response_url is never called."""
    forged = button_payload(slack.fake, "chinabio_run", "deal Puhe")
    forged["response_url"] = slack.fake.response_url("attacker")
    refused = await slack.action(
        forged, signature="v0=" + "0" * 64, headers={"X-Slack-Request-Timestamp": "abc"}
    )
    genuine = await slack.action(button_payload(slack.fake, "chinabio_run", "deal Puhe"))
    assert (refused.status, genuine.status) == (401, 200)
    await slack.fake.wait_for("response_url")  # the genuine click's answer
    assert [c.args["_name"] for c in slack.fake.calls_to("response_url")] == ["button"]


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Slack-Signature": ""},
        {"X-Slack-Signature": "v0="},
        {"X-Slack-Signature": "v1=" + "0" * 64},
        {"X-Slack-Signature": "v0=" + "é" * 64},
        {"X-Slack-Signature": "v0=" + "Z" * 64},
    ],
)
async def test_malformed_signature_is_rejected(slack: SlackDriver, headers: dict[str, str]) -> None:
    """An empty, truncated, non-hex or non-ASCII signature gets 401, not a 500."""
    response = await slack.command("deal Puhe", headers=headers)
    assert response.status == 401


async def test_repeated_signature_headers_are_rejected(slack: SlackDriver) -> None:
    """Two X-Slack-Signature headers (one of them right) get 401: only one may be checked."""
    body = command_body("deal Puhe", "U0ASKER", "C0GENERAL", slack.fake)
    timestamp = str(int(time.time()))
    right = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=timestamp, body=body)
    headers = CIMultiDict(
        [
            ("Content-Type", FORM),
            ("X-Slack-Request-Timestamp", timestamp),
            ("X-Slack-Signature", "v0=" + "0" * 64),
            ("X-Slack-Signature", right),
        ]
    )
    async with slack.session.post(f"{slack.url}/slack/events", data=body, headers=headers) as r:
        assert r.status == 401


async def test_timestamp_from_the_future_is_rejected(slack: SlackDriver) -> None:
    """A correctly signed request dated more than 5 minutes ahead gets 401."""
    response = await slack.command("deal Puhe", timestamp=int(time.time()) + 6 * 60)
    assert response.status == 401


async def test_unverified_values_never_reach_the_log(
    slack: SlackDriver, caplog: pytest.LogCaptureFixture
) -> None:
    """A refused request logs one line with the reason; its team id (newline and all) is not in it."""
    team = "T1\n2030-01-01 [error] forged line"
    with caplog.at_level(logging.DEBUG):
        response = await slack.command(
            "deal Puhe", team=team, headers={"X-Slack-Request-Timestamp": "abc"}
        )
    assert response.status == 401
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "forged line" not in logged
    assert "T1" not in logged
    (refusal,) = [r for r in caplog.records if "refused" in r.getMessage()]
    assert "timestamp" in refusal.getMessage()
    assert refusal.exc_info is None
