"""Teams' table: where each conversation the bot is in can be reached for proactive messages."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, String, Table, Text

from bot.db.engine import metadata

#: One row per conversation (a channel, a group chat or a 1:1 chat) the bot was added to or
#: heard from; the Bot Framework conversation reference is kept whole, as JSON.
teams_conversations = Table(
    "teams_conversations",
    metadata,
    Column("conversation_id", String(512), primary_key=True),
    Column("service_url", String(1024), nullable=False),
    Column("conversation_type", String(32), nullable=True),
    Column("tenant_id", String(128), nullable=True),
    Column("team_id", String(512), nullable=True, index=True),
    # For a 1:1 chat, the user's id as the handlers know it (Entra object id, else Teams id),
    # so the bot can tell a digest subscriber in private that their channel's digest stopped.
    Column("personal_user_id", String(256), nullable=True, index=True),
    Column("reference", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
