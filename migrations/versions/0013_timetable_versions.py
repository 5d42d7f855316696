"""Dated timetables: `timetable.valid_from`

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30

A timetable row belongs to the version that starts on its `valid_from`; the timetable in force on a
date is the version with the latest `valid_from` not after it (services.timetable_versions). The rows
a journal already has are its one timetable from the start of the school year: they get the start of
the earliest academic year (NULL, the first version, where the journal has no year yet), so that
importing the same file again (an empty `valid_from` is the year's start) replaces them, as it did.

Down again, the table holds one timetable: the version that starts last is kept, the older ones go.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

OLD_KEY = ["class_id", "weekday", "lesson_no", "subject_id", "staff_id", "subgroup"]


def upgrade() -> None:
    with op.batch_alter_table("timetable", schema=None) as batch_op:
        batch_op.add_column(sa.Column("valid_from", sa.Date(), nullable=True))
        batch_op.drop_constraint("uq_timetable_slot", type_="unique")
        batch_op.create_unique_constraint("uq_timetable_slot", ["valid_from", *OLD_KEY])
    op.execute("UPDATE timetable SET valid_from = (SELECT MIN(start) FROM academic_years)")


def downgrade() -> None:
    op.execute(
        "DELETE FROM timetable WHERE valid_from IS NOT NULL AND valid_from < (SELECT MAX(valid_from) FROM timetable)"
    )
    op.execute(  # undated rows belong to the first version: older than the last when there are two
        "DELETE FROM timetable WHERE valid_from IS NULL AND (SELECT COUNT(DISTINCT valid_from) FROM timetable) > 1"
    )
    with op.batch_alter_table("timetable", schema=None) as batch_op:
        batch_op.drop_constraint("uq_timetable_slot", type_="unique")
        batch_op.create_unique_constraint("uq_timetable_slot", OLD_KEY)
        batch_op.drop_column("valid_from")
