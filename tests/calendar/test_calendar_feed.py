"""The channel feed: `calendar subscribe` in Slack, then `GET /calendar/{token}.ics` over HTTP."""

from __future__ import annotations

import logging
import re

import icalendar
import pytest
from sqlalchemy import select

from bot.calendar.tables import calendar_feeds
from bot.deps import Deps
from tests.calendar.conftest import PUBLIC_URL
from tests.slack.slack_driver import SlackDriver, mention

_FEED = re.compile(re.escape(PUBLIC_URL) + r"(/calendar/[A-Za-z0-9_-]+\.ics)")


async def _subscribe(slack: SlackDriver, channel: str = "C0GENERAL") -> str:
    """Run `/chinabio calendar subscribe` in `channel`; return the feed's path from the answer."""
    response = await slack.command("calendar subscribe", channel=channel)
    assert response.status == 200
    body = await response.json()
    assert body["response_type"] == "ephemeral"
    found = _FEED.search(str(body["blocks"]))
    assert found is not None, body
    return found.group(1)


async def _get(slack: SlackDriver, path: str) -> tuple[int, str, bytes]:
    async with slack.session.get(slack.url + path) as response:
        return response.status, response.headers.get("Content-Type", ""), await response.read()


async def test_subscribe_gives_a_feed_url_that_serves_the_calendar(slack: SlackDriver) -> None:
    """The URL from `calendar subscribe` answers 200 with an .ics that icalendar reads back."""
    path = await _subscribe(slack)
    status, content_type, body = await _get(slack, path)
    assert status == 200
    assert content_type.startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(body)
    uids = {str(e["UID"]) for e in cal.walk("VEVENT")}
    assert "event.chinabio-partnering-forum-2025@chinabio-bot" in uids
    assert len(uids) == 7


async def test_no_token_wrong_token_and_odd_paths_are_bare_404s(slack: SlackDriver) -> None:
    """Without the right token every feed path is the same 404, naming nothing."""
    path = await _subscribe(slack)
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    wrong = token[:-1] + ("A" if token[-1] != "A" else "B")
    for probe in (
        "/calendar/",
        "/calendar/.ics",
        f"/calendar/{wrong}.ics",
        f"/calendar/{token}",  # without .ics
        f"/calendar/{token}.ics.bak",
        "/calendar/short.ics",
        "/calendar/%2e%2e%2fetc%2fpasswd.ics",
    ):
        status, _type, body = await _get(slack, probe)
        assert status == 404, probe
        assert b"calendar" not in body.lower(), probe
        assert token.encode() not in body, probe


async def test_subscribing_again_replaces_the_address(slack: SlackDriver) -> None:
    """A second `calendar subscribe` issues a new URL; the first one stops working."""
    first = await _subscribe(slack)
    second = await _subscribe(slack)
    assert first != second
    assert (await _get(slack, first))[0] == 404
    assert (await _get(slack, second))[0] == 200


async def test_revoke_ends_the_feed(slack: SlackDriver) -> None:
    """`calendar revoke` makes the channel's URL a 404; a second revoke says there is none."""
    path = await _subscribe(slack)
    body = await (await slack.command("calendar revoke")).json()
    assert body["text"].startswith("Calendar feed revoked")
    assert (await _get(slack, path))[0] == 404
    again = await (await slack.command("calendar revoke")).json()
    assert again["text"].startswith("This channel has no calendar feed")


async def test_each_channel_has_its_own_feed(slack: SlackDriver) -> None:
    """Revoking one channel's feed leaves another channel's working."""
    general = await _subscribe(slack, "C0GENERAL")
    deals = await _subscribe(slack, "C0DEALS")
    await slack.command("calendar revoke", channel="C0GENERAL")
    assert (await _get(slack, general))[0] == 404
    assert (await _get(slack, deals))[0] == 200


async def test_the_database_holds_only_the_tokens_hash(slack: SlackDriver, deps: Deps) -> None:
    """The token in the URL is nowhere in the calendar_feeds row; its SHA-256 is."""
    path = await _subscribe(slack)
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    with deps.engine.connect() as conn:
        (row,) = conn.execute(select(calendar_feeds)).all()
    assert token not in str(tuple(row))
    assert len(row.token_hash) == 64
    assert row.channel == "C0GENERAL"
    assert row.issued_by == "U0ASKER"


async def test_a_mention_subscribe_answers_in_the_thread(slack: SlackDriver) -> None:
    """`@chinabio calendar subscribe` in a channel posts the address in a thread under it."""
    await slack.event(mention("<@UCHINABIO> calendar subscribe"))
    (post,) = await slack.fake.wait_for("chat.postMessage")
    assert post.args["thread_ts"] == "1700000000.000200"
    assert _FEED.search(str(post.args["blocks"]))


async def test_the_access_log_never_shows_a_feed_token(
    slack: SlackDriver, caplog: pytest.LogCaptureFixture
) -> None:
    """A feed request is logged as /calendar/{token}.ics, with the secret left out."""
    path = await _subscribe(slack)
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    with caplog.at_level(logging.DEBUG):
        await _get(slack, path)
    assert "GET /calendar/{token}.ics -> 200" in caplog.text
    assert token not in caplog.text
