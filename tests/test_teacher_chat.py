"""A teacher in the chat: /today, the lesson view with its buttons and typed lines, /mark, /topic, /homework.

The clock stands at Thursday 26.11.2026, 10:00 in Moscow (the demo school's day); t1 teaches mathematics
in 5А (lesson 1) and 5Б (lesson 5).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from aiogram.methods import EditMessageText, SendMessage
from sqlalchemy import select

from handlers.teacher.views import Act, LessonAction
from models import Attendance, AuditEntry, Lesson, Mark, OutboxMessage, SchoolClass, Student, Subject
from services import journal as journal_service
from services.journal import HomeworkExists, HomeworkMode
from services.school_clock import SchoolClock
from tests.journal_data import row_counts
from tests.people import actor_for, signed_in

pytestmark = pytest.mark.usefixtures("school")

NOW = dt.datetime(2026, 11, 26, 7, 0, tzinfo=dt.timezone.utc)  # 10:00 in Moscow


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=True)
    return time_machine


@pytest.fixture
async def teacher(harness, session_maker, clock):
    return await signed_in(harness, session_maker, "t1", 1001)


async def journal(session_maker) -> dict[str, int]:
    return await row_counts(
        session_maker, lessons=Lesson, marks=Mark, attendance=Attendance, audit=AuditEntry, outbox=OutboxMessage
    )


async def marks_by_student(session_maker) -> dict[str, list[int]]:
    async with session_maker() as session:
        rows = await session.execute(
            select(Student.external_id, Mark.value)
            .join(Student, Student.id == Mark.student_id)
            .where(Mark.deleted_at.is_(None))
            .order_by(Student.external_id, Mark.slot)
        )
        found: dict[str, list[int]] = {}
        for external_id, value in rows:
            found.setdefault(external_id, []).append(value)
        return found


async def codes_by_student(session_maker) -> dict[str, str]:
    async with session_maker() as session:
        rows = await session.execute(
            select(Student.external_id, Attendance.code)
            .join(Student, Student.id == Attendance.student_id)
            .where(Attendance.deleted_at.is_(None))
        )
        return dict(rows.all())


# --- /today ------------------------------------------------------------------------------------


async def test_today_lists_the_lessons_with_what_is_missing(teacher) -> None:
    [answer] = await teacher.sends("/today")
    assert answer == "\n".join(
        [
            "<b>Уроки, чт, 26 ноября</b>",
            "<b>1.</b> 08:30–09:15 · 5А · Математика",
            "    не заполнено: посещаемость, тема, отметки, домашнее задание",
            "<b>5.</b> 12:30–13:15 · 5Б · Математика",
            "    не заполнено: посещаемость, тема, отметки, домашнее задание",
            "Откройте урок кнопкой, чтобы отметить посещаемость, поставить отметки, записать тему и задание.",
        ]
    )
    assert teacher.button_labels() == ["1 · 5А · Математика", "5 · 5Б · Математика"]


async def test_today_for_another_day_holidays_and_weekends(teacher) -> None:
    [friday] = await teacher.sends("/today 27.11")
    assert friday.startswith(
        "<b>Уроки, пт, 27 ноября</b>\n<b>1.</b> 08:30–09:15 · 5Б · Математика\n"
        "    не заполнено: посещаемость, тема, отметки, домашнее задание\n"
        "<b>2.</b> 09:25–10:10 · 5А · Математика\n"
    )
    [holiday] = await teacher.sends("/today 28.10")
    assert holiday == "<b>Уроки, ср, 28 октября</b>\nКаникулы (осенние каникулы): уроков нет."
    [saturday] = await teacher.sends("/today 2026-11-28")
    assert saturday == "<b>Уроки, сб, 28 ноября</b>\nВ этот день у вас уроков нет."
    [bad] = await teacher.sends("/today 31.02")
    assert bad == "Даты «31.02» не бывает. Пишите 27.11, 27.11.2026 или 2026-11-27."


async def test_a_filled_lesson_says_so_in_today(teacher, session_maker) -> None:
    await teacher.sends("/mark 5А матем 3:5 2:н")
    await teacher.sends("/topic 5А матем Сложение дробей")
    await teacher.sends("/homework 5А матем № 112")
    [answer] = await teacher.sends("/today")
    assert "<b>1.</b> 08:30–09:15 · 5А · Математика\n    всё заполнено ✔" in answer


# --- the lesson view -------------------------------------------------------------------------------


async def test_opening_a_lesson_shows_the_class_list_numbered_as_in_the_paper_journal(teacher) -> None:
    await teacher.sends("/mark 5А матем 3:3/4 2:н")
    await teacher.sends("/today")
    [view] = await teacher.clicks("5А")
    assert view.startswith(
        "<b>5А · Математика</b>\nчт, 26 ноября, урок 1 08:30–09:15\nТема: —\n"
        "Вид работы для новых отметок: работа на уроке\n"
        "Задание к следующему уроку (пт, 27 ноября): —\nПосещаемость отмечена ✔\n"
    )
    assert "<pre>1 Алексеев Артём\n2 Белова Софья         н\n3 Васильев Кирилл  3/4\n4 Горбунова Алиса\n" in view
    assert "8 Зайцева Дарья</pre>" in view
    assert teacher.button_labels()[:8] == ["1", "2", "3", "4", "5", "6", "7", "8"]


async def test_buttons_set_a_mark_and_an_attendance_code(teacher, session_maker) -> None:
    await teacher.sends("/today")
    await teacher.clicks("5А")
    [card] = await teacher.clicks("3")
    assert card == "<b>№ 3. Васильев Кирилл Андреевич</b>\nВыберите отметку или отметку посещаемости:"
    assert teacher.button_labels() == [
        "2",
        "3",
        "4",
        "5",
        "н",
        "б",
        "оп",
        "✖ убрать отметки",
        "✔ был на уроке",
        "История изменений",
        "← К списку",
    ]
    toast, view = await teacher.clicks("5")
    assert toast == "№ 3: 5"
    assert "3 Васильев Кирилл  5\n" in view
    await teacher.clicks("7")
    toast, _ = await teacher.clicks("оп")
    assert toast == "№ 7: оп"
    assert await marks_by_student(session_maker) == {"s3": [5]}
    assert await codes_by_student(session_maker) == {"s7": "оп"}


async def test_history_shows_the_class_teachers_explanation(teacher, session_maker) -> None:
    await teacher.sends("/mark 5А матем 2:н")
    await teacher.sends("/class")  # t1 is also the class teacher of 5А
    await teacher.clicks("№2 уп")
    await teacher.sends("/today")
    await teacher.clicks("5А")
    await teacher.clicks("2")
    [history] = await teacher.clicks("История изменений")
    lines = history.splitlines()
    assert lines[1].endswith("· Иванова Мария Петровна · посещаемость: поставлено н")
    assert lines[2].endswith("· Иванова Мария Петровна · посещаемость: н → н→уп")


def bot_calls(harness) -> list[tuple[object, object]]:
    """Every Bot API call from now on with its result, as the chat client sees them."""
    calls: list[tuple[object, object]] = []
    harness.watchers.append(lambda method, result: calls.append((method, result)))
    return calls


async def test_a_typed_line_fills_the_open_lesson_and_edits_its_screen_in_place(
    teacher, harness, session_maker
) -> None:
    calls = bot_calls(harness)
    await teacher.sends("/today")
    await teacher.clicks("5А")
    [screen] = [result.message_id for method, result in calls if isinstance(method, SendMessage)][-1:]
    calls.clear()

    summary, view = await teacher.sends("1 5, 7 4, 8 н")

    assert summary == "Записано: 1. Алексеев Артём — 5; 7. Жуков Матвей — 4; 8. Зайцева Дарья — н"
    assert view.startswith("<b>5А · Математика</b>") and "Зайцева Дарья" in view
    [(answer, _), (edit, _)] = calls  # the short line, then the screen edited in place: no screen sent again
    assert isinstance(answer, SendMessage) and answer.text == summary
    assert isinstance(edit, EditMessageText) and (edit.message_id, edit.text) == (screen, view)
    assert await marks_by_student(session_maker) == {"s1": [5], "s7": [4]}
    assert await codes_by_student(session_maker) == {"s8": "н"}

    calls.clear()
    await teacher.sends("3 4")
    assert [type(method) for method, _ in calls] == [SendMessage, EditMessageText]
    assert calls[1][0].message_id == screen  # the same screen, again


async def test_a_screen_that_cannot_be_edited_is_sent_anew_and_kept(teacher, harness, session_maker) -> None:
    calls = bot_calls(harness)
    await teacher.sends("/today")
    await teacher.clicks("5А")
    harness.session.add_result_for(
        EditMessageText, ok=False, error_code=400, description="Bad Request: message to edit not found"
    )
    calls.clear()

    summary, view = await teacher.sends("1 5")

    assert summary == "Записано: 1. Алексеев Артём — 5"
    assert view.startswith("<b>5А · Математика</b>")
    [(_, _), (new_screen, sent)] = calls  # the failed edit is no call the chat saw
    assert isinstance(new_screen, SendMessage) and new_screen.text == view
    calls.clear()
    await teacher.sends("7 4")
    assert calls[1][0].message_id == sent.message_id  # the new screen is the one edited from now on
    assert await marks_by_student(session_maker) == {"s1": [5], "s7": [4]}


async def test_a_bad_typed_line_records_nothing(teacher, session_maker) -> None:
    await teacher.sends("/today")
    await teacher.clicks("5А")
    assert await teacher.sends("1 5, 7 7, 8 н") == ["«7:7»: отметки 7 не бывает — ставятся отметки от 2 до 5."]
    assert await teacher.sends("1 5, 12 н") == ["В списке 5А на 26.11.2026 нет № 12: в классе 8 учеников."]
    assert await journal(session_maker) == {"lessons": 0, "marks": 0, "attendance": 0, "audit": 0, "outbox": 0}


async def test_topic_homework_work_type_and_attendance_from_the_lesson_view(teacher, session_maker) -> None:
    await teacher.sends("/today")
    await teacher.clicks("5А")
    assert await teacher.clicks("Тема") == ["Напишите тему урока одним сообщением. /cancel — отмена."]
    saved, _ = await teacher.sends("Сложение дробей")
    assert saved == "Тема урока записана: 5А, Математика, 26.11, урок 1.\nСложение дробей"
    assert await teacher.clicks("Задание") == [
        "Напишите задание к уроку пт, 27 ноября (урок 2) одним сообщением. /cancel — отмена."
    ]
    saved, view = await teacher.sends("№ 112, 115")
    assert saved == "Домашнее задание к уроку 27.11 (урок 2) записано: 5А, Математика.\n№ 112, 115"
    assert "Задание к следующему уроку (пт, 27 ноября): № 112, 115" in view

    await teacher.clicks("Вид работы")
    assert "контрольная работа (3)" in teacher.button_labels()
    toast, _ = await teacher.clicks("контрольная работа")
    assert toast == "Вид работы: контрольная работа"
    summary, view = await teacher.sends("3 5")
    assert summary == "Записано: 3. Васильев Кирилл — 5"
    assert "Вид работы для новых отметок: контрольная работа" in view

    toast, view = await teacher.clicks("Все остальные были")
    assert toast == "Посещаемость отмечена: остальные ученики были на уроке."
    async with session_maker() as session:
        lessons = {(l.date, l.lesson_no): l for l in await session.scalars(select(Lesson))}
    today = lessons[(dt.date(2026, 11, 26), 1)]
    assert (today.topic, today.attendance_taken) == ("Сложение дробей", True)
    assert lessons[(dt.date(2026, 11, 27), 2)].homework == "№ 112, 115"
    async with session_maker() as session:
        assert (await session.scalar(select(Mark))).weight == 3.0


async def test_a_comment_on_a_students_marks_from_the_card(teacher, session_maker) -> None:
    await teacher.sends("/today")
    await teacher.clicks("5А")
    await teacher.clicks("3")
    await teacher.clicks("5")
    await teacher.clicks("3")
    assert "💬 Комментарий" in teacher.button_labels()
    assert await teacher.clicks("💬 Комментарий") == [
        "Напишите комментарий к отметкам № 3 (Васильев Кирилл Андреевич) одним сообщением: его увидят родители. "
        "«-» — убрать комментарий. /cancel — отмена."
    ]
    saved, view = await teacher.sends("Молодец, <b>без ошибок</b>")
    assert saved == "Комментарий записан: Молодец, &lt;b&gt;без ошибок&lt;/b&gt;"
    assert view.startswith("<b>5А · Математика</b>")
    async with session_maker() as session:
        mark = await session.scalar(select(Mark))
        assert mark.comment == "Молодец, <b>без ошибок</b>"
        entry = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()[-1]
    assert (entry.entity, entry.entity_id, entry.before["comment"], entry.after["comment"], entry.after["value"]) == (
        "mark",
        mark.id,
        "",
        "Молодец, <b>без ошибок</b>",
        5,
    )
    summary, _ = await teacher.sends("7 4")  # the lesson is open again for typed lines
    assert summary == "Записано: 7. Жуков Матвей — 4"

    await teacher.clicks("3")
    await teacher.clicks("💬 Комментарий")
    assert (await teacher.sends("-"))[0] == "Комментарий убран."
    async with session_maker() as session:
        assert (await session.get(Mark, mark.id)).comment == ""


async def test_a_late_correction_in_the_lesson_view_asks_for_the_reason(teacher, session_maker, clock) -> None:
    await teacher.sends("/today")
    await teacher.clicks("5А")
    await teacher.clicks("3")
    await teacher.clicks("5")
    clock.move_to(NOW + dt.timedelta(minutes=11), tick=True)
    await teacher.clicks("3")
    assert await teacher.clicks("4") == [
        "Запись ученика № 3 (Васильев Кирилл Андреевич) сделана больше 10 мин. назад: исправить её можно только "
        "с указанием причины.\nНапишите причину одним сообщением. /cancel — не исправлять."
    ]
    assert await marks_by_student(session_maker) == {"s3": [5]}
    summary, _ = await teacher.sends("ошиблась строкой")
    assert summary == "Записано: 3. Васильев Кирилл — 5 → 4 (причина: ошиблась строкой)"
    async with session_maker() as session:
        last = await session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
    assert (last.action, last.before["value"], last.after["value"], last.reason) == ("update", 5, 4, "ошиблась строкой")

    await teacher.clicks("3")
    [history] = await teacher.clicks("История")
    assert history.startswith("<b>История: № 3. Васильев Кирилл Андреевич</b>\n")
    assert "· Иванова Мария Петровна · отметка: поставлено 5 (работа на уроке)" in history
    assert "отметка: 5 (работа на уроке) → 4 (работа на уроке) (Причина: ошиблась строкой)" in history


async def test_cancel_drops_a_pending_correction(teacher, session_maker, clock) -> None:
    await teacher.sends("/today")
    await teacher.clicks("5А")
    await teacher.sends("3 5")
    clock.move_to(NOW + dt.timedelta(minutes=30), tick=True)
    [asked] = await teacher.sends("3 4")
    assert asked.endswith("Напишите причину одним сообщением. /cancel — не исправлять.")
    assert await teacher.sends("/cancel") == ["Отменено. Урок открыт: можно присылать строки с отметками."]
    assert await marks_by_student(session_maker) == {"s3": [5]}
    assert await teacher.sends("/cancel") == ["Урок закрыт."]


async def test_first_grade_lesson_has_no_mark_buttons(harness, session_maker, clock) -> None:
    t3 = await signed_in(harness, session_maker, "t3", 1003)
    await t3.sends("/today")
    [view] = await t3.clicks("1А · Математика")
    assert "Вид работы" not in view and "Задание к следующему уроку" not in view
    assert "Тема" in t3.button_labels() and "Задание" not in t3.button_labels()
    await t3.clicks("2")
    assert t3.button_labels() == ["н", "б", "оп", "✔ был на уроке", "История изменений", "← К списку"]
    assert await t3.sends("3 5") == [
        "В 1А отметки не ставятся: в 1-х классах ведётся только учёт посещаемости (Положение, п. 1.3). "
        "Посещаемость и тему урока записывать можно."
    ]
    summary, _ = await t3.sends("3 н")
    assert summary == "Записано: 3. Романов Лев — н"


# --- /mark ---------------------------------------------------------------------------------------------


async def test_mark_repeats_what_was_recorded_with_names(teacher, session_maker) -> None:
    assert await teacher.sends("/mark 5А математика 3:5 7:4 2:н") == [
        "5А, Математика, 26.11, урок 1 (работа на уроке):\n"
        "2. Белова Софья — н\n3. Васильев Кирилл — 5\n7. Жуков Матвей — 4"
    ]
    assert await teacher.sends("/mark 5a матем 19.11 #контрольная 1:5 2:3/4") == [
        "5А, Математика, 19.11, урок 1 (контрольная работа):\n1. Алексеев Артём — 5\n2. Белова Софья — 3/4"
    ]
    assert await marks_by_student(session_maker) == {"s1": [5], "s2": [3, 4], "s3": [5], "s7": [4]}


async def test_mark_mistakes_get_a_clear_message_and_record_nothing(teacher, session_maker) -> None:
    cases = {
        "/mark 7Я матем 1:5": "Класса «7Я» в школе нет.",
        "/mark 5А физика 1:5": "Предмета «физика» нет. Предметы школы: Английский язык, История, Литература, "
        "Математика, Русский язык, Физкультура.",
        "/mark 5А матем 9:5": "В списке 5А на 26.11.2026 нет № 9: в классе 8 учеников.",
        "/mark 5А матем 3:7": "«3:7»: отметки 7 не бывает — ставятся отметки от 2 до 5.",
        "/mark 5А матем 31.02 3:5": "Даты «31.02» не бывает. Пишите 27.11, 27.11.2026 или 2026-11-27.",
        "/mark 5А матем 3:уп": "«3:уп»: «уп» ставит классный руководитель, когда объясняет пропуск. "
        "Учитель отмечает н, б или оп.",
        "/mark 5А рус 3:5": "Вы не ведёте «Русский язык» в 5А: записи в этот журнал вам недоступны.",
        "/mark 5А матем 3:5 4:4 5:9": "«5:9»: отметки 9 не бывает — ставятся отметки от 2 до 5.",
    }
    for command, expected in cases.items():
        assert await teacher.sends(command) == [expected], command
    assert await journal(session_maker) == {"lessons": 0, "marks": 0, "attendance": 0, "audit": 0, "outbox": 0}


async def test_mark_without_arguments_explains_itself(teacher) -> None:
    [help_text] = await teacher.sends("/mark")
    assert help_text.startswith("<b>Отметки и посещаемость одной командой</b>")
    assert "// ошибся строкой" in help_text and "10 мин." in help_text


async def test_a_late_correction_by_mark_asks_for_the_reason_in_the_command(teacher, session_maker, clock) -> None:
    await teacher.sends("/mark 5А матем 3:5")
    clock.move_to(NOW + dt.timedelta(minutes=11), tick=True)
    assert await teacher.sends("/mark 5А матем 3:4") == [
        "Запись ученика № 3 (Васильев Кирилл Андреевич) сделана больше 10 мин. назад: исправить её можно только "
        "с указанием причины.\nПовторите команду, добавив причину в конце после //, например:\n"
        "/mark 5А матем 3:4 // …"
    ]
    assert await teacher.sends("/mark 5А матем 3:4 // ошибся") == [
        "5А, Математика, 26.11, урок 1 (работа на уроке):\n3. Васильев Кирилл — 5 → 4\nПричина: ошибся"
    ]
    assert await teacher.sends("/mark 5А матем 3:- причина: не тот ученик") == [
        "5А, Математика, 26.11, урок 1:\n3. Васильев Кирилл — 4 → удалено\nПричина: не тот ученик"
    ]
    assert await marks_by_student(session_maker) == {}


async def test_another_family_role_cannot_mark(harness, session_maker, clock) -> None:
    parent = await signed_in(harness, session_maker, "p1", 2001)
    assert await parent.sends("/mark 5А матем 1:5") == ["Такой команды нет. Список команд — /help."]
    assert await journal(session_maker) == {"lessons": 0, "marks": 0, "attendance": 0, "audit": 0, "outbox": 0}


# --- /topic and /homework --------------------------------------------------------------------------------


async def test_topic_and_homework_commands(teacher, session_maker) -> None:
    assert await teacher.sends("/topic 5А матем Сложение дробей") == [
        "Тема урока записана: 5А, Математика, 26.11, урок 1.\nСложение дробей"
    ]
    assert await teacher.sends("/homework 5А матем № 112 &lt;b&gt;") == [
        "Домашнее задание к уроку 27.11 (урок 2) записано: 5А, Математика.\n№ 112 &amp;lt;b&amp;gt;"
    ]
    assert await teacher.sends("/homework 5Б матем 30.11 стр. 7") == [
        "Домашнее задание к уроку 30.11 (урок 5) записано: 5Б, Математика.\nстр. 7"
    ]
    assert await teacher.sends("/homework 1А матем прописи") == [
        "Вы не ведёте «Математика» в 1А: записи в этот журнал вам недоступны."
    ]


async def homework_of(session_maker, day: dt.date) -> str:
    async with session_maker() as session:
        return await session.scalar(select(Lesson.homework).where(Lesson.date == day))


async def outbox_rows(session_maker) -> int:
    return (await journal(session_maker))["outbox"]


FRIDAY = dt.date(2026, 11, 27)  # 5А's next mathematics lesson (урок 2)
HOMEWORK_EXISTS = "К уроку 27.11.2026 (урок 2) уже задано: «№ 112». Заменить новым заданием или добавить к нему?"
HOMEWORK_CHOICE_EXPIRED = (
    "Этот вопрос устарел: задание уже записано или вы задали новое. Отправьте задание снова, если нужно."
)


async def test_homework_over_homework_asks_to_replace_or_add(teacher, session_maker) -> None:
    await teacher.sends("/homework 5А матем № 112")
    told = await outbox_rows(session_maker)

    assert await teacher.sends("/homework 5А матем стр. 40") == [HOMEWORK_EXISTS]
    assert teacher.button_labels() == ["Заменить", "Добавить", "Отмена"]
    assert await homework_of(session_maker, FRIDAY) == "№ 112"  # nothing written while asked
    assert await outbox_rows(session_maker) == told

    question = teacher.last_markup
    assert await teacher.clicks("Добавить") == [
        "Домашнее задание к уроку 27.11 (урок 2) дополнено: 5А, Математика.\n№ 112\nстр. 40"
    ]
    assert await homework_of(session_maker, FRIDAY) == "№ 112\nстр. 40"
    teacher.last_markup = question
    assert await teacher.clicks("Добавить") == [HOMEWORK_CHOICE_EXPIRED]  # pressed again: nothing waits
    assert await homework_of(session_maker, FRIDAY) == "№ 112\nстр. 40"

    await teacher.sends("/homework 5А матем упр. 7")
    assert await teacher.clicks("Заменить") == [
        "Домашнее задание к уроку 27.11 (урок 2) записано: 5А, Математика.\nупр. 7"
    ]
    assert await homework_of(session_maker, FRIDAY) == "упр. 7"

    await teacher.sends("/homework 5А матем выучить правило")
    assert await teacher.clicks("Отмена") == ["Задание не изменено."]
    assert await homework_of(session_maker, FRIDAY) == "упр. 7"
    assert await teacher.sends("/homework 5А матем упр. 7") == [  # the same again: nothing to choose
        "Домашнее задание к уроку 27.11 (урок 2) записано: 5А, Математика.\nупр. 7"
    ]


async def test_each_homework_question_answers_for_its_own_class(teacher, session_maker) -> None:
    await teacher.sends("/homework 5А матем № 112")
    await teacher.sends("/homework 5Б матем 30.11 стр. 7")
    await teacher.sends("/homework 5А матем стр. 40")
    about_5a = teacher.last_markup
    await teacher.sends("/homework 5Б матем 30.11 упр. 3")  # asked again, for 5Б, before answering 5А
    about_5b = teacher.last_markup

    teacher.last_markup = about_5a
    assert await teacher.clicks("Заменить") == [HOMEWORK_CHOICE_EXPIRED]
    assert await homework_of(session_maker, FRIDAY) == "№ 112"
    assert await homework_of(session_maker, dt.date(2026, 11, 30)) == "стр. 7"
    teacher.last_markup = about_5b
    assert await teacher.clicks("Заменить") == [
        "Домашнее задание к уроку 30.11 (урок 5) записано: 5Б, Математика.\nупр. 3"
    ]
    assert await homework_of(session_maker, dt.date(2026, 11, 30)) == "упр. 3"


async def test_homework_changed_while_the_teacher_chooses_is_asked_about_again(teacher, session_maker) -> None:
    await teacher.sends("/homework 5А матем № 112")
    await teacher.sends("/homework 5А матем стр. 40")
    actor = await actor_for(session_maker, "t1", 1009)  # the same teacher on another device
    async with session_maker() as session:  # meanwhile
        moment = SchoolClock(ZoneInfo("Europe/Moscow")).entry()
        await journal_service.homework_command(session, actor, "5А матем упр. 9", moment, HomeworkMode.REPLACE)
        await session.commit()

    assert await teacher.clicks("Заменить") == [HOMEWORK_EXISTS.replace("№ 112", "упр. 9")]
    assert await homework_of(session_maker, FRIDAY) == "упр. 9"  # not overwritten unseen
    assert await teacher.clicks("Заменить") == [
        "Домашнее задание к уроку 27.11 (урок 2) записано: 5А, Математика.\nстр. 40"
    ]
    assert await homework_of(session_maker, FRIDAY) == "стр. 40"


async def test_adding_past_the_length_limit_is_refused_in_the_buttons_answer(teacher, session_maker) -> None:
    long = "№ " + "1" * 1995  # 1997 characters: with «стр. 40» on a new line, past 2000
    await teacher.sends(f"/homework 5А матем {long}")
    await teacher.sends("/homework 5А матем стр. 40")

    assert await teacher.clicks("Добавить") == ["Слишком длинный текст: не больше 2\xa0000 знаков."]
    assert await homework_of(session_maker, FRIDAY) == long


async def test_adding_the_same_homework_twice_adds_it_once(session_maker, clock) -> None:
    """Two presses of «Добавить» at once: the lesson's lock orders them, the second finds its line there."""
    actor = await actor_for(session_maker, "t1", 1001)
    moment = SchoolClock(ZoneInfo("Europe/Moscow")).entry()
    async with session_maker() as session:
        await journal_service.homework_command(session, actor, "5А матем № 112", moment)
        await session.commit()
    with pytest.raises(HomeworkExists):
        async with session_maker() as session:
            await journal_service.homework_command(session, actor, "5А матем стр. 40", moment)

    async def add() -> None:
        async with session_maker() as session:
            await journal_service.homework_command(session, actor, "5А матем стр. 40", moment, HomeworkMode.ADD)
            await session.commit()

    await asyncio.gather(add(), add())
    assert await homework_of(session_maker, FRIDAY) == "№ 112\nстр. 40"


