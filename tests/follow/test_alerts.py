"""Alerts through the scheduler's tick: follow, a curator's edit reloaded, one message per channel."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, select

from bot.digest.alerts import AlertDelivery
from bot.digest.book import SqlSubscriptionBook
from bot.digest.delivery import DigestDelivery
from bot.digest.follow_lead import FollowLead
from bot.digest.follows import SqlFollowBook
from bot.digest.history import load_histories
from bot.digest.leader import LocalLeaderLock
from bot.digest.scheduler import DigestRuntime
from bot.digest.tables import deliveries
from bot.digest.versions import changes_since, record_version
from bot.plaintext import render_text
from handlers import AskContext, answer
from handlers.context import DigestSchedule
from knowledge.reload import KnowledgeHolder
from tests.digest.digest_fakes import FakeClock, RecordingSender
from tests.follow.edits import add_adc_deal, complete_bayer_deal


def _runtime(delivery: DigestDelivery) -> DigestRuntime:
    runtime = DigestRuntime(delivery, LocalLeaderLock())
    runtime.after_tick.append(AlertDelivery(delivery).run_once)
    return runtime


def _follow(book: SqlFollowBook, holder: KnowledgeHolder, channel: str, *commands: str) -> None:
    ctx = AskContext(platform="slack", user_id="U1", conversation_id=channel, follows=book)
    for command in commands:
        reply = answer(command, holder.store, ctx)
        assert reply.title.startswith("Following") or reply.title.startswith("Alerts"), reply


async def test_an_edit_sends_one_alert_to_each_channel_it_concerns(
    folder: Path,
    holder: KnowledgeHolder,
    follow_book: SqlFollowBook,
    delivery: DigestDelivery,
    sender: RecordingSender,
    clock: FakeClock,
) -> None:
    """Two edits reloaded: Bayer's and ADC's followers hear once each; others hear nothing."""
    _follow(follow_book, holder, "C-BAYER", "follow company Bayer")
    _follow(follow_book, holder, "C-ADC", "follow modality ADC")
    _follow(follow_book, holder, "C-BOTH", "follow company Bayer", "follow topic ADC")
    _follow(follow_book, holder, "C-SERVIER", "follow company Servier")
    _follow(follow_book, holder, "C-LATER", "follow company Bayer", "alerts in digest")
    _follow(follow_book, holder, "C-OFF", "follow company Bayer", "alerts off")
    runtime = _runtime(delivery)
    await runtime.tick()  # the version served at start-up is recorded: nothing to announce
    assert sender.posts == []

    complete_bayer_deal(folder)
    add_adc_deal(folder)
    assert holder.reload().ok
    clock.advance(minutes=1)
    await runtime.tick()
    clock.advance(minutes=1)
    await runtime.tick()

    posts = dict(sender.posts)
    assert sorted(sender.channels()) == ["C-ADC", "C-BAYER", "C-BOTH"]
    bayer = render_text(posts["C-BAYER"])
    assert "Changed: Bayer licenses Puhe's PRMT5 inhibitor status" in bayer
    assert "LegoChem on a second ADC" not in bayer
    assert "Because this conversation follows Bayer." in bayer
    adc = render_text(posts["C-ADC"])
    assert "New deal: J&J and LegoChem on a second ADC" in adc
    assert "Bayer" not in adc
    both = posts["C-BOTH"]
    assert [i.title for i in both.items] == [
        "New deal: J&J and LegoChem on a second ADC",
        "Changed: Bayer licenses Puhe's PRMT5 inhibitor status",
    ]
    assert both.items[0].action is not None
    assert both.items[0].action.command == "deal jnj-legochem-second-adc"


async def test_a_new_replica_or_restart_does_not_repeat_an_alert(
    folder: Path,
    engine: Engine,
    holder: KnowledgeHolder,
    follow_book: SqlFollowBook,
    delivery: DigestDelivery,
    sender: RecordingSender,
    clock: FakeClock,
) -> None:
    """A second delivery engine (another replica, or after a restart) finds the alert sent."""
    _follow(follow_book, holder, "C-BAYER", "follow company Bayer")
    await _runtime(delivery).tick()
    complete_bayer_deal(folder)
    holder.reload()
    await _runtime(delivery).tick()
    again = DigestDelivery(engine, lambda: holder.store, {"slack": sender}, clock=clock, owner="r2")
    await _runtime(again).tick()
    assert sender.channels() == ["C-BAYER"]
    with engine.connect() as conn:
        rows = conn.execute(select(deliveries.c.period, deliveries.c.status)).all()
    assert [(r.period.startswith("alert-"), r.status) for r in rows] == [(True, "sent")]


async def test_a_stale_replica_never_announces_the_change_backwards(
    folder: Path,
    engine: Engine,
    holder: KnowledgeHolder,
    follow_book: SqlFollowBook,
    delivery: DigestDelivery,
    sender: RecordingSender,
    clock: FakeClock,
) -> None:
    """A replica still serving the older knowledge after the edit was announced sends nothing."""
    stale = KnowledgeHolder(folder)
    _follow(follow_book, holder, "C-BAYER", "follow company Bayer")
    await _runtime(delivery).tick()
    complete_bayer_deal(folder)
    holder.reload()
    await _runtime(delivery).tick()
    old = DigestDelivery(engine, lambda: stale.store, {"slack": sender}, clock=clock, owner="old")
    await _runtime(old).tick()
    assert sender.channels() == ["C-BAYER"]


async def test_an_alert_is_not_the_last_digest(
    folder: Path,
    engine: Engine,
    holder: KnowledgeHolder,
    follow_book: SqlFollowBook,
    delivery: DigestDelivery,
    clock: FakeClock,
) -> None:
    """The digest's history ("since your last digest") ignores alerts in the delivery log."""
    _follow(follow_book, holder, "C-BAYER", "follow company Bayer")
    await _runtime(delivery).tick()
    complete_bayer_deal(folder)
    holder.reload()
    await _runtime(delivery).tick()
    history = load_histories(engine, [("slack", "C-BAYER")], clock())[("slack", "C-BAYER")]
    assert history.last_digest is None


