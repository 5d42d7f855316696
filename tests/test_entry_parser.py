"""What a teacher types: every form of `/mark`, `/homework`, `/topic` and the lesson line, and each
mistake with the message the teacher reads (the parser needs no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.i18n import get_translator
from models import AttendanceCode
from services.entry_parser import (
    Catalog,
    EntryItem,
    EntryValue,
    Named,
    ValueKind,
    looks_like_class,
    parse_date,
    parse_line,
    parse_mark_command,
    parse_text_command,
    parse_value,
    split_reason,
)
from services.errors import DomainError

TODAY = dt.date(2026, 11, 26)
MATH, RUSSIAN, LITERATURE, READING, ENGLISH = (
    Named(1, "Математика"),
    Named(2, "Русский язык"),
    Named(3, "Литература"),
    Named(4, "Литературное чтение"),
    Named(5, "Английский язык"),
)
CLASS_5A, CLASS_1A = Named(10, "5А"), Named(11, "1А")
LESSON, TEST, DICTATION = (
    Named(20, "работа на уроке"),
    Named(21, "контрольная работа"),
    Named(22, "контрольный диктант"),
)
CATALOG = Catalog(
    classes={"5А": CLASS_5A, "1А": CLASS_1A},
    subjects=(MATH, RUSSIAN, LITERATURE, READING, ENGLISH),
    work_types=(LESSON, TEST, DICTATION),
    today=TODAY,
    year_start=dt.date(2026, 9, 1),
    class_subjects={CLASS_5A.id: frozenset({1, 2, 3, 5}), CLASS_1A.id: frozenset({1, 2, 4})},
)


def refusal(call, *args, **kwargs) -> str:
    """The message the teacher reads when the parser refuses."""
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    return get_translator("ru")(caught.value.key, **caught.value.args_for_message)


def marks(*values: int) -> EntryValue:
    return EntryValue(ValueKind.MARKS, marks=values)


def code(value: AttendanceCode) -> EntryValue:
    return EntryValue(ValueKind.ATTENDANCE, code=value)


# --- /mark: the whole command ----------------------------------------------------------------


def test_the_issue_example_parses_into_class_subject_and_items() -> None:
    command = parse_mark_command("5А математика 3:5 7:4 12:н", CATALOG)
    assert (command.school_class, command.subject, command.date, command.lesson_no) == (CLASS_5A, MATH, None, None)
    assert command.work_type is None and command.reason == ""
    assert command.items == (EntryItem(3, marks(5)), EntryItem(7, marks(4)), EntryItem(12, code(AttendanceCode.ABSENT)))


def test_second_example_with_latin_class_prefix_date_work_type_and_two_marks() -> None:
    command = parse_mark_command("5a матем 27.11 #контрольная 1:5 2:3/4", CATALOG)
    assert command.school_class == CLASS_5A
    assert command.subject == MATH
    assert command.date == dt.date(2026, 11, 27)
    assert command.work_type == TEST
    assert command.items == (EntryItem(1, marks(5)), EntryItem(2, marks(3, 4)))


@pytest.mark.parametrize("typed", ["5А", "5а", "5a", "5A", "5-а"])
def test_class_matched_like_the_import(typed: str) -> None:
    assert parse_mark_command(f"{typed} матем 1:5", CATALOG).school_class == CLASS_5A


@pytest.mark.parametrize(
    "typed, subject",
    [
        ("математика", MATH),
        ("МАТЕМ", MATH),
        ("м", MATH),
        ("русский язык", RUSSIAN),
        ("Русский ЯЗЫК", RUSSIAN),
        ("рус яз", RUSSIAN),
        ("рус", RUSSIAN),
        ("англ", ENGLISH),
        ("литература", LITERATURE),
    ],
)
def test_subject_by_case_insensitive_prefix_multi_word_too(typed: str, subject: Named) -> None:
    assert parse_mark_command(f"5А {typed} 1:5", CATALOG).subject == subject


def test_subject_prefix_prefers_the_class_own_subjects() -> None:
    # 5А has литература only; 1А has литературное чтение only.
    assert parse_mark_command("5А лит 1:5", CATALOG).subject == LITERATURE
    assert parse_mark_command("1А лит 1:н", CATALOG).subject == READING


def test_ambiguous_subject_is_asked_back_with_the_candidates() -> None:
    catalog = Catalog(**{**CATALOG.__dict__, "class_subjects": {}})
    assert refusal(parse_mark_command, "5А лит 1:5", catalog) == (
        "«лит» подходит к нескольким предметам: Литература, Литературное чтение. Напишите точнее."
    )


def test_unknown_class_and_subject_are_named() -> None:
    assert refusal(parse_mark_command, "7Я матем 1:5", CATALOG) == "Класса «7Я» в школе нет."
    assert refusal(parse_mark_command, "5А физика 1:5", CATALOG) == (
        "Предмета «физика» нет. Предметы школы: Английский язык, Литература, Литературное чтение, "
        "Математика, Русский язык."
    )


@pytest.mark.parametrize(
    "typed, date, lesson_no",
    [
        ("27.11", dt.date(2026, 11, 27), None),
        ("15.01", dt.date(2027, 1, 15), None),  # DD.MM: within the current academic year
        ("01.09", dt.date(2026, 9, 1), None),
        ("27.11.2026", dt.date(2026, 11, 27), None),
        ("2026-11-27", dt.date(2026, 11, 27), None),
        ("27.11/3", dt.date(2026, 11, 27), 3),
        ("27.11.2026/2", dt.date(2026, 11, 27), 2),
        ("2026-11-27/4", dt.date(2026, 11, 27), 4),
    ],
)
def test_each_date_form(typed: str, date: dt.date, lesson_no: int | None) -> None:
    command = parse_mark_command(f"5А матем {typed} 1:5", CATALOG)
    assert (command.date, command.lesson_no) == (date, lesson_no)


def test_dd_mm_without_a_known_year_uses_the_school_year_of_today() -> None:
    assert parse_date("15.01", today=dt.date(2026, 11, 26)).date == dt.date(2027, 1, 15)
    assert parse_date("20.09", today=dt.date(2027, 3, 1)).date == dt.date(2026, 9, 20)
    assert parse_date("урок", today=TODAY) is None


@pytest.mark.parametrize(
    "typed, today, meant",
    [
        ("31.08", dt.date(2026, 11, 20), dt.date(2026, 8, 31)),  # the August just gone, not next August
        ("15.06", dt.date(2026, 11, 20), dt.date(2026, 6, 15)),  # last June is nearer than next
        ("01.09", dt.date(2027, 5, 20), dt.date(2026, 9, 1)),  # this school year's, though next is nearer
        ("25.05", dt.date(2026, 9, 3), dt.date(2027, 5, 25)),  # within the school year, months ahead
        ("25.05", dt.date(2026, 8, 20), dt.date(2026, 5, 25)),  # in the summer: the nearest
        ("01.09", dt.date(2026, 8, 20), dt.date(2026, 9, 1)),
        ("29.02", dt.date(2027, 11, 20), dt.date(2028, 2, 29)),  # the only one there is
    ],
)
def test_a_date_without_a_year_is_the_one_of_the_school_year_or_the_nearest(
    typed: str, today: dt.date, meant: dt.date
) -> None:
    year_start = dt.date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    assert (
        parse_date(
            typed,
            today=today,
            year_start=year_start,
            year_end=year_start.replace(year=year_start.year + 1, month=5, day=31),
        ).date
        == meant
    )
    assert parse_date(typed, today=today).date == meant  # the default school year: September to May


def test_impossible_dates_and_lesson_numbers_are_refused() -> None:
    assert refusal(parse_mark_command, "5А матем 31.02 1:5", CATALOG) == (
        "Даты «31.02» не бывает. Пишите 27.11, 27.11.2026 или 2026-11-27."
    )
    assert refusal(parse_mark_command, "5А матем 2026-13-01 1:5", CATALOG) == (
        "Даты «2026-13-01» не бывает. Пишите 27.11, 27.11.2026 или 2026-11-27."
    )
    assert refusal(parse_mark_command, "5А матем 27.11/0 1:5", CATALOG) == (
        "В «27.11/0» неверный номер урока: после косой черты — номер урока от 1 до 12."
    )


@pytest.mark.parametrize(
    "typed, work_type", [("#контрольная", TEST), ("#КОНТРОЛЬНАЯ_РАБОТА", TEST), ("#работа", LESSON), ("#р", LESSON)]
)
def test_work_type_by_prefix(typed: str, work_type: Named) -> None:
    assert parse_mark_command(f"5А матем {typed} 1:5", CATALOG).work_type == work_type


def test_work_type_after_the_date_or_before_it() -> None:
    command = parse_mark_command("5А матем #контрольная 27.11 1:5", CATALOG)
    assert (command.work_type, command.date) == (TEST, dt.date(2026, 11, 27))


def test_unknown_and_ambiguous_work_types() -> None:
    assert refusal(parse_mark_command, "5А матем #зачёт 1:5", CATALOG) == (
        "Вида работы «зачёт» нет. Виды работ: контрольная работа, контрольный диктант, работа на уроке."
    )
    assert refusal(parse_mark_command, "5А матем #контр 1:5", CATALOG) == (
        "«контр» подходит к нескольким видам работ: контрольная работа, контрольный диктант. Напишите точнее."
    )


# --- values ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, value",
    [
        ("5", marks(5)),
        ("2", marks(2)),
        ("3/4", marks(3, 4)),
        ("н", code(AttendanceCode.ABSENT)),
        ("Н", code(AttendanceCode.ABSENT)),
        ("H", code(AttendanceCode.ABSENT)),
        ("б", code(AttendanceCode.ILL)),
        ("оп", code(AttendanceCode.LATE)),
        ("ОП", code(AttendanceCode.LATE)),
        ("-", EntryValue(ValueKind.REMOVE_MARKS)),
        ("x", EntryValue(ValueKind.REMOVE_MARKS)),
        ("х", EntryValue(ValueKind.REMOVE_MARKS)),
        ("✖", EntryValue(ValueKind.REMOVE_MARKS)),
        ("+", EntryValue(ValueKind.PRESENT)),
    ],
)
def test_values(typed: str, value: EntryValue) -> None:
    assert parse_value(typed) == value
    assert parse_value(value.token) == value  # the token round-trips (buttons and pending corrections)


def test_mark_one_only_where_the_school_allows_it() -> None:
    assert refusal(parse_value, "1") == "«1»: отметки 1 не бывает — ставятся отметки от 2 до 5."
    assert parse_value("1", allow_mark_one=True) == marks(1)
    catalog = Catalog(**{**CATALOG.__dict__, "allow_mark_one": True})
    assert parse_mark_command("5А матем 3:1", catalog).items == (EntryItem(3, marks(1)),)


def test_bad_values_name_the_item() -> None:
    assert refusal(parse_mark_command, "5А матем 3:7", CATALOG) == (
        "«3:7»: отметки 7 не бывает — ставятся отметки от 2 до 5."
    )
    assert refusal(parse_mark_command, "5А матем 3:3/4/5", CATALOG) == (
        "«3:3/4/5»: за один урок — не больше двух отметок (3/4)."
    )
    assert refusal(parse_mark_command, "5А матем 3:ы", CATALOG) == (
        "«3:ы»: непонятное значение. Можно: 2–5, 3/4, н, б, оп, - (убрать отметки), + (был на уроке)."
    )
    assert refusal(parse_mark_command, "5А матем 3:5 хорошо", CATALOG) == (
        "Не понял «хорошо»: пишите номер ученика и значение, например 3:5 или 12:н."
    )


@pytest.mark.parametrize("typed", ["уп", "нп", "УП"])
def test_class_teacher_codes_are_refused_saying_whose_they_are(typed: str) -> None:
    assert refusal(parse_mark_command, f"5А матем 4:{typed}", CATALOG) == (
        f"«4:{typed}»: «{typed.lower()}» ставит классный руководитель, когда объясняет пропуск. "
        "Учитель отмечает н, б или оп."
    )


def test_one_bad_item_refuses_the_whole_command() -> None:
    # Parsing is all-or-nothing: the good items before the bad one are not returned.
    assert "7" in refusal(parse_mark_command, "5А матем 1:5 2:4 3:7 4:5", CATALOG)


def test_a_student_twice_is_refused_but_a_mark_and_lateness_go_together() -> None:
    assert refusal(parse_mark_command, "5А матем 3:5 3:4", CATALOG) == (
        "Ученик № 3 встречается в команде дважды: оставьте одно значение."
    )
    command = parse_mark_command("5А матем 3:оп 3:5", CATALOG)
    assert command.items == (EntryItem(3, code(AttendanceCode.LATE)), EntryItem(3, marks(5)))


def test_missing_pieces() -> None:
    assert refusal(parse_mark_command, "5А", CATALOG).startswith("Не хватает частей команды.")
    assert refusal(parse_mark_command, "5А 3:5", CATALOG).startswith("Не хватает частей команды.")
    assert refusal(parse_mark_command, "5А матем 27.11", CATALOG).startswith("Нет ни одной записи")


@pytest.mark.parametrize(
    "typed, reason",
    [
        ("5А матем 3:4 // ошибся строкой", "ошибся строкой"),
        ("5А матем 3:4 причина: ошибся   строкой", "ошибся строкой"),
        ("5А матем 3:4 Причина:ошибся", "ошибся"),
    ],
)
def test_a_correction_reason_follows_the_items(typed: str, reason: str) -> None:
    command = parse_mark_command(typed, CATALOG)
    assert command.reason == reason
    assert command.items == (EntryItem(3, marks(4)),)


def test_refusals_quote_the_typed_text_as_typed() -> None:
    # The chat layer escapes it for HTML in one place (test_chat_plumbing); services stay plain text.
    assert refusal(parse_mark_command, "<b>5 матем 1:5", CATALOG) == "Класса «<b>5» в школе нет."


# --- the line typed in an open lesson --------------------------------------------------------


def test_lesson_line_with_commas() -> None:
    items, reason = parse_line("3 5, 7 4, 12 н")
    assert items == (EntryItem(3, marks(5)), EntryItem(7, marks(4)), EntryItem(12, code(AttendanceCode.ABSENT)))
    assert reason == ""


def test_lesson_line_with_colons_and_a_reason() -> None:
    items, reason = parse_line("3:5 7:3/4; 2 +  // перепутал")
    assert items == (EntryItem(3, marks(5)), EntryItem(7, marks(3, 4)), EntryItem(2, EntryValue(ValueKind.PRESENT)))
    assert reason == "перепутал"


def test_lesson_line_mistakes() -> None:
    assert refusal(parse_line, "3 5 7") == "Не понял «3 5 7»: пишите номер ученика и значение, например 3:5 или 12:н."
    assert refusal(parse_line, "3 7") == "«3:7»: отметки 7 не бывает — ставятся отметки от 2 до 5."
    assert refusal(parse_line, " , ").startswith("Нет ни одной записи")


def test_split_reason_without_one() -> None:
    assert split_reason("1:5") == ("1:5", "")


# --- /homework and /topic --------------------------------------------------------------------


def test_text_command_takes_the_longest_subject_and_keeps_the_text_as_typed() -> None:
    command = parse_text_command("5А русский язык  упр. 112,  стр. 5", CATALOG, usage_key="entry-usage-homework")
    assert (command.school_class, command.subject, command.date) == (CLASS_5A, RUSSIAN, None)
    assert command.text == "упр. 112,  стр. 5"


def test_text_command_with_a_date_and_lesson_number() -> None:
    command = parse_text_command("5a матем 27.11/2 Сложение дробей", CATALOG, usage_key="entry-usage-topic")
    assert (command.subject, command.date, command.lesson_no, command.text) == (
        MATH,
        dt.date(2026, 11, 27),
        2,
        "Сложение дробей",
    )


def test_text_command_mistakes() -> None:
    assert refusal(parse_text_command, "5А матем", CATALOG, usage_key="entry-usage-topic").startswith("Нет текста")
    assert refusal(parse_text_command, "5А", CATALOG, usage_key="entry-usage-topic").startswith("Пример: /topic")
    assert refusal(parse_text_command, "5А химия опыт", CATALOG, usage_key="entry-usage-topic").startswith(
        "Предмета «химия» нет."
    )


def test_a_group_follows_a_subject_taught_in_groups_and_a_slash_elsewhere_is_text() -> None:
    """«англ/2» names group 2 where 5А learns English in groups; «русский я/мы» is a homework's text."""
    catalog = Catalog(**{**CATALOG.__dict__, "split": frozenset({(CLASS_5A.id, ENGLISH.id)})})
    grouped = parse_text_command("5А англ/2 Unit 3", catalog, usage_key="entry-usage-homework")
    assert (grouped.subject, grouped.subgroup, grouped.text) == (ENGLISH, "2", "Unit 3")
    texts = {
        "5А русский я/мы упр. 3": (RUSSIAN, "я/мы упр. 3"),
        "5А англ стр. 12/13": (ENGLISH, "стр. 12/13"),
        "5А матем 1/2 дроби": (MATH, "1/2 дроби"),
    }
    for typed, (subject, text) in texts.items():
        command = parse_text_command(typed, catalog, usage_key="entry-usage-homework")
        assert (command.subject, command.subgroup, command.text) == (subject, None, text), typed


def test_first_argument_tells_a_teacher_homework_from_a_family_one() -> None:
    assert looks_like_class("5А") and looks_like_class("5a") and looks_like_class("11-б")
    assert not looks_like_class("week") and not looks_like_class("неделя")
