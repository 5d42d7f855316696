"""notifications, messaging and scheduler records

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing accounts get the documented defaults through server defaults.
    op.create_table(
        "backups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_backups")),
    )
    op.create_table(
        "job_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.String(length=64), nullable=False),
        sa.Column("covers", sa.String(length=64), nullable=False),
        sa.Column("ran_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_runs")),
        sa.UniqueConstraint("job_id", "covers", name=op.f("uq_job_runs_job_id_covers")),
    )
    op.create_table(
        "overdue_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("teacher_id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("lesson_no", sa.Integer(), nullable=False),
        sa.Column("missing", sa.JSON(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("filled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["class_id"], ["classes.id"], name=op.f("fk_overdue_entries_class_id_classes")),
        sa.ForeignKeyConstraint(["subject_id"], ["subjects.id"], name=op.f("fk_overdue_entries_subject_id_subjects")),
        sa.ForeignKeyConstraint(["teacher_id"], ["staff.id"], name=op.f("fk_overdue_entries_teacher_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_overdue_entries")),
        sa.UniqueConstraint(
            "class_id",
            "subject_id",
            "date",
            "lesson_no",
            name=op.f("uq_overdue_entries_class_id_subject_id_date_lesson_no"),
        ),
    )
    with op.batch_alter_table("overdue_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_overdue_entries_date"), ["date"], unique=False)
        batch_op.create_index(batch_op.f("ix_overdue_entries_teacher_id"), ["teacher_id"], unique=False)

    op.create_table(
        "broadcasts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_account_id", sa.Integer(), nullable=False),
        sa.Column("audience", sa.String(length=32), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["class_id"], ["classes.id"], name=op.f("fk_broadcasts_class_id_classes")),
        sa.ForeignKeyConstraint(
            ["sender_account_id"], ["accounts.id"], name=op.f("fk_broadcasts_sender_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_broadcasts")),
    )
    op.create_table(
        "conversations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_by_account_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["started_by_account_id"], ["accounts.id"], name=op.f("fk_conversations_started_by_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(["student_id"], ["students.id"], name=op.f("fk_conversations_student_id_students")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversations")),
    )
    op.create_table(
        "explanation_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attendance_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("proposal", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_explanation_proposals_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["attendance_id"], ["attendance.id"], name=op.f("fk_explanation_proposals_attendance_id_attendance")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_explanation_proposals")),
    )
    with op.batch_alter_table("explanation_proposals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_explanation_proposals_attendance_id"), ["attendance_id"], unique=False)

    op.create_table(
        "notification_preferences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_notification_preferences_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["student_id"], ["students.id"], name=op.f("fk_notification_preferences_student_id_students")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_preferences")),
        sa.UniqueConstraint(
            "account_id", "student_id", "kind", name=op.f("uq_notification_preferences_account_id_student_id_kind")
        ),
    )
    with op.batch_alter_table("notification_preferences", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notification_preferences_account_id"), ["account_id"], unique=False)

    op.create_table(
        "broadcast_receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("broadcast_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_broadcast_receipts_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["broadcast_id"], ["broadcasts.id"], name=op.f("fk_broadcast_receipts_broadcast_id_broadcasts")
        ),
        sa.ForeignKeyConstraint(["outbox_id"], ["outbox.id"], name=op.f("fk_broadcast_receipts_outbox_id_outbox")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_broadcast_receipts")),
        sa.UniqueConstraint("broadcast_id", "account_id", name=op.f("uq_broadcast_receipts_broadcast_id_account_id")),
    )
    with op.batch_alter_table("broadcast_receipts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_broadcast_receipts_broadcast_id"), ["broadcast_id"], unique=False)

    op.create_table(
        "chat_message_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["outbox_id"], ["outbox.id"], name=op.f("fk_chat_message_links_outbox_id_outbox")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_message_links")),
        sa.UniqueConstraint("chat_id", "message_id", name=op.f("uq_chat_message_links_chat_id_message_id")),
    )
    op.create_table(
        "relayed_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("sender_account_id", sa.Integer(), nullable=False),
        sa.Column("recipient_account_id", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("file_id", sa.String(length=200), nullable=True),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"], ["conversations.id"], name=op.f("fk_relayed_messages_conversation_id_conversations")
        ),
        sa.ForeignKeyConstraint(["outbox_id"], ["outbox.id"], name=op.f("fk_relayed_messages_outbox_id_outbox")),
        sa.ForeignKeyConstraint(
            ["recipient_account_id"], ["accounts.id"], name=op.f("fk_relayed_messages_recipient_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["sender_account_id"], ["accounts.id"], name=op.f("fk_relayed_messages_sender_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relayed_messages")),
    )
    with op.batch_alter_table("relayed_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_relayed_messages_conversation_id"), ["conversation_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_relayed_messages_recipient_account_id"), ["recipient_account_id"], unique=False
        )

    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("digest_time", sa.Time(), nullable=False, server_default="19:00:00"))
        batch_op.add_column(sa.Column("quiet_start", sa.Time(), nullable=True, server_default="21:00:00"))
        batch_op.add_column(sa.Column("quiet_end", sa.Time(), nullable=True, server_default="08:00:00"))
        batch_op.add_column(sa.Column("wants_notifications", sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sent_message_id", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("sent_message_id")

    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_column("wants_notifications")
        batch_op.drop_column("quiet_end")
        batch_op.drop_column("quiet_start")
        batch_op.drop_column("digest_time")

    with op.batch_alter_table("relayed_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relayed_messages_recipient_account_id"))
        batch_op.drop_index(batch_op.f("ix_relayed_messages_conversation_id"))

    op.drop_table("relayed_messages")
    op.drop_table("chat_message_links")
    with op.batch_alter_table("broadcast_receipts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_broadcast_receipts_broadcast_id"))

    op.drop_table("broadcast_receipts")
    with op.batch_alter_table("notification_preferences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_preferences_account_id"))

    op.drop_table("notification_preferences")
    with op.batch_alter_table("explanation_proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_explanation_proposals_attendance_id"))

    op.drop_table("explanation_proposals")
    op.drop_table("conversations")
    op.drop_table("broadcasts")
    with op.batch_alter_table("overdue_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_overdue_entries_teacher_id"))
        batch_op.drop_index(batch_op.f("ix_overdue_entries_date"))

    op.drop_table("overdue_entries")
    op.drop_table("job_runs")
    op.drop_table("backups")
