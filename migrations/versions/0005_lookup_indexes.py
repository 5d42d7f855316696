"""indexes for finding a student's family: parent_students by student, account_bindings by person

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_parent_students_student_id", "parent_students", ["student_id"])
    op.create_index("ix_account_bindings_person", "account_bindings", ["person_id", "person_kind"])


def downgrade() -> None:
    op.drop_index("ix_account_bindings_person", table_name="account_bindings")
    op.drop_index("ix_parent_students_student_id", table_name="parent_students")
