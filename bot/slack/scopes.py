"""What the Slack app asks for: the fewest bot scopes and events the listeners need."""

from __future__ import annotations

#: Bot scopes, each with why it is needed (deploy/slack/manifest.yaml lists exactly these).
BOT_SCOPES: dict[str, str] = {
    "commands": "the /chinabio slash command",
    "app_mentions:read": "the app_mention event (@chinabio in a channel)",
    "chat:write": "chat.postMessage: thread answers, DM answers, Share to channel",
    "im:history": "the message.im event (questions in the bot's Messages tab)",
    "channels:read": "conversations.members: who is in a public curators' channel",
    "groups:read": "conversations.members: who is in a private curators' channel",
}

#: Bot events the app subscribes to.
BOT_EVENTS: tuple[str, ...] = (
    "app_mention",
    "message.im",
    "app_home_opened",
    "app_uninstalled",
    "tokens_revoked",
)
