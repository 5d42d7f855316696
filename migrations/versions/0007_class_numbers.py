"""fixed class numbers: class_numbers, filled for the lists the journal already holds

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "class_numbers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.CheckConstraint("number >= 1", name=op.f("ck_class_numbers_number_positive")),
        sa.ForeignKeyConstraint(["class_id"], ["classes.id"], name=op.f("fk_class_numbers_class_id_classes")),
        sa.ForeignKeyConstraint(["student_id"], ["students.id"], name=op.f("fk_class_numbers_student_id_students")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_class_numbers")),
        sa.UniqueConstraint("class_id", "number", name=op.f("uq_class_numbers_class_id_number")),
        sa.UniqueConstraint("class_id", "student_id", name=op.f("uq_class_numbers_class_id_student_id")),
    )
    op.create_index(op.f("ix_class_numbers_student_id"), "class_numbers", ["student_id"])
    _number_existing_lists()


def _number_existing_lists() -> None:
    """Everyone who is or was in a class gets a number there: those who came first (at the start of
    the year, by the import) alphabetically, later arrivals after them in the order they came."""
    bind = op.get_bind()
    names = dict(bind.execute(sa.text("SELECT id, full_name FROM students")).all())
    came: dict[int, dict[int, dt.date]] = defaultdict(dict)  # class → student → first day in it
    for student_id, class_id, day in bind.execute(
        sa.text(
            "SELECT student_id, to_class_id, MIN(date) FROM class_moves WHERE to_class_id IS NOT NULL "
            "GROUP BY student_id, to_class_id"
        )
    ):
        came[class_id][student_id] = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
    for student_id, class_id in bind.execute(sa.text("SELECT id, class_id FROM students WHERE class_id IS NOT NULL")):
        came[class_id].setdefault(student_id, dt.date.min)
    rows = []
    for class_id, students in came.items():
        ordered = sorted(students, key=lambda s: (students[s], names[s].casefold().replace("ё", "е"), s))
        rows += [{"class_id": class_id, "student_id": s, "number": n} for n, s in enumerate(ordered, start=1)]
    if rows:
        table = sa.table("class_numbers", sa.column("class_id"), sa.column("student_id"), sa.column("number"))
        op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_index(op.f("ix_class_numbers_student_id"), table_name="class_numbers")
    op.drop_table("class_numbers")
