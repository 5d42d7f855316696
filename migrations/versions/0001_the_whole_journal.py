"""the whole journal

Past 400 lines because it is one revision: the whole schema as it first shipped, never edited since.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "academic_years",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_academic_years")),
        sa.UniqueConstraint("name", name=op.f("uq_academic_years_name")),
    )
    op.create_table(
        "bells",
        sa.Column("lesson_no", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("start", sa.Time(), nullable=False),
        sa.Column("end", sa.Time(), nullable=False),
        sa.PrimaryKeyConstraint("lesson_no", name=op.f("pk_bells")),
    )
    op.create_table(
        "parents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parents")),
        sa.UniqueConstraint("external_id", name=op.f("uq_parents_external_id")),
    )
    op.create_table(
        "school_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("allow_mark_one", sa.Boolean(), nullable=False),
        sa.Column("threshold_5", sa.Float(), nullable=False),
        sa.Column("threshold_4", sa.Float(), nullable=False),
        sa.Column("threshold_3", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school_settings")),
    )
    op.create_table(
        "sign_in_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_attempts")),
    )
    with op.batch_alter_table("sign_in_attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_in_attempts_telegram_id"), ["telegram_id"], unique=False)

    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=True),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
        sa.UniqueConstraint("external_id", name=op.f("uq_staff_external_id")),
    )
    op.create_table(
        "subjects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subjects")),
        sa.UniqueConstraint("name", name=op.f("uq_subjects_name")),
    )
    op.create_table(
        "work_types",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_types")),
        sa.UniqueConstraint("name", name=op.f("uq_work_types_name")),
    )
    op.create_table(
        "classes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=10), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=False),
        sa.Column("letter", sa.String(length=4), nullable=False),
        sa.Column("homeroom_teacher_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("grade BETWEEN 1 AND 11", name=op.f("ck_classes_grade_range")),
        sa.ForeignKeyConstraint(
            ["homeroom_teacher_id"], ["staff.id"], name=op.f("fk_classes_homeroom_teacher_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_classes")),
        sa.UniqueConstraint("name", name=op.f("uq_classes_name")),
    )
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
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consents_person_id"), ["person_id"], unique=False)

    op.create_table(
        "holidays",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["year_id"], ["academic_years.id"], name=op.f("fk_holidays_year_id_academic_years")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holidays")),
    )
    op.create_table(
        "periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("finals_locked_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint('start <= "end"', name=op.f("ck_periods_dates_in_order")),
        sa.ForeignKeyConstraint(["year_id"], ["academic_years.id"], name=op.f("fk_periods_year_id_academic_years")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_periods")),
        sa.UniqueConstraint("year_id", "name", name=op.f("uq_periods_year_id_name")),
    )
    op.create_table(
        "staff_roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_staff_roles_staff_id_staff"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_roles")),
        sa.UniqueConstraint("staff_id", "role", name=op.f("uq_staff_roles_staff_id_role")),
    )
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("subgroup", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["class_id"], ["classes.id"], name=op.f("fk_assignments_class_id_classes")),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_assignments_staff_id_staff")),
        sa.ForeignKeyConstraint(["subject_id"], ["subjects.id"], name=op.f("fk_assignments_subject_id_subjects")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
        sa.UniqueConstraint(
            "staff_id",
            "class_id",
            "subject_id",
            "subgroup",
            name=op.f("uq_assignments_staff_id_class_id_subject_id_subgroup"),
        ),
    )
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assignments_class_id"), ["class_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assignments_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "lessons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("lesson_no", sa.Integer(), nullable=False),
        sa.Column("teacher_id", sa.Integer(), nullable=True),
        sa.Column("topic", sa.Text(), nullable=False),
        sa.Column("homework", sa.Text(), nullable=False),
        sa.Column("work_type_id", sa.Integer(), nullable=True),
        sa.Column("attendance_taken", sa.Boolean(), nullable=False),
        sa.Column("no_marks_on_purpose", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["class_id"], ["classes.id"], name=op.f("fk_lessons_class_id_classes")),
        sa.ForeignKeyConstraint(["subject_id"], ["subjects.id"], name=op.f("fk_lessons_subject_id_subjects")),
        sa.ForeignKeyConstraint(["teacher_id"], ["staff.id"], name=op.f("fk_lessons_teacher_id_staff")),
        sa.ForeignKeyConstraint(["work_type_id"], ["work_types.id"], name=op.f("fk_lessons_work_type_id_work_types")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lessons")),
        sa.UniqueConstraint(
            "class_id", "subject_id", "date", "lesson_no", name=op.f("uq_lessons_class_id_subject_id_date_lesson_no")
        ),
    )
    with op.batch_alter_table("lessons", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lessons_class_id"), ["class_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lessons_date"), ["date"], unique=False)

    op.create_table(
        "students",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["class_id"], ["classes.id"], name=op.f("fk_students_class_id_classes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_students")),
        sa.UniqueConstraint("external_id", name=op.f("uq_students_external_id")),
    )
    op.create_table(
        "timetable",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("lesson_no", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("room", sa.String(length=20), nullable=False),
        sa.CheckConstraint("weekday BETWEEN 1 AND 7", name=op.f("ck_timetable_weekday_range")),
        sa.ForeignKeyConstraint(["class_id"], ["classes.id"], name=op.f("fk_timetable_class_id_classes")),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_timetable_staff_id_staff")),
        sa.ForeignKeyConstraint(["subject_id"], ["subjects.id"], name=op.f("fk_timetable_subject_id_subjects")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_timetable")),
        sa.UniqueConstraint(
            "class_id",
            "weekday",
            "lesson_no",
            "subject_id",
            "staff_id",
            name=op.f("uq_timetable_class_id_weekday_lesson_no_subject_id_staff_id"),
        ),
    )
    with op.batch_alter_table("timetable", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_timetable_class_id"), ["class_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_timetable_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("selected_student_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["selected_student_id"], ["students.id"], name=op.f("fk_accounts_selected_student_id_students")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("telegram_id", name=op.f("uq_accounts_telegram_id")),
    )
    op.create_table(
        "attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lesson_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=4), nullable=False),
        sa.Column("explanation", sa.String(length=4), nullable=True),
        sa.Column("author_staff_id", sa.Integer(), nullable=False),
        sa.Column("explained_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["author_staff_id"], ["staff.id"], name=op.f("fk_attendance_author_staff_id_staff")),
        sa.ForeignKeyConstraint(
            ["explained_by_staff_id"], ["staff.id"], name=op.f("fk_attendance_explained_by_staff_id_staff")
        ),
        sa.ForeignKeyConstraint(["lesson_id"], ["lessons.id"], name=op.f("fk_attendance_lesson_id_lessons")),
        sa.ForeignKeyConstraint(["student_id"], ["students.id"], name=op.f("fk_attendance_student_id_students")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance")),
        sa.UniqueConstraint("lesson_id", "student_id", name=op.f("uq_attendance_lesson_id_student_id")),
    )
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attendance_lesson_id"), ["lesson_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_attendance_student_id"), ["student_id"], unique=False)

    op.create_table(
        "class_moves",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("from_class_id", sa.Integer(), nullable=True),
        sa.Column("to_class_id", sa.Integer(), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("created_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_staff_id"], ["staff.id"], name=op.f("fk_class_moves_created_by_staff_id_staff")
        ),
        sa.ForeignKeyConstraint(["from_class_id"], ["classes.id"], name=op.f("fk_class_moves_from_class_id_classes")),
        sa.ForeignKeyConstraint(["student_id"], ["students.id"], name=op.f("fk_class_moves_student_id_students")),
        sa.ForeignKeyConstraint(["to_class_id"], ["classes.id"], name=op.f("fk_class_moves_to_class_id_classes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_class_moves")),
    )
    with op.batch_alter_table("class_moves", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_class_moves_student_id"), ["student_id"], unique=False)

    op.create_table(
        "final_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("year_id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=True),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("set_by_staff_id", sa.Integer(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["period_id"], ["periods.id"], name=op.f("fk_final_marks_period_id_periods")),
        sa.ForeignKeyConstraint(["set_by_staff_id"], ["staff.id"], name=op.f("fk_final_marks_set_by_staff_id_staff")),
        sa.ForeignKeyConstraint(["student_id"], ["students.id"], name=op.f("fk_final_marks_student_id_students")),
        sa.ForeignKeyConstraint(["subject_id"], ["subjects.id"], name=op.f("fk_final_marks_subject_id_subjects")),
        sa.ForeignKeyConstraint(["year_id"], ["academic_years.id"], name=op.f("fk_final_marks_year_id_academic_years")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_final_marks")),
        sa.UniqueConstraint(
            "student_id",
            "subject_id",
            "year_id",
            "period_id",
            name=op.f("uq_final_marks_student_id_subject_id_year_id_period_id"),
        ),
    )
    with op.batch_alter_table("final_marks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_final_marks_student_id"), ["student_id"], unique=False)

    op.create_table(
        "marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lesson_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("work_type_id", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("author_staff_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["author_staff_id"], ["staff.id"], name=op.f("fk_marks_author_staff_id_staff")),
        sa.ForeignKeyConstraint(["lesson_id"], ["lessons.id"], name=op.f("fk_marks_lesson_id_lessons")),
        sa.ForeignKeyConstraint(["student_id"], ["students.id"], name=op.f("fk_marks_student_id_students")),
        sa.ForeignKeyConstraint(["work_type_id"], ["work_types.id"], name=op.f("fk_marks_work_type_id_work_types")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marks")),
        sa.UniqueConstraint("lesson_id", "student_id", "slot", name=op.f("uq_marks_lesson_id_student_id_slot")),
    )
    with op.batch_alter_table("marks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_marks_lesson_id"), ["lesson_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_marks_student_id"), ["student_id"], unique=False)

    op.create_table(
        "parent_students",
        sa.Column("parent_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["parents.id"], name=op.f("fk_parent_students_parent_id_parents"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["student_id"], ["students.id"], name=op.f("fk_parent_students_student_id_students"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("parent_id", "student_id", name=op.f("pk_parent_students")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=True),
        sa.Column("lesson_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("actor_staff_id", sa.Integer(), nullable=True),
        sa.Column("actor_account_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_account_id"], ["accounts.id"], name=op.f("fk_audit_log_actor_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(["actor_staff_id"], ["staff.id"], name=op.f("fk_audit_log_actor_staff_id_staff")),
        sa.ForeignKeyConstraint(["lesson_id"], ["lessons.id"], name=op.f("fk_audit_log_lesson_id_lessons")),
        sa.ForeignKeyConstraint(["student_id"], ["students.id"], name=op.f("fk_audit_log_student_id_students")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_lesson_id"), ["lesson_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_student_id"), ["student_id"], unique=False)

    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("person_kind", sa.String(length=16), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_by_account_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_by_account_id", sa.Integer(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_account_id"], ["accounts.id"], name=op.f("fk_invitations_created_by_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["used_by_account_id"], ["accounts.id"], name=op.f("fk_invitations_used_by_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_invitations_code_hash")),
    )
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invitations_person_id"), ["person_id"], unique=False)

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("group_key", sa.String(length=100), nullable=True),
        sa.Column("source_entity", sa.String(length=32), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name=op.f("fk_outbox_account_id_accounts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_group_key"), ["group_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_not_before"), ["not_before"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_state"), ["state"], unique=False)

    op.create_table(
        "account_bindings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("person_kind", sa.String(length=16), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_account_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name=op.f("fk_account_bindings_account_id_accounts")),
        sa.ForeignKeyConstraint(
            ["invitation_id"], ["invitations.id"], name=op.f("fk_account_bindings_invitation_id_invitations")
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_account_id"], ["accounts.id"], name=op.f("fk_account_bindings_revoked_by_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_bindings")),
        sa.UniqueConstraint(
            "account_id", "person_kind", "person_id", name=op.f("uq_account_bindings_account_id_person_kind_person_id")
        ),
    )
    with op.batch_alter_table("account_bindings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_bindings_account_id"), ["account_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("account_bindings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_bindings_account_id"))

    op.drop_table("account_bindings")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_state"))
        batch_op.drop_index(batch_op.f("ix_outbox_not_before"))
        batch_op.drop_index(batch_op.f("ix_outbox_kind"))
        batch_op.drop_index(batch_op.f("ix_outbox_group_key"))
        batch_op.drop_index(batch_op.f("ix_outbox_account_id"))

    op.drop_table("outbox")
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invitations_person_id"))

    op.drop_table("invitations")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_student_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_lesson_id"))

    op.drop_table("audit_log")
    op.drop_table("parent_students")
    with op.batch_alter_table("marks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_marks_student_id"))
        batch_op.drop_index(batch_op.f("ix_marks_lesson_id"))

    op.drop_table("marks")
    with op.batch_alter_table("final_marks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_final_marks_student_id"))

    op.drop_table("final_marks")
    with op.batch_alter_table("class_moves", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_class_moves_student_id"))

    op.drop_table("class_moves")
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendance_student_id"))
        batch_op.drop_index(batch_op.f("ix_attendance_lesson_id"))

    op.drop_table("attendance")
    op.drop_table("accounts")
    with op.batch_alter_table("timetable", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_timetable_staff_id"))
        batch_op.drop_index(batch_op.f("ix_timetable_class_id"))

    op.drop_table("timetable")
    op.drop_table("students")
    with op.batch_alter_table("lessons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lessons_date"))
        batch_op.drop_index(batch_op.f("ix_lessons_class_id"))

    op.drop_table("lessons")
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignments_staff_id"))
        batch_op.drop_index(batch_op.f("ix_assignments_class_id"))

    op.drop_table("assignments")
    op.drop_table("staff_roles")
    op.drop_table("periods")
    op.drop_table("holidays")
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consents_person_id"))

    op.drop_table("consents")
    op.drop_table("classes")
    op.drop_table("work_types")
    op.drop_table("subjects")
    op.drop_table("staff")
    with op.batch_alter_table("sign_in_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_attempts_telegram_id"))

    op.drop_table("sign_in_attempts")
    op.drop_table("school_settings")
    op.drop_table("parents")
    op.drop_table("bells")
    op.drop_table("academic_years")
