"""Curation signals: feedback on answers, the misses log, outdated reports and proposals.

Revision ID: 0004_curation
Revises: 0003_calendar
Create Date: 2026-12-04

A table that already exists is left alone, as in the baseline: a database made by
`metadata.create_all`, or re-stamped after its alembic_version was dropped, already has them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_curation"
down_revision = "0003_calendar"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def _signal_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("reply_kind", sa.String(32), nullable=False),
        sa.Column("entity_ids", sa.JSON(), nullable=False),
        sa.Column("knowledge_version", sa.String(64), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("workspace", sa.String(255)),
        sa.Column("channel", sa.String(255), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
    ]


def _create(name: str, *columns: sa.Column[object] | sa.UniqueConstraint) -> None:
    """Create table `name` with its created_at index, unless it exists."""
    if sa.inspect(op.get_bind()).has_table(name):
        return
    op.create_table(name, *columns)
    op.create_index(f"ix_{name}_created", name, ["created_at"])


def upgrade() -> None:
    """Create the four curation tables."""
    _create(
        "curation_feedback",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("verdict", sa.String(8), nullable=False),
        sa.Column("reason", sa.String(32)),
        sa.Column("comment", sa.Text()),
        *_signal_columns(),
    )
    _create(
        "curation_misses",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("text_key", sa.String(64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("times", sa.Integer(), nullable=False),
        *_signal_columns(),
        sa.UniqueConstraint("text_key", "day", name="uq_curation_miss_text_day"),
    )
    _create(
        "curation_reports",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("entity_id", sa.String(120), nullable=False),
        sa.Column("what_changed", sa.Text(), nullable=False),
        sa.Column("source", sa.Text()),
        *_signal_columns(),
    )
    _create(
        "curation_proposals",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("entity_id", sa.String(120), nullable=False),
        sa.Column("snippet", sa.Text(), nullable=False),
        *_signal_columns(),
    )


def downgrade() -> None:
    """Drop the curation tables."""
    for table in ("curation_proposals", "curation_reports", "curation_misses", "curation_feedback"):
        op.drop_index(f"ix_{table}_created", table_name=table)
        op.drop_table(table)
