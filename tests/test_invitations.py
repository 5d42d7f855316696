"""Sign-in by invitation: who invites whom, what a code does once, and what a bad code does not."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import re

import pytest
import time_machine
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import get_translator
from models import Account, AccountBinding, Invitation, InviteRole, PersonKind, SignInAttempt, Staff, StaffRole
from services.errors import AccessDenied, NotFound, ValidationFailed
from services.invitations.issuing import IssuedInvitation, create_invitation, invitation_link
from services.invitations.revoking import revoke_invitation
from services.invitations.sign_in import FAILURES, SignInRefused, redeem_invitation
from tests.people import actor_for, person_id, signed_in

RU = get_translator("ru")
LINK = re.compile(r"https://t\.me/school_journal_demo_bot\?start=([A-Za-z0-9_-]+)")


async def invite(
    session_maker: async_sessionmaker[AsyncSession], role: InviteRole, external_id: str | None, **options
) -> IssuedInvitation:
    """An invitation from the command line (or from `created_by=`), committed."""
    async with session_maker() as session:
        issued = await create_invitation(session, role, external_id, ttl_days=options.pop("ttl_days", 14), **options)
        await session.commit()
    return issued


async def bindings_of(session_maker: async_sessionmaker[AsyncSession], telegram_id: int) -> list[AccountBinding]:
    async with session_maker() as session:
        return list(
            await session.scalars(
                select(AccountBinding)
                .join(Account, Account.id == AccountBinding.account_id)
                .where(Account.telegram_id == telegram_id)
            )
        )


def codes_in(answers: list[str]) -> list[str]:
    return [code for answer in answers for code in LINK.findall(answer)]


# --- the happy path ----------------------------------------------------------------------------


async def test_parent_opens_the_link_and_is_greeted_by_name(school, harness, session_maker) -> None:
    issued = await invite(session_maker, InviteRole.PARENT, "p3")
    parent = harness.user(7001)

    answers = await parent.sends(f"/start {issued.code}")

    assert answers[0].startswith("Здравствуйте, Васильева Ирина Сергеевна! Вы вошли в журнал: родитель.")
    assert "/grades" in answers[0] and "/mark" not in answers[0]
    [binding] = await bindings_of(session_maker, 7001)
    async with session_maker() as session:
        assert (binding.person_kind, binding.person_id) == (PersonKind.PARENT, await person_id(session, "p3"))
        assert binding.invitation_id == issued.invitation_id and binding.revoked_at is None
        account = await session.get(Account, binding.account_id)
        invitation = await session.get(Invitation, issued.invitation_id)
    assert account.chat_id == 7001
    assert invitation.used_at is not None and invitation.used_by_account_id == account.id


@pytest.mark.parametrize(("pressed", "wanted", "shown"), [("Да", True, "включены"), ("Нет", False, "выключены")])
async def test_a_pupil_is_asked_at_sign_in_whether_to_hear_of_their_marks(
    school, harness, session_maker, pressed, wanted, shown
) -> None:
    issued = await invite(session_maker, InviteRole.STUDENT, "s2")
    pupil = harness.user(7004)

    greeting, question = await pupil.sends(f"/start {issued.code}")

    assert greeting.startswith("Здравствуйте, Белова Софья Дмитриевна! Вы вошли в журнал: ученик.")
    assert question == RU("start-student-notices")
    assert pupil.button_labels() == ["Да, присылать", "Нет, не нужно"]
    _, settings = await pupil.clicks(pressed)
    assert f"Уведомления об отметках и пропусках: {shown}" in settings
    async with session_maker() as session:
        account = await session.scalar(select(Account).where(Account.telegram_id == 7004))
    assert account.wants_notifications is wanted


async def test_a_parent_is_not_asked_the_pupils_question(school, harness, session_maker) -> None:
    issued = await invite(session_maker, InviteRole.PARENT, "p3")
    answers = await harness.user(7005).sends(f"/start {issued.code}")
    assert RU("start-student-notices") not in answers


async def test_the_code_fits_a_deep_link_and_only_its_hash_is_stored(school, session_maker) -> None:
    issued = [await invite(session_maker, InviteRole.STUDENT, f"s{n}") for n in (1, 2, 3)]

    for invitation in issued:
        assert re.fullmatch(r"[A-Za-z0-9_-]{22,64}", invitation.code)  # 128 random bits
    assert len({invitation.code for invitation in issued}) == 3
    async with session_maker() as session:
        rows = (await session.execute(text("SELECT * FROM invitations"))).all()
        stored = await session.scalar(select(Invitation.code_hash).where(Invitation.id == issued[0].invitation_id))
    dump = repr(rows)
    assert all(invitation.code not in dump for invitation in issued)
    assert stored == hashlib.sha256(issued[0].code.encode()).hexdigest()


def test_link_names_the_bot() -> None:
    assert invitation_link("@school_bot", "abc_-1") == "https://t.me/school_bot?start=abc_-1"


async def test_opening_ones_own_link_again_binds_nothing_new(school, harness, session_maker) -> None:
    issued = await invite(session_maker, InviteRole.STUDENT, "s2")
    student = harness.user(7002)
    await student.sends(f"/start {issued.code}")

    answers = await student.sends(f"/start {issued.code}")

    assert answers[0].startswith("Белова Софья Дмитриевна, вы уже вошли по этой ссылке.")
    assert len(await bindings_of(session_maker, 7002)) == 1


async def test_a_link_tapped_twice_at_once_signs_in_once(school, harness, session_maker) -> None:
    issued = await invite(session_maker, InviteRole.STUDENT, "s2")
    student = harness.user(7003)

    first, second = await asyncio.gather(student.sends(f"/start {issued.code}"), student.sends(f"/start {issued.code}"))

    greeted, again = sorted((first[0], second[0]), key=lambda answer: not answer.startswith("Здравствуйте"))
    assert greeted.startswith("Здравствуйте, Белова Софья Дмитриевна! Вы вошли в журнал: ученик.")
    assert again.startswith("Белова Софья Дмитриевна, вы уже вошли по этой ссылке.")
    assert len(await bindings_of(session_maker, 7003)) == 1
    async with session_maker() as session:
        assert await session.scalar(select(func.count()).select_from(Account).where(Account.telegram_id == 7003)) == 1


async def test_a_teacher_who_is_also_a_parent_holds_both_roles(school, harness, session_maker) -> None:
    teacher_code = (await invite(session_maker, InviteRole.TEACHER, "t2")).code
    parent_code = (await invite(session_maker, InviteRole.PARENT, "p4")).code
    user = harness.user(7003)

    await user.sends(f"/start {teacher_code}")
    await user.sends(f"/start {parent_code}")  # asks first: tests/test_invitation_rules.py
    answers = await user.clicks("Да, это я")

    assert "/mark" in answers[0] and "/grades" in answers[0]
    assert {b.person_kind for b in await bindings_of(session_maker, 7003)} == {PersonKind.STAFF, PersonKind.PARENT}


async def test_one_account_cannot_become_two_students(school, harness, session_maker) -> None:
    first, second = (
        (await invite(session_maker, InviteRole.STUDENT, "s1")),
        (await invite(session_maker, InviteRole.STUDENT, "s2")),
    )
    user = harness.user(7004)
    await user.sends(f"/start {first.code}")

    answers = await user.sends(f"/start {second.code}")

    assert answers == [RU("start-error-other-person")]
    assert len(await bindings_of(session_maker, 7004)) == 1


# --- codes that bind nothing -------------------------------------------------------------------


async def _used(session_maker, harness) -> str:
    issued = await invite(session_maker, InviteRole.PARENT, "p5")
    await harness.user(7100).sends(f"/start {issued.code}")
    return issued.code


async def _expired(session_maker, harness) -> str:
    issued_at = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=15)
    return (await invite(session_maker, InviteRole.PARENT, "p5", ttl_days=14, now=issued_at)).code


async def _revoked(session_maker, harness) -> str:
    issued = await invite(session_maker, InviteRole.PARENT, "p5")
    async with session_maker() as session:
        assert await revoke_invitation(session, None, issued.invitation_id)
        await session.commit()
    return issued.code


async def _unknown(session_maker, harness) -> str:
    return "Zm9yZ2VkLWNvZGUtMTIzNDU2"


BAD_CODES = {
    "start-error-used-code": _used,
    "start-error-expired-code": _expired,
    "start-error-revoked-code": _revoked,
    "start-error-unknown-code": _unknown,
}


@pytest.mark.parametrize("key", BAD_CODES)
async def test_a_bad_code_gets_its_own_answer_and_binds_nothing(school, harness, session_maker, key) -> None:
    code = await BAD_CODES[key](session_maker, harness)

    answers = await harness.user(7101).sends(f"/start {code}")

    assert answers == [RU(key)]
    assert await bindings_of(session_maker, 7101) == []
    async with session_maker() as session:
        attempts = list(await session.scalars(select(SignInAttempt).where(SignInAttempt.telegram_id == 7101)))
    assert [attempt.success for attempt in attempts] == [False]


def test_each_bad_code_answer_is_distinct() -> None:
    for translate in (get_translator("ru"), get_translator("en")):
        assert len({translate(key) for key in BAD_CODES}) == len(BAD_CODES)


async def test_five_failures_lock_the_account_out_for_an_hour(school, signing_in, session_maker) -> None:
    """On either backend (tests.conftest.signing_in): the database's rows, or Redis when REDIS_URL is set."""
    harness, redis, prefix = signing_in
    start = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.timezone.utc)
    user = harness.user(7200)
    with time_machine.travel(start, tick=False) as traveller:
        issued = await invite(session_maker, InviteRole.PARENT, "p6")
        for attempt in range(5):
            assert await user.sends(f"/start wrong-code-{attempt}") == [RU("start-error-unknown-code")]
            traveller.shift(dt.timedelta(minutes=1))

        # The sixth attempt, with a valid code, is refused: the lock does not look at the code.
        assert await user.sends(f"/start {issued.code}") == [RU("start-error-locked", minutes=55)]
        assert await bindings_of(session_maker, 7200) == []

        traveller.shift(dt.timedelta(minutes=55))  # an hour after the first failure
        answers = await user.sends(f"/start {issued.code}")

    assert answers[0].startswith("Здравствуйте, Дмитриева Марина Викторовна!")
    assert len(await bindings_of(session_maker, 7200)) == 1
    async with session_maker() as session:
        failures_in_database = await session.scalar(
            select(func.count())
            .select_from(SignInAttempt)
            .where(SignInAttempt.telegram_id == 7200, SignInAttempt.success.is_(False))
        )
    if redis is None:
        assert failures_in_database == 5
    else:  # counted in Redis, not written to the database; the key lapses within the hour
        assert failures_in_database == 0
        key = f"{prefix}:{FAILURES.name}:7200"
        assert await redis.zcard(key) == 4  # the first left the window when the last attempt looked
        assert 0 < await redis.pttl(key) <= 3600 * 1000


