"""/report: the documents a person may have (services.reports.access), chosen with buttons, sent as files.

The buttons walk kind → school year → whom it is about → period → XLSX or PDF; a step with one choice
is taken at once (a parent of one child goes straight to the period; only those who see the whole school
choose a past year). Every press carries the choices so far, and
the service checks them all again, whatever the button says.
"""

from __future__ import annotations

from typing import NamedTuple

from aiogram import Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings, deadline_of
from bot.filters import IsBound, router_for
from bot.i18n import Translator
from services.actor import Actor
from services.documents.render import FileFormat
from services.grades import Scope, current_scope, scope_by_id
from services.reports.access import Target, kinds_for, report_years, targets
from services.reports.files import ReportFiles, report_files
from services.reports.request import ReportRequest
from services.school_clock import SchoolClock

CAPTION_LIMIT = 1024  # Telegram's, for a file's caption
MAX_BUTTONS = 99  # Telegram takes 100 at most; a school reader narrows by class first
UNSET = -1  # a period not chosen yet
YEAR = 0  # the period «year»
CURRENT_YEAR = 0  # the school year now


class ReportPick(CallbackData, prefix="rp"):
    kind: str
    target: str = ""  # Target as `encode_target` writes it; "" not chosen yet
    period: int = UNSET
    fmt: str = ""
    year: int = UNSET  # the school year's id; CURRENT_YEAR this one


def encode_target(target: Target) -> str:
    """A target in a few bytes of callback data: s (school), g5, c12, n12 (a class to narrow by), p33, t12.7."""
    if target.student_id is not None:
        return f"p{target.student_id}"
    if target.subject_id is not None:
        return f"t{target.class_id}.{target.subject_id}"
    if target.class_id is not None:
        return f"{'n' if target.narrows else 'c'}{target.class_id}"
    if target.grade is not None:
        return f"g{target.grade}"
    return "s"


def decode_target(text: str) -> Target:
    head, body = text[:1], text[1:]
    if head == "p":
        return Target("", student_id=int(body))
    if head == "t":
        class_id, subject_id = body.split(".")
        return Target("", class_id=int(class_id), subject_id=int(subject_id))
    if head in "cn" and body:
        return Target("", class_id=int(body), narrows=head == "n")
    if head == "g":
        return Target("", grade=int(body))
    return Target("")


async def cmd_report(
    message: Message, session: AsyncSession, actor: Actor, i18n: Translator, clock: SchoolClock
) -> None:
    kinds = kinds_for(actor)
    if not kinds:
        await message.answer(i18n("report-none"))
        return
    if len(kinds) > 1:
        choices = [(i18n(f"report-kind-{kind}"), ReportPick(kind=kind)) for kind in kinds]
        await message.answer(i18n("report-choose-kind"), reply_markup=_keyboard(choices, columns=2))
        return
    step = await _next_step(session, actor, i18n, clock, ReportPick(kind=kinds[0]))
    await message.answer(step.text, reply_markup=step.markup)


async def on_pick(
    callback: CallbackQuery,
    callback_data: ReportPick,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    settings: Settings,
    clock: SchoolClock,
) -> None:
    if not isinstance(callback.message, Message):
        await callback.answer()
        return
    if callback_data.fmt:
        # Answered only once the report is made: a refusal is then the button's one answer (an alert).
        files = await report_files(
            session, actor, await _request(session, settings, clock, callback_data), FileFormat(callback_data.fmt)
        )
        await callback.message.edit_text(i18n("report-sent", kind=i18n(f"report-kind-{callback_data.kind}")))
        await callback.answer()
        await _send_files(callback.message, files)
        return
    step = await _next_step(session, actor, i18n, clock, callback_data)
    await callback.message.edit_text(step.text, reply_markup=step.markup)
    await callback.answer()


class Step(NamedTuple):
    text: str
    markup: InlineKeyboardMarkup | None = None


