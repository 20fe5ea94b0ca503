"""Activity JSON as Microsoft Teams sends it to a bot (shapes copied from real payloads)."""

from __future__ import annotations

import itertools
from typing import Any

BOT_APP_ID = "6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
BOT_ID = f"28:{BOT_APP_ID}"
BOT_NAME = "ChinaBio"
TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
USER = {
    "id": "29:1AbCdEfGhIjKlMnOpQrStUvWxYz",
    "name": "Ada Lovelace",
    "aadObjectId": "0b7d6c5e-4f3a-4b2c-9d1e-0f9a8b7c6d5e",
}
PERSONAL_CHAT = "a:1Xy9zPersonalChatIdWithTheBot"
TEAM_ID = "19:teamGeneralChannel0001@thread.tacv2"
GENERAL_CHANNEL = TEAM_ID  # a team's General channel has the team's id
OTHER_CHANNEL = "19:deals0002@thread.tacv2"
GROUP_CHAT = "19:meeting_groupchat0003@thread.v2"

_ids = itertools.count(1_700_000_000_000)


def _base(service_url: str, conversation: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {
        "id": str(next(_ids)),
        "timestamp": "2025-06-02T09:15:00.000Z",
        "localTimestamp": "2025-06-02T11:15:00.000+02:00",
        "localTimezone": "Europe/Paris",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": USER,
        "conversation": {"tenantId": TENANT_ID, **conversation},
        "recipient": {"id": BOT_ID, "name": BOT_NAME},
        "locale": "en-US",
        **fields,
    }


def _personal() -> dict[str, Any]:
    return {"conversationType": "personal", "id": PERSONAL_CHAT}


def _channel(channel: str, thread_of: str | None = None) -> dict[str, Any]:
    conversation_id = channel + (f";messageid={thread_of}" if thread_of else "")
    return {"isGroup": True, "conversationType": "channel", "id": conversation_id}


def _team_data(channel: str, **extra: Any) -> dict[str, Any]:
    return {
        "teamsChannelId": channel,
        "teamsTeamId": TEAM_ID,
        "channel": {"id": channel},
        "team": {"id": TEAM_ID},
        "tenant": {"id": TENANT_ID},
        **extra,
    }


def personal_message(service_url: str, text: str) -> dict[str, Any]:
    """Return a message typed in the 1:1 chat with the bot."""
    return _base(
        service_url,
        _personal(),
        type="message",
        textFormat="plain",
        text=text,
        entities=[{"type": "clientInfo", "locale": "en-US", "timezone": "Europe/Paris"}],
        channelData={"tenant": {"id": TENANT_ID}},
    )


def channel_mention(service_url: str, text: str, channel: str = OTHER_CHANNEL) -> dict[str, Any]:
    """Return `@ChinaBio <text>` posted in a team channel (a new thread)."""
    activity = _base(
        service_url,
        _channel(channel),
        type="message",
        textFormat="plain",
        text=f"<at>{BOT_NAME}</at> {text}",
        entities=[
            {
                "type": "mention",
                "text": f"<at>{BOT_NAME}</at>",
                "mentioned": {"id": BOT_ID, "name": BOT_NAME},
            },
            {"type": "clientInfo", "locale": "en-US", "timezone": "Europe/Paris"},
        ],
        channelData=_team_data(channel),
    )
    activity["conversation"]["id"] += f";messageid={activity['id']}"
    return activity


def card_submit(service_url: str, command: str, reply_to: str = "1699999999999") -> dict[str, Any]:
    """Return the message Teams sends when an Action.Submit button of a card is pressed."""
    return _base(
        service_url,
        _personal(),
        type="message",
        replyToId=reply_to,
        value={"chinabio_run": command},
        channelData={"tenant": {"id": TENANT_ID}, "source": {"name": "message"}},
    )


def card_execute(service_url: str, command: str) -> dict[str, Any]:
    """Return the `adaptiveCard/action` invoke of an Action.Execute button."""
    return _base(
        service_url,
        _personal(),
        type="invoke",
        name="adaptiveCard/action",
        replyToId="1699999999999",
        value={
            "action": {
                "type": "Action.Execute",
                "verb": "chinabio_run",
                "data": {"chinabio_run": command},
            },
            "trigger": "manual",
        },
        channelData={"tenant": {"id": TENANT_ID}, "source": {"name": "message"}},
    )


def bot_added_to_team(service_url: str) -> dict[str, Any]:
    """Return the conversationUpdate Teams sends when the bot is added to a team."""
    return _base(
        service_url,
        _channel(GENERAL_CHANNEL),
        type="conversationUpdate",
        membersAdded=[{"id": BOT_ID}],
        channelData=_team_data(GENERAL_CHANNEL, eventType="teamMemberAdded"),
    )


def bot_removed_from_team(service_url: str) -> dict[str, Any]:
    """Return the conversationUpdate Teams sends when the bot is removed from a team."""
    return _base(
        service_url,
        _channel(GENERAL_CHANNEL),
        type="conversationUpdate",
        membersRemoved=[{"id": BOT_ID}],
        channelData=_team_data(GENERAL_CHANNEL, eventType="teamMemberRemoved"),
    )


def bot_added_to_group_chat(service_url: str) -> dict[str, Any]:
    """Return the conversationUpdate of the bot joining a group chat."""
    return _base(
        service_url,
        {"isGroup": True, "conversationType": "groupChat", "id": GROUP_CHAT},
        type="conversationUpdate",
        membersAdded=[{"id": BOT_ID}],
        channelData={"tenant": {"id": TENANT_ID}},
    )


def installation_update(service_url: str, action: str) -> dict[str, Any]:
    """Return an installationUpdate (`add` or `remove`) for the personal scope."""
    return _base(
        service_url,
        _personal(),
        type="installationUpdate",
        action=action,
        channelData={"tenant": {"id": TENANT_ID}, "source": {"name": "message"}},
    )


def message_action(
    service_url: str,
    name: str,
    html: str,
    data: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Return a message extension invoke (fetchTask or submitAction) on a channel message."""
    value: dict[str, Any] = {
        "commandId": "askAboutMessage",
        "commandContext": "message",
        "context": {"theme": "default"},
        "messagePayload": {
            "id": "1699999999000",
            "messageType": "message",
            "createdDateTime": "2025-06-02T09:10:00.000Z",
            "from": {"user": {"id": "0f0f0f0f", "displayName": "Grace Hopper"}},
            "body": {"contentType": "html", "content": html},
            "attachments": [],
        },
    }
    if data is not None:
        value["data"] = data
    if name.endswith("submitAction"):
        value["botMessagePreviewAction"] = None
    return _base(
        service_url,
        _channel(OTHER_CHANNEL),
        type="invoke",
        name=name,
        value=value,
        channelData=_team_data(OTHER_CHANNEL, source={"name": "compose"}),
    )
