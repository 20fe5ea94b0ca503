"""Alembic migrations of the bot's schema; `bot.db.migrate` runs them (see docs/operations.md)."""
