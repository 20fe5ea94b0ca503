"""Token columns become TEXT: a Fernet-encrypted rotating token is longer than VARCHAR(200).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

slack_sdk declares its token columns VARCHAR(200). A classic `xoxb-` token encrypts to about
180 characters and fits; Slack's rotating `xoxe.xoxb-1-…` and `xoxe-1-…` tokens (80 characters
or more) do not, and PostgreSQL enforces the length. Run `chinabio tokens rotate` afterwards to
encrypt any token an older version stored in plain text.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TOKEN_COLUMNS = {
    "slack_installations": ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token"),
    "slack_bots": ("bot_token", "bot_refresh_token"),
}


def _alter(to: sa.types.TypeEngine[str], was: sa.types.TypeEngine[str]) -> None:
    for table, columns in TOKEN_COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(column, type_=to, existing_type=was, existing_nullable=True)


def upgrade() -> None:
    """Widen every token column to TEXT."""
    _alter(sa.Text(), sa.String(200))


def downgrade() -> None:
    """Narrow the token columns back (fails on PostgreSQL while a longer token is stored)."""
    _alter(sa.String(200), sa.Text())
