"""Slack's tables: installations and bots (slack_sdk's schema), and ids already handled."""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import Column, DateTime, String, Table, Text

from bot.db.engine import metadata

#: Event ids (and OAuth states) already handled, so a retry or a second replica skips them.
seen_ids = Table(
    "slack_seen_ids",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("expires_at", DateTime(timezone=True), nullable=False, index=True),
)

# slack_sdk's installation store builds its own Table objects; registering the same schema here
# lets `build_deps` create them with every other table.
slack_installations = SQLAlchemyInstallationStore.build_installations_table(
    metadata, SQLAlchemyInstallationStore.default_installations_table_name
)
slack_bots = SQLAlchemyInstallationStore.build_bots_table(
    metadata, SQLAlchemyInstallationStore.default_bots_table_name
)

# Encrypted tokens outgrow slack_sdk's VARCHAR(200) (migration 0002 widens them to TEXT).
for _table, _names in (
    (slack_installations, ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")),
    (slack_bots, ("bot_token", "bot_refresh_token")),
):
    for _name in _names:
        _table.c[_name].type = Text()