async def test_changes_since_a_version_lists_added_changed_and_removed(
    folder: Path, engine: Engine, holder: KnowledgeHolder, delivery: DigestDelivery
) -> None:
    """What the digest will ask: what changed since the version its last digest used."""
    first = holder.store.version
    await _runtime(delivery).tick()  # records the first version
    complete_bayer_deal(folder)
    add_adc_deal(folder)
    text = (folder / "knowledge.yaml").read_text()
    (folder / "knowledge.yaml").write_text(
        text.replace("  - id: wang-timing\n", "  - id: wang-timing-gone\n", 1)
    )
    assert holder.reload().ok
    change = changes_since(engine, first, holder.store)
    assert change is not None
    assert [s.entity_id for s in change.added] == ["jnj-legochem-second-adc", "wang-timing-gone"]
    assert [(c.after.entity_id, c.fields) for c in change.changed] == [
        ("bayer-puhe-prmt5", ["status"])
    ]
    assert [s.entity_id for s in change.removed] == ["wang-timing"]
    assert changes_since(engine, "never-served", holder.store) is None


async def test_a_transient_failure_is_retried_at_the_next_tick(
    folder: Path,
    holder: KnowledgeHolder,
    follow_book: SqlFollowBook,
    delivery: DigestDelivery,
    sender: RecordingSender,
    clock: FakeClock,
) -> None:
    """Slack failing once (5xx) leaves the alert to the next tick, which posts it once."""
    from bot.digest.sender import TransientDeliveryError

    _follow(follow_book, holder, "C-BAYER", "follow company Bayer")
    runtime = _runtime(delivery)
    await runtime.tick()
    complete_bayer_deal(folder)
    holder.reload()
    sender.fail["C-BAYER"].append(TransientDeliveryError("503"))
    await runtime.tick()
    assert sender.posts == []
    clock.advance(minutes=1)
    await runtime.tick()
    clock.advance(minutes=1)
    await runtime.tick()
    assert sender.channels() == ["C-BAYER"]


async def test_alerts_older_than_the_grace_period_are_skipped(
    folder: Path,
    engine: Engine,
    holder: KnowledgeHolder,
    follow_book: SqlFollowBook,
    delivery: DigestDelivery,
    sender: RecordingSender,
    clock: FakeClock,
) -> None:
    """An edit recorded two days ago whose alerts no leader sent is not announced that late."""
    _follow(follow_book, holder, "C-BAYER", "follow company Bayer")
    record_version(engine, holder.store, clock())
    complete_bayer_deal(folder)
    holder.reload()
    record_version(engine, holder.store, clock())  # a replica recorded it, then went away
    clock.advance(days=2)
    report = await AlertDelivery(delivery).run_once()
    assert report.outcomes == {}
    assert sender.posts == []
    with engine.connect() as conn:
        assert conn.execute(select(deliveries.c.status)).scalars().all() == ["skipped"]


async def test_in_digest_channels_get_what_they_follow_in_the_next_digest(
    folder: Path,
    engine: Engine,
    holder: KnowledgeHolder,
    follow_book: SqlFollowBook,
    sender: RecordingSender,
    clock: FakeClock,
) -> None:
    """`alerts in digest`: no alert, and next week's digest has "What you follow"; all get what is new."""
    subscriptions = SqlSubscriptionBook(engine, clock)
    clock.advance(days=-1)
    for channel in ("C-LATER", "C-NOW"):
        subscriptions.subscribe("slack", channel, "U1", DigestSchedule())
    subscriptions.subscribe("slack", "C-ADC", "U1", DigestSchedule(topics=("adc",)))
    clock.advance(days=1)
    _follow(follow_book, holder, "C-LATER", "follow company Bayer", "alerts in digest")
    _follow(follow_book, holder, "C-NOW", "follow company Bayer")
    delivery = DigestDelivery(
        engine, lambda: holder.store, {"slack": sender}, clock=clock, lead=FollowLead(engine, ttl=0)
    )
    runtime = _runtime(delivery)
    await runtime.tick()  # this week's digests, and the version they used
    complete_bayer_deal(folder)
    holder.reload()
    await runtime.tick()  # the alert for C-NOW
    clock.advance(days=7)
    await runtime.tick()  # next week's digests

    got = [(channel, reply.kind.value) for channel, reply in sender.posts]
    week = [("C-ADC", "digest"), ("C-LATER", "digest"), ("C-NOW", "digest")]
    assert sorted(got[:3]) == sorted(got[4:]) == week
    assert got[3] == ("C-NOW", "alert")
    week_two = dict(sender.posts[4:])
    later, now = week_two["C-LATER"], week_two["C-NOW"]
    [followed] = [s for s in later.sections if s.heading == "What you follow"]
    assert [i.title for i in followed.items] == [
        "Changed: Bayer licenses Puhe's PRMT5 inhibitor status"
    ]
    assert "What you follow" not in [s.heading for s in now.sections]
    for digest in (later, now):  # both hear what is new, with the field that changed
        [news] = [s for s in digest.sections if s.heading == "What's new in the knowledge"]
        assert [i.title for i in news.items] == [
            "Changed: Bayer licenses Puhe's PRMT5 inhibitor status"
        ]
        assert "New or changed since your last digest" not in [s.heading for s in digest.sections]
    adc = week_two["C-ADC"]
    assert "What's new in the knowledge" not in [s.heading for s in adc.sections]  # not about ADC
