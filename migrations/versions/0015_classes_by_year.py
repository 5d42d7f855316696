"""Classes belong to an academic year: 5А of one year and 5А of the next are two classes

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30

`classes.year_id` names the class's year, and a class's name is unique within its year rather than
for all time (the move to the next year, services.new_year). An existing journal has one year: its
classes are given it (the latest year, should there be several). Going down, the year is dropped
again, which is only possible while no two classes share a name.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    classes = connection.execute(sa.text("SELECT COUNT(*) FROM classes")).scalar_one()
    year_id = connection.execute(sa.text("SELECT id FROM academic_years ORDER BY start DESC LIMIT 1")).scalar()
    if classes and year_id is None:
        raise RuntimeError("classes exist but no academic year: import the school's periods first")
    if connection.dialect.name == "sqlite":
        _rebuild_on_sqlite(by_year=True, year_id=year_id)
        return
    op.add_column("classes", sa.Column("year_id", sa.Integer(), nullable=True))
    connection.execute(sa.text("UPDATE classes SET year_id = :year_id"), {"year_id": year_id})
    op.alter_column("classes", "year_id", existing_type=sa.Integer(), nullable=False)
    op.drop_constraint("uq_classes_name", "classes", type_="unique")
    op.create_unique_constraint("uq_classes_year_id_name", "classes", ["year_id", "name"])
    op.create_index("ix_classes_year_id", "classes", ["year_id"], unique=False)
    op.create_foreign_key("fk_classes_year_id_academic_years", "classes", "academic_years", ["year_id"], ["id"])


def downgrade() -> None:
    repeated = op.get_bind().execute(sa.text("SELECT name FROM classes GROUP BY name HAVING COUNT(*) > 1")).scalars()
    names = sorted(repeated)
    if names:
        raise RuntimeError(f"classes of several years share names ({', '.join(names)}): cannot go below 0015")
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_on_sqlite(by_year=False)
        return
    op.drop_constraint("fk_classes_year_id_academic_years", "classes", type_="foreignkey")
    op.drop_index("ix_classes_year_id", table_name="classes")
    op.drop_constraint("uq_classes_year_id_name", "classes", type_="unique")
    op.create_unique_constraint("uq_classes_name", "classes", ["name"])
    op.drop_column("classes", "year_id")


def _rebuild_on_sqlite(*, by_year: bool, year_id: int | None = None) -> None:
    """SQLite changes a table's constraints only by building it anew. Students, lessons and the rest
    refer to classes, so the old table's rows are put back into the new one under deferred foreign
    keys: every reference finds its class again by the commit (a batch's rename would leave them
    counted as broken)."""
    op.execute("CREATE TABLE _classes_before_0015 AS SELECT id, name, grade, letter, homeroom_teacher_id FROM classes")
    # The driver opens its transaction at the first write of rows; the pragma holds until that transaction ends.
    op.execute("DELETE FROM _classes_before_0015 WHERE 0")
    op.execute("PRAGMA defer_foreign_keys=ON")
    op.drop_table("classes")
    year_column = [sa.Column("year_id", sa.Integer(), nullable=False)] if by_year else []
    year_constraints = (
        [
            sa.ForeignKeyConstraint(["year_id"], ["academic_years.id"], name="fk_classes_year_id_academic_years"),
            sa.UniqueConstraint("year_id", "name", name="uq_classes_year_id_name"),
        ]
        if by_year
        else [sa.UniqueConstraint("name", name="uq_classes_name")]
    )
    op.create_table(
        "classes",
        sa.Column("id", sa.Integer(), nullable=False),
        *year_column,
        sa.Column("name", sa.String(length=10), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=False),
        sa.Column("letter", sa.String(length=4), nullable=False),
        sa.Column("homeroom_teacher_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("grade BETWEEN 1 AND 11", name="ck_classes_grade_range"),
        sa.ForeignKeyConstraint(["homeroom_teacher_id"], ["staff.id"], name="fk_classes_homeroom_teacher_id_staff"),
        sa.PrimaryKeyConstraint("id", name="pk_classes"),
        *year_constraints,
    )
    columns = "id, name, grade, letter, homeroom_teacher_id"
    if by_year:
        op.create_index("ix_classes_year_id", "classes", ["year_id"], unique=False)
        op.get_bind().execute(
            sa.text(f"INSERT INTO classes (year_id, {columns}) SELECT :year_id, {columns} FROM _classes_before_0015"),
            {"year_id": year_id},
        )
    else:
        op.execute(f"INSERT INTO classes ({columns}) SELECT {columns} FROM _classes_before_0015")
    op.execute("DROP TABLE _classes_before_0015")
