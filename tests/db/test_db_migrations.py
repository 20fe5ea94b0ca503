"""Schema migrations on SQLite: models and migrations agree, old databases are adopted, errors are clear."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, select, text

import bot.schema  # noqa: F401  (registers every table on the metadata)
from bot.cli import main
from bot.db.engine import make_engine, metadata
from bot.db.migrate import alembic_config, head_revision, upgrade_schema
from bot.digest.book import SqlSubscriptionBook
from bot.digest.tables import subscriptions
from handlers.context import DigestSchedule


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A SQLite file that does not exist yet, set as DATABASE_URL for `chinabio db …`."""
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def _revisions(url: str) -> list[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    finally:
        engine.dispose()


def test_models_and_migrations_agree(db_url: str) -> None:
    """After every migration, autogenerate finds no difference from the tables the code defines."""
    engine = make_engine(db_url)
    upgrade_schema(engine)
    with engine.connect() as conn:
        command.check(alembic_config(conn))  # raises when a model changed without a migration
    engine.dispose()


def test_an_empty_database_is_reported_then_created(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`db status` on an empty database exits 1 naming the missing tables; `db upgrade` creates them."""
    assert main(["db", "status"]) == 1
    out = capsys.readouterr().out
    assert "revision none" in out
    assert "digest_deliveries" in out.partition("missing tables ")[2]
    assert main(["db", "upgrade"]) == 0
    assert f"created to revision {head_revision()}" in capsys.readouterr().out
    assert main(["db", "status"]) == 0
    assert set(metadata.tables) <= set(inspect(make_engine(db_url)).get_table_names())


def test_a_database_made_by_create_all_is_adopted_with_its_rows(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Tables from the pre-migration code and no alembic_version: stamped at the baseline, rows kept."""
    engine = make_engine(db_url)
    metadata.create_all(engine)
    SqlSubscriptionBook(engine).subscribe("slack", "C0OLD", "U1", DigestSchedule(hour=7))
    engine.dispose()
    assert main(["db", "upgrade"]) == 0
    assert "adopted" in capsys.readouterr().out
    assert _revisions(db_url) == [head_revision()]
    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(select(subscriptions.c.channel)).scalars().all() == ["C0OLD"]
    engine.dispose()
    assert main(["db", "upgrade"]) == 0  # a second start-up changes nothing
    assert "up to date" in capsys.readouterr().out
    assert _revisions(db_url) == [head_revision()]


def test_a_revision_from_a_newer_version_stops_with_one_line(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The database records a revision this version does not ship: exit 1, one line, no traceback."""
    assert main(["db", "upgrade"]) == 0
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    engine.dispose()
    capsys.readouterr()
    assert main(["db", "upgrade"]) == 1
    err = capsys.readouterr().err
    assert "revision 0999" in err
    assert "newer version of the bot" in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_tables_missing_at_the_recorded_revision_say_how_to_recover(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A table dropped by hand behind alembic_version: exit 1 with the way back, which then works."""
    assert main(["db", "upgrade"]) == 0
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE teams_conversations"))
    capsys.readouterr()
    assert main(["db", "upgrade"]) == 1
    err = capsys.readouterr().err
    assert "teams_conversations" in err
    assert "drop its alembic_version table" in err
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
    engine.dispose()
    assert main(["db", "upgrade"]) == 0
    assert main(["db", "status"]) == 0