async def _next_step(
    session: AsyncSession, actor: Actor, i18n: Translator, clock: SchoolClock, pick: ReportPick
) -> Step:
    """The question after `pick`'s choices: whom, then which period, then which format."""
    kind = i18n(f"report-kind-{pick.kind}")
    if pick.year == UNSET:
        years = await report_years(session, actor)
        if len(years) > 1:
            choices = [(year.name, pick.model_copy(update={"year": year.id})) for year in years[1:]]
            choices.insert(0, (i18n("report-this-year", year=years[0].name), pick.model_copy(update={"year": 0})))
            return Step(i18n("report-choose-year", kind=kind), _keyboard(choices, columns=2))
        pick = pick.model_copy(update={"year": CURRENT_YEAR})
    if not pick.target or decode_target(pick.target).narrows:
        within = decode_target(pick.target).class_id if pick.target else None
        found = await targets(session, actor, pick.kind, within_class=within, year_id=pick.year or None)
        if not found:
            return Step(i18n("report-nothing-to-choose", kind=kind))
        if len(found) > 1 or found[0].narrows:
            choices = [(t.name, pick.model_copy(update={"target": encode_target(t)})) for t in found]
            return Step(i18n("report-choose-target", kind=kind), _keyboard(choices, columns=3))
        pick = pick.model_copy(update={"target": encode_target(found[0])})
    if pick.period == UNSET:
        scope = await _year_scope(session, clock, pick)
        started = [period for period in scope.periods if period.start <= clock.today()] or list(scope.periods[:1])
        choices = [(p.name, pick.model_copy(update={"period": p.id})) for p in started]
        choices.append((i18n("report-year"), pick.model_copy(update={"period": YEAR})))
        return Step(i18n("report-choose-period", kind=kind), _keyboard(choices, columns=3))
    choices = [(fmt.value.upper(), pick.model_copy(update={"fmt": fmt.value})) for fmt in FileFormat]
    return Step(i18n("report-choose-format", kind=kind), _keyboard(choices, columns=2))


def _keyboard(choices: list[tuple[str, ReportPick]], *, columns: int) -> InlineKeyboardMarkup:
    keyboard = InlineKeyboardBuilder()
    for label, data in choices[:MAX_BUTTONS]:
        keyboard.button(text=label, callback_data=data)
    keyboard.adjust(columns)
    return keyboard.as_markup()


async def _year_scope(session: AsyncSession, clock: SchoolClock, pick: ReportPick) -> Scope:
    """The chosen school year with its periods (this year: as today stands in it)."""
    if pick.year in (UNSET, CURRENT_YEAR):
        return await current_scope(session, clock.today())
    return await scope_by_id(session, pick.year, None)


async def _request(session: AsyncSession, settings: Settings, clock: SchoolClock, pick: ReportPick) -> ReportRequest:
    today = clock.today()
    year = await _year_scope(session, clock, pick)
    target = decode_target(pick.target)
    return ReportRequest(
        kind=pick.kind,
        scope=await scope_by_id(session, year.year.id, None if pick.period == YEAR else pick.period),
        today=today,
        class_id=target.class_id,
        grade=target.grade,
        subject_id=target.subject_id,
        student_id=target.student_id,
        basis=settings.report_basis,
        made_on=today,
        deadline=deadline_of(settings),
    )


async def _send_files(message: Message, files: ReportFiles) -> None:
    caption = "\n".join(files.summary)[:CAPTION_LIMIT] or None
    await message.answer_document(BufferedInputFile(files.document.content, files.document.name), caption=caption)
    for chart in files.charts:
        await message.answer_photo(BufferedInputFile(chart.content, chart.name))


def router() -> Router:
    """/report: reports as XLSX or PDF files, with a chart where one helps."""
    router = router_for(__name__, IsBound())
    router.message.register(cmd_report, Command("report"))
    router.callback_query.register(on_pick, ReportPick.filter())
    return router
