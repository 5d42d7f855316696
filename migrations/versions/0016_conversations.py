"""Conversations in every direction: a thread's kind and class, mutes, staff working hours, parallels

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01

`conversations.kind` says who talks in a thread (family, pupil, class, staff; every existing thread is
a family's) and `conversations.class_id` the class a teacher wrote to all the parents of.
`conversation_mutes` keeps a recipient's «не получать неделю» of a sender. `accounts.staff_quiet_hours`
is a staff member's own hours off work (NULL: the school's STAFF_QUIET_HOURS). `broadcasts.grade` is
the parallel of an announcement to a parallel's parents. The index on relayed_messages counts a
sender's messages of the last hour (MESSAGE_RATE_PER_HOUR).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_conversations_on_sqlite(with_kind_and_class=True)
    else:
        op.add_column("conversations", sa.Column("kind", sa.String(length=16), server_default="family", nullable=False))
        op.add_column("conversations", sa.Column("class_id", sa.Integer(), nullable=True))
        op.create_foreign_key("fk_conversations_class_id_classes", "conversations", "classes", ["class_id"], ["id"])
    op.add_column("accounts", sa.Column("staff_quiet_hours", sa.String(length=16), nullable=True))
    op.add_column("broadcasts", sa.Column("grade", sa.Integer(), nullable=True))
    op.create_index("ix_relayed_messages_sender", "relayed_messages", ["sender_account_id", "created_at"])
    op.create_table(
        "conversation_mutes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("muted_account_id", sa.Integer(), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name="fk_conversation_mutes_account_id_accounts"),
        sa.ForeignKeyConstraint(
            ["muted_account_id"], ["accounts.id"], name="fk_conversation_mutes_muted_account_id_accounts"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_conversation_mutes"),
        sa.UniqueConstraint("account_id", "muted_account_id", name="uq_conversation_mutes_account_id_muted_account_id"),
    )


def downgrade() -> None:
    op.drop_table("conversation_mutes")
    op.drop_index("ix_relayed_messages_sender", table_name="relayed_messages")
    op.execute(
        "DELETE FROM broadcast_receipts WHERE broadcast_id IN (SELECT id FROM broadcasts WHERE grade IS NOT NULL)"
    )
    op.execute("DELETE FROM broadcasts WHERE grade IS NOT NULL")  # a parallel's announcements have no place before
    # Plain columns: SQLite (3.35 and later) drops them in place; a batch would build accounts and
    # broadcasts anew under the rows that refer to them.
    op.drop_column("broadcasts", "grade")
    op.drop_column("accounts", "staff_quiet_hours")
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_conversations_on_sqlite(with_kind_and_class=False)
        return
    op.drop_constraint("fk_conversations_class_id_classes", "conversations", type_="foreignkey")
    op.drop_column("conversations", "class_id")
    op.drop_column("conversations", "kind")


def _rebuild_conversations_on_sqlite(*, with_kind_and_class: bool) -> None:
    """SQLite adds or drops a foreign key only by building the table anew. Relayed messages refer to
    conversations, so the old table's rows are put back into the new one under deferred foreign keys:
    every message finds its thread again by the commit (a batch's copy and rename would leave them
    counted as broken). As 0015 does for classes."""
    columns = "id, started_by_account_id, student_id, created_at"
    op.execute(f"CREATE TABLE _conversations_before_0016 AS SELECT {columns} FROM conversations")
    # The driver opens its transaction at the first write of rows; the pragma holds until that transaction ends.
    op.execute("DELETE FROM _conversations_before_0016 WHERE 0")
    op.execute("PRAGMA defer_foreign_keys=ON")
    op.drop_table("conversations")
    new_columns = (
        [
            sa.Column("kind", sa.String(length=16), server_default="family", nullable=False),
            sa.Column("class_id", sa.Integer(), nullable=True),
            sa.ForeignKeyConstraint(["class_id"], ["classes.id"], name="fk_conversations_class_id_classes"),
        ]
        if with_kind_and_class
        else []
    )
    op.create_table(
        "conversations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_by_account_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        *new_columns,
        sa.ForeignKeyConstraint(
            ["started_by_account_id"], ["accounts.id"], name="fk_conversations_started_by_account_id_accounts"
        ),
        sa.ForeignKeyConstraint(["student_id"], ["students.id"], name="fk_conversations_student_id_students"),
        sa.PrimaryKeyConstraint("id", name="pk_conversations"),
    )
    op.execute(f"INSERT INTO conversations ({columns}) SELECT {columns} FROM _conversations_before_0016")
    op.execute("DROP TABLE _conversations_before_0016")
