"""Invitations (issue 9, item 7): one live link per person, a confirmation before a signed-in person
gets a new one, and a second person on one Telegram account only when its owner confirms, naming both.

The demo school: t1 leads 5А; p3 (Васильева Ирина) and p5 (Горбунова Юлия) are parents in 5А, p11 in
5Б; t2 is a teacher; a1 the administrator. Each refusal is checked for what it leaves: nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt

import pytest
from sqlalchemy import func, select

from bot.cli import build_parser, cmd_invite
from bot.i18n import get_translator
from models import Account, AccountBinding, Invitation, InviteRole, PersonKind, SignInAttempt, Staff
from tests.conftest import make_settings
from tests.people import PERSON_MODELS, kind_of, person_id, signed_in
from tests.test_invitations import LINK, codes_in, invite

pytestmark = pytest.mark.usefixtures("school")

RU = get_translator("ru")
CLASS_TEACHER, MOTHER, OTHER_MOTHER, ADMIN = 7001, 7002, 7003, 7004
ASKS_P3 = (
    "Васильева Ирина Сергеевна уже входит в журнал как родитель. Новая ссылка нужна, если сменился "
    "телефон или аккаунт Telegram."
)


async def links(session_maker, external_id: str) -> list[tuple[bool, bool]]:
    """The person's invitations, oldest first: (used, withdrawn)."""
    async with session_maker() as session:
        rows = await session.execute(
            select(Invitation.used_at, Invitation.revoked_at)
            .where(
                Invitation.person_kind == kind_of(external_id),
                Invitation.person_id == await person_id(session, external_id),
            )
            .order_by(Invitation.id)
        )
        return [(used is not None, revoked is not None) for used, revoked in rows]


async def speaks_for(session_maker, telegram_id: int) -> set[str]:
    """The demo ids the account's live bindings speak for."""
    async with session_maker() as session:
        rows = await session.execute(
            select(AccountBinding.person_kind, AccountBinding.person_id)
            .join(Account, Account.id == AccountBinding.account_id)
            .where(Account.telegram_id == telegram_id, AccountBinding.revoked_at.is_(None))
        )
        ids = set()
        for kind, id_ in list(rows):
            model = PERSON_MODELS[PersonKind(kind)]
            ids.add(await session.scalar(select(model.external_id).where(model.id == id_)))
        return ids


async def attempts(session_maker, telegram_id: int) -> int:
    async with session_maker() as session:
        return await session.scalar(
            select(func.count()).select_from(SignInAttempt).where(SignInAttempt.telegram_id == telegram_id)
        )


# --- issuing a link for someone already signed in -------------------------------------------------


async def test_a_link_for_a_signed_in_parent_is_issued_only_after_the_button(harness, session_maker) -> None:
    teacher = await signed_in(harness, session_maker, "t1", CLASS_TEACHER)
    await signed_in(harness, session_maker, "p3", MOTHER)

    [question] = await teacher.sends("/invite parent p3")

    assert question.startswith(ASKS_P3)
    assert question.endswith("Выдать новую ссылку?\nНажмите кнопку или наберите: /invite parent p3 again")
    assert teacher.button_labels() == ["Выдать новую ссылку"]
    assert await links(session_maker, "p3") == []  # nothing issued yet
    answers = await teacher.clicks("Выдать новую ссылку")
    assert answers[0].startswith("Приглашение: Васильева Ирина Сергеевна (родитель)")
    assert len(codes_in(answers)) == 1
    assert await links(session_maker, "p3") == [(False, False)]
    assert await speaks_for(session_maker, MOTHER) == {"p3"}  # her sign-in stands until the link is opened


async def test_the_confirmation_can_be_typed(harness, session_maker) -> None:
    teacher = await signed_in(harness, session_maker, "t1", CLASS_TEACHER)
    await signed_in(harness, session_maker, "p3", MOTHER)

    answers = await teacher.sends("/invite parent p3 again")

    assert answers[0].startswith("Приглашение: Васильева Ирина Сергеевна (родитель)")
    assert await links(session_maker, "p3") == [(False, False)]


