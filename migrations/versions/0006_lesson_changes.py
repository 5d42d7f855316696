"""lesson_changes: substitutions, cancellations and extra lessons, the only lessons outside the timetable

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lesson_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("lesson_no", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("slot_subject_id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("created_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["class_id"], ["classes.id"], name=op.f("fk_lesson_changes_class_id_classes")),
        sa.ForeignKeyConstraint(
            ["created_by_staff_id"], ["staff.id"], name=op.f("fk_lesson_changes_created_by_staff_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["slot_subject_id"], ["subjects.id"], name=op.f("fk_lesson_changes_slot_subject_id_subjects")
        ),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_lesson_changes_staff_id_staff")),
        sa.ForeignKeyConstraint(["subject_id"], ["subjects.id"], name=op.f("fk_lesson_changes_subject_id_subjects")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lesson_changes")),
        sa.UniqueConstraint(
            "class_id",
            "date",
            "lesson_no",
            "slot_subject_id",
            name=op.f("uq_lesson_changes_class_id_date_lesson_no_slot_subject_id"),
        ),
    )
    with op.batch_alter_table("lesson_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lesson_changes_date"), ["date"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("lesson_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lesson_changes_date"))
    op.drop_table("lesson_changes")
