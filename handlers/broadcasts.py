"""/broadcast: an announcement to a class, a parallel, the staff or the whole school, previewed and confirmed, and
its delivery report (/broadcast report). The «Принято к сведению» button under one is handlers.messaging.notice_buttons'."""

from __future__ import annotations

from dataclasses import replace

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import IsBound, router_for
from bot.i18n import Translator
from bot.outbound.render import render_notice
from bot.text import answer_long, escape
from handlers.messaging.keyboards import markup
from handlers.messaging.states import TYPED, BroadcastFlow
from services.actor import Actor
from services.errors import AccessDenied
from services.messaging.broadcasts import (
    Audience,
    AudienceChoice,
    BroadcastReport,
    audience_choices,
    broadcast_report,
    count_audience,
    recent_broadcasts,
    send_broadcast,
    sender_label,
)
from services.messaging.content import Content


class BroadcastTo(CallbackData, prefix="bto"):
    audience: Audience
    class_id: int = 0
    grade: int = 0  # Audience.PARALLEL_PARENTS


BUTTONS_PER_ROW = 3  # a school's classes' and parallels' buttons side by side


class BroadcastConfirm(CallbackData, prefix="bok"):
    send: bool


class BroadcastReportButton(CallbackData, prefix="brp"):
    broadcast_id: int


# --- /broadcast ----------------------------------------------------------------------------------------


def _audience_label(i18n: Translator, choice: AudienceChoice) -> str:
    key = f"broadcast-audience-{choice.audience.value.replace('_', '-')}"
    return i18n(key, class_name=escape(choice.class_name or ""), grade=choice.grade or 0)


def _audience_rows(i18n: Translator, choices: list[AudienceChoice]) -> list[list[tuple[str, str]]]:
    """One row a choice, but a run of one audience (every class's parents, the parallels) side by side."""
    rows: list[list[tuple[str, str]]] = []
    previous: Audience | None = None
    for choice in choices:
        button = (
            _audience_label(i18n, choice),
            BroadcastTo(audience=choice.audience, class_id=choice.class_id or 0, grade=choice.grade or 0).pack(),
        )
        if choice.audience == previous and len(rows[-1]) < BUTTONS_PER_ROW:
            rows[-1].append(button)
        else:
            rows.append([button])
        previous = choice.audience
    return rows


async def cmd_broadcast(
    message: Message, command: CommandObject, session: AsyncSession, actor: Actor, i18n: Translator, state: FSMContext
) -> None:
    await state.clear()
    if (command.args or "").strip().lower() in ("report", "отчёт", "отчет"):
        broadcasts = await recent_broadcasts(session, actor)
        if not broadcasts:
            await message.answer(i18n("broadcast-none-yet"))
            return
        reports = [render_report(await broadcast_report(session, actor, b.id), i18n, b.text) for b in broadcasts]
        await message.answer("\n\n".join(reports))
        return
    choices = await audience_choices(session, actor)
    if not choices:
        raise AccessDenied("broadcast-error-not-allowed")
    await message.answer(i18n("broadcast-choose"), reply_markup=markup(_audience_rows(i18n, choices)))


async def on_broadcast_to(
    callback: CallbackQuery,
    callback_data: BroadcastTo,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    state: FSMContext,
) -> None:
    class_id, grade = callback_data.class_id or None, callback_data.grade or None
    count = await count_audience(session, actor, callback_data.audience, class_id, grade)
    await state.set_state(BroadcastFlow.composing)
    await state.update_data(audience=callback_data.audience.value, class_id=class_id, grade=grade)
    await callback.answer()
    if isinstance(callback.message, Message):
        await callback.message.answer(i18n("broadcast-prompt", count=count))


async def on_broadcast_text(
    message: Message, session: AsyncSession, actor: Actor, i18n: Translator, state: FSMContext
) -> None:
    if message.text is None:
        await message.answer(i18n("broadcast-error-text-only"))
        return
    text = Content("text", message.text).checked().text
    data = await state.get_data()
    audience, class_id, grade = Audience(data["audience"]), data.get("class_id"), data.get("grade")
    count = await count_audience(session, actor, audience, class_id, grade)
    await state.update_data(text=text)
    await state.set_state(BroadcastFlow.confirming)
    label = await sender_label(session, actor, audience, class_id)
    preview = "\n".join(part.text for part in render_notice(replace(label, text=text), i18n))
    await answer_long(
        message,
        i18n("broadcast-preview", count=count) + "\n\n" + preview,
        reply_markup=markup(
            [
                [
                    (i18n("broadcast-button-send"), BroadcastConfirm(send=True).pack()),
                    (i18n("broadcast-button-cancel"), BroadcastConfirm(send=False).pack()),
                ]
            ]
        ),
    )


async def on_broadcast_confirm(
    callback: CallbackQuery,
    callback_data: BroadcastConfirm,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    state: FSMContext,
) -> None:
    data = await state.get_data()
    await state.clear()
    await callback.answer()
    if not isinstance(callback.message, Message):
        return
    await callback.message.edit_reply_markup(reply_markup=None)
    if not callback_data.send:
        await callback.message.answer(i18n("broadcast-cancelled"))
        return
    broadcast = await send_broadcast(
        session, actor, Audience(data["audience"]), data.get("class_id"), data["text"], grade=data.get("grade")
    )
    report = await broadcast_report(session, actor, broadcast.id)
    await callback.message.answer(
        i18n("broadcast-sent", count=report.total - report.off),
        reply_markup=markup(
            [[(i18n("broadcast-button-report"), BroadcastReportButton(broadcast_id=broadcast.id).pack())]]
        ),
    )


async def on_broadcast_report(
    callback: CallbackQuery, callback_data: BroadcastReportButton, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    report = await broadcast_report(session, actor, callback_data.broadcast_id)
    await callback.answer()
    if isinstance(callback.message, Message):
        await callback.message.answer(
            render_report(report, i18n),
            reply_markup=markup([[(i18n("broadcast-button-refresh"), callback_data.pack())]]),
        )


def render_report(report: BroadcastReport, i18n: Translator, text: str | None = None) -> str:
    lines = [
        i18n(
            "broadcast-report",
            total=report.total,
            delivered=report.delivered,
            pending=report.pending,
            blocked=report.blocked,
            failed=report.failed,
            read=report.read,
            off=report.off,
        )
    ]
    if text is not None:
        snippet = text if len(text) <= 60 else text[:59] + "…"
        lines.insert(0, f"«{escape(snippet)}»")
    return "\n".join(lines)


def router() -> Router:
    """After handlers.messaging's router: /cancel in the middle of a broadcast is answered there (its write module)."""
    router = router_for(__name__, IsBound())
    router.message.register(cmd_broadcast, Command("broadcast"))
    router.callback_query.register(on_broadcast_to, BroadcastTo.filter())
    router.message.register(on_broadcast_text, BroadcastFlow.composing, TYPED)
    router.callback_query.register(on_broadcast_confirm, BroadcastConfirm.filter(), BroadcastFlow.confirming)
    router.callback_query.register(on_broadcast_report, BroadcastReportButton.filter())
    return router
