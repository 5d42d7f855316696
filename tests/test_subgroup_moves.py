"""Groups and movement (issue 10): a pupil who joins a class with groups is placed by a tap, a pupil
moves between groups from a date, bad moves are refused, two taps at once write one row, /groups.

5А's English is split in two (t4 teaches group 1, t5 group 2): s1–s4 in group 1 and s5–s8 in group 2
from the first day of the year, and s4 in group 2 from 10.11. t1 leads 5А, t4 leads 5Б, a1 is the
administrator. Today is Thursday 26.11.2026.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import func, select

from models import AuditEntry, Lesson, Mark, SubgroupMember, TeachingAssignment
from services import movement, subgroup_moves
from services.demo_school import ENGLISH
from services.errors import ValidationFailed
from services.subgroup_moves import GroupChange
from services.subgroups import groups_on, lesson_roster
from tests import homeroom_data as data
from tests.conftest import SCHOOL_TODAY
from tests.people import actor_for, signed_in

pytestmark = pytest.mark.usefixtures("school")

TODAY = SCHOOL_TODAY  # 26.11.2026
NOW = dt.datetime(2026, 11, 26, 11, 0, tzinfo=ZoneInfo("Europe/Moscow"))
YEAR_START = dt.date(2026, 9, 1)  # the import enrols everyone on the year's first day
S4_MOVED = dt.date(2026, 11, 10)


@pytest.fixture(autouse=True)
def school_day():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
async def groups(school, session) -> None:
    class_5a, english = await data.class_id(session, "5А"), await data.subject_id(session, ENGLISH)
    for teacher, group in (("t4", "1"), ("t5", "2")):
        session.add(
            TeachingAssignment(
                staff_id=await data.staff_id(session, teacher), class_id=class_5a, subject_id=english, subgroup=group
            )
        )
    for number in range(1, 9):
        student = await data.student(session, f"s{number}")
        session.add(
            SubgroupMember(
                class_id=class_5a,
                subject_id=english,
                student_id=student.id,
                subgroup="1" if number <= 4 else "2",
                since=YEAR_START,
            )
        )
    session.add(
        SubgroupMember(
            class_id=class_5a,
            subject_id=english,
            student_id=(await data.student(session, "s4")).id,
            subgroup="2",
            since=S4_MOVED,
        )
    )
    await session.commit()


async def english_of(check) -> tuple[int, int]:
    return await data.class_id(check, "5А"), await data.subject_id(check, ENGLISH)


async def english_rows(session_maker, external_id: str) -> list[tuple[str, dt.date, str | None]]:
    """The pupil's English group rows in 5А, oldest first: (group, from, who recorded it)."""
    async with session_maker() as check:
        class_5a, english = await english_of(check)
        staff = {await data.staff_id(check, who): who for who in ("t1", "t4", "a1")}
        rows = await check.scalars(
            select(SubgroupMember)
            .where(
                SubgroupMember.student_id == (await data.student(check, external_id)).id,
                SubgroupMember.class_id == class_5a,
                SubgroupMember.subject_id == english,
            )
            .order_by(SubgroupMember.since, SubgroupMember.id)
        )
        return [(row.subgroup, row.since, staff.get(row.created_by_staff_id)) for row in rows]


async def written(session_maker) -> tuple[int, int]:
    """How many group rows and audited group changes there are."""
    async with session_maker() as check:
        return (
            await check.scalar(select(func.count()).select_from(SubgroupMember)),
            await check.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "subgroup")),
        )


async def group_ids(check, group: str, day: dt.date) -> list[str]:
    class_5a, english = await english_of(check)
    return [entry.student.external_id for entry in await lesson_roster(check, class_5a, english, group, day)]


# --- joining a class with groups: asked with buttons, placed by a tap ---------------------------------


def asked_for_english(written: str, name: str, date: str) -> list[str]:
    """What one reads on confirming an enrolment or move into 5А: what was written, then the question."""
    return [
        f"{written}\nОсталось распределить по группам: Английский язык. "
        "Пока ученик ни в одной группе по этим предметам.",
        f"{name}: в какую группу по предмету «Английский язык» (с {date})?",
    ]


