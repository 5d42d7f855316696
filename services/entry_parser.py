"""Reading what a teacher types into the journal.

    /mark 5А матем 27.11/3 #контр 1:5 2:3/4 12:н // причина
    /homework 5А русский язык 27.11 упр. 112
    3 5, 7 4, 12 н            (a line typed while a lesson is open)

Pure: no database and no Telegram. The journal service hands in the school's names as a
`Catalog`, and acts on what comes back. Every refusal is a ValidationFailed naming the bad piece,
raised before anything is written.

Values (one per student and kind in a command):
    2 … 5        a mark (1 too where the school allows it); «3/4» = two marks for one lesson
    н б оп       the teacher's attendance codes (уп, нп are the class teacher's: refused)
    - x ✖        remove the student's marks in this lesson
    +            the student was present: remove the attendance entry
A correction's reason follows `//` (or «причина:») at the end of a command or line.

One module past 400 lines because it is one grammar: values, dates, names and whole commands are read
by one another, and split up they would scatter one small language over several files.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from models import TEACHER_CODES, AttendanceCode
from services.errors import Listing, ValidationFailed
from services.names import normalize_class_name, normalize_text_key, split_class_name
from services.school_import.sheets import first_year_of_school_year

REMOVE_TOKENS = frozenset({"-", "x", "х", "✖", "×"})  # Latin x, Cyrillic х
PRESENT_TOKEN = "+"
_REASON = re.compile(r"//|\bпричина\s*:|\breason\s*:", re.IGNORECASE)
_ITEM = re.compile(r"^(\d+):(.*)$")
_DOTTED_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})(?:\.(\d{4}))?\.?(?:/(\d{1,2}))?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:/(\d{1,2}))?$")
_MARKS = re.compile(r"^\d+(?:/\d+)*$")
_WORD = re.compile(r"\S+")
# «англ/2»: the subject's last word with the group after a slash (services.subgroups)
_GROUP = re.compile(r"^(.*\S)/(\w{1,20})$")
HIGHEST_MARK = 5
MAX_LESSON_NO = 12
MAX_REASON_LENGTH = 500  # a note, repeated in every family's notice of the change and in the audit
# Python refuses to read an integer of more than 4,300 digits; nothing the journal asks for (a №, a
# mark) comes near this many, so a longer number is simply not one of them.
MAX_DIGITS = 9


@dataclass(frozen=True)
class Named:
    id: int
    name: str


@dataclass(frozen=True)
class Catalog:
    """The names a command may use, and what a bare «DD.MM» means today."""

    classes: dict[str, Named]  # normalised class name → class
    subjects: tuple[Named, ...]
    work_types: tuple[Named, ...]
    today: dt.date
    allow_mark_one: bool = False
    year_start: dt.date | None = None  # the academic year a «DD.MM» falls in (date_without_year)
    year_end: dt.date | None = None
    class_subjects: dict[int, frozenset[int]] = field(default_factory=dict)  # subjects a class has
    split: frozenset[tuple[int, int]] = frozenset()  # (class, subject) taught in groups (services.subgroups)

    @property
    def lowest_mark(self) -> int:
        return 1 if self.allow_mark_one else 2


class ValueKind(str, enum.Enum):
    MARKS = "marks"
    REMOVE_MARKS = "remove_marks"
    ATTENDANCE = "attendance"
    PRESENT = "present"

    @property
    def is_mark(self) -> bool:
        return self in (ValueKind.MARKS, ValueKind.REMOVE_MARKS)


@dataclass(frozen=True)
class EntryValue:
    kind: ValueKind
    marks: tuple[int, ...] = ()
    code: AttendanceCode | None = None

    @property
    def token(self) -> str:
        """The typed form, which parse_value reads back: '3/4', 'н', '-', '+'."""
        if self.kind is ValueKind.MARKS:
            return "/".join(str(mark) for mark in self.marks)
        if self.kind is ValueKind.ATTENDANCE:
            assert self.code is not None
            return self.code.value
        return "-" if self.kind is ValueKind.REMOVE_MARKS else PRESENT_TOKEN


@dataclass(frozen=True)
class EntryItem:
    number: int  # № in the class list on the lesson's date
    value: EntryValue

    @property
    def token(self) -> str:
        return f"{self.number}:{self.value.token}"


@dataclass(frozen=True)
class DateRef:
    date: dt.date
    lesson_no: int | None = None  # given as DATE/LESSON_NO


@dataclass(frozen=True)
class MarkCommand:
    school_class: Named
    subject: Named
    date: dt.date | None  # None: today
    lesson_no: int | None
    work_type: Named | None
    items: tuple[EntryItem, ...]
    reason: str
    subgroup: str | None = None  # «англ/2»; None: not said


@dataclass(frozen=True)
class TextCommand:
    """/homework and /topic: a lesson and a text."""

    school_class: Named
    subject: Named
    date: dt.date | None
    lesson_no: int | None
    text: str
    subgroup: str | None = None


# --- values and items ------------------------------------------------------------------------


def parse_value(raw: str, *, allow_mark_one: bool = False, item: str | None = None) -> EntryValue:
    """One value as typed after «№:». `item` names the whole piece in messages (default: the value)."""
    item = item or raw
    token = raw.strip()
    if token.lower() in REMOVE_TOKENS:
        return EntryValue(ValueKind.REMOVE_MARKS)
    if token == PRESENT_TOKEN:
        return EntryValue(ValueKind.PRESENT)
    if _MARKS.match(token):
        parts = token.split("/")
        if len(parts) > 2:
            raise ValidationFailed("entry-too-many-marks", item=item)
        lowest = 1 if allow_mark_one else 2
        marks = tuple(_number(part) for part in parts)
        for part, mark in zip(parts, marks):
            if mark is None or not lowest <= mark <= HIGHEST_MARK:
                raise ValidationFailed("entry-bad-mark", item=item, mark=part if mark is None else mark, lowest=lowest)
        return EntryValue(ValueKind.MARKS, marks=tuple(mark for mark in marks if mark is not None))
    code = normalize_class_name(token).lower()  # case and Latin look-alikes, as class names: «H» = «н»
    if code in {c.value for c in AttendanceCode}:
        attendance = AttendanceCode(code)
        if attendance not in TEACHER_CODES:
            raise ValidationFailed("entry-class-teacher-code", item=item, code=attendance.value)
        return EntryValue(ValueKind.ATTENDANCE, code=attendance)
    raise ValidationFailed("entry-bad-value", item=item)


def parse_item(raw: str, *, allow_mark_one: bool = False) -> EntryItem:
    """«3:5» (also «3 5» when the caller split it so)."""
    match = _ITEM.match(raw.strip())
    number = _number(match.group(1)) if match else None
    if match is None or number is None or not match.group(2):
        raise ValidationFailed("entry-bad-item", item=raw.strip())
    return EntryItem(number, parse_value(match.group(2), allow_mark_one=allow_mark_one, item=raw.strip()))


def _number(digits: str) -> int | None:
    """The value of a run of digits; None when it is longer than any number the journal asks for."""
    significant = digits.lstrip("0") or "0"
    return int(significant) if len(significant) <= MAX_DIGITS else None


def parse_line(text: str, *, allow_mark_one: bool = False) -> tuple[tuple[EntryItem, ...], str]:
    """A line typed in an open lesson: «3 5, 7 4, 12 н» or «3:5 7:4», optionally «// reason»."""
    body, reason = split_reason(text)
    items: list[EntryItem] = []
    for chunk in re.split(r"[,;\n]", body):
        words = chunk.split()
        if not words:
            continue
        if all(":" in word for word in words):
            items.extend(parse_item(word, allow_mark_one=allow_mark_one) for word in words)
        elif len(words) == 2 and words[0].isdigit():
            items.append(parse_item(f"{words[0]}:{words[1]}", allow_mark_one=allow_mark_one))
        else:
            raise ValidationFailed("entry-bad-item", item=chunk.strip())
    if not items:
        raise ValidationFailed("entry-no-items")
    check_no_repeats(items)
    return tuple(items), reason


