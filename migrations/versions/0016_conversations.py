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
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=16), server_default="family", nullable=False))
        batch_op.add_column(sa.Column("class_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_conversations_class_id_classes", "classes", ["class_id"], ["id"])
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("staff_quiet_hours", sa.String(length=16), nullable=True))
    with op.batch_alter_table("broadcasts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("grade", sa.Integer(), nullable=True))
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
    with op.batch_alter_table("broadcasts", schema=None) as batch_op:
        batch_op.drop_column("grade")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_column("staff_quiet_hours")
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_constraint("fk_conversations_class_id_classes", type_="foreignkey")
        batch_op.drop_column("class_id")
        batch_op.drop_column("kind")
