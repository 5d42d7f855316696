"""Personal-data consents (regulation 3.2): `/class consents` (who is missing), `/consent` (a pupil's card,
or a signed statement typed in one line), `/consents` (the school's totals), and the card's buttons.

A tap on the card asks for a confirmation that names the pupil, the signer and the date before
anything is recorded; a typed line names all of them already and is recorded as typed.
"""

from __future__ import annotations

import datetime as dt
import re

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import HasRole
from bot.i18n import Translator
from bot.text import answer_long, escape, format_date, short_name
from handlers.homeroom import STAFF_ROLES
from models import PersonKind
from services import consent_views, consents
from services.actor import Actor
from services.consent_rules import Signer, Statement, parse_given
from services.consent_views import ClassConsents, PupilConsents, SignerConsent
from services.entry_parser import parse_date
from services.errors import ValidationFailed
from services.homeroom.classes import all_classes, class_by_id, classes_led_by, find_class
from services.movement import find_student
from services.school_clock import SchoolClock

CONSENT_WORDS = frozenset({"consents", "consent", "согласия", "согласие", "пдн"})
_DOCUMENT_MARK = re.compile(r"^(№|N|No\.?)\s*", re.IGNORECASE)


def _asks_for_consents(command: CommandObject) -> bool:
    words = (command.args or "").split()
    return bool(words) and words[0].casefold() in CONSENT_WORDS


# --- callback data ---------------------------------------------------------------------------


class ConsentClass(CallbackData, prefix="pdc"):
    class_id: int


class ConsentCard(CallbackData, prefix="pdk"):
    student_id: int


class ConsentAsk(CallbackData, prefix="pda"):
    """A tap on the card: asks to confirm; `confirmed` records it."""

    student_id: int
    kind: PersonKind
    person_id: int
    given: bool
    day: int  # date.toordinal(): the day the card was opened, so a late tap records what was shown
    confirmed: bool = False


class ConsentCancel(CallbackData, prefix="pdx"):
    pass


# --- /class consents and /consents -----------------------------------------------------------


async def cmd_class_consents(
    message: Message, command: CommandObject, session: AsyncSession, actor: Actor, i18n: Translator, clock: SchoolClock
) -> None:
    words = (command.args or "").split()[1:]
    if len(words) > 1:
        raise ValidationFailed("consent-usage-class")
    if words:
        await _answer_class(message, session, actor, i18n, (await find_class(session, words[0])).id, clock.today())
        return
    choices = await classes_led_by(session, actor)
    if not choices and actor.sees_whole_school:
        choices = await all_classes(session)
    if not choices:
        await message.answer(i18n("homeroom-no-class"))
    elif len(choices) == 1:
        await _answer_class(message, session, actor, i18n, choices[0].id, clock.today())
    else:
        await message.answer(
            i18n("homeroom-pick-class"),
            reply_markup=_in_rows(
                [InlineKeyboardButton(text=c.name, callback_data=ConsentClass(class_id=c.id).pack()) for c in choices],
                4,
            ),
        )


async def on_consent_class(
    callback: CallbackQuery,
    callback_data: ConsentClass,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    clock: SchoolClock,
) -> None:
    if isinstance(callback.message, Message):
        await _answer_class(callback.message, session, actor, i18n, callback_data.class_id, clock.today())
    await callback.answer()


async def cmd_consents(
    message: Message, session: AsyncSession, actor: Actor, i18n: Translator, clock: SchoolClock
) -> None:
    """The school's totals for the administration; a class teacher gets their class."""
    today = clock.today()
    if actor.homeroom_class_ids and not actor.sees_whole_school:
        for school_class in await classes_led_by(session, actor):
            await _answer_class(message, session, actor, i18n, school_class.id, today)
        return
    totals = await consent_views.school_totals(session, actor, today)
    await answer_long(message, render_totals(i18n, totals, today))


async def _answer_class(
    message: Message, session: AsyncSession, actor: Actor, i18n: Translator, class_id: int, today: dt.date
) -> None:
    listing = await consent_views.class_consents(session, actor, class_id, today)
    buttons = [
        InlineKeyboardButton(
            text=i18n("consent-button-pupil", number=pupil.number, name=short_name(pupil.full_name)),
            callback_data=ConsentCard(student_id=pupil.student_id).pack(),
        )
        for pupil in listing.pupils
        if not pupil.complete and class_id in actor.homeroom_class_ids
    ]
    await answer_long(message, render_class(i18n, listing), _in_rows(buttons, 2) if buttons else None)


def _in_rows(buttons: list[InlineKeyboardButton], width: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[buttons[i : i + width] for i in range(0, len(buttons), width)])


