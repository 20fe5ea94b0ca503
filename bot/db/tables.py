"""Import every module that defines tables, so `metadata.create_all` sees them all."""

import bot.digest.tables
import bot.slack.tables  # noqa: F401