async def test_the_lock_out_is_per_account(school, session_maker) -> None:
    now = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.timezone.utc)
    issued = await invite(session_maker, InviteRole.PARENT, "p7", now=now)
    async with session_maker() as session:
        for _ in range(5):
            with pytest.raises(SignInRefused):
                await redeem_invitation(session, 7300, 7300, "nope", now=now)
        redeemed = await redeem_invitation(session, 7301, 7301, issued.code, now=now)
    assert redeemed.person_name == "Егоров Сергей Владимирович"


# --- who may invite whom -----------------------------------------------------------------------


async def test_the_first_administrator_comes_from_the_command_line(school, harness, session_maker) -> None:
    issued = await invite(session_maker, InviteRole.ADMIN, None, new_admin_name="Новиков Олег")

    answers = await harness.user(7400).sends(f"/start {issued.code}")

    assert answers[0].startswith("Здравствуйте, Новиков Олег! Вы вошли в журнал: администратор.")
    async with session_maker() as session:
        staff = await session.scalar(select(Staff).where(Staff.full_name == "Новиков Олег"))
    assert staff.role_set == {StaffRole.ADMIN}


async def test_an_administrator_in_the_chat_cannot_create_new_administrators(school, session_maker) -> None:
    admin = await actor_for(session_maker, "a1", 7401)
    async with session_maker() as session:
        with pytest.raises(ValidationFailed) as refused:
            await create_invitation(session, InviteRole.ADMIN, None, ttl_days=14, created_by=admin)
    assert refused.value.key == "invite-error-id-required"


