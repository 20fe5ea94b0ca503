"""The App Home tab: what the bot does, commands to try, the latest digest and subscribed channels."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from bot.deps import Deps
from bot.digest.overview import latest_sent, subscribed_channels
from bot.slack.render import RUN_ACTION_ID, Audience, escape, render_message
from handlers.curation import CurationSummary
from handlers.curation_replies import summary_reply
from knowledge import KnowledgeStore

log = logging.getLogger(__name__)

#: The Home tab's "Ask a question" button, which opens the Ask dialog.
OPEN_ASK_ACTION = "chinabio_ask_open"

EXAMPLES = (
    ("deal Puhe", "a deal card: parties, money, dates, source"),
    ("any quote from Irene Hong?", "a verbatim quote, who said it and where"),
    ("help", "every command, with examples"),
)


@dataclass(frozen=True)
class DigestOverview:
    """What the Home tab says about digests in this workspace."""

    latest: str | None = None  # "2026-W14 to <#C123> (sent 2026-04-06 09:00 UTC)"
    channels: tuple[str, ...] = ()  # channel ids with a subscription
    channels_known: bool = True  # False when the reader cannot tell which are this workspace's


def read_digest_overview(deps: Deps) -> DigestOverview:
    """Return what the digest tables say for this install; an empty overview if they cannot."""
    try:
        return _overview(deps.engine, multi_workspace=deps.settings.slack_oauth_enabled)
    except Exception:  # the database may be down
        log.warning("could not read the digest tables for the Home tab", exc_info=True)
        return DigestOverview()


def _overview(engine: Engine, *, multi_workspace: bool) -> DigestOverview:
    if multi_workspace:  # channel ids carry no team: never list another workspace's
        return DigestOverview(channels_known=False)
    latest = latest_sent(engine, "slack")
    described = None
    if latest is not None:
        when = f" (sent {latest.finished_at:%Y-%m-%d %H:%M})" if latest.finished_at else ""
        described = f"{latest.period} to <#{latest.channel}>{when}"
    return DigestOverview(latest=described, channels=subscribed_channels(engine, "slack"))


def home_view(overview: DigestOverview) -> dict[str, Any]:
    """Return the Home tab view for views.publish."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "ChinaBio bot"}},
        _mrkdwn(
            "Answers business-development questions about China's cross-border biotech deals "
            "from a curated knowledge store: deals, companies, people, verbatim quotes, trends "
            "and statistics. Every answer cites its source; nothing is invented."
        ),
        _mrkdwn(
            "*Ask* with `/chinabio …` anywhere (only you see the answer, with a button to share "
            "it), by mentioning `@chinabio` in a channel (answered in a thread), or here in "
            "Messages."
        ),
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": OPEN_ASK_ACTION,
                    "style": "primary",
                    "text": {"type": "plain_text", "text": "Ask a question"},
                }
            ],
        },
        {"type": "divider"},
        {"type": "header", "text": {"type": "plain_text", "text": "Try"}},
    ]
    for command, what in EXAMPLES:
        blocks.append(
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": f"`/chinabio {escape(command)}`\n{what}"},
                "accessory": {
                    "type": "button",
                    "action_id": f"{RUN_ACTION_ID}_home_{len(blocks)}",
                    "text": {"type": "plain_text", "text": "Try it"},
                    "value": command,
                },
            }
        )
    blocks += [
        {"type": "divider"},
        {"type": "header", "text": {"type": "plain_text", "text": "Weekly digests"}},
        _mrkdwn(f"Latest digest: {overview.latest}" if overview.latest else "No digests yet."),
        _mrkdwn(_channels_text(overview)),
        _mrkdwn("Type `/chinabio subscribe` in a channel to get a digest there every Monday."),
    ]
    return {"type": "home", "blocks": blocks}


def _channels_text(overview: DigestOverview) -> str:
    if not overview.channels_known:
        return "Type `/chinabio subscriptions` in a channel to see its digest subscription."
    if not overview.channels:
        return "No channel is subscribed yet."
    return "Subscribed channels: " + ", ".join(f"<#{c}>" for c in overview.channels)


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def curation_blocks(summary: CurationSummary, store: KnowledgeStore) -> list[dict[str, Any]]:
    """Return the curators' part of the Home tab: the week's counts and the latest reports."""
    reply = summary_reply(summary, store)
    return [{"type": "divider"}, *render_message(reply, Audience.PUBLIC)["blocks"]]