async def test_a_forged_button_for_another_class_is_refused_and_issues_nothing(harness, session_maker) -> None:
    teacher = await signed_in(harness, session_maker, "t1", CLASS_TEACHER)
    await signed_in(harness, session_maker, "p11", MOTHER)  # 5Б
    async with session_maker() as session:
        p11 = await person_id(session, "p11")

    assert await teacher.presses(f"iag:parent:{p11}") == [RU("error-not-your-class")]
    assert await links(session_maker, "p11") == []


async def test_the_new_link_once_opened_ends_the_old_sign_in(harness, session_maker) -> None:
    teacher = await signed_in(harness, session_maker, "t1", CLASS_TEACHER)
    lost_phone = await signed_in(harness, session_maker, "p3", MOTHER)
    [code] = codes_in(await teacher.sends("/invite parent p3 again"))

    answers = await harness.user(7010).sends(f"/start {code}")

    assert answers[0].startswith(
        "Здравствуйте, Васильева Ирина Сергеевна! Вы вошли в журнал: родитель.\n" + RU("start-ended-elsewhere")
    )
    assert await speaks_for(session_maker, 7010) == {"p3"}
    assert await speaks_for(session_maker, MOTHER) == set()
    assert await lost_phone.sends("/grades") == [RU("fallback-need-invitation")]


# --- one live link per person -----------------------------------------------------------------------


async def test_a_new_link_withdraws_the_older_unused_one(harness, session_maker) -> None:
    teacher = await signed_in(harness, session_maker, "t1", CLASS_TEACHER)
    [old_code] = codes_in(await teacher.sends("/invite parent p5"))

    answers = await teacher.sends("/invite parent p5")

    assert answers[0].endswith(RU("invite-withdrawn", count=1))
    [new_code] = codes_in(answers)
    assert await links(session_maker, "p5") == [(False, True), (False, False)]
    assert await harness.user(7011).sends(f"/start {old_code}") == [RU("start-error-revoked-code")]
    assert (await harness.user(7011).sends(f"/start {new_code}"))[0].startswith("Здравствуйте, Горбунова Юлия")


async def test_invite_class_withdraws_the_older_links_too(harness, session_maker) -> None:
    teacher = await signed_in(harness, session_maker, "t1", CLASS_TEACHER)
    await teacher.sends("/invite parent p5")

    answers = await teacher.sends("/invite class")

    assert RU("invite-withdrawn", count=1) in "\n".join(answers)
    assert await links(session_maker, "p5") == [(False, True), (False, False)]


async def test_two_issuers_at_once_leave_one_live_link(harness, session_maker) -> None:
    teacher = await signed_in(harness, session_maker, "t1", CLASS_TEACHER)
    admin = await signed_in(harness, session_maker, "a1", ADMIN)

    await asyncio.gather(teacher.sends("/invite parent p5"), admin.sends("/invite parent p5"))

    assert sorted(await links(session_maker, "p5")) == [(False, False), (False, True)]


# --- a second person on one account ------------------------------------------------------------------


async def test_another_parents_link_asks_naming_both_and_binds_nothing_until_confirmed(harness, session_maker) -> None:
    teacher = await signed_in(harness, session_maker, "t1", CLASS_TEACHER)
    mother = await signed_in(harness, session_maker, "p3", MOTHER)
    other = await signed_in(harness, session_maker, "p5", OTHER_MOTHER)
    [code] = codes_in(await teacher.sends("/invite parent p3 again"))

    [question] = await other.sends(f"/start {code}")

    assert question.startswith(
        "Этот аккаунт Telegram уже входит в журнал как Горбунова Юлия Александровна.\n"
        "Ссылка выдана другому человеку: Васильева Ирина Сергеевна.\n"
    )
    assert other.button_labels() == ["Да, это я: Васильева Ирина Сергеевна"]
    assert await speaks_for(session_maker, OTHER_MOTHER) == {"p5"}
    assert await speaks_for(session_maker, MOTHER) == {"p3"}
    assert await links(session_maker, "p3") == [(False, False)]
    assert await attempts(session_maker, OTHER_MOTHER) == 0
    # Confirmed (she says she is both): one account speaks for both, and the other sign-in ends.
    answers = await other.clicks("Да, это я")
    assert answers[0].startswith("Здравствуйте, Васильева Ирина Сергеевна! Вы вошли в журнал: родитель.")
    assert await speaks_for(session_maker, OTHER_MOTHER) == {"p3", "p5"}
    assert await speaks_for(session_maker, MOTHER) == set()
    assert await links(session_maker, "p3") == [(True, False)]
    assert await mother.sends("/grades") == [RU("fallback-need-invitation")]


