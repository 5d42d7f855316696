"""«н/а» and «осв.» as period and year results; the year-end archives and their confirmation

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30

`final_marks.value` may be NULL where `special` names a result that is not a number ("na": не
аттестован, "exempt": освобождён); a check keeps exactly one of the two. `year_archives` keeps each
year-end archive's manifest hash and the director's confirmation of it (services.reports.archive).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("final_marks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("special", sa.String(length=8), server_default="", nullable=False))
        batch_op.alter_column("value", existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint("value_or_special", "(value IS NULL) <> (special = '')")
    op.create_table(
        "year_archives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year_id", sa.Integer(), nullable=False),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("made_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["year_id"], ["academic_years.id"], name=op.f("fk_year_archives_year_id_academic_years")
        ),
        sa.ForeignKeyConstraint(
            ["made_by_staff_id"], ["staff.id"], name=op.f("fk_year_archives_made_by_staff_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by_staff_id"], ["staff.id"], name=op.f("fk_year_archives_confirmed_by_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_year_archives")),
        sa.UniqueConstraint("year_id", "manifest_sha256", name=op.f("uq_year_archives_year_id_manifest_sha256")),
    )


def downgrade() -> None:
    op.drop_table("year_archives")
    op.execute("DELETE FROM final_marks WHERE value IS NULL")  # «н/а» and «осв.» have no place before 0012
    with op.batch_alter_table("final_marks", schema=None) as batch_op:
        batch_op.drop_constraint("value_or_special", type_="check")
        batch_op.alter_column("value", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("special")
