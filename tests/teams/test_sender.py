"""Proactive digests: TeamsSender posts to a stored conversation and classifies failures."""

from __future__ import annotations

import inspect
import json
import socket
from pathlib import Path

import jsonschema
import pytest
from microsoft_agents.activity import Activity

from bot.app import SENDERS_KEY, digest_senders
from bot.deps import Deps
from bot.digest.sender import (
    AmbiguousDelivery,
    ChannelUnavailable,
    DeliveryError,
    Sender,
    TransientDeliveryError,
)
from bot.teams.app import digest_sender
from bot.teams.render import MAX_CARD_BYTES
from bot.teams.sender import TeamsSender
from handlers.reply import Action, ActionKind, ListItem, QuoteBlock, Reply, ReplyKind, Section
from handlers.subscriptions import paused_notice
from tests.teams.conftest import TeamsHarness
from tests.teams.teams_activities import (
    GENERAL_CHANNEL,
    GROUP_CHAT,
    PERSONAL_CHAT,
    USER,
    bot_added_to_group_chat,
    bot_added_to_team,
    personal_message,
)


def digest(sections: int = 2, items_per_section: int = 3) -> Reply:
    """Return a digest-shaped reply (what the digest engine hands a sender)."""
    return Reply(
        kind=ReplyKind.DIGEST,
        title="ChinaBio weekly digest",
        text="What changed in China's cross-border biotech deals this week.",
        sections=[
            Section(
                heading=f"Section {n}",
                text="A paragraph of context. " * 20,
                quotes=[QuoteBlock(quote_id=f"q{n}", text="We move fast.", speaker="Ada Tester")],
                items=[
                    ListItem(
                        title=f"Deal {n}.{i}",
                        subtitle="licence · 2024",
                        action=Action(kind=ActionKind.RUN, label="Open", command=f"deal d{n}{i}"),
                    )
                    for i in range(items_per_section)
                ],
            )
            for n in range(sections)
        ],
        shareable=False,
    )


async def installed(teams: TeamsHarness) -> None:
    """Add the bot to a team and drop the welcome message from the record."""
    await teams.send(bot_added_to_team(teams.connector.url))
    teams.connector.posted.clear()


async def test_teams_sender_is_registered_for_the_digest_engine(teams: TeamsHarness) -> None:
    """Mounting Teams lends the digest engine a Sender whose platform is `teams`."""
    sender = teams.client.server.app[SENDERS_KEY]["teams"]

    assert isinstance(sender, TeamsSender)
    assert sender.platform == "teams"
    assert inspect.iscoroutinefunction(sender.post)
    typed: Sender = sender  # mypy checks TeamsSender against the protocol
    assert typed is sender


async def test_digest_is_posted_proactively_to_the_stored_channel(
    teams: TeamsHarness, card_validator: jsonschema.Draft6Validator
) -> None:
    """post() sends a new (non-reply) message with a valid card to the stored channel."""
    await installed(teams)

    message_id = await teams.bot.sender.post(GENERAL_CHANNEL, digest())

    [posted] = teams.connector.messages()
    assert posted.conversation_id == GENERAL_CHANNEL
    assert posted.reply_to_id is None
    assert message_id == "msg-2"  # the welcome card was msg-1
    [card] = posted.cards
    card_validator.validate(card)
    assert card["body"][0]["inlines"][0]["text"] == "ChinaBio weekly digest"


async def test_long_digest_is_split_into_valid_cards(
    teams: TeamsHarness, card_validator: jsonschema.Draft6Validator
) -> None:
    """A digest too big for one Teams message goes out as several cards, each under the limit."""
    await installed(teams)

    message_id = await teams.bot.sender.post(
        GENERAL_CHANNEL, digest(sections=12, items_per_section=8)
    )

    posts = teams.connector.messages()
    assert len(posts) > 1
    assert message_id == "msg-2"
    for post in posts:
        [card] = post.cards
        card_validator.validate(card)
        assert len(json.dumps(card, ensure_ascii=False).encode()) <= MAX_CARD_BYTES
    headings = [
        block["items"][0]["inlines"][0]["text"]
        for post in posts
        for block in post.cards[0]["body"]
        if block.get("type") == "Container" and block.get("separator")
    ]
    assert headings == [f"Section {n}" for n in range(12)]


