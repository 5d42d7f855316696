"""SQLAlchemy models. Importing this package registers every table on `Base.metadata`."""
from models.accounts import (
    Account,
    AccountBinding,
    Consent,
    Invitation,
    InviteRole,
    PersonKind,
    SignInAttempt,
)
from models.base import Base, UTCDateTime, utcnow
from models.journal import (
    EXPLANATION_CODES,
    TEACHER_CODES,
    Attendance,
    AttendanceCode,
    AuditAction,
    AuditEntry,
    FinalMark,
    Lesson,
    LessonChange,
    LessonChangeKind,
    Mark,
    WorkType,
)
from models.locks import ProcessLock
from models.messaging import (
    Broadcast,
    BroadcastReceipt,
    ChatMessageLink,
    Conversation,
    DeliveryMode,
    ExplanationProposal,
    NotificationKind,
    NotificationPreference,
    RelayedMessage,
)
from models.operations import BackupRecord, JobRun, OverdueEntry
from models.outbox import OutboxMessage, OutboxState
from models.school import (
    AcademicYear,
    BellTime,
    ClassMove,
    ClassNumber,
    Holiday,
    MoveKind,
    Parent,
    ParentStudent,
    Period,
    SchoolClass,
    SchoolSettings,
    Staff,
    StaffRole,
    StaffRoleGrant,
    Student,
    StudentStatus,
    SubgroupMember,
    Subject,
    TeachingAssignment,
    TimetableEntry,
)

__all__ = [
    "BackupRecord", "Broadcast", "BroadcastReceipt", "ChatMessageLink", "Conversation", "DeliveryMode",
    "ExplanationProposal", "JobRun", "NotificationKind", "NotificationPreference", "OverdueEntry",
    "ProcessLock", "RelayedMessage",
    "Account", "AccountBinding", "AcademicYear", "Attendance", "AttendanceCode", "AuditAction",
    "AuditEntry", "Base", "BellTime", "ClassMove", "ClassNumber", "Consent", "EXPLANATION_CODES", "FinalMark",
    "Holiday", "Invitation", "InviteRole", "Lesson", "LessonChange", "LessonChangeKind", "Mark", "MoveKind",
    "OutboxMessage",
    "OutboxState", "Parent", "ParentStudent", "Period", "PersonKind", "SchoolClass",
    "SchoolSettings", "SignInAttempt", "Staff", "StaffRole", "StaffRoleGrant", "Student",
    "StudentStatus", "Subject", "SubgroupMember", "TEACHER_CODES", "TeachingAssignment", "TimetableEntry",
    "UTCDateTime", "WorkType", "utcnow",
]

# Registers the events that move school_settings.reference_version with every reference change.
import models.reference_version  # noqa: E402,F401
