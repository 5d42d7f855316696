"""consents become dated statements per pupil: whose data, who signed, given or withdrawn

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30

The old table held one row per person with a revoked_at mark, and nothing wrote to it. A consent is
about one pupil's data (a parent of two children signs for each), and a withdrawal must stay in the
record, so the table is rebuilt: one row per statement. Rows already there are carried over: a
parent's consent becomes one statement per child, a revoked one gets its withdrawal.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _old_table() -> None:
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_kind", sa.String(length=16), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("document", sa.String(length=200), nullable=False),
        sa.Column("recorded_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["recorded_by_staff_id"], ["staff.id"], name=op.f("fk_consents_recorded_by_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    op.create_index(op.f("ix_consents_person_id"), "consents", ["person_id"], unique=False)


def _new_table() -> None:
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("person_kind", sa.String(length=16), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("given", sa.Boolean(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("document", sa.String(length=200), nullable=False),
        sa.Column("recorded_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_staff_id"], ["staff.id"], name=op.f("fk_consents_recorded_by_staff_id_staff")
        ),
        sa.ForeignKeyConstraint(["student_id"], ["students.id"], name=op.f("fk_consents_student_id_students")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    op.create_index("ix_consents_student_person", "consents", ["student_id", "person_kind", "person_id"], unique=False)


def _rows(query: str) -> list[sa.Row]:
    return list(op.get_bind().execute(sa.text(query)))


def _insert(rows: list[dict]) -> None:
    if rows:
        table = sa.table("consents", *(sa.column(name) for name in rows[0]))
        op.bulk_insert(table, rows)


def upgrade() -> None:
    old = _rows(
        "SELECT person_kind, person_id, given_on, document, recorded_by_staff_id, recorded_at, revoked_at "
        "FROM consents ORDER BY id"
    )
    children: dict[int, list[int]] = {}
    for parent_id, student_id in _rows("SELECT parent_id, student_id FROM parent_students"):
        children.setdefault(parent_id, []).append(student_id)
    op.drop_index(op.f("ix_consents_person_id"), table_name="consents")
    op.drop_table("consents")
    _new_table()
    statements = []
    for kind, person, given_on, document, staff, recorded_at, revoked_at in old:
        pupils = [person] if kind == "student" else children.get(person, [])
        for pupil in pupils:
            common = dict(
                student_id=pupil,
                person_kind=kind,
                person_id=person,
                document=document,
                recorded_by_staff_id=staff,
                recorded_at=recorded_at,
            )
            statements.append(dict(common, given=True, signed_on=given_on))
            if revoked_at is not None:
                withdrawn_on = (
                    revoked_at.date()
                    if isinstance(revoked_at, dt.datetime)
                    else dt.date.fromisoformat(str(revoked_at)[:10])
                )
                statements.append(dict(common, given=False, signed_on=withdrawn_on, recorded_at=revoked_at))
    _insert(statements)


def downgrade() -> None:
    # The old shape knows only "consent recorded" per person: each person's consents that stand are kept.
    rows = _rows(
        "SELECT person_kind, person_id, given, signed_on, document, recorded_by_staff_id, recorded_at "
        "FROM consents ORDER BY signed_on, id"
    )
    latest: dict[tuple, sa.Row] = {}
    for row in rows:
        latest[(row.person_kind, row.person_id)] = row
    op.drop_index("ix_consents_student_person", table_name="consents")
    op.drop_table("consents")
    _old_table()
    _insert(
        [
            dict(
                person_kind=row.person_kind,
                person_id=row.person_id,
                given_on=row.signed_on,
                document=row.document,
                recorded_by_staff_id=row.recorded_by_staff_id,
                recorded_at=row.recorded_at,
            )
            for row in latest.values()
            if row.given
        ]
    )