async def test_unknown_conversation_is_unavailable(teams: TeamsHarness) -> None:
    """Posting where the bot was never added raises ChannelUnavailable and sends nothing."""
    with pytest.raises(ChannelUnavailable):
        await teams.bot.sender.post("19:never-installed@thread.tacv2", digest())

    assert teams.connector.posted == []


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (403, ChannelUnavailable),
        (404, ChannelUnavailable),
        (429, TransientDeliveryError),
        (503, TransientDeliveryError),
    ],
)
async def test_connector_refusals_are_classified(
    teams: TeamsHarness, status: int, error: type[DeliveryError]
) -> None:
    """403/404 mean the bot is gone from the conversation; 429/5xx are worth retrying."""
    await installed(teams)
    teams.connector.fail_next(status)

    with pytest.raises(error):
        await teams.bot.sender.post(GENERAL_CHANNEL, digest())


async def test_bad_request_is_neither_retryable_nor_channel_gone(teams: TeamsHarness) -> None:
    """A 400 is a plain DeliveryError: not retried, and the subscription is not paused."""
    await installed(teams)
    teams.connector.fail_next(400)

    with pytest.raises(DeliveryError) as caught:
        await teams.bot.sender.post(GENERAL_CHANNEL, digest())

    assert not isinstance(caught.value, TransientDeliveryError | ChannelUnavailable)


async def test_timeout_while_posting_is_ambiguous(teams: TeamsHarness) -> None:
    """If the connector does not answer in time the post may have landed: AmbiguousDelivery."""
    await installed(teams)
    teams.connector.delay_posts(2.0)
    sender = TeamsSender(teams.bot.adapter, teams.bot.conversations, app_id=None, timeout=0.3)

    with pytest.raises(AmbiguousDelivery):
        await sender.post(GENERAL_CHANNEL, digest())


async def test_unreachable_connector_is_transient(teams: TeamsHarness) -> None:
    """A serviceUrl nobody listens on fails before anything is sent: TransientDeliveryError."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead_url = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    teams.bot.conversations.remember(Activity.model_validate(bot_added_to_group_chat(dead_url)))

    with pytest.raises(TransientDeliveryError):
        await teams.bot.sender.post(GROUP_CHAT, digest())


async def test_teams_sender_without_the_http_server(teams: TeamsHarness) -> None:
    """The root reuses the mounted bot's sender; `digest_sender(deps)` builds one for the digest CLI."""
    fresh = Deps(
        settings=teams.deps.settings,
        knowledge=teams.deps.knowledge,
        engine=teams.deps.engine,
        subscriptions=teams.deps.subscriptions,
    )
    await installed(teams)

    standalone = digest_sender(fresh)

    mounted = teams.client.server.app[SENDERS_KEY]
    assert digest_senders(teams.deps, mounted)["teams"] is teams.bot.sender
    assert standalone is not teams.bot.sender
    assert await standalone.post(GENERAL_CHANNEL, digest()) == "msg-2"


async def test_paused_subscriber_is_told_in_their_personal_chat(
    teams: TeamsHarness, card_validator: jsonschema.Draft6Validator
) -> None:
    """notify posts the paused notice into the subscriber's 1:1 chat with the bot."""
    await teams.send(personal_message(teams.connector.url, "help"))
    teams.connector.posted.clear()

    await teams.bot.sender.notify(
        USER["aadObjectId"], paused_notice(GENERAL_CHANNEL, "Teams refused (403)")
    )

    [posted] = teams.connector.messages()
    assert posted.conversation_id == PERSONAL_CHAT
    [card] = posted.cards
    card_validator.validate(card)
    assert GENERAL_CHANNEL in card["fallbackText"]


async def test_pause_notice_is_skipped_without_a_personal_chat(teams: TeamsHarness) -> None:
    """A subscriber who never chatted with the bot 1:1 is not messaged (and nothing fails)."""
    await installed(teams)

    await teams.bot.sender.notify("someone-else", paused_notice(GENERAL_CHANNEL, "gone"))

    assert teams.connector.posted == []


def test_digest_cli_senders_include_teams_when_configured(tmp_path: Path) -> None:
    """With Teams credentials and nothing mounted (the digest CLI), digest_senders builds a Teams sender."""
    from sqlalchemy import create_engine

    from bot.digest.book import SqlSubscriptionBook
    from bot.settings import Settings
    from knowledge.reload import KnowledgeHolder

    engine = create_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    deps = Deps(
        settings=Settings(teams_client_id="app-id", teams_client_secret="s", teams_tenant_id="t"),
        knowledge=KnowledgeHolder(),
        engine=engine,
        subscriptions=SqlSubscriptionBook(engine),
    )
    senders = digest_senders(deps)
    assert senders["teams"].platform == "teams"
    assert "slack" not in senders
