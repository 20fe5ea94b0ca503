"""Curation forms sent: a 👎's reason, an outdated report, a proposal (checked in the form)."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.asking import Asker
from bot.curation.desk import CurationDesk
from bot.deps import Deps
from bot.slack.curation_views import (
    CHANGED,
    COMMENT,
    ENTITY,
    FEEDBACK_VIEW,
    KIND,
    OUTDATED_VIEW,
    PICK_VIEW,
    PROPOSE_VIEW,
    REASON,
    SOURCE,
    metadata_of,
    pick_view,
    proposal_view,
    values_of,
)
from bot.slack.errors import guarded
from bot.slack.listeners.acks import ack_now
from bot.slack.posting import post_all
from bot.slack.render import Audience, render_messages
from bot.slack.workspace import workspace_of
from handlers.context import StoreUnavailable
from handlers.curation import FEEDBACK_REASONS, Feedback, OutdatedReport, Proposal, Signal
from handlers.curation_replies import proposal_reply, proposal_thanks, report_reply, report_thanks
from handlers.proposals import form_kind
from handlers.reply import Reply

SHORTCUT = "chinabio_propose"
#: Longest error text shown under a form's input.
MAX_ERROR = 300
UNAVAILABLE = "Sorry, that could not be stored right now; please try again in a few minutes."


def register(app: AsyncApp, deps: Deps, asker: Asker) -> None:
    """Register the curation forms' submissions and the Propose shortcut."""
    desk = CurationDesk(deps, "slack")

    def signal(view: dict[str, Any]) -> Signal:
        meta = metadata_of(view)
        return desk.signal(meta.get("s"), str(meta.get("c") or ""), meta.get("w"))

    async def tell(client: AsyncWebClient, user: str, reply: Reply) -> None:
        await post_all(client, user, render_messages(reply, Audience.PUBLIC))

    async def to_curators(client: AsyncWebClient, reply: Reply) -> bool:
        channel = desk.curators_channel
        if not channel:
            return False
        return bool(await post_all(client, channel, render_messages(reply, Audience.PUBLIC)))

    async def check_feedback(ack: AsyncAck, view: dict[str, Any]) -> None:
        if values_of(view).get(REASON) not in FEEDBACK_REASONS:
            await ack(response_action="errors", errors={REASON: "Choose what went wrong."})
            return
        await ack()

    async def store_feedback(
        body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        values = values_of(view)
        reason = values.get(REASON)
        if reason not in FEEDBACK_REASONS:
            return
        rating = Feedback(signal(view), "down", reason, values.get(COMMENT))
        try:
            await desk.rate(rating)
        except StoreUnavailable:
            await client.chat_postMessage(channel=body["user"]["id"], text=UNAVAILABLE)

    async def check_report(ack: AsyncAck, view: dict[str, Any]) -> None:
        values, errors = values_of(view), {}
        if not values.get(CHANGED):
            errors[CHANGED] = "Say what changed."
        if not values.get(SOURCE):
            errors[SOURCE] = "Give a source, so a curator can check it."
        await (ack(response_action="errors", errors=errors) if errors else ack())

    async def store_report(
        body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        values, seen = values_of(view), signal(view)
        entity_id = values.get(ENTITY) or (seen.entity_ids[0] if seen.entity_ids else "")
        if entity_id not in seen.entity_ids or not values.get(CHANGED):
            return  # a form not made from one of our cards
        report = OutdatedReport(seen, entity_id, values[CHANGED], values.get(SOURCE))
        try:
            await desk.report(report)
        except StoreUnavailable:
            await client.chat_postMessage(channel=body["user"]["id"], text=UNAVAILABLE)
            return
        label = desk.label(entity_id)
        posted = await to_curators(client, report_reply(report, label))
        await tell(client, body["user"]["id"], report_thanks(label, posted))

    async def open_picker(
        body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        meta = {"c": body["user"]["id"], "w": workspace_of(context)}
        await client.views_open(trigger_id=body["trigger_id"], view=pick_view(meta))

    async def show_form(ack: AsyncAck, view: dict[str, Any]) -> None:
        kind = form_kind(values_of(view).get(KIND, ""))
        if kind is None:
            await ack(response_action="errors", errors={KIND: "Choose a kind of entry."})
            return
        await ack(response_action="update", view=proposal_view(kind, metadata_of(view)))

    async def check_proposal(ack: AsyncAck, view: dict[str, Any]) -> None:
        kind = form_kind(str(metadata_of(view).get("kind") or ""))
        if kind is None:
            await ack()
            return
        checked = desk.check(kind, values_of(view))
        if checked.errors:
            errors = {name: text[:MAX_ERROR] for name, text in checked.errors.items()}
            await ack(response_action="errors", errors=errors)
            return
        await ack()

    async def send_proposal(
        body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        kind = form_kind(str(metadata_of(view).get("kind") or ""))
        if kind is None:
            return
        checked = desk.check(kind, values_of(view))
        if not checked.valid:
            return
        seen = signal(view)
        asked = replace(seen, question=f"propose {kind}", reply_kind="proposal")
        proposal = Proposal(asked, kind, checked.entity_id, checked.snippet)
        with suppress(StoreUnavailable):  # the post to the curators matters more than the count
            await desk.propose(proposal)
        posted = await to_curators(client, proposal_reply(proposal))
        await tell(client, body["user"]["id"], proposal_thanks(proposal, posted))

    app.view(FEEDBACK_VIEW)(ack=check_feedback, lazy=[guarded(store_feedback)])
    app.view(OUTDATED_VIEW)(ack=check_report, lazy=[guarded(store_report)])
    app.view(PICK_VIEW)(show_form)
    app.view(PROPOSE_VIEW)(ack=check_proposal, lazy=[guarded(send_proposal)])
    app.shortcut(SHORTCUT)(ack=ack_now, lazy=[guarded(open_picker)])
