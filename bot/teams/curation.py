"""Curation on Teams: the 👍 / 👎 / Report outdated / Propose buttons and their forms' Action.Submit."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from microsoft_agents.activity import Activity, ActivityTypes

from bot.curation.desk import CurationDesk
from bot.digest.sender import DeliveryError, Sender
from bot.teams.forms import (
    FEEDBACK_FORM_KEY,
    OUTDATED_FORM_KEY,
    PROPOSE_FORM_KEY,
    feedback_form,
    outdated_form,
    proposal_form,
)
from bot.teams.messages import card_activity, reply_activities
from bot.teams.render import FEEDBACK_KEY, OUTDATED_KEY, PROPOSE_KEY, SIGNAL_KEY
from handlers.context import StoreUnavailable
from handlers.curation import FEEDBACK_REASONS, Feedback, OutdatedReport, Proposal
from handlers.curation_replies import (
    proposal_reply,
    proposal_thanks,
    report_reply,
    report_thanks,
    thanks_reply,
)
from handlers.proposals import FORMS, form_kind
from handlers.reply import Reply, ReplyKind

log = logging.getLogger(__name__)
KEYS = (
    FEEDBACK_KEY,
    OUTDATED_KEY,
    PROPOSE_KEY,
    FEEDBACK_FORM_KEY,
    OUTDATED_FORM_KEY,
    PROPOSE_FORM_KEY,
)
UNAVAILABLE = Reply(
    kind=ReplyKind.CURATION,
    title="Not stored",
    text="Sorry, that could not be stored right now; please try again in a few minutes.",
    shareable=False,
)


def curation_value(activity: Activity) -> dict[str, Any] | None:
    """Return a pressed curation button's or sent form's data, or None for anything else."""
    value = activity.value
    if activity.type != ActivityTypes.message or not isinstance(value, dict):
        return None
    return value if any(key in value for key in KEYS) else None


def _text(value: dict[str, Any], key: str) -> str:
    found = value.get(key)
    return found.strip()[:3000] if isinstance(found, str) else ""


class TeamsCuration:
    """Answers curation submits; posts reports and proposals to CURATORS_CHANNEL if set."""

    def __init__(self, desk: CurationDesk, sender: Sender | None) -> None:
        self._desk = desk
        self._sender = sender

    async def handle(self, value: dict[str, Any], conversation: str) -> list[Activity]:
        """Return what to send back for a curation submit from `conversation`."""
        signal = self._desk.signal(value.get(SIGNAL_KEY), conversation, None)
        found = value.get(SIGNAL_KEY)
        carried: dict[str, Any] = found if isinstance(found, dict) else {}
        try:
            if value.get(FEEDBACK_KEY) == "up":
                await self._desk.rate(Feedback(signal, "up"))
                return reply_activities(thanks_reply("up"))
            if value.get(FEEDBACK_KEY) == "down":
                return [card_activity(feedback_form(carried), "What went wrong?")]
            if FEEDBACK_FORM_KEY in value:
                return await self._feedback(value, signal)
            if OUTDATED_KEY in value or OUTDATED_FORM_KEY in value:
                return await self._outdated(value, signal, carried)
            return await self._propose(value, signal)
        except StoreUnavailable as exc:
            log.warning("teams: curation signal not stored: %s", exc)
            return reply_activities(UNAVAILABLE)

    async def _feedback(self, value: dict[str, Any], signal: Any) -> list[Activity]:
        reason = _text(value, "reason")
        if reason not in FEEDBACK_REASONS:
            return [card_activity(feedback_form(value.get(SIGNAL_KEY) or {}), "What went wrong?")]
        await self._desk.rate(Feedback(signal, "down", reason, _text(value, "comment") or None))
        return reply_activities(thanks_reply("down", reason))

    async def _outdated(
        self, value: dict[str, Any], signal: Any, carried: dict[str, Any]
    ) -> list[Activity]:
        entities = [(e, self._desk.label(e)) for e in signal.entity_ids]
        if not entities:
            return []
        chosen = _text(value, "entity") or entities[0][0]
        changed, source = _text(value, "changed"), _text(value, "source")
        if OUTDATED_KEY in value or not changed or not source or chosen not in signal.entity_ids:
            problems = {}
            if OUTDATED_FORM_KEY in value:
                problems = {
                    "form": "Say what changed and give a source, so a curator can check it."
                }
            return [card_activity(outdated_form(carried, entities, problems), "Report outdated")]
        report = OutdatedReport(signal, chosen, changed, source)
        await self._desk.report(report)
        label = self._desk.label(chosen)
        posted = await self._to_curators(report_reply(report, label))
        return reply_activities(report_thanks(label, posted))

    async def _propose(self, value: dict[str, Any], signal: Any) -> list[Activity]:
        kind = form_kind(str(value.get(PROPOSE_KEY) or value.get(PROPOSE_FORM_KEY) or ""))
        if kind is None:
            return []
        if PROPOSE_KEY in value:
            return [card_activity(proposal_form(kind), f"Propose a {kind}")]
        typed = {f.name: _text(value, f.name) for f in FORMS[kind]}
        checked = self._desk.check(kind, typed)
        if checked.errors:
            return [card_activity(proposal_form(kind, typed, checked.errors), f"Propose a {kind}")]
        asked = replace(signal, question=f"propose {kind}", reply_kind="proposal")
        proposal = Proposal(asked, kind, checked.entity_id, checked.snippet)
        try:
            await self._desk.propose(proposal)
        except StoreUnavailable:
            log.warning("teams: a proposal was not counted (database unavailable)")
        posted = await self._to_curators(proposal_reply(proposal))
        return reply_activities(proposal_thanks(proposal, posted))

    async def _to_curators(self, reply: Reply) -> bool:
        channel = self._desk.curators_channel
        if not channel or self._sender is None:
            return False
        try:
            await self._sender.post(channel, reply)
        except DeliveryError as exc:
            log.warning("teams: could not post to the curators' channel: %s", exc)
            return False
        return True
