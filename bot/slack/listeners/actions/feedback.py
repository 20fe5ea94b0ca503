"""The curation buttons under an answer: 👍 stores a rating, 👎 and Report outdated open a form."""

from __future__ import annotations

import html
import json
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.asking import Asker
from bot.curation.desk import CurationDesk
from bot.deps import Deps
from bot.slack.curation_views import feedback_view, outdated_view, proposal_view
from bot.slack.errors import guarded
from bot.slack.listeners.acks import ack_now
from bot.slack.render import (
    FEEDBACK_DOWN_ACTION_ID,
    FEEDBACK_UP_ACTION_ID,
    OUTDATED_ACTION_ID,
    PROPOSE_ACTION_ID,
    Audience,
    render_message,
)
from bot.slack.workspace import workspace_of
from handlers.context import StoreUnavailable
from handlers.curation import Feedback
from handlers.curation_replies import thanks_reply
from handlers.proposals import form_kind

UNAVAILABLE = "Sorry, your feedback could not be stored right now; please try again later."


def carried_of(action: dict[str, Any]) -> dict[str, Any]:
    """Return what a curation button carried about its answer."""
    try:
        data = json.loads(html.unescape(action.get("value") or "{}"))
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def where(body: dict[str, Any], context: AsyncBoltContext) -> dict[str, Any]:
    """Return the channel and workspace a button was pressed in, for a form's metadata."""
    user = body["user"]["id"]
    channel = (body.get("channel") or {}).get("id") or user
    return {"c": channel, "w": workspace_of(context)}


def register(app: AsyncApp, deps: Deps, asker: Asker) -> None:
    """Register the 👍, 👎, Report outdated and Propose buttons."""
    desk = CurationDesk(deps, "slack")

    async def rate_up(
        body: dict[str, Any],
        action: dict[str, Any],
        respond: AsyncRespond,
        context: AsyncBoltContext,
    ) -> None:
        place = where(body, context)
        signal = desk.signal(carried_of(action), place["c"], place["w"])
        try:
            await desk.rate(Feedback(signal=signal, verdict="up"))
        except StoreUnavailable:
            await respond(response_type="ephemeral", replace_original=False, text=UNAVAILABLE)
            return
        if body.get("response_url"):
            message = render_message(thanks_reply("up"), Audience.PUBLIC)
            await respond(response_type="ephemeral", replace_original=False, **message)

    async def open_feedback(
        body: dict[str, Any],
        action: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        meta = {"s": carried_of(action), **where(body, context)}
        await client.views_open(trigger_id=body["trigger_id"], view=feedback_view(meta))

    async def open_outdated(
        body: dict[str, Any],
        action: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        carried = carried_of(action)
        ids = [str(e) for e in carried.get("e") or [] if isinstance(e, str)]
        if not ids:
            return
        entities = [(entity_id, desk.label(entity_id)) for entity_id in ids]
        meta = {"s": carried, **where(body, context)}
        await client.views_open(trigger_id=body["trigger_id"], view=outdated_view(meta, entities))

    async def open_proposal(
        body: dict[str, Any],
        action: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        kind = form_kind(action.get("value") or "")
        if kind is not None:
            view = proposal_view(kind, where(body, context))
            await client.views_open(trigger_id=body["trigger_id"], view=view)

    app.action(FEEDBACK_UP_ACTION_ID)(ack=ack_now, lazy=[guarded(rate_up)])
    app.action(FEEDBACK_DOWN_ACTION_ID)(ack=ack_now, lazy=[guarded(open_feedback)])
    app.action(OUTDATED_ACTION_ID)(ack=ack_now, lazy=[guarded(open_outdated)])
    app.action(PROPOSE_ACTION_ID)(ack=ack_now, lazy=[guarded(open_proposal)])
