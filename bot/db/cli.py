"""`chinabio db upgrade|status|revision`: migrate the database, show its revision, add a migration."""

from __future__ import annotations

import argparse

from alembic import command
from sqlalchemy import Engine

from bot.db.engine import make_engine
from bot.db.migrate import (
    alembic_config,
    current_revision,
    head_revision,
    schema_problem,
    upgrade_schema,
)
from bot.settings import Settings


def add_db_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `db upgrade`, `db status` and `db revision` to the `chinabio` command line."""
    db = sub.add_parser("db", help="migrate the database or show its schema revision")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser(
        "upgrade", help="bring the database to this version's schema (as start-up does)"
    )
    db_sub.add_parser("status", help="print the database's revision; exit 1 if it needs upgrading")
    revision = db_sub.add_parser(
        "revision", help="(developers) write a migration for the tables' changes since the last one"
    )
    revision.add_argument("-m", "--message", required=True, help="what the migration changes")
    db.set_defaults(func=run_db_command)


def run_db_command(args: argparse.Namespace) -> int:
    """Run a `db` sub-command against DATABASE_URL; return the exit code."""
    engine = make_engine(Settings.from_env().resolved_database_url)
    try:
        if args.db_command == "upgrade":
            print(upgrade_schema(engine))
            return 0
        if args.db_command == "revision":
            return _write_revision(engine, args.message)
        with engine.connect() as connection:
            current, problem = current_revision(connection), schema_problem(connection)
        print(f"revision {current or 'none'} (this version needs {head_revision()})")
        if problem is not None:
            print(problem)
            return 1
        return 0
    finally:
        engine.dispose()


def _write_revision(engine: Engine, message: str) -> int:
    """Migrate the database to head, then autogenerate the next numbered migration file."""
    upgrade_schema(engine)
    next_id = f"{int(head_revision()) + 1:04d}"
    with engine.begin() as connection:
        script = command.revision(
            alembic_config(connection), message=message, autogenerate=True, rev_id=next_id
        )
    path = getattr(script, "path", None)
    print(f"wrote {path}: check it, then run `chinabio db upgrade`")
    return 0