async def test_enrolling_into_a_class_with_groups_asks_which_group_and_the_tap_places(
    harness, session_maker, groups
) -> None:
    teacher = await signed_in(harness, session_maker, "t1", 1001)
    await teacher.sends("/enrol 5А s99 Петров Пётр Петрович 23.11")

    assert await teacher.clicks("Подтвердить") == asked_for_english(
        "Записано зачисление в 5А с 23.11.2026: Петров Пётр Петрович (s99), № 9 в списке.",
        "Петров Пётр Петрович",
        "23.11.2026",
    )
    assert teacher.button_labels() == ["группа 1", "группа 2"]
    async with session_maker() as check:
        assert "s99" not in await group_ids(check, "1", TODAY) + await group_ids(check, "2", TODAY)

    assert await teacher.clicks("группа 2") == [
        "Записано: Петров Пётр Петрович (s99) — Английский язык, группа 2 с 23.11.2026."
    ]
    assert await english_rows(session_maker, "s99") == [("2", dt.date(2026, 11, 23), "t1")]
    async with session_maker() as check:
        assert await group_ids(check, "2", dt.date(2026, 11, 23)) == ["s4", "s5", "s6", "s7", "s8", "s99"]
        assert "s99" not in await group_ids(check, "2", dt.date(2026, 11, 20))  # not in the class yet


async def test_a_pupil_moved_into_the_class_is_asked_for_by_the_administrator(harness, session_maker, groups) -> None:
    admin = await signed_in(harness, session_maker, "a1", 1009)
    await admin.sends("/move s9 5А 20.11")

    assert await admin.clicks("Подтвердить") == asked_for_english(
        "Записан перевод из 5Б в 5А с 20.11.2026: Григорьев Иван Михайлович (s9), № 9 в списке.",
        "Григорьев Иван Михайлович",
        "20.11.2026",
    )
    assert await admin.clicks("группа 1") == [
        "Записано: Григорьев Иван Михайлович (s9) — Английский язык, группа 1 с 20.11.2026."
    ]
    assert await english_rows(session_maker, "s9") == [("1", dt.date(2026, 11, 20), "a1")]


async def test_one_moving_a_pupil_out_of_their_class_is_told_who_places_them(harness, session_maker, groups) -> None:
    """t4 leads 5Б, not 5А: no buttons for her; t1 places the pupil by /group, not before he came."""
    other = await signed_in(harness, session_maker, "t4", 1004)
    await other.sends("/move s10 5А 20.11")
    assert await other.clicks("Подтвердить") == [
        "Записан перевод из 5Б в 5А с 20.11.2026: Белов Максим Дмитриевич (s10), № 9 в списке.\n"
        "В 5А есть деление на группы: Английский язык. Распределит классный руководитель 5А (/group); "
        "пока ученик ни в одной группе."
    ]
    teacher = await signed_in(harness, session_maker, "t1", 1001)
    assert await teacher.sends("/group s10 англ 1 18.11") == [
        "Белов Максим Дмитриевич учится в 5А с 20.11.2026: группа — не раньше этой даты."
    ]
    assert await teacher.sends("/group s10 англ 1") == [
        "Записано: Белов Максим Дмитриевич (s10) — Английский язык, группа 1 с 26.11.2026."
    ]
    assert await english_rows(session_maker, "s10") == [("1", TODAY, "t1")]


async def test_joining_a_class_without_groups_asks_nothing(harness, session_maker, groups) -> None:
    other = await signed_in(harness, session_maker, "t3", 1003)  # 1А's: no subject there is split
    await other.sends("/enrol 1А s99 Петров Пётр Петрович")
    assert await other.clicks("Подтвердить") == [
        "Записано зачисление в 1А с 26.11.2026: Петров Пётр Петрович (s99), № 9 в списке."
    ]


# --- a move between groups from a date -----------------------------------------------------------


