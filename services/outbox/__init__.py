"""The outbox: every message to someone other than its writer is a row here, written in the same
transaction as the change that causes it; the delivery worker (services.delivery) sends it later.

A row holds a typed notice (services.notices), written by notices.payload_of; the worker renders it
in the recipient's language when it sends it (bot.outbound.render).

What writers call is here, at the package's top:

* notify_family, notify_families, notify_homework (services.outbox.family): what happened to a
  student, for the family, under their preferences and the grace window (services.outbox.grace);
* comment_pending_mark (services.outbox.grace): a comment into a pending message about marks;
* enqueue and NoticeQueue (services.outbox.rows): a row for one account, or many for a job.

Who hears about a student is services.outbox.recipients'; the counts for /status, services.outbox.status'.
"""

from __future__ import annotations

from services.outbox.family import FamilyNotice, notify_families, notify_family, notify_homework
from services.outbox.grace import comment_pending_mark
from services.outbox.rows import NoticeQueue, enqueue

__all__ = [
    "FamilyNotice",
    "NoticeQueue",
    "comment_pending_mark",
    "enqueue",
    "notify_families",
    "notify_family",
    "notify_homework",
]
