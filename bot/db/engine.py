"""One SQLAlchemy engine from DATABASE_URL, with the drivers the bot chooses itself."""

from __future__ import annotations

import math
from pathlib import Path

from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from bot.settings import DEFAULT_CONNECT_TIMEOUT, DEFAULT_STATEMENT_TIMEOUT

#: Every table of the bot registers on this metadata (bot/schema.py imports them all).
metadata = MetaData()

#: The databases the bot knows how to lock, migrate and ship drivers for.
SUPPORTED_BACKENDS = ("postgresql", "sqlite")


class DatabaseSetupError(RuntimeError):
    """The database cannot be opened or brought to the bot's schema; the message says why, in one line."""


def normalise_url(url: str) -> str:
    """Map URLs as operators write them to the drivers the bot ships (psycopg 3)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _checked_url(url: str) -> URL:
    """Parse DATABASE_URL, or raise DatabaseSetupError saying what is wrong with it."""
    try:
        parsed = make_url(normalise_url(url))
    except ArgumentError:
        raise DatabaseSetupError(
            "DATABASE_URL is not a database URL: write postgresql://user@host/db or sqlite:///path"
        ) from None
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise DatabaseSetupError(
            f"DATABASE_URL uses {backend}, which the bot does not support: "
            "use postgresql://user@host/db or sqlite:///path"
        )
    return parsed


def make_engine(
    url: str,
    *,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    statement_timeout: float = DEFAULT_STATEMENT_TIMEOUT,
) -> Engine:
    """Create an engine whose connects and statements give up after the given seconds.

    SQLite gets WAL and a busy timeout so replicas on one file behave.
    """
    parsed = _checked_url(url)
    try:
        return _create(parsed, connect_timeout, statement_timeout)
    except ImportError as exc:
        raise DatabaseSetupError(
            f"the driver for DATABASE_URL ({parsed.drivername}) is not installed ({exc}); "
            "write postgresql://… to use the bundled psycopg"
        ) from None


def _create(parsed: URL, connect_timeout: float, statement_timeout: float) -> Engine:
    """Create the engine for an already checked URL."""
    url = parsed.render_as_string(hide_password=False)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseSetupError(
                    f"cannot create the folder {folder} for the SQLite file ({exc.strerror})"
                ) from None
        engine = create_engine(
            url, connect_args={"timeout": statement_timeout, "check_same_thread": False}
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    if parsed.get_backend_name() == "postgresql":
        # In the URL, not connect_args, so engines made from engine.url (the leader lock) keep them.
        parsed = with_postgres_timeouts(parsed, connect_timeout, statement_timeout)
    return create_engine(parsed, pool_pre_ping=True, pool_timeout=connect_timeout)


def with_postgres_timeouts(url: URL, connect_timeout: float, statement_timeout: float) -> URL:
    """Add libpq's connect_timeout and a session statement_timeout, unless the URL sets them."""
    query = dict(url.query)
    # libpq counts whole seconds and waits at least 2.
    query.setdefault("connect_timeout", str(max(2, math.ceil(connect_timeout))))
    options = str(query.get("options") or "")
    if "statement_timeout" not in options:
        milliseconds = max(1, round(statement_timeout * 1000))
        query["options"] = f"{options} -c statement_timeout={milliseconds}".strip()
    return url.set(query=query)
