"""What the bot does with each kind of Teams activity; `register(agent_app, services)` wires it."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from microsoft_agents.activity import Activity, ActivityTypes
from microsoft_agents.hosting.core import AgentApplication, TurnContext, TurnState
from sqlalchemy.exc import SQLAlchemyError

from bot.asking import Asker, Question
from bot.curation.desk import CurationDesk
from bot.db.offload import run_db
from bot.digest.sender import Sender
from bot.teams import message_actions
from bot.teams.activities import (
    CARD_ACTION_INVOKE,
    PLATFORM,
    addressed_to_bot,
    button_command,
    command_of,
    user_id_of,
)
from bot.teams.conversations import ConversationStore, conversation_key, team_id_of
from bot.teams.curation import TeamsCuration, curation_value
from bot.teams.curators import SUMMARY_WORDS, TeamsCurators
from bot.teams.exports import ExportLinks, export_activities, export_card
from bot.teams.messages import (
    ERROR_TEXT,
    card_invoke_response,
    error_invoke_response,
    reply_activities,
)
from handlers.context import StoreUnavailable
from handlers.reply import Reply, ReplyKind

log = logging.getLogger(__name__)
#: Seconds a conversation-store or subscription write waits on the database.
STORE_WAIT = 2.0

WELCOME_COMMAND = "help"
_ADDED_ACTIONS = ("add", "add-upgrade")
_REMOVED_ACTIONS = ("remove", "remove-upgrade")
#: Activities Teams sends that need no answer (reactions to our cards, edits, typing...).
IGNORED_ACTIVITIES = (
    ActivityTypes.message_reaction,
    ActivityTypes.message_update,
    ActivityTypes.message_delete,
    ActivityTypes.typing,
    ActivityTypes.event,
    ActivityTypes.end_of_conversation,
)


@dataclass
class TeamsServices:
    """What the listeners need: the asker and the conversation references."""

    asker: Asker
    conversations: ConversationStore
    #: Posts outdated reports and proposals to CURATORS_CHANNEL (None: they are only stored).
    sender: Sender | None = None
    export_links: ExportLinks | None = None  # signs the download links of `export`
    public_url: str | None = None  # where those links point (PUBLIC_URL)
    #: Reads CURATORS_CHANNEL's members (None: only CURATORS makes someone a curator).
    curators: TeamsCurators | None = None


def register(agent_app: AgentApplication[TurnState], services: TeamsServices) -> None:
    """Attach every Teams listener to the SDK's AgentApplication."""
    listeners = _Listeners(services)
    agent_app.message(None)(listeners.on_message)
    agent_app.invoke(CARD_ACTION_INVOKE)(listeners.on_card_action)
    message_actions.register(agent_app, services.asker)
    agent_app.activity(ActivityTypes.conversation_update)(listeners.on_conversation_update)
    agent_app.installation_update()(listeners.on_installation_update)
    agent_app.activity(list(IGNORED_ACTIVITIES))(listeners.ignore)
    agent_app.error(listeners.on_error)