def render_class(i18n: Translator, listing: ClassConsents) -> str:
    lines = [
        i18n(
            "consent-class-title",
            class_name=escape(listing.class_name),
            date=format_date(listing.day, i18n.language, "full"),
        ),
        i18n("consent-class-summary", complete=listing.complete, total=len(listing.pupils)),
    ]
    lacking = [pupil for pupil in listing.pupils if not pupil.complete]
    if not lacking:
        return "\n".join(lines)
    lines += ["", i18n("consent-class-missing-title")]
    for pupil in lacking:
        missing = [_missing_text(i18n, signer) for signer in pupil.missing]
        if pupil.no_parent:
            missing.insert(0, i18n("consent-missing-no-parent"))
        lines.append(
            i18n("consent-class-pupil", number=pupil.number, name=escape(pupil.full_name), missing="; ".join(missing))
        )
    lines += ["", i18n("consent-class-hint")]
    return "\n".join(lines)


def _missing_text(i18n: Translator, signer: SignerConsent) -> str:
    who = i18n("consent-own") if signer.own else escape(signer.full_name)
    return i18n("consent-missing-signer", who=who, state=_state(i18n, signer.latest))


def _state(i18n: Translator, statement: Statement | None) -> str:
    if statement is None:
        return i18n("consent-state-none")
    document = i18n("consent-document", document=escape(statement.document)) if statement.document else ""
    return i18n(
        "consent-state",
        given="yes" if statement.given else "no",
        date=format_date(statement.signed_on, i18n.language, "full"),
        document=document,
    )


def render_totals(i18n: Translator, totals: list[consent_views.ClassTotals], today: dt.date) -> str:
    lines = [i18n("consent-totals-title", date=format_date(today, i18n.language, "full"))]
    lines += [
        i18n(
            "consent-totals-line",
            class_name=escape(row.class_name),
            complete=row.complete,
            total=row.pupils,
            missing=row.missing,
            withdrawn=row.withdrawn,
            no_parent=row.no_parent,
        )
        for row in totals
    ]
    pupils = sum(row.pupils for row in totals)
    complete = sum(row.complete for row in totals)
    lines.append(
        i18n(
            "consent-totals-school",
            complete=complete,
            total=pupils,
            percent=round(100 * complete / pupils) if pupils else 0,
            missing=sum(row.missing for row in totals),
        )
    )
    lines.append(i18n("consent-totals-hint"))
    return "\n".join(lines)


# --- a pupil's card --------------------------------------------------------------------------


async def cmd_consent(
    message: Message, command: CommandObject, session: AsyncSession, actor: Actor, i18n: Translator, clock: SchoolClock
) -> None:
    """/consent PUPIL · /consent PUPIL PARENT|сам дано|отозвано [DATE] [DOCUMENT]"""
    today = clock.today()
    words = (command.args or "").split()
    if len(words) == 1:
        student = await find_student(session, words[0])
        await _answer_card(message, session, actor, i18n, student.id, today)
        return
    given = parse_given(words[2]) if len(words) >= 3 else None
    if given is None:
        raise ValidationFailed("consent-usage")
    rest = words[3:]
    day = today
    if rest and (parsed := parse_date(rest[0], today=today)) is not None:
        day, rest = parsed.date, rest[1:]
    student = await find_student(session, words[0])
    signer = await consents.find_signer(session, student, words[1])
    document = _DOCUMENT_MARK.sub("", " ".join(rest))
    done = await consents.record_consent(
        session, actor, student_id=student.id, signer=signer, statement=Statement(given, day, document), today=today
    )
    await message.answer(render_recorded(i18n, done))


async def _answer_card(
    message: Message, session: AsyncSession, actor: Actor, i18n: Translator, student_id: int, today: dt.date
) -> None:
    pupil = await consent_views.pupil_consents(session, actor, student_id, today)
    class_name = (await class_by_id(session, pupil.class_id)).name if pupil.class_id else ""
    text = render_card(i18n, pupil, class_name)
    await message.answer(text, reply_markup=_card_buttons(i18n, actor, pupil, today))


def render_card(i18n: Translator, pupil: PupilConsents, class_name: str) -> str:
    lines = [
        i18n(
            "consent-card-title",
            name=escape(pupil.full_name),
            id=escape(pupil.external_id),
            class_name=escape(class_name),
        )
    ]
    if pupil.no_parent:
        lines.append(i18n("consent-card-no-parent"))
    for signer in pupil.signers:
        who = (
            i18n("consent-own")
            if signer.own
            else i18n("consent-card-parent", name=escape(signer.full_name), id=escape(signer.external_id))
        )
        lines.append(i18n("consent-card-line", who=who, state=_state(i18n, signer.latest)))
        if len(signer.history) > 1:
            lines.append(
                i18n(
                    "consent-card-earlier",
                    states="; ".join(_state(i18n, statement) for statement in signer.history[:-1]),
                )
            )
    lines += ["", i18n("consent-card-hint", id=escape(pupil.external_id))]
    return "\n".join(lines)


