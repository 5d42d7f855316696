"""Teachers: /period — period and year marks (closing a term: handlers.term_closing)."""

from __future__ import annotations

import re

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import HasRole, router_for
from bot.i18n import Translator
from bot.text import answer_long, escape, format_average, format_date, short_name, table
from handlers.family import scope_label
from services import final_mark_setting, final_marks, grades
from services.actor import Actor, Role
from services.errors import DomainError, ValidationFailed
from services.final_marks import Sheet
from services.final_results import label_of
from services.homeroom.classes import find_class
from services.school_clock import SchoolClock

YEAR = 0  # period_id in callback data and state for the year marks
# «3:4», «3:н/а 5:осв.», «3:4, 5:5 // причина»: what a teacher types under a sheet. A value is any word
# (a single «/» inside, as in «н/а»), so that a wrong one is refused with the values allowed
# (services.final_results.parse_final_result) rather than not understood.
_VALUE = r"(?:[^\s,;/]|/(?!/))+"
_CHANGE = re.compile(rf"^\s*\d+\s*:\s*{_VALUE}(?:[\s,;]+\d+\s*:\s*{_VALUE})*\s*(?://(?P<reason>.*))?$", re.DOTALL)
_ITEM = re.compile(rf"(\d+)\s*:\s*({_VALUE})")


class PeriodEdit(StatesGroup):
    changing = State()  # a sheet is open: «№:отметка» changes a mark


class PeriodAction(CallbackData, prefix="pm"):
    action: str  # "confirm" (show what would be set), "apply" (set what was shown), "cancel"
    class_id: int
    subject_id: int
    year_id: int
    period_id: int  # YEAR for the year marks


async def cmd_period(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    clock: SchoolClock,
) -> None:
    words = (command.args or "").split()
    today = clock.today()
    if not words:
        taught = await final_marks.taught_by(session, actor)
        examples = ", ".join(f"/period {escape(t.class_name)} {escape(t.subject)}" for t in taught)
        await message.answer(i18n("period-usage") + (f"\n{i18n('period-yours', examples=examples)}" if taught else ""))
        return
    school_class = await find_class(session, words[0])
    subject, scope = await grades.subject_and_scope(
        session, " ".join(words[1:]), school_class.id, today, subject_required=True
    )
    if subject is None:
        raise ValidationFailed("period-usage-subject")
    scope = scope or await grades.current_scope(session, today)
    sheet = await final_marks.load_sheet(session, actor, school_class.id, subject.id, scope, today)
    await _show_sheet(message, state, i18n, sheet)


async def on_period_change(
    message: Message, state: FSMContext, session: AsyncSession, actor: Actor, i18n: Translator, clock: SchoolClock
) -> None:
    data = await state.get_data()
    scope = await grades.scope_by_id(session, data["year_id"], data["period_id"] or None)
    match = _CHANGE.match(message.text)
    reason = (match.group("reason") or "").strip()
    today, now = clock.today(), clock.utcnow()
    head = message.text.split("//", 1)[0]
    changed = []
    for number, value in _ITEM.findall(head):  # one refusal rolls the whole line back (the session's middleware)
        row = await final_mark_setting.set_final_mark(
            session, actor, data["class_id"], data["subject_id"], scope, int(number), value, today, now, reason
        )
        mark = label_of(row.final, i18n.language)
        changed.append(i18n("period-changed", number=row.number, name=escape(short_name(row.name)), mark=mark))
    sheet = await final_marks.load_sheet(session, actor, data["class_id"], data["subject_id"], scope, today)
    await message.answer("\n".join(changed))
    await _show_sheet(message, state, i18n, sheet)


def _action(action: str, sheet: Sheet) -> str:
    period_id = sheet.scope.period.id if sheet.scope.period else YEAR
    return PeriodAction(
        action=action,
        class_id=sheet.school_class.id,
        subject_id=sheet.subject.id,
        year_id=sheet.scope.year.id,
        period_id=period_id,
    ).pack()