def check_no_repeats(items: Sequence[EntryItem]) -> None:
    """One mark value and one attendance value per student and command (a mark and «оп» may go together)."""
    seen: set[tuple[int, bool]] = set()
    for item in items:
        key = (item.number, item.value.kind.is_mark)
        if key in seen:
            raise ValidationFailed("entry-repeated-student", number=item.number)
        seen.add(key)


def split_reason(text: str) -> tuple[str, str]:
    """'1:5 2:4 // typo' → ('1:5 2:4', 'typo'); also «причина: …» / «reason: …»."""
    match = _REASON.search(text)
    if match is None:
        return text, ""
    return text[: match.start()], checked_reason(text[match.end() :])


def checked_reason(text: str) -> str:
    """A correction's reason on one line; refused when longer than MAX_REASON_LENGTH."""
    reason = " ".join(text.split())
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationFailed("entry-reason-too-long", limit=MAX_REASON_LENGTH)
    return reason


# --- dates ---------------------------------------------------------------------------------


def parse_date(
    token: str, *, today: dt.date, year_start: dt.date | None = None, year_end: dt.date | None = None
) -> DateRef | None:
    """DD.MM, DD.MM.YYYY or YYYY-MM-DD, each optionally /LESSON_NO; None when not date-shaped.

    A bare DD.MM is read by date_without_year. A date-shaped token that is no date (31.02) is refused.
    """
    dotted = _DOTTED_DATE.match(token)
    iso = _ISO_DATE.match(token) if dotted is None else None
    if dotted is None and iso is None:
        return None
    try:
        if iso is not None:
            day = dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
            lesson = iso.group(4)
        else:
            assert dotted is not None
            day_no, month, year, lesson = int(dotted.group(1)), int(dotted.group(2)), dotted.group(3), dotted.group(4)
            if year is not None:
                day = dt.date(int(year), month, day_no)
            else:
                day = date_without_year(day_no, month, today=today, year_start=year_start, year_end=year_end)
    except ValueError:
        raise ValidationFailed("entry-bad-date", text=token) from None
    lesson_no = None
    if lesson is not None:
        lesson_no = int(lesson)
        if not 1 <= lesson_no <= MAX_LESSON_NO:
            raise ValidationFailed("entry-bad-lesson-no", text=token)
    return DateRef(day, lesson_no)