async def test_a_move_mid_term_adds_a_row_and_leaves_the_earlier_lessons_to_the_earlier_group(
    session, session_maker, groups
) -> None:
    teacher = await actor_for(session_maker, "t1", 1001)
    kirill = await data.student(session, "s3")
    class_5a, english = await english_of(session)
    earlier = Lesson(
        class_id=class_5a,
        subject_id=english,
        date=dt.date(2026, 11, 12),
        lesson_no=3,
        subgroup="1",
        teacher_id=await data.staff_id(session, "t4"),
        attendance_taken=True,
    )
    session.add(earlier)
    await session.flush()
    old_mark = await data.mark(session, earlier, "s3", 4, teacher="t4")
    await session.commit()

    done = await subgroup_moves.move_to_group(
        session,
        teacher,
        student_id=kirill.id,
        subject_id=english,
        subgroup="2",
        since=dt.date(2026, 11, 16),
        today=TODAY,
    )
    await session.commit()

    assert done == GroupChange(kirill.full_name, "s3", ENGLISH, "1", "2", dt.date(2026, 11, 16))
    assert await english_rows(session_maker, "s3") == [("1", YEAR_START, None), ("2", dt.date(2026, 11, 16), "t1")]
    async with session_maker() as check:
        assert (await groups_on(check, class_5a, english, dt.date(2026, 11, 13)))[kirill.id] == "1"
        assert (await groups_on(check, class_5a, english, dt.date(2026, 11, 16)))[kirill.id] == "2"
        # His mark stays on group 1's page of 12.11, which still lists him; group 1's later pages don't.
        mark = await check.get(Mark, old_mark.id)
        assert (mark.student_id, mark.value, (await check.get(Lesson, mark.lesson_id)).subgroup) == (kirill.id, 4, "1")
        assert "s3" in await group_ids(check, "1", dt.date(2026, 11, 12))
        assert "s3" not in await group_ids(check, "1", dt.date(2026, 11, 16))
        assert "s3" in await group_ids(check, "2", dt.date(2026, 11, 16))
        [audit] = await check.scalars(select(AuditEntry).where(AuditEntry.entity == "subgroup"))
        assert (audit.student_id, audit.action, audit.actor_staff_id, audit.before, audit.after) == (
            kirill.id,
            "create",
            teacher.staff_id,
            {"class_id": class_5a, "subject_id": english, "subgroup": "1", "since": "2026-09-01"},
            {"class_id": class_5a, "subject_id": english, "subgroup": "2", "since": "2026-11-16"},
        )
        assert audit.at is not None


async def test_the_typed_move_says_what_was_recorded(harness, session_maker, groups) -> None:
    teacher = await signed_in(harness, session_maker, "t1", 1001)
    assert await teacher.sends("/group s3 англ 2 16.11") == [
        "Записано: Васильев Кирилл Андреевич (s3) — Английский язык: группа 1 → группа 2 с 16.11.2026. "
        "Прежние отметки остаются в группе, где их поставили."
    ]
    assert await english_rows(session_maker, "s3") == [("1", YEAR_START, None), ("2", dt.date(2026, 11, 16), "t1")]


# --- refusals: each says why, and nothing is written ------------------------------------------------


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        ("/group s3 англ 3", "Группы «3» по предмету «Английский язык» в 5А нет. Группы: 1, 2."),
        (
            "/group s3 англ 1",
            "Васильев Кирилл Андреевич: по предмету «Английский язык» уже группа 1 (с 01.09.2026). Ничего не изменено.",
        ),
        (
            "/group s3 англ 2 27.11",
            "Дата 27.11.2026 ещё не наступила: группу меняют с сегодняшнего дня или с прошедшей даты.",
        ),
        ("/group s3 англ 2 31.08", "Дата 31.08.2026 не входит в учебный год."),
        ("/group s3 англ 2 2025-12-01", "Дата 01.12.2025 не входит в учебный год."),
        (
            "/group s4 англ 1 05.11",
            "Горбунова Алиса Романовна: по предмету «Английский язык» последняя запись — "
            "группа 2 с 10.11.2026. Новая дата должна быть позже.",
        ),
        (
            "/group s4 англ 1 10.11",
            "Горбунова Алиса Романовна: по предмету «Английский язык» последняя запись — "
            "группа 2 с 10.11.2026. Новая дата должна быть позже.",
        ),
        ("/group s3 матем 2", "5А не делится на группы по предмету «Математика»."),
        (
            "/group s3 химия 2",
            "Предмета «химия» нет. Предметы школы: Английский язык, История, Литература, "
            "Математика, Русский язык, Физкультура.",
        ),
        (
            "/group s3 англ",
            "Как перевести в другую группу: /group &lt;id&gt; &lt;предмет&gt; &lt;группа&gt; [дата], "
            "например /group s3 англ 2 26.11",
        ),
        ("/group s3 англ 2 31.02", "Даты «31.02» не бывает. Пишите 27.11, 27.11.2026 или 2026-11-27."),
        ("/group s404 англ 2", "Ученика с id s404 в журнале нет."),
        ("/group s9 англ 2", "Это не ваш класс."),
    ],
)
async def test_a_refused_group_move_says_why_and_writes_nothing(
    harness, session_maker, groups, command, answer
) -> None:
    teacher = await signed_in(harness, session_maker, "t1", 1001)
    before = await written(session_maker)

    assert await teacher.sends(command) == [answer]

    assert await written(session_maker) == before
    assert await english_rows(session_maker, "s3") == [("1", YEAR_START, None)]