def _card_buttons(i18n: Translator, actor: Actor, pupil: PupilConsents, today: dt.date) -> InlineKeyboardMarkup | None:
    """For the class teacher: per signer, «given today» or, where a consent stands, «withdrawn today»."""
    if pupil.class_id not in actor.homeroom_class_ids:
        return None
    rows = [
        [
            InlineKeyboardButton(
                text=i18n(
                    "consent-button",
                    given="no" if signer.stands else "yes",
                    who=i18n("consent-own") if signer.own else short_name(signer.full_name),
                ),
                callback_data=ConsentAsk(
                    student_id=pupil.student_id,
                    kind=signer.signer.kind,
                    person_id=signer.signer.person_id,
                    given=not signer.stands,
                    day=today.toordinal(),
                ).pack(),
            )
        ]
        for signer in pupil.signers
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


async def on_consent_card(
    callback: CallbackQuery,
    callback_data: ConsentCard,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    clock: SchoolClock,
) -> None:
    if isinstance(callback.message, Message):
        await _answer_card(callback.message, session, actor, i18n, callback_data.student_id, clock.today())
    await callback.answer()


async def on_consent_ask(
    callback: CallbackQuery,
    callback_data: ConsentAsk,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    clock: SchoolClock,
) -> None:
    message = callback.message if isinstance(callback.message, Message) else None
    today, day = clock.today(), dt.date.fromordinal(callback_data.day)
    signer = Signer(callback_data.kind, callback_data.person_id)
    statement = Statement(callback_data.given, day, "")
    if callback_data.confirmed:
        done = await consents.record_consent(
            session, actor, student_id=callback_data.student_id, signer=signer, statement=statement, today=today
        )
        if message is not None:
            await message.edit_text(render_recorded(i18n, done))
    elif message is not None:
        pupil = await consent_views.pupil_consents(session, actor, callback_data.student_id, today)
        consents.ensure_records_consents(actor, pupil.class_id)
        who = next((s for s in pupil.signers if s.signer == signer), None)
        if who is None:
            raise ValidationFailed("consent-signer-gone")
        await message.answer(
            i18n(
                "consent-confirm",
                pupil=escape(pupil.full_name),
                signer=escape(who.full_name) + (i18n("consent-own-mark") if who.own else ""),
                given="yes" if statement.given else "no",
                date=format_date(day, i18n.language, "full"),
            ),
            reply_markup=InlineKeyboardMarkup(
                inline_keyboard=[
                    [
                        InlineKeyboardButton(
                            text=i18n("consent-button-confirm"),
                            callback_data=callback_data.model_copy(update={"confirmed": True}).pack(),
                        ),
                        InlineKeyboardButton(text=i18n("consent-button-cancel"), callback_data=ConsentCancel().pack()),
                    ]
                ]
            ),
        )
    await callback.answer()


async def on_consent_cancel(callback: CallbackQuery, i18n: Translator) -> None:
    if isinstance(callback.message, Message):
        await callback.message.edit_text(i18n("consent-cancelled"))
    await callback.answer()


def render_recorded(i18n: Translator, done: consents.Recorded) -> str:
    statement = done.statement
    document = i18n("consent-document", document=escape(statement.document)) if statement.document else ""
    return i18n(
        "consent-recorded" if done.changed else "consent-unchanged",
        own="yes" if done.own else "no",
        signer=escape(done.signer_name),
        pupil=escape(done.student.full_name),
        given="yes" if statement.given else "no",
        date=format_date(statement.signed_on, i18n.language, "full"),
        document=document,
    )


def router() -> Router:
    """Personal-data consents: `/class consents`, /consents, /consent and their buttons."""
    router = Router(name=__name__)
    router.message.register(
        cmd_class_consents, Command("class", magic=F.func(_asks_for_consents)), HasRole(*STAFF_ROLES)
    )
    router.callback_query.register(on_consent_class, ConsentClass.filter())
    router.message.register(cmd_consents, Command("consents"), HasRole(*STAFF_ROLES))
    router.message.register(cmd_consent, Command("consent"), HasRole(*STAFF_ROLES))
    router.callback_query.register(on_consent_card, ConsentCard.filter())
    router.callback_query.register(on_consent_ask, ConsentAsk.filter())
    router.callback_query.register(on_consent_cancel, ConsentCancel.filter())
    return router