def date_without_year(
    day_no: int, month: int, *, today: dt.date, year_start: dt.date | None = None, year_end: dt.date | None = None
) -> dt.date:
    """The day a bare DD.MM means: during the school year, its date inside the school year
    (`year_start`..`year_end`, by default 1 September to 31 May of the school year `today` belongs to);
    otherwise (a summer date, or typed in the summer) the date nearest to today, the earlier on a tie.
    So «31.08» typed in November is the August just gone, «20.09» typed in March is this year's
    September. Raises ValueError for no date in any year (31.02)."""
    if year_start is None:
        year_start = dt.date(first_year_of_school_year(today), 9, 1)
    if year_end is None:
        year_end = dt.date(year_start.year + 1, 5, 31)
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(dt.date(year, month, day_no))
        except ValueError:
            continue  # 29.02 of a year without it
    if not candidates:
        raise ValueError(f"no {day_no:02}.{month:02} in any year")
    if year_start <= today <= year_end:
        inside = [day for day in candidates if year_start <= day <= year_end]
        if inside:
            return inside[0]
    return min(candidates, key=lambda day: (abs((day - today).days), day))


# --- names ---------------------------------------------------------------------------------


def match_names(words: Sequence[str], candidates: Sequence[Named]) -> list[Named]:
    """Candidates the typed words name: the whole name case-insensitively, else a prefix of it
    (word by word too: «рус яз» → «Русский язык»)."""
    key = normalize_text_key(" ".join(words))
    if not key:
        return []
    keyed = [(normalize_text_key(c.name), c) for c in candidates]
    exact = [c for name, c in keyed if name == key]
    if exact:
        return exact
    typed = key.split()
    return [
        c
        for name, c in keyed
        if name.startswith(key)
        or (len(typed) <= len(name.split()) and all(w.startswith(t) for t, w in zip(typed, name.split())))
    ]


