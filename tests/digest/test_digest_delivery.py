"""Delivery: exactly once per channel and week, restarts, catch-up, pausing, retries, rotation."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from sqlalchemy import Engine, select, update

from bot.digest.book import SqlSubscriptionBook
from bot.digest.delivery import DigestDelivery
from bot.digest.sender import AmbiguousDelivery, ChannelUnavailable, TransientDeliveryError
from bot.digest.tables import deliveries
from handlers.context import DigestSchedule
from handlers.subscriptions import paused_notice
from knowledge import KnowledgeStore
from tests.digest.digest_fakes import FakeClock, RecordingSender

MONDAY_9 = DigestSchedule(weekday=0, hour=9, minute=0, tz="UTC")


def _subscribe(book: SqlSubscriptionBook, clock: FakeClock, *channels: str, **kw: object) -> None:
    """Subscribe channels a week before the fake clock's 'now'."""
    now = clock.now
    clock.set(now - dt.timedelta(days=7))
    for channel in channels:
        book.subscribe("slack", channel, "U1", DigestSchedule(**{**MONDAY_9.__dict__, **kw}))  # type: ignore[arg-type]
    clock.set(now)


def _rows(engine: Engine) -> list[tuple[str, str, str]]:
    with engine.connect() as conn:
        return [
            (r.channel, r.period, r.status)
            for r in conn.execute(
                select(deliveries).order_by(deliveries.c.channel, deliveries.c.period)
            )
        ]


def _restart(delivery: DigestDelivery, owner: str) -> DigestDelivery:
    """A new process over the same database (new owner id, same senders and clock)."""
    return DigestDelivery(
        delivery.engine, delivery.knowledge, delivery.senders, clock=delivery.clock, owner=owner
    )


async def test_due_digest_is_posted_once_and_logged(
    delivery: DigestDelivery,
    book: SqlSubscriptionBook,
    clock: FakeClock,
    sender: RecordingSender,
    engine: Engine,
) -> None:
    """At 09:00 on Monday each subscribed channel gets one digest; a second tick posts nothing."""
    _subscribe(book, clock, "C1", "C2")
    report = await delivery.run_once()
    assert sorted(sender.channels()) == ["C1", "C2"]
    assert report.count("sent") == 2
    clock.advance(minutes=1)
    await delivery.run_once()
    assert len(sender.posts) == 2
    assert _rows(engine) == [("C1", "2026-W14", "sent"), ("C2", "2026-W14", "sent")]


async def test_not_due_before_its_time(
    delivery: DigestDelivery, book: SqlSubscriptionBook, clock: FakeClock, sender: RecordingSender
) -> None:
    """A Tuesday subscription posts nothing on Monday, then once on Tuesday at its minute."""
    _subscribe(book, clock, "C1", weekday=1, hour=8, minute=30, tz="Europe/Paris")
    await delivery.run_once()
    assert sender.posts == []
    clock.set(dt.datetime(2026, 3, 31, 6, 29, tzinfo=dt.UTC))  # 08:29 in Paris (summer time)
    await delivery.run_once()
    assert sender.posts == []
    clock.set(dt.datetime(2026, 3, 31, 6, 30, tzinfo=dt.UTC))
    await delivery.run_once()
    assert sender.channels() == ["C1"]


async def test_new_subscription_gets_no_digest_for_a_time_already_past(
    delivery: DigestDelivery, book: SqlSubscriptionBook, clock: FakeClock, sender: RecordingSender
) -> None:
    """Subscribing at 10:00 on a Monday does not trigger that morning's 09:00 digest."""
    clock.set(dt.datetime(2026, 3, 30, 10, 0, tzinfo=dt.UTC))
    book.subscribe("slack", "C1", "U1", MONDAY_9)
    await delivery.run_once()
    assert sender.posts == []


async def test_restart_never_reposts(
    delivery: DigestDelivery, book: SqlSubscriptionBook, clock: FakeClock, sender: RecordingSender
) -> None:
    """A process started after a digest went out (same week) does not post it again."""
    _subscribe(book, clock, "C1")
    await delivery.run_once()
    restarted = _restart(delivery, "r2")
    clock.advance(minutes=5)
    report = await restarted.run_once()
    assert report.outcomes == {}
    assert sender.channels() == ["C1"]


async def test_crash_after_claim_before_send_is_delivered_after_restart(
    delivery: DigestDelivery,
    book: SqlSubscriptionBook,
    clock: FakeClock,
    sender: RecordingSender,
    engine: Engine,
) -> None:
    """A claim whose process died before posting is taken over and posted exactly once."""
    _subscribe(book, clock, "C1")
    with engine.begin() as conn:  # what a process killed right after claiming leaves behind
        conn.execute(
            deliveries.insert().values(
                platform="slack",
                channel="C1",
                period="2026-W14",
                status="claimed",
                owner="dead",
                attempts=0,
                scheduled_for=clock.now,
                claimed_at=clock.now,
            )
        )
    await _restart(delivery, "r2").run_once()
    assert sender.channels() == ["C1"]
    assert _rows(engine) == [("C1", "2026-W14", "sent")]


