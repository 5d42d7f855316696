"""Subjects without marks: an assignment's marking, and the school's periods without marks

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30

`assignments.marking` says how a class–subject is assessed: "marks" (every row until now), "none"
(безотметочно) or "pass_fail" (зачёт, its term and year results «зч» / «нз», kept in
`final_marks.special` as "pass" / "fail"). `school_settings.unmarked_periods` keeps the
UNMARKED_PERIODS setting ("2:1": grade 2, the first period) the bot was started with.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("marking", sa.String(length=16), server_default="marks", nullable=False))
    with op.batch_alter_table("school_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unmarked_periods", sa.String(length=200), server_default="", nullable=False))


def downgrade() -> None:
    op.execute("DELETE FROM final_marks WHERE special IN ('pass', 'fail')")  # «зч» and «нз» have no place before
    with op.batch_alter_table("school_settings", schema=None) as batch_op:
        batch_op.drop_column("unmarked_periods")
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_column("marking")
