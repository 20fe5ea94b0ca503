"""The Slack sender against a fake Slack Web API on loopback: 429s, refusals, splitting, timeouts."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import Engine

from bot.digest.book import SqlSubscriptionBook
from bot.digest.delivery import DigestDelivery
from bot.digest.sender import AmbiguousDelivery, ChannelUnavailable, TransientDeliveryError
from bot.slack.digest_sender import SlackSender
from bot.slack.render import render_messages
from handlers.context import DigestSchedule
from handlers.digest import compose_digest
from handlers.reply import ListItem, Reply, ReplyKind, Section
from knowledge import KnowledgeStore
from tests.digest.digest_fakes import FakeClock, FakeSlack


class Sleeps:
    """Records how long the sender was asked to wait, without waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def _sender(fake: FakeSlack, sleeps: Sleeps | None = None, **kw: object) -> SlackSender:
    return SlackSender("xoxb-test", fake.url, sleep=sleeps or Sleeps(), backoff=0.001, **kw)  # type: ignore[arg-type]


def _long_digest(items: int) -> Reply:
    return Reply(
        kind=ReplyKind.DIGEST,
        title="ChinaBio weekly digest — week of 30 March 2026",
        sections=[
            Section(
                heading="Coming up in the next 30 days",
                items=[ListItem(title=f"Reminder {i}: " + "x" * 120) for i in range(items)],
            )
        ],
    )


async def test_rate_limited_then_success_honours_retry_after(fake_slack: FakeSlack) -> None:
    """Two 429s with Retry-After: 3, then ok: one message posted, and the sender waited ~3 s twice."""
    fake_slack.script["C1"] = [429, 429]
    fake_slack.retry_after = 3
    sleeps = Sleeps()
    sender = _sender(fake_slack, sleeps)
    try:
        ts = await sender.post("C1", compose_digest(KnowledgeStore.build([]), dt.date(2026, 3, 30)))
    finally:
        await sender.aclose()
    assert ts
    assert fake_slack.rate_limited == 2
    assert len(fake_slack.messages) == 1
    assert len(sleeps.waits) == 2
    assert all(3 <= w <= 3.25 for w in sleeps.waits)
    assert fake_slack.tokens == {"Bearer xoxb-test"}


async def test_rate_limit_past_the_budget_is_transient(fake_slack: FakeSlack) -> None:
    """More 429s than the retry budget end as a transient error (retried on a later tick)."""
    fake_slack.script["C1"] = [429] * 4
    sender = _sender(fake_slack, rate_limit_retries=2)
    with pytest.raises(TransientDeliveryError):
        await sender.post("C1", compose_digest(KnowledgeStore.build([]), dt.date(2026, 3, 30)))
    await sender.aclose()
    assert fake_slack.messages == []


@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel", "is_archived"])
async def test_refusals_mean_channel_unavailable(fake_slack: FakeSlack, error: str) -> None:
    """Slack's channel_not_found, not_in_channel and is_archived become ChannelUnavailable."""
    fake_slack.script["C1"] = [error]
    sender = _sender(fake_slack)
    with pytest.raises(ChannelUnavailable, match=error):
        await sender.post("C1", compose_digest(KnowledgeStore.build([]), dt.date(2026, 3, 30)))
    await sender.aclose()


async def test_server_errors_are_retried_then_succeed(fake_slack: FakeSlack) -> None:
    """A 503 then ok: slack_sdk's server-error handler retries once and the message arrives once."""
    fake_slack.script["C1"] = [503]
    sender = _sender(fake_slack)
    await sender.post("C1", compose_digest(KnowledgeStore.build([]), dt.date(2026, 3, 30)))
    await sender.aclose()
    assert len(fake_slack.messages) == 1
    assert fake_slack.requests == 2


async def test_timeout_after_sending_is_ambiguous(fake_slack: FakeSlack) -> None:
    """Slack received the message but never answered: AmbiguousDelivery, and no second attempt."""
    fake_slack.script["C1"] = ["hang"]
    sender = _sender(fake_slack, timeout=0.5)
    with pytest.raises(AmbiguousDelivery):
        await sender.post("C1", compose_digest(KnowledgeStore.build([]), dt.date(2026, 3, 30)))
    await sender.aclose()
    assert len(fake_slack.messages) == 1
    assert fake_slack.requests == 1


async def test_unreachable_slack_is_transient() -> None:
    """Nothing listening at the API URL: the request never left, so it is a transient error."""
    sender = SlackSender("xoxb-test", "http://127.0.0.1:9/api/", backoff=0.001)
    with pytest.raises(TransientDeliveryError):
        await sender.post("C1", compose_digest(KnowledgeStore.build([]), dt.date(2026, 3, 30)))
    await sender.aclose()


async def test_long_digest_is_split_into_whole_messages(fake_slack: FakeSlack) -> None:
    """A digest too long for one message goes out as several; the first ts is returned."""
    reply = _long_digest(60)
    parts = render_messages(reply)
    sender = _sender(fake_slack)
    ts = await sender.post("C1", reply)
    await sender.aclose()
    assert len(parts) > 1
    assert len(fake_slack.messages) == len(parts)
    assert ts
    assert fake_slack.first_parts() == {"C1": 1}
    for message in fake_slack.messages:
        assert len(message["blocks"]) <= 50
        assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in message["blocks"])


def test_split_keeps_every_item_whole_and_in_order() -> None:
    """Splitting never cuts an item: every title appears once, whole, in the original order."""
    reply = _long_digest(60)
    parts = render_messages(reply)
    rendered = "\n".join(json.dumps(p["blocks"]) for p in parts)
    positions = [rendered.find(i.title) for i in reply.sections[0].items]
    assert all(pos >= 0 for pos in positions)
    assert positions == sorted(positions)
    assert parts[1]["text"].endswith("(continued)")


def test_short_digest_is_one_message(digest_store: KnowledgeStore) -> None:
    """The usual digest fits one message."""
    reply = compose_digest(digest_store, dt.date(2026, 3, 30))
    assert len(render_messages(reply)) == 1


async def test_paused_channel_end_to_end(
    fake_slack: FakeSlack, engine: Engine, digest_store: KnowledgeStore, clock: FakeClock
) -> None:
    """not_in_channel from Slack pauses the subscription and DMs the subscriber through chat.postMessage."""
    fake_slack.script["C1"] = ["not_in_channel"]
    book = SqlSubscriptionBook(engine, clock)
    clock.advance(days=-7)
    book.subscribe("slack", "C1", "U42", DigestSchedule())
    book.subscribe("slack", "C2", "U43", DigestSchedule())
    clock.advance(days=7)
    sender = _sender(fake_slack)
    delivery = DigestDelivery(engine, lambda: digest_store, {"slack": sender}, clock=clock)
    report = await delivery.run_once()
    await sender.aclose()
    assert report.outcomes == {("slack", "C1"): "unavailable", ("slack", "C2"): "sent"}
    dms = [m for m in fake_slack.messages if m["channel"] == "U42"]
    assert len(dms) == 1
    assert "C1" in dms[0]["text"]
    assert "paused" in dms[0]["text"]
    assert fake_slack.first_parts() == {"C2": 1}
    paused = book.get("slack", "C1")
    assert paused is not None
    assert paused.paused_reason == "not_in_channel"
