"""Personal-data consents (regulation 3.2): the rules, with no database and no chat.

Each parent signs a consent (or its withdrawal) for each of their children; from 14 the pupil signs
their own as well. Statements are kept in the order they were signed: what stands for a person and a
pupil is their latest statement. The chat (services.consents) and the school import
(services.school_import.consents) record statements by the same rules, so each refusal is a code
here that each of them words in its own way.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from models import Consent, PersonKind

OWN_CONSENT_AGE = 14  # from 14 a pupil signs for their own data
MAX_DOCUMENT_LENGTH = Consent.__table__.c.document.type.length

GIVEN_WORDS = frozenset({"дано", "дан", "дал", "дала", "да", "given", "give", "yes", "+", "1", "true"})
WITHDRAWN_WORDS = frozenset(
    {"отозвано", "отозван", "отозвал", "отозвала", "отзыв", "нет", "withdrawn", "withdraw", "no", "-", "0", "false"}
)
# In place of a parent's id: the pupil signs for themself.
SELF_WORDS = frozenset({"сам", "сама", "ученик", "ученица", "self", "student", "pupil"})


def parse_given(word: str) -> bool | None:
    """'дано' → True, 'отозвано' → False, anything else None."""
    word = word.strip().casefold()
    if word in GIVEN_WORDS:
        return True
    if word in WITHDRAWN_WORDS:
        return False
    return None


class Signer(NamedTuple):
    kind: PersonKind  # PARENT, or STUDENT: the pupil themself
    person_id: int


class Statement(NamedTuple):
    given: bool
    signed_on: dt.date
    document: str


class Refusal(str, enum.Enum):
    """Why a statement may not be recorded; each has a message in the chat and a reason in the import."""

    FUTURE = "future"  # signed on a day that has not come
    AGE_UNKNOWN = "age-unknown"  # the pupil's own consent, no birth date in the journal
    TOO_YOUNG = "too-young"  # the pupil's own consent before 14
    BEFORE_LATEST = "before-latest"  # dated before a statement already recorded for this person
    NOTHING_TO_WITHDRAW = "nothing-to-withdraw"  # a withdrawal where no consent stands


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def signs_own(birth_date: dt.date | None, day: dt.date) -> bool:
    """Is the pupil old enough on `day` to sign for their own data? Unknown age: no."""
    return birth_date is not None and age_on(birth_date, day) >= OWN_CONSENT_AGE


def refusal(
    latest: Statement | None, new: Statement, *, today: dt.date, own: bool, birth_date: dt.date | None
) -> Refusal | None:
    """The rule `new` breaks after `latest` (that person's latest statement for the pupil), if any."""
    if new.signed_on > today:
        return Refusal.FUTURE
    if own and birth_date is None:
        return Refusal.AGE_UNKNOWN
    if own and not signs_own(birth_date, new.signed_on):
        return Refusal.TOO_YOUNG
    if latest is not None and new.signed_on < latest.signed_on:
        return Refusal.BEFORE_LATEST
    if not new.given and (latest is None or not latest.given):
        return Refusal.NOTHING_TO_WITHDRAW
    return None


def stands(history: Sequence[Statement]) -> bool:
    """Does a consent stand after these statements (oldest first)? The latest one says."""
    return bool(history) and history[-1].given


def signers_needed(
    student_id: int, parent_ids: Iterable[int], birth_date: dt.date | None, today: dt.date
) -> list[Signer]:
    """Whose consent the pupil's set of documents needs today: every parent, and the pupil from 14."""
    needed = [Signer(PersonKind.PARENT, parent_id) for parent_id in parent_ids]
    if signs_own(birth_date, today):
        needed.append(Signer(PersonKind.STUDENT, student_id))
    return needed