@pytest.mark.parametrize(
    ("role", "external_id", "error", "key"),
    [
        (InviteRole.DIRECTOR, "t2", ValidationFailed, "invite-error-lacks-role"),
        (InviteRole.TEACHER, "t99", NotFound, "invite-error-no-person"),
        (InviteRole.PARENT, "s1", NotFound, "invite-error-no-person"),
    ],
)
async def test_a_staff_invitation_needs_a_person_holding_the_role(
    school, session_maker, role, external_id, error, key
) -> None:
    async with session_maker() as session:
        with pytest.raises(error) as refused:
            await create_invitation(session, role, external_id, ttl_days=14)
    assert refused.value.key == key


async def test_the_administrator_invites_a_teacher_in_the_chat(school, harness, session_maker) -> None:
    admin = await signed_in(harness, session_maker, "a1", 7500)

    answers = await admin.sends("/invite teacher t2")

    assert answers[0].startswith("Приглашение: Петров Сергей Иванович (учитель)")
    [code] = codes_in(answers)
    teacher_answers = await harness.user(7501).sends(f"/start {code}")
    assert teacher_answers[0].startswith("Здравствуйте, Петров Сергей Иванович!")


async def test_a_class_teacher_invites_a_parent_of_their_class_only(school, harness, session_maker) -> None:
    class_teacher = await signed_in(harness, session_maker, "t1", 7600)  # 5А

    own = await class_teacher.sends("/invite parent p3")  # Васильева: s3 in 5А
    other = await class_teacher.sends("/invite parent p11")  # Ковалёв: s11 in 5Б
    staff = await class_teacher.sends("/invite teacher t2")

    assert len(codes_in(own)) == 1
    assert other == [RU("error-not-your-class")]
    assert staff == [RU("error-admin-only")]
    async with session_maker() as session:
        assert await session.scalar(select(func.count()).select_from(Invitation)) == 1


