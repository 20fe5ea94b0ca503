"""Shutdown and answers still being sent: waited for within the limit, else logged one by one."""

from __future__ import annotations

import logging

import aiohttp
import pytest

from bot.app import build_app
from bot.background import drain_at_shutdown
from bot.deps import Deps
from tests.fakes.http import serve
from tests.fakes.slack_api import FakeSlackApi
from tests.slack.slack_driver import SlackDriver, mention


async def test_answers_still_waiting_at_the_limit_are_logged_one_by_one(
    fake_slack: FakeSlackApi, deps: Deps, caplog: pytest.LogCaptureFixture
) -> None:
    """Answers Slack holds back (429, Retry-After 30) past the limit: each logged with ids, no text."""
    caplog.set_level(logging.INFO)
    fake_slack.fail_next("chat.postMessage", status=429, headers={"Retry-After": "30"}, times=3)
    app = build_app(deps)
    drain_at_shutdown(app, 1.0)
    async with serve(app) as url, aiohttp.ClientSession() as session:
        driver = SlackDriver(url, fake_slack, session)
        for n in range(3):
            ts = f"1700000000.00010{n}"
            await driver.event(mention("<@UCHINABIO> deal Puhe", ts=ts), event_id=f"EvDROP{n}")
        await fake_slack.wait_for("chat.postMessage", count=3)
    lines = [r.getMessage() for r in caplog.records if "dropped at shutdown" in r.getMessage()]
    assert sorted(lines) == sorted(
        f"dropped at shutdown: slack-answer kind=app_mention event_id=EvDROP{n} channel=C0GENERAL "
        "reason=still running after the 1 s shutdown limit"
        for n in range(3)
    )
    assert "Puhe" not in "\n".join(lines)
    assert fake_slack.answered("chat.postMessage") == []
