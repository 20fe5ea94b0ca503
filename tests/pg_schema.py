"""Throw-away PostgreSQL schemas for tests: each test gets an empty one, dropped afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import text

from bot.db.engine import make_engine, metadata

#: Where the local PostgreSQL test server listens (database `test`).
SERVER = "127.0.0.1:5432"


def server_url() -> str | None:
    """Return a URL for the local PostgreSQL test database, trying root then postgres."""
    for user in ("root", "postgres"):
        url = f"postgresql://{user}@{SERVER}/test"
        engine = make_engine(url)
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return url
        except Exception:
            continue
        finally:
            engine.dispose()
    return None


@contextmanager
def empty_schema(prefix: str = "schema_test") -> Iterator[str]:
    """Yield the URL of a new empty schema (as search_path); skip the test without PostgreSQL."""
    server = server_url()
    if server is None:
        pytest.skip("PostgreSQL at 127.0.0.1:5432 (database test) is not reachable")
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = make_engine(server)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{server}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@contextmanager
def schema_with_tables(prefix: str = "schema_test") -> Iterator[str]:
    """Yield the URL of a new schema holding every table of the bot; skip without PostgreSQL."""
    import bot.schema  # noqa: F401  (registers every table)

    with empty_schema(prefix) as url:
        engine = make_engine(url)
        metadata.create_all(engine)
        engine.dispose()
        yield url


def server_user() -> str | None:
    """Return a user the local PostgreSQL lets in (root, then postgres), or None if it is down."""
    url = server_url()
    return url.split("://", 1)[1].split("@", 1)[0] if url else None