async def test_the_class_teacher_check_lives_in_the_service(school, session_maker) -> None:
    class_teacher = await actor_for(session_maker, "t1", 7601)
    async with session_maker() as session:
        with pytest.raises(AccessDenied) as refused:
            await create_invitation(session, InviteRole.STUDENT, "s9", ttl_days=14, created_by=class_teacher)
    assert refused.value.key == "error-not-your-class"


async def test_a_plain_teacher_has_no_invite_command(school, harness, session_maker) -> None:
    teacher = await signed_in(harness, session_maker, "t2", 7602)
    assert await teacher.sends("/invite parent p3") == [RU("fallback-unknown-command")]


async def test_invite_class_gives_one_link_per_student_and_parent(school, harness, session_maker) -> None:
    class_teacher = await signed_in(harness, session_maker, "t1", 7700)
    await signed_in(harness, session_maker, "p3", 7701)

    answers = await class_teacher.sends("/invite class")

    text_ = "\n".join(answers)
    # 5А: 8 students and 9 parents, Васильева (p3) already signed in.
    assert len(codes_in(answers)) == 16
    assert "Алексеев Артём Игоревич (ученик): https://t.me/" in text_
    assert "Васильев Андрей Павлович (родитель): https://t.me/" in text_
    assert "Васильева Ирина Сергеевна" not in text_
    assert RU("invite-class-skipped", count=1) in text_
    async with session_maker() as session:
        assert await session.scalar(select(func.count()).select_from(Invitation)) == 16


async def test_the_administrator_names_the_class_to_invite(school, harness, session_maker) -> None:
    admin = await signed_in(harness, session_maker, "a1", 7702)

    assert await admin.sends("/invite class") == [RU("error-class-required")]
    answers = await admin.sends("/invite class 5б")

    assert answers[0].startswith(RU("invite-class-header", class_name="5Б"))
    assert len(codes_in(answers)) == 8 + 9  # p2 and p10 have a child in 5Б too


