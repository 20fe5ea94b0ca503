"""`subscribe`, `unsubscribe` and `subscriptions` as a channel types them."""

from __future__ import annotations

import dataclasses

import pytest

from bot.digest.book import SqlSubscriptionBook
from handlers.context import AskContext
from handlers.reply import ReplyKind
from handlers.subscriptions import handle_subscription_command
from knowledge import KnowledgeStore
from tests.digest.digest_fakes import FakeClock


def test_subscribe_defaults_to_monday_nine_utc_and_says_so(
    ctx: AskContext, digest_store: KnowledgeStore, book: SqlSubscriptionBook
) -> None:
    """A bare `subscribe` with no known user zone means Monday 09:00 UTC, and the reply says UTC."""
    reply = handle_subscription_command("subscribe", digest_store, ctx)
    assert reply.kind is ReplyKind.SUBSCRIPTION
    assert "UTC" in (reply.text or "")
    sub = book.get("slack", "C1")
    assert sub is not None
    assert (sub.schedule.weekday, sub.schedule.hour, sub.schedule.minute, sub.schedule.tz) == (
        0,
        9,
        0,
        "UTC",
    )
    # 09:00 on Monday 30 March has just passed: the next digest is a week later.
    assert sub.next_digest is not None
    assert sub.next_digest.isoformat() == "2026-04-06T09:00:00+00:00"
    assert "Monday 6 April 2026, 09:00 UTC" in reply.text


def test_subscribe_uses_the_users_time_zone_when_known(
    ctx: AskContext, digest_store: KnowledgeStore, book: SqlSubscriptionBook
) -> None:
    """Without a zone in the command, the asker's zone is used and named in the answer."""
    reply = handle_subscription_command(
        "subscribe", digest_store, dataclasses.replace(ctx, user_tz="Asia/Shanghai")
    )
    sub = book.get("slack", "C1")
    assert sub is not None
    assert sub.schedule.tz == "Asia/Shanghai"
    assert "your time zone, Asia/Shanghai" in (reply.text or "")


def test_subscribe_with_day_time_zone_and_topics(
    ctx: AskContext, digest_store: KnowledgeStore, book: SqlSubscriptionBook
) -> None:
    """`subscribe weekly tue 08:30 Europe/Paris topics:ADC,oncology` stores all four parts."""
    reply = handle_subscription_command(
        "subscribe weekly tue 08:30 Europe/Paris topics:ADC,oncology", digest_store, ctx
    )
    sub = book.get("slack", "C1")
    assert sub is not None
    assert sub.schedule.weekday == 1
    assert (sub.schedule.hour, sub.schedule.minute) == (8, 30)
    assert sub.schedule.tz == "Europe/Paris"
    assert sub.schedule.topics == ("adc", "oncology")
    assert sub.next_digest is not None
    assert sub.next_digest.isoformat() == "2026-03-31T08:30:00+02:00"
    assert any(f.value == "ADC, Oncology" for f in reply.facts)


def test_topics_may_come_first_and_subject_words_are_accepted(
    ctx: AskContext, digest_store: KnowledgeStore, book: SqlSubscriptionBook
) -> None:
    """`topics:small molecule fri 7am` keeps a subject word as a topic and the rest as schedule."""
    handle_subscription_command("subscribe topics: small molecule fri 7am", digest_store, ctx)
    sub = book.get("slack", "C1")
    assert sub is not None
    assert sub.schedule.topics == ("small molecule",)
    assert (sub.schedule.weekday, sub.schedule.hour) == (4, 7)


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("subscribe weekly tusday 08:30", "Did you mean Tuesday?"),
        ("subscribe weekly tue 25:00", "'25:00' is not a time"),
        ("subscribe weekly tue 8", "'8' is not a time"),
        ("subscribe weekly tue 08:30 Europe/Pariss", "Did you mean Europe/Paris?"),
        ("subscribe weekly tue 08:30 Mars/Olympus", "is not a time zone I know"),
        ("subscribe daily 08:30", "Digests are weekly"),
        ("subscribe topics:ADCC", "No topic 'ADCC'"),
        ("subscribe topics:", "Name at least one topic"),
        ("subscribe mon tue", "one day of the week"),
        ("subscribe blorp", "I don't understand 'blorp'"),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(
    ctx: AskContext,
    digest_store: KnowledgeStore,
    book: SqlSubscriptionBook,
    command: str,
    message: str,
) -> None:
    """Unknown days, times, zones or topics are explained; the existing subscription stays."""
    handle_subscription_command("subscribe wed 10:00 Asia/Tokyo", digest_store, ctx)
    before = book.get("slack", "C1")
    reply = handle_subscription_command(command, digest_store, ctx)
    assert reply.kind is ReplyKind.ERROR
    assert message in (reply.text or "")
    assert book.get("slack", "C1") == before


def test_resubscribing_replaces_and_says_what_it_replaced(
    ctx: AskContext, digest_store: KnowledgeStore, book: SqlSubscriptionBook
) -> None:
    """Subscribing again replaces the schedule (one subscription per channel) and says so."""
    handle_subscription_command("subscribe wed 10:00 Asia/Tokyo", digest_store, ctx)
    reply = handle_subscription_command("subscribe fri 16:00 UTC", digest_store, ctx)
    assert "replaces the previous schedule (Wednesdays at 10:00 Asia/Tokyo)" in (reply.text or "")
    sub = book.get("slack", "C1")
    assert sub is not None
    assert sub.schedule.weekday == 4


def test_unsubscribe_and_list(
    ctx: AskContext, digest_store: KnowledgeStore, clock: FakeClock
) -> None:
    """`subscriptions` shows the schedule and next digest; `unsubscribe` removes it; both say when there is none."""
    empty = handle_subscription_command("subscriptions", digest_store, ctx)
    assert empty.title == "No digest subscription in this channel"
    handle_subscription_command(
        "subscribe thu 14:15 America/New_York topics:NewCo", digest_store, ctx
    )
    listed = handle_subscription_command("subscriptions", digest_store, ctx)
    facts = {f.label: f.value for f in listed.facts}
    assert facts["When"] == "weekly, Thursdays at 14:15 America/New_York"
    assert facts["Topics"] == "NewCo"
    assert facts["Next digest"] == "Thursday 2 April 2026, 14:15 EDT"
    gone = handle_subscription_command("unsubscribe", digest_store, ctx)
    assert gone.title == "Unsubscribed"
    again = handle_subscription_command("unsubscribe", digest_store, ctx)
    assert again.title == "This channel has no digest subscription"


def test_paused_subscription_is_listed_as_paused_and_resumed_by_subscribing(
    ctx: AskContext, digest_store: KnowledgeStore, book: SqlSubscriptionBook
) -> None:
    """A paused channel's listing says why and how to resume; `subscribe` resumes it."""
    handle_subscription_command("subscribe", digest_store, ctx)
    book.pause("slack", "C1", "not_in_channel")
    listed = handle_subscription_command("subscriptions", digest_store, ctx)
    assert "Paused" in (listed.text or "")
    assert {f.label: f.value for f in listed.facts}["Status"] == "paused (not_in_channel)"
    handle_subscription_command("subscribe", digest_store, ctx)
    sub = book.get("slack", "C1")
    assert sub is not None
    assert sub.paused_reason is None
    assert sub.next_digest is not None


def test_without_a_book_the_handler_explains(digest_store: KnowledgeStore) -> None:
    """Where digests are not available (CLI), subscribing says so instead of failing."""
    reply = handle_subscription_command("subscribe", digest_store, AskContext(platform="cli"))
    assert reply.title == "Digests are not available here"
