"""an index for a lesson's first standing mark: lesson, deletion, time

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30

The journal's control (services.school_days.read_lesson_facts) asks every lesson of a term for the
time of its first mark not removed; with this index the answer is read from the index alone.
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_marks_first_standing", "marks", ["lesson_id", "deleted_at", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_marks_first_standing", table_name="marks")