def _same_sheet(data: dict, callback_data: PeriodAction) -> bool:
    return (data.get("class_id"), data.get("subject_id"), data.get("year_id"), data.get("period_id")) == (
        callback_data.class_id,
        callback_data.subject_id,
        callback_data.year_id,
        callback_data.period_id,
    )


async def on_confirm_all(
    callback: CallbackQuery,
    callback_data: PeriodAction,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    clock: SchoolClock,
) -> None:
    """Nothing is set yet: the marks that would be are shown, and kept in the state for «apply»."""
    scope = await grades.scope_by_id(session, callback_data.year_id, callback_data.period_id or None)
    sheet = await final_mark_setting.confirmation_sheet(
        session, actor, callback_data.class_id, callback_data.subject_id, scope, clock.today()
    )
    await callback.answer()
    rows = sheet.to_confirm
    if not rows:
        await _show_sheet(callback.message, state, i18n, sheet)
        return
    await _show_sheet(callback.message, state, i18n, sheet, quiet=True)  # the state now names this sheet
    await state.update_data(shown=[[row.student_id, row.suggested_mark] for row in rows])
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=i18n("period-button-apply", count=len(rows)), callback_data=_action("apply", sheet)
                ),
                InlineKeyboardButton(text=i18n("period-button-cancel"), callback_data=_action("cancel", sheet)),
            ]
        ]
    )
    await answer_long(callback.message, render_preview(i18n, sheet), markup)


def render_preview(i18n: Translator, sheet: Sheet) -> str:
    lines = [
        i18n(
            "period-preview-title",
            class_name=escape(sheet.school_class.name),
            subject=escape(sheet.subject.name),
            scope=scope_label(i18n, sheet.scope),
        )
    ]
    lines += [
        i18n(
            "period-preview-line",
            number=row.number,
            name=escape(short_name(row.name)),
            mark=row.suggested_mark,
            average=format_average(row.average, i18n.language),
        )
        for row in sheet.to_confirm
    ]
    lines.append(i18n("period-preview-hint"))
    return "\n".join(lines)


async def on_apply(
    callback: CallbackQuery,
    callback_data: PeriodAction,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    clock: SchoolClock,
) -> None:
    data = await state.get_data()
    if not _same_sheet(data, callback_data) or not data.get("shown"):
        raise DomainError("period-preview-stale")
    scope = await grades.scope_by_id(session, callback_data.year_id, callback_data.period_id or None)
    today = clock.today()
    done = await final_mark_setting.confirm_all(
        session,
        actor,
        callback_data.class_id,
        callback_data.subject_id,
        scope,
        today,
        clock.utcnow(),
        shown={int(sid): int(value) for sid, value in data["shown"]},
    )
    await callback.answer()
    await callback.message.edit_reply_markup(reply_markup=None)
    sheet = await final_marks.load_sheet(session, actor, callback_data.class_id, callback_data.subject_id, scope, today)
    text = i18n("period-confirmed", written=done.written, kept=done.kept, without=done.no_suggestion)
    if done.changed:
        text += "\n" + i18n("period-confirmed-changed", changed=done.changed)
    if done.for_the_teacher:
        text += "\n" + i18n("period-confirmed-for-the-teacher", count=done.for_the_teacher)
    await callback.message.answer(text)
    await _show_sheet(callback.message, state, i18n, sheet)


async def on_cancel(callback: CallbackQuery, state: FSMContext, i18n: Translator) -> None:
    await callback.answer()
    await callback.message.edit_reply_markup(reply_markup=None)
    if await state.get_state() == PeriodEdit.changing.state:
        await state.update_data(shown=None)
    await callback.message.answer(i18n("period-preview-cancelled"))


