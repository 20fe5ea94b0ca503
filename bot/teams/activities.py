"""Read what a Teams user asked from an incoming activity: typed text, a mention, or a button."""

from __future__ import annotations

import html
import re
from typing import Any

from microsoft_agents.activity import Activity, ActivityTypes

from bot.teams.render import REMIND_DATE, REMIND_NOTE, RUN_KEY

#: How subscriptions, metrics and the digest name this platform.
PLATFORM = "teams"
CARD_ACTION_INVOKE = "adaptiveCard/action"
_AT_TAG = re.compile(r"<at>(.*?)</at>", re.IGNORECASE | re.DOTALL)
_ANY_TAG = re.compile(r"<[^>]+>")
_BOT_PREFIX = re.compile(r"^/?chinabio\b[:,]?\s*", re.IGNORECASE)
MAX_COMMAND_CHARS = 500


def command_of(activity: Activity) -> str:
    """Return the command the user gave: a button's command, or the text without mentions."""
    pressed = button_command(activity)
    if pressed is not None:
        return pressed
    return clean_text(activity.text or "", bot_name=_name(activity.recipient))


def button_command(activity: Activity) -> str | None:
    """Return the command of a pressed card button (Action.Submit or Action.Execute), if any."""
    value: Any = activity.value
    if activity.type == ActivityTypes.invoke and activity.name == CARD_ACTION_INVOKE:
        action = value.get("action") if isinstance(value, dict) else None
        value = action.get("data") if isinstance(action, dict) else None
    elif activity.type != ActivityTypes.message:
        return None
    if isinstance(value, dict) and isinstance(value.get(RUN_KEY), str):
        command = value[RUN_KEY]
        if command.startswith("remind "):  # a Remind me form sends its day and note beside it
            extra = [value.get(REMIND_DATE), value.get(REMIND_NOTE)]
            command = " ".join([command, *(str(e) for e in extra if e)])
        return clean_text(command)
    return None


def clean_text(text: str, bot_name: str | None = None) -> str:
    """Strip the bot's mention, other markup and a leading `/chinabio`; collapse spaces."""

    def unwrap(match: re.Match[str]) -> str:
        inner = match.group(1).strip()
        return "" if bot_name and inner.casefold() == bot_name.casefold() else inner

    text = _AT_TAG.sub(unwrap, text)
    text = html.unescape(_ANY_TAG.sub(" ", text))
    text = " ".join(text.split())
    return _BOT_PREFIX.sub("", text)[:MAX_COMMAND_CHARS].strip()


def addressed_to_bot(activity: Activity) -> bool:
    """Return True if the user talks to the bot: a 1:1 chat, or an @-mention elsewhere."""
    conversation = activity.conversation
    personal = conversation is not None and conversation.conversation_type == "personal"
    return personal or mentions_bot(activity)


def mentions_bot(activity: Activity) -> bool:
    """Return True if the activity @-mentions the bot (a channel or group chat message)."""
    bot_id = activity.recipient.id if activity.recipient else None
    return any(
        mention.mentioned is not None and mention.mentioned.id == bot_id
        for mention in activity.get_mentions()
    )


def user_id_of(activity: Activity) -> str:
    """Return the sender's stable id (the Entra object id when Teams gives it)."""
    sender = activity.from_property
    if sender is None:
        return "unknown"
    return sender.aad_object_id or sender.id or "unknown"


def _name(account: Any) -> str | None:
    return getattr(account, "name", None) if account is not None else None
