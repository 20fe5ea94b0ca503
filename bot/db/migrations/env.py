"""Alembic's environment: migrate the connection `bot.db.migrate` hands over, to the app's tables.

The tables are those registered on `bot.db.engine.metadata` by `bot.schema`, which every entry
point that migrates (`bot.app`, `bot.cli`) imports first.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from bot.db.engine import make_engine, metadata


def run_migrations(connection: Connection) -> None:
    """Run the pending migrations on `connection` (SQLite alters tables in batch mode)."""
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    """Migrate the given connection, else the database at the config's sqlalchemy.url."""
    if context.is_offline_mode():
        raise SystemExit("offline (--sql) migrations are not supported; run `chinabio db upgrade`")
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    engine = make_engine(context.config.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.begin() as opened:
            run_migrations(opened)
    finally:
        engine.dispose()


main()