async def test_a_subject_teacher_moves_nobody(harness, session_maker, groups) -> None:
    english_teacher = await signed_in(harness, session_maker, "t4", 1004)  # teaches 5А's group 1, leads 5Б
    before = await written(session_maker)
    assert await english_teacher.sends("/group s3 англ 2") == ["Это не ваш класс."]
    assert await written(session_maker) == before


# --- two at the same moment ---------------------------------------------------------------------


async def enrolled_newcomer(session_maker, admin) -> int:
    """s99, enrolled into 5А on 23.11 and in no group yet."""
    async with session_maker() as session:
        done = await movement.enrol(
            session,
            admin,
            class_id=await data.class_id(session, "5А"),
            external_id="s99",
            full_name="Петров Пётр Петрович",
            day=dt.date(2026, 11, 23),
            today=TODAY,
        )
        await session.commit()
    assert done.student_id is not None
    return done.student_id


@pytest.mark.parametrize(
    ("second", "refusal"),
    [("1", "subgroup-same-group"), ("2", "subgroup-before-last-change")],
    ids=["double-tap", "two-class-teachers"],
)
async def test_two_placements_at_the_same_moment_write_one_row(
    session_maker, groups, monkeypatch, second, refusal
) -> None:
    teacher, admin = await actor_for(session_maker, "t1", 1001), await actor_for(session_maker, "a1", 1009)
    student_id = await enrolled_newcomer(session_maker, admin)
    async with session_maker() as check:
        english = await data.subject_id(check, ENGLISH)
    both_started = asyncio.Barrier(2)
    find_pupil = movement.studying_student

    async def find_pupil_then_wait_for_the_other(*args, **kwargs):
        found = await find_pupil(*args, **kwargs)
        await both_started.wait()  # neither goes on before both have begun: they truly overlap
        return found

    monkeypatch.setattr(movement, "studying_student", find_pupil_then_wait_for_the_other)

    async def place(actor, group: str) -> GroupChange | ValidationFailed:
        async with session_maker() as own:  # each its own session, as two updates have
            try:
                done = await subgroup_moves.place_in_group(
                    own, actor, student_id=student_id, subject_id=english, subgroup=group, today=TODAY
                )
            except ValidationFailed as error:
                return error
            await own.commit()
            return done

    results = await asyncio.gather(place(teacher, "1"), place(admin, second))

    [done] = [result for result in results if isinstance(result, GroupChange)]
    [refused] = [result for result in results if isinstance(result, ValidationFailed)]
    assert refused.key == refusal
    assert len(await english_rows(session_maker, "s99")) == 1
    assert (await english_rows(session_maker, "s99"))[0][:2] == (done.to_group, dt.date(2026, 11, 23))
    assert (await written(session_maker))[1] == 1


