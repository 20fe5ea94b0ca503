"""The local PostgreSQL test server (127.0.0.1:5432, database `test`): find it, lend a schema."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text

HOST, PORT, DATABASE = "127.0.0.1", 5432, "test"


def server_user() -> str | None:
    """Return a user the local server lets in (root, then postgres), or None if it is not up."""
    for user in ("root", "postgres"):
        engine = create_engine(
            f"postgresql+psycopg://{user}@{HOST}:{PORT}/{DATABASE}",
            connect_args={"connect_timeout": 3},
        )
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return user
        except Exception:
            continue
        finally:
            engine.dispose()
    return None


@contextmanager
def throwaway_schema(user: str) -> Iterator[str]:
    """Create an empty schema, yield its name, drop it (and everything in it) afterwards."""
    schema = f"outage_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(
        f"postgresql+psycopg://{user}@{HOST}:{PORT}/{DATABASE}",
        connect_args={"connect_timeout": 3},
    )
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield schema
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
