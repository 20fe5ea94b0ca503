"""The app removed from a workspace (`app_uninstalled`) or its tokens revoked (`tokens_revoked`).

With Slack OAuth (several workspaces) the workspace's installation and bot token are deleted,
as Bolt's token-revocation listeners do; its channels' digests then pause as "app not installed"
at their next time instead of failing against a dead token. With one SLACK_BOT_TOKEN nothing is
stored, so the event is only logged.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.listener.async_builtins import AsyncTokenRevocationListeners

from bot.asking import Asker
from bot.deps import Deps
from bot.slack.errors import guarded
from bot.slack.listeners.acks import ack_now

log = logging.getLogger("bot.slack")


def register(app: AsyncApp, deps: Deps, asker: Asker) -> None:
    """Register the app_uninstalled and tokens_revoked listeners."""
    store = app.installation_store
    revocation = AsyncTokenRevocationListeners(store) if store is not None else None

    async def forget_workspace(context: AsyncBoltContext) -> None:
        log.warning("ChinaBio was uninstalled from Slack workspace %s", context.team_id)
        if revocation is not None:
            await revocation.handle_app_uninstalled_events(context)

    async def forget_tokens(event: dict[str, Any], context: AsyncBoltContext) -> None:
        log.warning("Slack revoked ChinaBio's tokens in workspace %s", context.team_id)
        if revocation is not None:
            await revocation.handle_tokens_revoked_events(event, context)

    app.event("app_uninstalled")(ack=ack_now, lazy=[guarded(forget_workspace)])
    app.event("tokens_revoked")(ack=ack_now, lazy=[guarded(forget_tokens)])
