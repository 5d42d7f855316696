"""subgroups: a group's lessons are journal pages of their own; pupils' groups by date

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30

`lessons`, `timetable` and `overdue_entries` gain `subgroup` ("" for the whole class, as every row so far) and their
unique keys take it in, so two groups of a class may have the same hour. `subgroup_members` says
which pupil is in which group of a class–subject from which date.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


# table → its unique key before (named by the convention) and after, with `subgroup`
KEYS = {
    "lessons": (
        "uq_lessons_class_id_subject_id_date_lesson_no",
        "uq_lessons_class_id_subject_id_date_lesson_no_subgroup",
        ["class_id", "subject_id", "date", "lesson_no"],
    ),
    "timetable": (
        "uq_timetable_class_id_weekday_lesson_no_subject_id_staff_id",
        "uq_timetable_slot",
        ["class_id", "weekday", "lesson_no", "subject_id", "staff_id"],
    ),
    "overdue_entries": (
        "uq_overdue_entries_class_id_subject_id_date_lesson_no",
        "uq_overdue_entries_class_id_subject_id_date_lesson_no_subgroup",
        ["class_id", "subject_id", "date", "lesson_no"],
    ),
}


def upgrade() -> None:
    for table, (old_key, new_key, columns) in KEYS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("subgroup", sa.String(length=20), server_default="", nullable=False))
            batch_op.drop_constraint(old_key, type_="unique")
            batch_op.create_unique_constraint(new_key, [*columns, "subgroup"])
    op.create_table(
        "subgroup_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("subgroup", sa.String(length=20), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("created_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("subgroup <> ''", name=op.f("ck_subgroup_members_subgroup_named")),
        sa.ForeignKeyConstraint(["class_id"], ["classes.id"], name=op.f("fk_subgroup_members_class_id_classes")),
        sa.ForeignKeyConstraint(["subject_id"], ["subjects.id"], name=op.f("fk_subgroup_members_subject_id_subjects")),
        sa.ForeignKeyConstraint(["student_id"], ["students.id"], name=op.f("fk_subgroup_members_student_id_students")),
        sa.ForeignKeyConstraint(
            ["created_by_staff_id"], ["staff.id"], name=op.f("fk_subgroup_members_created_by_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subgroup_members")),
        sa.UniqueConstraint(
            "class_id",
            "subject_id",
            "student_id",
            "since",
            name=op.f("uq_subgroup_members_class_id_subject_id_student_id_since"),
        ),
    )
    op.create_index(op.f("ix_subgroup_members_class_id"), "subgroup_members", ["class_id"])
    op.create_index(op.f("ix_subgroup_members_student_id"), "subgroup_members", ["student_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_subgroup_members_student_id"), table_name="subgroup_members")
    op.drop_index(op.f("ix_subgroup_members_class_id"), table_name="subgroup_members")
    op.drop_table("subgroup_members")
    for table, (old_key, new_key, columns) in KEYS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(new_key, type_="unique")
            batch_op.create_unique_constraint(old_key, columns)
            batch_op.drop_column("subgroup")