async def test_a_parent_of_children_in_two_classes_adds_the_second_record(harness, session_maker) -> None:
    parent = await signed_in(harness, session_maker, "p3", MOTHER)
    issued = await invite(session_maker, InviteRole.PARENT, "p11")

    await parent.sends(f"/start {issued.code}")
    await parent.clicks("Да, это я")
    [greeting] = await parent.sends("/start")

    assert greeting.startswith("Здравствуйте, Васильева Ирина Сергеевна, Ковалёв Илья Петрович!")
    assert await speaks_for(session_maker, MOTHER) == {"p3", "p11"}


async def test_confirming_twice_at_once_binds_once(harness, session_maker) -> None:
    parent = await signed_in(harness, session_maker, "p3", MOTHER)
    issued = await invite(session_maker, InviteRole.PARENT, "p11")
    await parent.sends(f"/start {issued.code}")

    first, second = await asyncio.gather(parent.clicks("Да, это я"), parent.clicks("Да, это я"))

    greeted, again = sorted((first[0], second[0]), key=lambda answer: not answer.startswith("Здравствуйте"))
    assert greeted.startswith("Здравствуйте, Ковалёв Илья Петрович!")
    assert again.startswith("Ковалёв Илья Петрович, вы уже вошли по этой ссылке.")
    async with session_maker() as session:
        rows = await session.scalar(select(func.count()).select_from(AccountBinding))
    assert rows == 2


@pytest.mark.parametrize(
    ("holder", "role", "invited", "key"),
    [
        ("p3", InviteRole.TEACHER, "t2", "start-error-staff-on-family-account"),
        ("s3", InviteRole.TEACHER, "t2", "start-error-staff-on-family-account"),
        ("s3", InviteRole.PARENT, "p3", "start-error-student-account-is-personal"),
        ("p3", InviteRole.STUDENT, "s3", "start-error-student-account-is-personal"),
        ("t1", InviteRole.STUDENT, "s3", "start-error-student-account-is-personal"),
        ("t1", InviteRole.TEACHER, "t2", "start-error-other-person"),
    ],
)
async def test_links_an_account_may_not_take_are_refused_and_stay_unused(
    harness, session_maker, holder, role, invited, key
) -> None:
    user = await signed_in(harness, session_maker, holder, MOTHER)
    issued = await invite(session_maker, role, invited)

    assert await user.sends(f"/start {issued.code}") == [RU(key)]
    assert await speaks_for(session_maker, MOTHER) == {holder}
    async with session_maker() as session:
        invitation = await session.get(Invitation, issued.invitation_id)
    assert (invitation.used_at, invitation.revoked_at) == (None, None)
    assert await attempts(session_maker, MOTHER) == 0  # a good link is no guess: no step towards the lock-out


async def test_a_used_or_expired_link_is_refused_before_any_question(harness, session_maker) -> None:
    other = await signed_in(harness, session_maker, "p5", OTHER_MOTHER)
    used = await invite(session_maker, InviteRole.PARENT, "p3")
    await harness.user(MOTHER).sends(f"/start {used.code}")
    issued_at = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=15)
    expired = await invite(session_maker, InviteRole.PARENT, "p11", now=issued_at)

    assert await other.sends(f"/start {used.code}") == [RU("start-error-used-code")]
    assert await other.sends(f"/start {expired.code}") == [RU("start-error-expired-code")]
    assert other.button_labels() == []
    assert await speaks_for(session_maker, OTHER_MOTHER) == {"p5"}
    assert await speaks_for(session_maker, MOTHER) == {"p3"}
    assert await links(session_maker, "p11") == [(False, False)]


# --- `invite admin --name` ----------------------------------------------------------------------------


