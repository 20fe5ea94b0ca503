"""The Web API client retries 429 after Retry-After, and transient server errors."""

from __future__ import annotations

import json

from slack_driver import SlackDriver, mention


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
