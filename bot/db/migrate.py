"""Bring the database to the schema this version needs (Alembic), and say when it is not there.

`upgrade_schema` runs at every start and from `chinabio db upgrade`. Replicas starting together
take turns: on PostgreSQL through a transaction-scoped advisory lock (the migration and its
version row commit together, then the next replica finds nothing to do); on SQLite through an
exclusive lock on a file next to the database.

The expected tables are those on `bot.db.engine.metadata`; the entry points import `bot.schema`
to register every feature's tables there before they migrate or check.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import logging
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bot.db.engine import DatabaseSetupError, metadata

log = logging.getLogger("bot.db")

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
LOCK_NAME = "chinabio-schema-migrations"
#: Seconds a replica waits for another one's migration, and a migration statement may take.
MIGRATION_TIMEOUT = 120


def alembic_config(connection: Connection | None = None) -> Config:
    """Return an Alembic config for the shipped migrations, migrating `connection` if given."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


@functools.cache
def head_revision() -> str:
    """Return the revision this version of the bot needs (the newest migration)."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations shipped"
    return head


def current_revision(connection: Connection) -> str | None:
    """Return the revision recorded in the database, or None when it has none."""
    return MigrationContext.configure(connection).get_current_revision()


def schema_problem(connection: Connection) -> str | None:
    """Return why the database cannot serve this version (missing tables, old revision), or None."""
    present = set(inspect(connection).get_table_names())
    missing = sorted(set(metadata.tables) - present)
    if missing:
        return f"missing tables {', '.join(missing)}; run `chinabio db upgrade` or restart"
    current = current_revision(connection)
    if current != head_revision():
        return (
            f"schema at revision {current or 'none'}, this version needs {head_revision()}; "
            "run `chinabio db upgrade` or restart"
        )
    return None


def _lock_key(schema: str) -> int:
    """Return the advisory lock key for migrating `schema` (schemas migrate independently)."""
    digest = hashlib.sha256(f"{LOCK_NAME}:{schema}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def _postgres_lock(engine: Engine) -> Iterator[Connection]:
    """Yield a connection in a transaction holding the schema's migration lock until commit."""
    with engine.begin() as connection:
        connection.execute(text(f"SET LOCAL lock_timeout = '{MIGRATION_TIMEOUT}s'"))
        connection.execute(text(f"SET LOCAL statement_timeout = '{MIGRATION_TIMEOUT}s'"))
        schema = connection.execute(text("SELECT current_schema()")).scalar() or "public"
        try:
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _lock_key(schema)})
        except OperationalError:
            raise DatabaseSetupError(
                f"another process kept the schema migration lock for {MIGRATION_TIMEOUT} s; "
                "is a migration stuck?"
            ) from None
        yield connection


@contextmanager
def _sqlite_lock(engine: Engine) -> Iterator[Connection]:
    """Yield a connection while holding an exclusive lock on a file beside the database."""
    database = make_url(str(engine.url)).database
    if not database or database == ":memory:":
        with engine.begin() as connection:
            yield connection
        return
    try:
        lock_file = open(f"{database}.migrate-lock", "a")  # noqa: SIM115  (closed below)
    except OSError as exc:
        raise DatabaseSetupError(
            f"cannot write next to the SQLite file {database} ({exc.strerror})"
        ) from None
    with lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            with engine.begin() as connection:
                yield connection
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def _migration_lock(engine: Engine) -> AbstractContextManager[Connection]:
    """Return the lock that lets one process at a time migrate this database."""
    if engine.dialect.name == "postgresql":
        return _postgres_lock(engine)
    return _sqlite_lock(engine)


def upgrade_schema(engine: Engine) -> str:
    """Migrate the database to the newest revision; return what was done, for the log."""
    with _migration_lock(engine) as connection:
        before = current_revision(connection)
        present = set(inspect(connection).get_table_names()) & set(metadata.tables)
        if before is None and present:
            log.warning(
                "adopting a database made before migrations (%d tables, no alembic_version) "
                "at the baseline revision",
                len(present),
            )
        try:
            command.upgrade(alembic_config(connection), "head")
        except CommandError as exc:  # e.g. a revision a newer version of the bot wrote
            raise DatabaseSetupError(
                f"cannot migrate the database from revision {before}: {exc}; "
                "is a newer version of the bot using it?"
            ) from None
        if (problem := schema_problem(connection)) is not None:  # e.g. tables dropped by hand
            raise DatabaseSetupError(
                f"the database records revision {head_revision()} but has {problem.split(';')[0]}: "
                "restore it from a backup, or drop its alembic_version table to have the "
                "missing tables created again"
            )
    head = head_revision()
    if before == head:
        done = f"schema up to date at revision {head}"
    elif before is None:
        done = f"schema {'adopted and migrated' if present else 'created'} to revision {head}"
    else:
        done = f"schema migrated from revision {before} to {head}"
    log.info("%s", done)
    return done
