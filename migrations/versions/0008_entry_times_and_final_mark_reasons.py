"""when each of a lesson's entries was first made; a final mark's average and the reason it departs from it

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30

Rows written before this revision keep NULL times: unknown, so the reports fall back on the overdue
entries the deadline job recorded for them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

LESSON_TIMES = ("attendance_taken_at", "topic_at", "homework_at", "no_marks_at")


def upgrade() -> None:
    with op.batch_alter_table("lessons") as batch:
        for name in LESSON_TIMES:
            batch.add_column(sa.Column(name, sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("final_marks") as batch:
        batch.add_column(sa.Column("average_hundredths", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("reason", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("final_marks") as batch:
        batch.drop_column("reason")
        batch.drop_column("average_hundredths")
    with op.batch_alter_table("lessons") as batch:
        for name in reversed(LESSON_TIMES):
            batch.drop_column(name)