async def test_crash_mid_send_is_not_reposted_but_marked_ambiguous(
    delivery: DigestDelivery,
    book: SqlSubscriptionBook,
    clock: FakeClock,
    sender: RecordingSender,
    engine: Engine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A send that never finished may have reached Slack: it is never re-posted, later marked ambiguous."""
    _subscribe(book, clock, "C1")
    with engine.begin() as conn:
        conn.execute(
            deliveries.insert().values(
                platform="slack",
                channel="C1",
                period="2026-W14",
                status="sending",
                owner="dead",
                attempts=1,
                scheduled_for=clock.now,
                claimed_at=clock.now,
            )
        )
    restarted = _restart(delivery, "r2")
    await restarted.run_once()
    clock.advance(minutes=11)
    with caplog.at_level(logging.WARNING, logger="bot.digest"):
        await restarted.run_once()
    assert sender.posts == []
    assert _rows(engine) == [("C1", "2026-W14", "ambiguous")]
    assert "never finished: marked ambiguous" in caplog.text


async def test_catch_up_within_grace(
    delivery: DigestDelivery, book: SqlSubscriptionBook, clock: FakeClock, sender: RecordingSender
) -> None:
    """Down from 08:00 to 20:00 on Monday: the 09:00 digest goes out once when the bot is back."""
    _subscribe(book, clock, "C1")
    clock.set(dt.datetime(2026, 3, 30, 20, 0, tzinfo=dt.UTC))
    await delivery.run_once()
    clock.advance(minutes=1)
    await delivery.run_once()
    assert sender.channels() == ["C1"]
    assert sender.posts[0][1].title == "ChinaBio weekly digest — week of 30 March 2026"


async def test_skip_after_grace_with_one_log_line(
    delivery: DigestDelivery,
    book: SqlSubscriptionBook,
    clock: FakeClock,
    sender: RecordingSender,
    engine: Engine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Back 25 h after 09:00 Monday (grace 24 h): nothing is posted, one log line says why; next week is normal."""
    _subscribe(book, clock, "C1")
    clock.set(dt.datetime(2026, 3, 31, 10, 0, tzinfo=dt.UTC))
    with caplog.at_level(logging.WARNING, logger="bot.digest"):
        await delivery.run_once()
        clock.advance(minutes=1)
        await delivery.run_once()
    assert sender.posts == []
    assert caplog.text.count("25.0 h late, past the 24 h grace period") == 1
    assert _rows(engine) == [("C1", "2026-W14", "skipped")]
    clock.set(dt.datetime(2026, 4, 6, 9, 0, tzinfo=dt.UTC))
    await delivery.run_once()
    assert sender.channels() == ["C1"]


async def test_channel_unavailable_pauses_and_tells_the_subscriber(
    delivery: DigestDelivery,
    book: SqlSubscriptionBook,
    clock: FakeClock,
    sender: RecordingSender,
    engine: Engine,
) -> None:
    """not_in_channel pauses the subscription, DMs the subscriber, and later weeks post nothing."""
    _subscribe(book, clock, "C1")
    sender.fail["C1"].append(ChannelUnavailable("not_in_channel"))
    report = await delivery.run_once()
    assert report.outcomes == {("slack", "C1"): "unavailable"}
    assert sender.notified == [("U1", paused_notice("C1", "not_in_channel"))]
    sub = book.get("slack", "C1")
    assert sub is not None
    assert sub.paused_reason == "not_in_channel"
    assert sub.next_digest is None
    clock.set(dt.datetime(2026, 4, 6, 9, 0, tzinfo=dt.UTC))
    await delivery.run_once()
    assert sender.posts == []
    assert _rows(engine) == [("C1", "2026-W14", "unavailable")]


async def test_transient_errors_are_retried_a_bounded_number_of_times(
    delivery: DigestDelivery,
    book: SqlSubscriptionBook,
    clock: FakeClock,
    sender: RecordingSender,
    engine: Engine,
) -> None:
    """A transient failure is retried on later ticks, at most three attempts in all."""
    _subscribe(book, clock, "C1", "C2")
    sender.fail["C1"] += [TransientDeliveryError("503")]
    sender.fail["C2"] += [TransientDeliveryError("503")] * 5
    for _ in range(5):
        await delivery.run_once()
        clock.advance(minutes=1)
    assert sender.channels() == ["C1"]
    with engine.connect() as conn:
        c2 = conn.execute(select(deliveries).where(deliveries.c.channel == "C2")).one()
    assert (c2.status, c2.attempts) == ("failed", 3)
    assert len(sender.fail["C2"]) == 2  # two scripted failures never tried


async def test_ambiguous_result_is_not_retried(
    delivery: DigestDelivery,
    book: SqlSubscriptionBook,
    clock: FakeClock,
    sender: RecordingSender,
    engine: Engine,
) -> None:
    """A timeout after sending is recorded as ambiguous and never posted again automatically."""
    _subscribe(book, clock, "C1")
    sender.fail["C1"].append(AmbiguousDelivery("timeout after sending"))
    await delivery.run_once()
    clock.advance(minutes=1)
    await delivery.run_once()
    assert sender.posts == []
    assert _rows(engine) == [("C1", "2026-W14", "ambiguous")]


async def test_a_replica_that_lost_its_claim_does_not_post(
    delivery: DigestDelivery,
    book: SqlSubscriptionBook,
    clock: FakeClock,
    sender: RecordingSender,
    engine: Engine,
) -> None:
    """If another replica took the claim over before sending began, this one posts nothing."""
    from bot.digest.claims import begin_send, claim_due

    _subscribe(book, clock, "C1")
    claims = claim_due(engine, book.active(), clock.now, delivery.policy)
    with engine.begin() as conn:
        conn.execute(update(deliveries).values(owner="other"))
    with engine.begin() as conn:
        assert begin_send(conn, claims[0], delivery.owner, clock.now) is False


async def test_quote_history_rotates_quotes_per_channel(
    delivery: DigestDelivery, book: SqlSubscriptionBook, clock: FakeClock, sender: RecordingSender
) -> None:
    """Week after week a channel gets quotes it has not had recently, from its history in the DB."""
    _subscribe(book, clock, "C1")
    seen: list[set[str]] = []
    for week in range(2):
        clock.set(dt.datetime(2026, 3, 30, 9, 0, tzinfo=dt.UTC) + dt.timedelta(weeks=week))
        await delivery.run_once()
        reply = sender.posts[-1][1]
        seen.append({q.quote_id for s in reply.sections for q in s.quotes})
    assert len(sender.posts) == 2
    assert len(seen[0]) == 2
    assert len(seen[1]) == 2
    assert not seen[0] & seen[1]


async def test_changes_section_uses_the_last_delivered_knowledge(
    engine: Engine,
    digest_store: KnowledgeStore,
    book: SqlSubscriptionBook,
    clock: FakeClock,
    sender: RecordingSender,
) -> None:
    """After the knowledge gains a deal, the next digest lists it as new (fingerprints stored per delivery)."""
    older = KnowledgeStore.build(
        [e for e in digest_store.entities.values() if e.id != "bayer-puhe-prmt5"], version="v-old"
    )
    current = {"store": older}
    delivery = DigestDelivery(
        engine, lambda: current["store"], {"slack": sender}, clock=clock, owner="r1"
    )
    _subscribe(book, clock, "C1")
    await delivery.run_once()
    first = sender.posts[-1][1]
    assert not any(s.heading.startswith("New or changed") for s in first.sections)
    current["store"] = digest_store
    clock.advance(weeks=1)
    await delivery.run_once()
    second = sender.posts[-1][1]
    changes = next(s for s in second.sections if s.heading.startswith("New or changed"))
    assert [i.title for i in changes.items] == ["New deal: Bayer licenses Puhe's PRMT5 inhibitor"]


async def test_missing_sender_fails_without_retry(
    engine: Engine, digest_store: KnowledgeStore, book: SqlSubscriptionBook, clock: FakeClock
) -> None:
    """A subscription on a platform with no sender configured is logged as failed, not retried forever."""
    delivery = DigestDelivery(engine, lambda: digest_store, {}, clock=clock, owner="r1")
    _subscribe(book, clock, "C1")
    report = await delivery.run_once()
    assert report.outcomes == {("slack", "C1"): "failed"}
    clock.advance(minutes=1)
    assert (await delivery.run_once()).outcomes == {}


async def test_send_now_posts_outside_the_schedule_and_keeps_the_weekly_one(
    delivery: DigestDelivery, book: SqlSubscriptionBook, clock: FakeClock, sender: RecordingSender
) -> None:
    """`digest send` posts at once under its own key; the weekly digest still goes out."""
    _subscribe(book, clock, "C1")
    clock.set(dt.datetime(2026, 3, 29, 12, 0, tzinfo=dt.UTC))
    report = await delivery.send_now("C1")
    assert report.outcomes == {("slack", "C1"): "sent"}
    clock.set(dt.datetime(2026, 3, 30, 9, 0, tzinfo=dt.UTC))
    await delivery.run_once()
    assert sender.channels() == ["C1", "C1"]