class _Listeners:
    def __init__(self, services: TeamsServices) -> None:
        self._asker = services.asker
        self._conversations = services.conversations
        desk = CurationDesk(services.asker.deps, PLATFORM)
        self._curation = TeamsCuration(desk, services.sender)
        self._curators = services.curators or TeamsCurators(desk, None)
        self._services = services

    async def on_message(self, context: TurnContext, _state: TurnState) -> None:
        """Answer typed text, a mention in a channel, or a pressed Action.Submit button."""
        activity = context.activity
        key = await self._remember_quietly(activity)
        submitted = curation_value(activity)
        if submitted is not None:
            await context.send_activities(await self._curation.handle(submitted, key))
            return
        if command_of(activity).strip().casefold() in SUMMARY_WORDS:
            await context.send_activities(
                reply_activities(await self._curation_summary(context, key))
            )
            return
        reply = await self._asker.ask(_question(activity, command_of(activity), key))
        await context.send_activities(self._activities(reply, key))

    async def _curation_summary(self, context: TurnContext, conversation: str) -> Reply:
        """Return the curators' summary, or how to become a curator."""
        activity = context.activity
        sender = activity.from_property
        ids = [sender.aad_object_id or "", sender.id or ""] if sender is not None else []
        kind = activity.conversation.conversation_type if activity.conversation else None
        private = kind == "personal" or conversation == self._curation_channel()
        return await self._curators.summary(ids, user_id_of(activity), private)

    def _curation_channel(self) -> str | None:
        channel = self._asker.deps.settings.curators_channel
        return conversation_key(channel) if channel else None

    def _activities(self, reply: Reply, conversation: str) -> list[Activity]:
        """Return the messages of a reply; an export's carries its download links."""
        links = self._services.export_links
        if reply.kind is ReplyKind.EXPORT and links is not None:
            return export_activities(reply, links, self._services.public_url, conversation)
        return reply_activities(reply)

    async def on_card_action(self, context: TurnContext, _state: TurnState) -> None:
        """Answer an Action.Execute button: the new answer's card replaces the pressed one."""
        activity = context.activity
        key = await self._remember_quietly(activity)
        reply = await self._asker.ask(_question(activity, button_command(activity) or "", key))
        links = self._services.export_links
        if reply.kind is ReplyKind.EXPORT and links is not None:
            card = export_card(reply, links, self._services.public_url, key)
            await context.send_activity(card_invoke_response(reply, card))
            return
        await context.send_activity(card_invoke_response(reply))

    async def on_conversation_update(self, context: TurnContext, _state: TurnState) -> None:
        """Remember a conversation the bot joins (and greet it); forget one it leaves."""
        activity = context.activity
        bot_id = activity.recipient.id if activity.recipient else None
        event = _event_type(activity)
        if event == "teamDeleted" or (
            _includes(activity.members_removed, bot_id) and team_id_of(activity)
        ):
            await self._forget_team(activity)
        elif _includes(activity.members_removed, bot_id):
            await self._forget(activity.conversation.id)
        elif event == "channelDeleted":
            channel = _channel_id(activity)
            if channel:
                await self._forget(channel)
        elif _includes(activity.members_added, bot_id):
            await run_db(STORE_WAIT, self._conversations.remember, activity, force=True)
            log.info("teams: added to conversation %s", conversation_key(activity.conversation.id))
            welcome = await self._asker.ask(
                _question(activity, WELCOME_COMMAND, conversation_key(activity.conversation.id))
            )
            await context.send_activities(reply_activities(welcome))

    async def on_installation_update(self, context: TurnContext, _state: TurnState) -> None:
        """Remember the conversation on install; forget it (or the whole team) on uninstall."""
        activity = context.activity
        action = (activity.action or "").lower()
        if action in _ADDED_ACTIONS:
            await run_db(STORE_WAIT, self._conversations.remember, activity, force=True)
        elif action in _REMOVED_ACTIONS:
            if team_id_of(activity):
                await self._forget_team(activity)
            else:
                await self._forget(activity.conversation.id)

    async def ignore(self, context: TurnContext, _state: TurnState) -> None:
        """Accept an activity that needs no answer, without a 'no route' warning."""
        log.debug("teams: ignored a %s activity", context.activity.type)

    async def on_error(self, context: TurnContext, error: Exception) -> None:
        """Log the failure and tell the user in plain words; never show them a stack trace."""
        log.error("teams: turn failed: %s", error, exc_info=error)
        try:
            if context.activity.type == ActivityTypes.invoke:
                await context.send_activity(error_invoke_response())
            elif context.activity.type == ActivityTypes.message:
                await context.send_activity(ERROR_TEXT)
        except Exception:  # the connector may be what failed; the log already has the cause
            log.exception("teams: could not tell the user about the failure")

    async def _remember_quietly(self, activity: Activity) -> str:
        """Refresh the conversation's reference; a database hiccup must not block the answer."""
        try:
            return await run_db(STORE_WAIT, self._conversations.remember, activity)
        except (SQLAlchemyError, StoreUnavailable):
            log.exception("teams: could not store the reference of %s", activity.conversation.id)
            return conversation_key(activity.conversation.id)

    async def _forget(self, conversation_id: str) -> None:
        key = conversation_key(conversation_id)
        if await run_db(STORE_WAIT, self._conversations.forget, key):
            log.info("teams: removed from conversation %s", key)
        await self._unsubscribe([key])

    async def _forget_team(self, activity: Activity) -> None:
        team = team_id_of(activity) or conversation_key(activity.conversation.id)
        keys = await run_db(STORE_WAIT, self._conversations.forget_team, team)
        log.info("teams: removed from team %s (%d conversations)", team, len(keys))
        await self._unsubscribe(keys or [conversation_key(activity.conversation.id)])

    async def _unsubscribe(self, keys: list[str]) -> None:
        """Drop digest subscriptions of conversations the bot can no longer post to."""
        book = self._asker.deps.subscriptions
        for key in keys:
            if await run_db(STORE_WAIT, book.unsubscribe, PLATFORM, key):
                log.info("teams: dropped the digest subscription of %s", key)


def _question(activity: Activity, text: str, conversation: str) -> Question:
    return Question(
        text=text or WELCOME_COMMAND,
        user_id=user_id_of(activity),
        conversation_id=conversation,
        is_mention=addressed_to_bot(activity),
        user_tz=activity.local_timezone,
    )


def _includes(members: list[Any] | None, bot_id: str | None) -> bool:
    return bool(bot_id) and any(getattr(m, "id", None) == bot_id for m in members or [])


def _event_type(activity: Activity) -> str | None:
    data = activity.channel_data
    value = data.get("eventType") if isinstance(data, dict) else getattr(data, "eventType", None)
    return value if isinstance(value, str) else None


def _channel_id(activity: Activity) -> str | None:
    data = activity.channel_data
    channel = data.get("channel") if isinstance(data, dict) else getattr(data, "channel", None)
    return channel.get("id") if isinstance(channel, dict) else getattr(channel, "id", None)