async def test_a_row_written_behind_the_checks_back_is_refused_by_the_unique_key(
    session_maker, groups, monkeypatch
) -> None:
    """Should another writer slip in between the check and the insert, the key refuses the second row."""
    student_id = await enrolled_newcomer(session_maker, await actor_for(session_maker, "a1", 1009))
    teacher = await actor_for(session_maker, "t1", 1001)
    async with session_maker() as session:
        english = await data.subject_id(session, ENGLISH)
        await subgroup_moves.place_in_group(
            session, teacher, student_id=student_id, subject_id=english, subgroup="1", today=TODAY
        )
        await session.commit()
    monkeypatch.setattr(subgroup_moves, "_check_change", lambda *args: None)  # a check that saw nothing yet

    async with session_maker() as session:
        with pytest.raises(ValidationFailed) as error:
            await subgroup_moves.place_in_group(
                session, teacher, student_id=student_id, subject_id=english, subgroup="2", today=TODAY
            )
        assert error.value.key == "subgroup-changed-meanwhile"
        assert not session.new
    assert await english_rows(session_maker, "s99") == [("1", dt.date(2026, 11, 23), "t1")]


async def test_a_double_tap_in_the_chat_places_once(harness, session_maker, groups) -> None:
    teacher = await signed_in(harness, session_maker, "t1", 1001)
    await teacher.sends("/enrol 5А s99 Петров Пётр Петрович 23.11")
    await teacher.clicks("Подтвердить")
    [tap] = [
        button.callback_data
        for row in teacher.last_markup.inline_keyboard
        for button in row
        if button.text == "группа 2"
    ]

    answers = await asyncio.gather(teacher.presses(tap), teacher.presses(tap))

    assert sorted(answers) == [
        ["Записано: Петров Пётр Петрович (s99) — Английский язык, группа 2 с 23.11.2026."],
        ["Петров Пётр Петрович: по предмету «Английский язык» уже группа 2 (с 23.11.2026). Ничего не изменено."],
    ]
    assert await english_rows(session_maker, "s99") == [("2", dt.date(2026, 11, 23), "t1")]


# --- who is in which group -----------------------------------------------------------------------


async def test_the_class_teacher_sees_the_groups_of_the_class(harness, session_maker, groups) -> None:
    await enrolled_newcomer(session_maker, await actor_for(session_maker, "a1", 1009))
    teacher = await signed_in(harness, session_maker, "t1", 1001)

    assert await teacher.sends("/groups") == [
        "\n".join(
            [
                "<b>5А</b> · группы на 26.11.2026",
                "",
                "Английский язык",
                "   группа 1 — Алексеев А. И., Белова С. Д., Васильев К. А.",
                "   группа 2 — Горбунова А. Р., Дмитриев Е. О., Егорова В. С., Жуков М. А., Зайцева Д. П.",
                "   без группы — Петров П. П.",
            ]
        )
    ]
    other = await signed_in(harness, session_maker, "t4", 1004)  # 5Б's English is split in the demo school
    assert await other.sends("/groups") == [
        "\n".join(
            [
                "<b>5Б</b> · группы на 26.11.2026",
                "",
                "Английский язык",
                "   группа 1 — Белов М. Д., Григорьев И. М., Ковалёва А. И., Лебедев Т. В.",
                "   группа 2 — Медведева М. А., Никитин Д. Е., Орлов Г. К., Павлова К. М.",
            ]
        )
    ]
    assert await other.sends("/groups 5А") == ["Это не ваш класс."]
    first_grade = await signed_in(harness, session_maker, "t3", 1003)
    assert await first_grade.sends("/groups") == [
        "<b>1А</b> · группы на 26.11.2026\nВ 1А нет предметов с делением на группы."
    ]
    subject_teacher = await signed_in(harness, session_maker, "t2", 1002)
    assert await subject_teacher.sends("/groups") == [
        "Чьи группы показать: /groups — вашего класса, /groups 5А — класса по имени."
    ]


async def test_help_shows_the_group_commands_to_the_class_teacher(harness, session_maker) -> None:
    teacher = await signed_in(harness, session_maker, "t1", 1001)
    [answer] = await teacher.sends("/help")
    assert "/group &lt;id&gt; &lt;предмет&gt; &lt;группа&gt; [дата]" in answer
    assert "/groups [класс]" in answer
