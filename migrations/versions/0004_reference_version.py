"""school_settings.reference_version: moves with every change to the school's reference data

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("school_settings") as batch_op:
        batch_op.add_column(sa.Column("reference_version", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("school_settings") as batch_op:
        batch_op.drop_column("reference_version")