# --- who has signed in, and revoking -----------------------------------------------------------


async def test_access_lists_students_and_parents_of_the_class(school, harness, session_maker) -> None:
    class_teacher = await signed_in(harness, session_maker, "t1", 7800)
    await signed_in(harness, session_maker, "p3", 7801)
    await signed_in(harness, session_maker, "s3", 7802)

    [answer] = await class_teacher.sends("/access")

    assert answer.startswith("5А: кто вошёл в журнал")
    assert (
        "✅ Васильев Кирилл Андреевич (s3)\n    родители: ❌ Васильев Андрей Павлович (p4), ✅ Васильева Ирина Сергеевна (p3)"
        in answer
    )
    assert "❌ Алексеев Артём Игоревич (s1)" in answer
    assert answer.endswith("Вошли учеников: 1 из 8, родителей: 1 из 9.")
    assert await class_teacher.sends("/access 5Б") == [RU("error-not-your-class")]


async def test_the_administrator_lists_staff_sign_ins(school, harness, session_maker) -> None:
    admin = await signed_in(harness, session_maker, "a1", 7803)
    [answer] = await admin.sends("/access staff")
    assert "✅ Орлова Елена Сергеевна (a1)" in answer and "❌ Петров Сергей Иванович (t2)" in answer
    assert answer.endswith("Вошли сотрудников: 1 из 9.")
    assert await admin.sends("/access") == [RU("error-class-required")]
    assert (await admin.sends("/access 1а"))[0].startswith("1А: кто вошёл в журнал")


async def test_a_class_teacher_revokes_a_parents_access(school, harness, session_maker) -> None:
    class_teacher = await signed_in(harness, session_maker, "t1", 7900)
    parent = await signed_in(harness, session_maker, "p3", 7901)
    await invite(session_maker, InviteRole.PARENT, "p3", confirmed=True)  # a spare link, not used yet

    answers = await class_teacher.sends("/revoke parent p3")

    assert answers == [RU("revoke-done", name="Васильева Ирина Сергеевна", bindings=1, invitations=1)]
    assert await parent.sends("/grades") == [RU("fallback-need-invitation")]
    [binding] = await bindings_of(session_maker, 7901)
    async with session_maker() as session:
        teacher_account = await session.scalar(select(Account.id).where(Account.telegram_id == 7900))
        live = await session.scalar(select(func.count()).select_from(Invitation).where(Invitation.revoked_at.is_(None)))
    assert binding.revoked_at is not None and binding.revoked_by_account_id == teacher_account
    assert live == 0


async def test_revoking_is_limited_like_inviting(school, harness, session_maker) -> None:
    class_teacher = await signed_in(harness, session_maker, "t1", 7902)
    admin = await signed_in(harness, session_maker, "a1", 7903)
    teacher = await signed_in(harness, session_maker, "t2", 7904)

    assert await class_teacher.sends("/revoke student s9") == [RU("error-not-your-class")]
    assert await class_teacher.sends("/revoke teacher t2") == [RU("error-admin-only")]
    assert await admin.sends("/revoke admin a1") == [RU("revoke-error-self")]
    assert await admin.sends("/revoke teacher t2") == [
        RU("revoke-done", name="Петров Сергей Иванович", bindings=1, invitations=0)
    ]
    assert await teacher.sends("/help") == [RU("help-unbound")]


async def test_a_revoked_person_can_be_invited_again(school, harness, session_maker) -> None:
    admin = await signed_in(harness, session_maker, "a1", 7905)
    first = await invite(session_maker, InviteRole.STUDENT, "s4")
    student = harness.user(7906)
    await student.sends(f"/start {first.code}")
    await admin.sends("/revoke student s4")

    second = await invite(session_maker, InviteRole.STUDENT, "s4")
    answers = await student.sends(f"/start {second.code}")

    assert answers[0].startswith("Здравствуйте, Горбунова Алиса Романовна!")
    [binding] = await bindings_of(session_maker, 7906)
    assert binding.revoked_at is None and binding.invitation_id == second.invitation_id
