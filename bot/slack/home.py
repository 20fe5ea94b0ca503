"""The App Home tab: what the bot does, commands to try, the latest digest and subscribed channels."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select

from bot.db.engine import metadata
from bot.deps import Deps
from bot.slack.render import RUN_ACTION_ID, escape

log = logging.getLogger(__name__)

#: The Home tab's "Ask a question" button, which opens the Ask dialog.
OPEN_ASK_ACTION = "chinabio_ask_open"

#: deps.extras key where the digest work may put a `DigestOverviewReader`.
DIGEST_OVERVIEW_KEY = "digest_overview"
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


#: Given the platform and team id, describe the digests; the digest work can lend one.
DigestOverviewReader = Callable[[str, str | None], DigestOverview]


def read_digest_overview(deps: Deps, team_id: str | None) -> DigestOverview:
    """Return the digest overview from the digest work's reader, else from its tables if present."""
    reader = deps.extras.get(DIGEST_OVERVIEW_KEY)
    if callable(reader):
        overview: DigestOverview = reader("slack", team_id)
        return overview
    try:
        return _overview_from_tables(deps.engine, multi_workspace=deps.settings.slack_oauth_enabled)
    except Exception:  # the digest tables may not exist yet, or the database may be down
        log.warning("could not read the digest tables for the Home tab", exc_info=True)
        return DigestOverview()


def _overview_from_tables(engine: Engine, *, multi_workspace: bool) -> DigestOverview:
    subscriptions = metadata.tables.get("digest_subscriptions")
    deliveries = metadata.tables.get("digest_deliveries")
    if subscriptions is None or deliveries is None:
        return DigestOverview()
    with engine.connect() as conn:
        channels: tuple[str, ...] = ()
        if not multi_workspace:  # channel ids carry no team: never list another workspace's
            rows = conn.execute(
                select(subscriptions.c.channel)
                .where(subscriptions.c.platform == "slack")
                .order_by(subscriptions.c.channel)
            )
            channels = tuple(str(row.channel) for row in rows)
        latest = conn.execute(
            select(deliveries.c.channel, deliveries.c.period, deliveries.c.finished_at)
            .where(deliveries.c.platform == "slack", deliveries.c.status == "sent")
            .order_by(deliveries.c.finished_at.desc())
            .limit(1)
        ).first()
    described = None
    if latest is not None and not multi_workspace:
        when = f" (sent {latest.finished_at:%Y-%m-%d %H:%M})" if latest.finished_at else ""
        described = f"{latest.period} to <#{latest.channel}>{when}"
    return DigestOverview(latest=described, channels=channels, channels_known=not multi_workspace)


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
