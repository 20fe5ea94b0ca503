"""Small pieces: Slack text to plain text, message shaping, the seen-ids table."""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

import pytest

import bot.schema  # noqa: F401  (registers the tables on the metadata)
from bot.db.engine import make_engine, metadata
from bot.settings import Settings
from bot.slack.app import SlackConfigError, check_settings
from bot.slack.dedupe import SeenIds
from bot.slack.home import DigestOverview, home_view
from bot.slack.oauth import authorization_url
from bot.slack.redact import RedactSecrets
from bot.slack.render import Audience, render_message, render_messages
from bot.slack.text import plain_text, without_leading_mention
from handlers.reply import Reply, ReplyKind


@pytest.mark.parametrize(
    ("slack_text", "plain"),
    [
        ("deal Puhe", "deal Puhe"),
        ("J&amp;J &lt;deals&gt;", "J&J <deals>"),
        ("see <https://example.com|the report>", "see the report"),
        ("see <https://example.com>", "see https://example.com"),
        ("ask <@U123|irene>", "ask irene"),
        ("<!channel> hi", "@channel hi"),
        ("mail <mailto:a@b.c|a@b.c>", "mail a@b.c"),
    ],
)
def test_plain_text_reads_slack_markup_as_typed(slack_text: str, plain: str) -> None:
    """Links, mentions and entities in Slack text become what the person typed."""
    assert plain_text(slack_text) == plain


def test_leading_mention_is_removed_only_at_the_start() -> None:
    """`<@BOT> deal Puhe` loses the mention; a mention later in the text stays."""
    assert without_leading_mention("<@UBOT>  deal Puhe") == "deal Puhe"
    assert without_leading_mention("<@UBOT>: quote <@U2>") == "quote <@U2>"
    assert without_leading_mention("deal <@UBOT>") == "deal <@UBOT>"


def _reply(**kwargs: object) -> Reply:
    return Reply(kind=ReplyKind.DEAL, title="Bayer licenses Puhe's PRMT5 inhibitor", **kwargs)  # type: ignore[arg-type]


def test_private_message_share_button_carries_the_command() -> None:
    """A shareable private answer gets exactly one Share button whose value is the command."""
    message = render_message(_reply(command="deal J&J"), Audience.PRIVATE)
    shares = [
        e
        for b in message["blocks"]
        for e in b.get("elements", [])
        if e.get("action_id", "").startswith("chinabio_share")
    ]
    assert [plain_text(s["value"]) for s in shares] == ["deal J&J"]


def test_unshareable_reply_has_no_share_button() -> None:
    """A reply marked shareable=False (e.g. a subscription change) offers no Share."""
    reply = _reply(shareable=False, command="x")
    assert "chinabio_share" not in json.dumps(render_message(reply, Audience.PRIVATE))


def test_public_and_shared_messages_drop_share_and_name_the_sharer() -> None:
    """Public posts carry no Share; a shared post says who shared it."""
    reply = _reply(command="deal Puhe")
    assert "chinabio_share" not in json.dumps(render_messages(reply, Audience.PUBLIC))
    shared = render_messages(reply, Audience.SHARED, shared_by="U42")
    assert "Shared by <@U42>" in json.dumps(shared[-1])
    assert "chinabio_share" not in json.dumps(shared)


def test_public_message_with_only_share_to_offer_has_no_buttons() -> None:
    """A reply whose only button would be Share renders no actions block for everyone."""
    reply = _reply(command="deal Puhe")
    assert [b["type"] for b in render_message(reply, Audience.PRIVATE)["blocks"]][-1] == "actions"
    public = render_message(reply, Audience.PUBLIC)["blocks"]
    # Only the rating buttons every answer carries (tests/slack/test_slack_curation.py).
    assert [b.get("block_id") for b in public if b["type"] == "actions"] == ["chinabio_feedback"]


def test_seen_ids_claim_once_and_purge_expired(tmp_path: Path) -> None:
    """A key is claimed once; after expiry it is purged and can be claimed again."""
    engine = make_engine(f"sqlite:///{tmp_path / 'seen.db'}")
    metadata.create_all(engine)
    seen = SeenIds(engine, keep=dt.timedelta(seconds=-1), purge_every=3600)
    assert seen.claim("event:Ev1") is True
    assert seen.claim("event:Ev1") is False
    assert seen.purge() == 1
    assert seen.claim("event:Ev1") is True


def test_home_view_lists_subscribed_channels_and_latest_digest() -> None:
    """The Home tab shows the latest digest and subscribed channels when there are some."""
    view = json.dumps(home_view(DigestOverview(latest="2026-W14 to <#C1>", channels=("C1", "C2"))))
    assert "Latest digest: 2026-W14 to <#C1>" in view
    assert "<#C1>, <#C2>" in view
    assert "No digests yet" not in view


def test_authorization_url_follows_the_api_host() -> None:
    """The Add to Slack link uses the same host as SLACK_API_URL (GovSlack, fakes)."""
    assert authorization_url("https://slack.com/api/") == "https://slack.com/oauth/v2/authorize"
    assert (
        authorization_url("https://slack-gov.com/api") == "https://slack-gov.com/oauth/v2/authorize"
    )


def test_redaction_hides_tokens_and_configured_secrets() -> None:
    """Slack tokens of every kind and the configured secrets never survive a log record."""
    redactor = RedactSecrets(["s3cret-signing", None, "abc"])
    record = logging.LogRecord(
        "slack_sdk.web.async_base_client",
        logging.DEBUG,
        __file__,
        1,
        "body: %s",
        ({"access_token": "xoxb-1-2-abc", "app": "xapp-1-A1-x", "r": "xoxe.xoxp-1-q"},),
        None,
    )
    assert redactor.filter(record) is True
    message = record.getMessage()
    assert "xoxb-" not in message
    assert "xapp-" not in message
    assert "xoxe." not in message
    assert redactor.redact("secret is s3cret-signing") == "secret is [redacted]"
    assert (
        redactor.redact("abc stays: too short to be a secret")
        == "abc stays: too short to be a secret"
    )


@pytest.mark.parametrize(
    ("overrides", "says"),
    [
        ({"slack_bot_token": None, "slack_app_token": "xapp-1"}, "SLACK_BOT_TOKEN"),
        ({"slack_signing_secret": None}, "SLACK_SIGNING_SECRET"),
    ],
)
def test_unworkable_slack_settings_are_refused_with_what_to_set(
    overrides: dict[str, object], says: str
) -> None:
    """Socket Mode without a bot token, or HTTP without a signing secret, fails with a clear message."""
    base = Settings(slack_bot_token="xoxb-1", slack_signing_secret="secret-123456")
    with pytest.raises(SlackConfigError, match=says):
        check_settings(base.model_copy(update=overrides))