async def test_homework_from_the_lesson_screen_asks_too(teacher, harness, session_maker) -> None:
    await teacher.sends("/homework 5А матем № 112")
    calls = bot_calls(harness)
    await teacher.sends("/today")
    await teacher.clicks("5А")
    [screen] = [result.message_id for method, result in calls if isinstance(method, SendMessage)][-1:]
    await teacher.clicks("Задание")

    assert await teacher.sends("стр. 40") == [HOMEWORK_EXISTS]
    calls.clear()
    replaced, view = await teacher.clicks("Заменить")

    assert replaced == "Домашнее задание к уроку 27.11 (урок 2) записано: 5А, Математика.\nстр. 40"
    assert "Задание к следующему уроку (пт, 27 ноября): стр. 40" in view
    assert [m.message_id for m, _ in calls if isinstance(m, EditMessageText)][-1] == screen  # edited in place
    assert await homework_of(session_maker, FRIDAY) == "стр. 40"
    summary, _ = await teacher.sends("3 5")  # the lesson is open again for typed lines
    assert summary == "Записано: 3. Васильев Кирилл — 5"


async def test_homework_without_a_class_is_left_to_the_family_handler(teacher, session_maker) -> None:
    answers = await teacher.sends("/homework week")
    assert not any(answer.startswith(("Пример: /homework", "Класса", "Предмета")) for answer in answers)
    assert (await journal(session_maker))["lessons"] == 0


async def test_a_forged_button_for_a_student_of_another_class_is_refused(teacher, session_maker) -> None:
    async with session_maker() as session:
        class_5a = await session.scalar(select(SchoolClass.id).where(SchoolClass.name == "5А"))
        math = await session.scalar(select(Subject.id).where(Subject.name == "Математика"))
        from_5b = await session.scalar(select(Student.id).where(Student.external_id == "s9"))
    forged = LessonAction(
        act=Act.SET,
        class_id=class_5a,
        subject_id=math,
        day=dt.date(2026, 11, 26).toordinal(),
        lesson_no=1,
        student_id=from_5b,
        value="5",
    ).pack()
    assert await teacher.presses(forged) == ["Этот ученик не учился в 5А 26.11.2026: записать ему этот урок нельзя."]
    assert await journal(session_maker) == {"lessons": 0, "marks": 0, "attendance": 0, "audit": 0, "outbox": 0}
