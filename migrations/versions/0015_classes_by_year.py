"""Classes belong to an academic year: 5А of one year and 5А of the next are two classes

Revision ID: 0015
Revises: 0012
Create Date: 2027-08-20

`classes.year_id` names the class's year, and a class's name is unique within its year rather than
for all time (the move to the next year, services.new_year). An existing journal has one year: its
classes are given it (the latest year, should there be several). Going down, the year is dropped
again, which is only possible while no two classes share a name.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    classes = connection.execute(sa.text("SELECT COUNT(*) FROM classes")).scalar_one()
    year_id = connection.execute(sa.text("SELECT id FROM academic_years ORDER BY start DESC LIMIT 1")).scalar()
    if classes and year_id is None:
        raise RuntimeError("classes exist but no academic year: import the school's periods first")
    with op.batch_alter_table("classes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("year_id", sa.Integer(), nullable=True))
    if classes:
        connection.execute(sa.text("UPDATE classes SET year_id = :year_id"), {"year_id": year_id})
    with op.batch_alter_table("classes", schema=None) as batch_op:
        batch_op.alter_column("year_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint("uq_classes_name", type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_classes_year_id_name"), ["year_id", "name"])
        batch_op.create_index(batch_op.f("ix_classes_year_id"), ["year_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_classes_year_id_academic_years"), "academic_years", ["year_id"], ["id"]
        )


def downgrade() -> None:
    repeated = op.get_bind().execute(sa.text("SELECT name FROM classes GROUP BY name HAVING COUNT(*) > 1")).scalars()
    names = sorted(repeated)
    if names:
        raise RuntimeError(f"classes of several years share names ({', '.join(names)}): cannot go below 0015")
    with op.batch_alter_table("classes", schema=None) as batch_op:
        batch_op.drop_constraint("fk_classes_year_id_academic_years", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_classes_year_id"))
        batch_op.drop_constraint("uq_classes_year_id_name", type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_classes_name"), ["name"])
        batch_op.drop_column("year_id")