async def run_invite(database_url: str, capsys, *words: str) -> tuple[int, str, str]:
    args: argparse.Namespace = build_parser().parse_args(["invite", *words])
    code = await cmd_invite(make_settings(database_url, bot_username="school_journal_demo_bot"), args)
    out, err = capsys.readouterr()
    return code, out, err


async def test_invite_admin_by_name_twice_reuses_the_person_and_withdraws_the_old_link(
    harness, session_maker, database_url, capsys
) -> None:
    code, first, _ = await run_invite(database_url, capsys, "admin", "--name", "Новиков Олег")
    assert code == 0
    code, second, _ = await run_invite(database_url, capsys, "admin", "--name", "  новиков   олег ")
    assert code == 0
    assert second.splitlines()[0].startswith("Новиков Олег (admin): https://t.me/")
    assert second.splitlines()[-1] == "the older unused link (1) no longer works"
    async with session_maker() as session:
        [admin_id] = list(await session.scalars(select(Staff.id).where(Staff.full_name == "Новиков Олег")))
        rows = (
            await session.execute(
                select(Invitation.revoked_at)
                .where(Invitation.person_id == admin_id, Invitation.person_kind == "staff")
                .order_by(Invitation.id)
            )
        ).all()
    assert [revoked is not None for (revoked,) in rows] == [True, False]
    [old_code], [new_code] = LINK.findall(first), LINK.findall(second)
    assert await harness.user(7020).sends(f"/start {old_code}") == [RU("start-error-revoked-code")]
    assert (await harness.user(7020).sends(f"/start {new_code}"))[0].startswith("Здравствуйте, Новиков Олег!")


async def test_invite_admin_for_a_signed_in_admin_asks_for_again(harness, session_maker, database_url, capsys) -> None:
    await signed_in(harness, session_maker, "a1", ADMIN)

    code, out, err = await run_invite(database_url, capsys, "admin", "--name", "Орлова Елена Сергеевна")

    assert (code, out) == (1, "")
    assert err.startswith("Орлова Елена Сергеевна is already signed in to the journal as a staff member.")
    assert err.endswith("Nothing was issued. Add --again to issue the new link.\n")
    assert await links(session_maker, "a1") == []
    code, out, _ = await run_invite(database_url, capsys, "admin", "--name", "Орлова Елена Сергеевна", "--again")
    assert code == 0 and out.startswith("Орлова Елена Сергеевна (admin): https://t.me/")
    assert await links(session_maker, "a1") == [(False, False)]


async def test_invite_admin_never_makes_a_namesake_teacher_an_administrator(
    session_maker, database_url, capsys
) -> None:
    code, out, err = await run_invite(database_url, capsys, "admin", "--name", "Петров Сергей Иванович")

    assert (code, out) == (1, "")
    assert err.startswith(
        "The journal already has a staff member Петров Сергей Иванович (id t2) who is not an administrator."
    )
    async with session_maker() as session:
        assert (
            await session.scalar(
                select(func.count()).select_from(Staff).where(Staff.full_name == "Петров Сергей Иванович")
            )
            == 1
        )
        assert await session.scalar(select(func.count()).select_from(Invitation)) == 0


async def test_invite_admin_by_name_twice_at_once_makes_one_administrator(session_maker) -> None:
    # Two sessions of one engine, as the bot's updates are. (Two command-line processes on SQLite are
    # not covered: there begin_writing serialises one engine's writers only.)
    first, second = await asyncio.gather(
        invite(session_maker, InviteRole.ADMIN, None, new_admin_name="Новиков Олег"),
        invite(session_maker, InviteRole.ADMIN, None, new_admin_name="Новиков Олег"),
    )

    async with session_maker() as session:
        [admin_id] = list(await session.scalars(select(Staff.id).where(Staff.full_name == "Новиков Олег")))
        live = await session.scalar(
            select(func.count())
            .select_from(Invitation)
            .where(Invitation.person_id == admin_id, Invitation.person_kind == "staff", Invitation.revoked_at.is_(None))
        )
    assert live == 1 and {first.withdrawn, second.withdrawn} == {0, 1}
