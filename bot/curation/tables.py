"""Curation signals in the database: feedback, misses, outdated reports, proposals.

Every row says where it came from (platform, workspace, channel), what the user saw (question,
reply kind, entity ids, knowledge version), never who the user is.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from bot.db.engine import metadata


def _signal_columns() -> list[Column[object]]:
    """Return the columns every signal carries."""
    return [
        Column("question", Text, nullable=False),
        Column("reply_kind", String(32), nullable=False),
        Column("entity_ids", JSON, nullable=False),
        Column("knowledge_version", String(64), nullable=False),
        Column("platform", String(16), nullable=False),
        Column("workspace", String(255)),
        Column("channel", String(255), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
    ]


feedback = Table(
    "curation_feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("verdict", String(8), nullable=False),  # up | down
    Column("reason", String(32)),
    Column("comment", Text),
    *_signal_columns(),
)
Index("ix_curation_feedback_created", feedback.c.created_at)

# One row per question text and day (UTC); `times` counts the asks that day.
misses = Table(
    "curation_misses",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("text_key", String(64), nullable=False),  # sha256 of the normalised text
    Column("day", Date, nullable=False),
    Column("times", Integer, nullable=False, default=1),
    *_signal_columns(),
    UniqueConstraint("text_key", "day", name="uq_curation_miss_text_day"),
)
Index("ix_curation_misses_created", misses.c.created_at)

reports = Table(
    "curation_reports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entity_id", String(120), nullable=False),
    Column("what_changed", Text, nullable=False),
    Column("source", Text),
    *_signal_columns(),
)
Index("ix_curation_reports_created", reports.c.created_at)

proposals = Table(
    "curation_proposals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("entity_id", String(120), nullable=False),
    Column("snippet", Text, nullable=False),
    *_signal_columns(),
)
Index("ix_curation_proposals_created", proposals.c.created_at)
