"""The bot's whole schema: every feature's tables on the one MetaData that lives in bot/db.

Features define their tables in their own package on `bot.db.engine.metadata`; importing this
module registers them all, so migrations, `create_all` and the readiness check see every table.
The entry points (`bot.app`, `bot.cli`) import it; nothing inside a feature does.
"""

from __future__ import annotations

import bot.calendar.tables
import bot.curation.tables
import bot.digest.follow_tables
import bot.digest.tables
import bot.slack.tables
import bot.teams.tables  # noqa: F401
from bot.db.engine import metadata

__all__ = ["metadata"]