async def _show_sheet(
    message: Message, state: FSMContext, i18n: Translator, sheet: Sheet, *, quiet: bool = False
) -> None:
    """Show the sheet (quiet: only open it for changes) and, to one who may change it, open it for «3:4»."""
    markup = None
    if sheet.can_change:
        period_id = sheet.scope.period.id if sheet.scope.period else YEAR
        await state.set_state(PeriodEdit.changing)
        await state.set_data(
            {
                "class_id": sheet.school_class.id,
                "subject_id": sheet.subject.id,
                "year_id": sheet.scope.year.id,
                "period_id": period_id,
            }
        )
        unset = len(sheet.to_confirm)
        if unset and not sheet.locked and sheet.year_waits_for is None:
            markup = InlineKeyboardMarkup(
                inline_keyboard=[
                    [
                        InlineKeyboardButton(
                            text=i18n("period-button-confirm", count=unset), callback_data=_action("confirm", sheet)
                        )
                    ]
                ]
            )
    else:
        await forget_sheet(state)
    if not quiet:
        await answer_long(message, render_sheet(i18n, sheet), markup)


async def forget_sheet(state: FSMContext) -> None:
    """A read-only sheet replaces the one open for changes: «3:4» must not reach an earlier sheet."""
    if await state.get_state() == PeriodEdit.changing.state:
        await state.clear()


def render_sheet(i18n: Translator, sheet: Sheet, *, with_marks: bool = False, with_year: bool = False) -> str:
    """The class sheet: №, name, marks count (or the marks themselves), average, suggestion, the mark set;
    `with_year`: the period's school year named too (a past year's page)."""
    language = i18n.language
    lines = [
        i18n(
            "period-title",
            class_name=escape(sheet.school_class.name),
            subject=escape(sheet.subject.name),
            scope=scope_label(i18n, sheet.scope, with_year=with_year),
        )
    ]
    if sheet.scope.is_year:
        numbers = [str(n) for n in range(1, len(sheet.scope.periods) + 1)]
        header = [
            "№",
            i18n("period-col-name"),
            *numbers,
            i18n("period-col-average"),
            i18n("period-col-suggested"),
            i18n("period-col-year"),
        ]
        rows = [
            [
                row.number,
                short_name(row.name),
                *[label_of(m, language) for m in row.period_marks],
                format_average(row.average, language, ""),
                label_of(row.suggested, language),
                label_of(row.final, language),
            ]
            for row in sheet.rows
        ]
        lines.append(table(rows, header=header, right=set(range(len(header))) - {1}))
    else:
        header = [
            "№",
            i18n("period-col-name"),
            i18n("period-col-average"),
            i18n("period-col-suggested"),
            i18n("period-col-final"),
            i18n("period-col-marks") if with_marks else i18n("period-col-count"),
        ]
        rows = [
            [
                row.number,
                short_name(row.name),
                format_average(row.average, language, ""),
                label_of(row.suggested, language),
                label_of(row.final, language),
                _marks(row) if with_marks else row.count,
            ]
            for row in sheet.rows
        ]
        lines.append(table(rows, header=header, right={0, 2, 3, 4} | (set() if with_marks else {5})))
    if not sheet.rows:
        lines.append(i18n("period-empty-class"))
    lines.append(i18n("period-legend-year" if sheet.scope.is_year else "period-legend"))
    if sheet.year_waits_for is not None:
        lines.append(i18n("period-year-waits", end=format_date(sheet.year_waits_for, language, "full")))
    if sheet.locked:
        lines.append(i18n("period-locked-note"))
    if sheet.can_change:
        lines.append(i18n("period-hint-locked" if sheet.locked else "period-hint"))
    return "\n".join(lines)


def _marks(row: final_marks.SheetRow) -> str:
    return " ".join(lesson.token for lesson in grades.group_by_lesson(row.marks))


def router() -> Router:
    """/period: the period's marks sheet and final marks."""
    router = router_for(__name__, HasRole(Role.TEACHER, Role.DEPUTY, Role.DIRECTOR, Role.ADMIN))
    router.message.register(cmd_period, Command("period"))
    router.message.register(on_period_change, PeriodEdit.changing, F.text.regexp(_CHANGE))
    router.callback_query.register(on_confirm_all, PeriodAction.filter(F.action == "confirm"))
    router.callback_query.register(on_apply, PeriodAction.filter(F.action == "apply"))
    router.callback_query.register(on_cancel, PeriodAction.filter(F.action == "cancel"))
    return router