def resolve_class(token: str, catalog: Catalog) -> Named:
    found = catalog.classes.get(normalize_class_name(token))
    if found is None:
        raise ValidationFailed("entry-unknown-class", name=token)
    return found


def looks_like_class(token: str) -> bool:
    """Whether a first argument is meant as a class name (5А, 5a, 11-Б), not a word like «week»."""
    return split_class_name(token) is not None


def subject_matches(words: Sequence[str], catalog: Catalog, class_id: int) -> list[Named]:
    """The class's own subjects first: «лит» in 5А is литература even if 1А has литературное чтение."""
    own = catalog.class_subjects.get(class_id, frozenset())
    found = match_names(words, [s for s in catalog.subjects if s.id in own])
    return found or match_names(words, catalog.subjects)


def resolve_subject(words: Sequence[str], catalog: Catalog, class_id: int) -> Named:
    """All of `words` name one subject."""
    found = subject_matches(words, catalog, class_id)
    typed = " ".join(words)
    if not found:
        raise ValidationFailed("entry-unknown-subject", name=typed, known=_listing(catalog.subjects))
    if len(found) > 1:
        raise ValidationFailed("entry-ambiguous-subject", name=typed, candidates=_listing(found))
    return found[0]


def resolve_subject_prefix(words: Sequence[str], catalog: Catalog, class_id: int) -> tuple[Named, int]:
    """The longest run of leading `words` that names a subject, and how many words it took."""
    for count in range(len(words), 0, -1):
        found = subject_matches(words[:count], catalog, class_id)
        if len(found) == 1:
            return found[0], count
        if len(found) > 1:
            raise ValidationFailed("entry-ambiguous-subject", name=" ".join(words[:count]), candidates=_listing(found))
    raise ValidationFailed("entry-unknown-subject", name=words[0] if words else "", known=_listing(catalog.subjects))


def split_group(words: Sequence[str]) -> tuple[list[str], str | None]:
    """The subject's words and the group typed after its last word («англ/2»), if any."""
    words = list(words)
    found = _GROUP.match(words[-1]) if words else None
    if found is None:
        return words, None
    return [*words[:-1], found.group(1)], found.group(2)


def resolve_work_type(token: str, catalog: Catalog) -> Named:
    """«#контр» → контрольная работа (the # already stripped or not)."""
    name = token.lstrip("#")
    found = match_names(name.split("_"), catalog.work_types)
    if not found:
        raise ValidationFailed("entry-unknown-work-type", name=name, known=_listing(catalog.work_types))
    if len(found) > 1:
        raise ValidationFailed("entry-ambiguous-work-type", name=name, candidates=_listing(found))
    return found[0]


def _listing(named: Sequence[Named]) -> Listing:
    return Listing(", ".join(sorted(n.name for n in named)))


# --- whole commands ------------------------------------------------------------------------


def parse_mark_command(args: str, catalog: Catalog) -> MarkCommand:
    """`CLASS SUBJECT [DATE[/LESSON_NO]] [#WORKTYPE] №:VALUE … [// reason]` (the text after /mark)."""
    body, reason = split_reason(args)
    words = body.split()
    if len(words) < 2:
        raise ValidationFailed("entry-usage-mark")
    school_class = resolve_class(words[0], catalog)
    rest = words[1:]
    first_special = next((i for i, word in enumerate(rest) if _ends_subject(word)), len(rest))
    if first_special == 0:
        raise ValidationFailed("entry-usage-mark")
    subject_words, subgroup = split_group(rest[:first_special])
    subject = resolve_subject(subject_words, catalog, school_class.id)
    date_ref: DateRef | None = None
    work_type: Named | None = None
    items: list[EntryItem] = []
    for word in rest[first_special:]:
        if _ITEM.match(word) or items:
            items.append(parse_item(word, allow_mark_one=catalog.allow_mark_one))
        elif word.startswith("#") and work_type is None:
            work_type = resolve_work_type(word, catalog)
        elif date_ref is None and (
            parsed := parse_date(word, today=catalog.today, year_start=catalog.year_start, year_end=catalog.year_end)
        ):
            date_ref = parsed
        else:
            raise ValidationFailed("entry-bad-item", item=word)
    if not items:
        raise ValidationFailed("entry-no-items")
    check_no_repeats(items)
    return MarkCommand(
        school_class,
        subject,
        date_ref.date if date_ref else None,
        date_ref.lesson_no if date_ref else None,
        work_type,
        tuple(items),
        reason,
        subgroup,
    )


def _ends_subject(word: str) -> bool:
    """Where a /mark subject's words end: a date, a #work type or an item."""
    return word.startswith("#") or _ITEM.match(word) is not None or _is_date_shaped(word)


def _is_date_shaped(word: str) -> bool:
    return _DOTTED_DATE.match(word) is not None or _ISO_DATE.match(word) is not None


def parse_text_command(args: str, catalog: Catalog, *, usage_key: str) -> TextCommand:
    """`CLASS SUBJECT [DATE[/LESSON_NO]] TEXT` (/homework, /topic); the text is kept as typed."""
    spans = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(args)]
    if len(spans) < 2:
        raise ValidationFailed(usage_key)
    school_class = resolve_class(spans[0][0], catalog)
    words = [word for word, _, _ in spans[1:]]
    before_date = next((i for i, word in enumerate(words) if _is_date_shaped(word)), len(words))
    if before_date == 0:
        raise ValidationFailed(usage_key)
    subject, used, subgroup = _subject_and_group(words[:before_date], catalog, school_class.id)
    position = 1 + used  # index into spans of the first word after the subject
    date_ref = None
    if position < len(spans):
        date_ref = parse_date(
            spans[position][0], today=catalog.today, year_start=catalog.year_start, year_end=catalog.year_end
        )
        if date_ref is not None:
            position += 1
    text = args[spans[position][1] :].strip() if position < len(spans) else ""
    if not text:
        raise ValidationFailed("entry-no-text")
    return TextCommand(
        school_class,
        subject,
        date_ref.date if date_ref else None,
        date_ref.lesson_no if date_ref else None,
        text,
        subgroup,
    )


def _subject_and_group(words: Sequence[str], catalog: Catalog, class_id: int) -> tuple[Named, int, str | None]:
    """The leading words that name a subject, how many they are, and the group after the last («англ/2»):
    the text follows, so the subject ends at the first word with a group. Only a subject the class
    learns in groups takes one: otherwise a slash belongs to the text («физ к/р по бегу», «стр. 12/13»)."""
    with_group = next((i for i, word in enumerate(words) if _GROUP.match(word)), None)
    if with_group is not None:
        subject_words, subgroup = split_group(words[: with_group + 1])
        try:
            subject = resolve_subject(subject_words, catalog, class_id)
        except ValidationFailed:
            subject = None  # a slash in the text: the subject is before it
        if subject is not None and (class_id, subject.id) in catalog.split:
            return subject, with_group + 1, subgroup
    subject, used = resolve_subject_prefix(words, catalog, class_id)
    return subject, used, None
