"""Invitation slips for the class meeting: `/invite class pdf` sends a PDF whose QR codes open the bot as
the person named on each slip (regulation 2.2).

Demo school: t1 leads 5А (8 students, 9 parents), a1 is the administrator; 5Б is someone else's class.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
import zxingcpp
from aiogram.methods import SendDocument
from pypdf import PdfReader
from sqlalchemy import func, select

from bot.chat_client import ChatClient
from bot.config import school_clock
from bot.i18n import get_translator
from models import Invitation, SchoolClass
from services.documents.slips import HEADING, INSTRUCTIONS, Slip, slips_pdf
from services.errors import AccessDenied
from services.invitations.handouts import class_handouts
from tests.people import actor_for, signed_in

RU = get_translator("ru")
START = re.compile(r"\?start=([A-Za-z0-9_-]+)$")
# 5А as the demo school has it: p3 (Васильева Ирина Сергеевна) signs in first and gets no slip.
PUPILS_5A = ("Алексеев Артём Игоревич", "Белова Софья Дмитриевна", "Васильев Кирилл Андреевич")
PARENTS_5A = {"Васильев Андрей Павлович": "родитель: Васильев Кирилл, 5А"}


def documents_to(harness: ChatClient, chat_id: int) -> list[SendDocument]:
    return [
        r.method for r in harness.session.requests if isinstance(r.method, SendDocument) and r.method.chat_id == chat_id
    ]


async def expiry_date(session_maker, settings) -> dt.date:
    """The day the latest links expire, on the school's calendar."""
    async with session_maker() as session:
        expires_at = await session.scalar(select(func.max(Invitation.expires_at)))
    return school_clock(settings).local(expires_at).date()


def flat(text: str) -> str:
    """Text as read, whatever the PDF's line breaks."""
    return " ".join(text.split())


def slips_on_pages(pdf: bytes) -> list[tuple[str, str, str]]:
    """(name, role line, the link the QR code decodes to) of every slip, in print order.

    A page's slips are read from its text, in the order they were drawn, and paired with its images,
    drawn in the same order: so each QR code is checked against the name printed beside it.
    """
    slips = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        blocks = page.extract_text().split(HEADING)[1:]
        codes = [zxingcpp.read_barcodes(image.image) for image in page.images]
        assert len(blocks) == len(codes)
        for block, decoded in zip(blocks, codes):
            name, role_line = block.strip().splitlines()[:2]
            [qr] = decoded
            assert qr.format == zxingcpp.BarcodeFormat.QRCode
            slips.append((name, role_line, qr.text))
    return slips


async def test_class_teacher_gets_slips_whose_qr_codes_sign_each_person_in(
    school, settings, harness, session_maker
) -> None:
    class_teacher = await signed_in(harness, session_maker, "t1", 7900)
    await signed_in(harness, session_maker, "p3", 7901)

    answers = await class_teacher.sends("/invite class pdf")

    assert answers == []  # the document is the answer
    [document] = documents_to(harness, 7900)
    async with session_maker() as session:
        assert await session.scalar(select(func.count()).select_from(Invitation)) == 16
    until = await expiry_date(session_maker, settings)
    assert document.caption == "\n".join(
        [RU("invite-class-pdf-caption", class_name="5А", count=16, until=until), RU("invite-class-skipped", count=1)]
    )
    pdf = document.document.data
    text = flat("".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    for name in PUPILS_5A + tuple(PARENTS_5A):
        assert name in text
    assert "Васильева Ирина Сергеевна" not in text  # signed in already: no slip
    assert f"Действует до {until:%d.%m.%Y}." in text
    for line in INSTRUCTIONS:
        assert flat(line) in text

    slips = slips_on_pages(pdf)
    assert len(slips) == 16 and len({link for _, _, link in slips}) == 16
    assert {name: role for name, role, _ in slips if name in PARENTS_5A} == PARENTS_5A
    assert ("Белова Софья Дмитриевна", "ученица, 5А") in [(name, role) for name, role, _ in slips]
    for number, (name, role_line, link) in enumerate(slips):
        assert link in text  # printed too, for those who type it
        [code] = START.findall(link)
        [greeting, *_] = await harness.user(8000 + number).sends(f"/start {code}")
        role = "родитель" if role_line.startswith("родитель") else "ученик"
        assert greeting.startswith(f"Здравствуйте, {name}! Вы вошли в журнал: {role}.")


async def test_the_administrator_names_the_class_before_or_after_pdf(school, settings, harness, session_maker) -> None:
    admin = await signed_in(harness, session_maker, "a1", 7902)

    await admin.sends("/invite class pdf 5б")
    await admin.sends("/invite class 5Б pdf")

    first, second = documents_to(harness, 7902)
    until = await expiry_date(session_maker, settings)
    assert first.caption == RU("invite-class-pdf-caption", class_name="5Б", count=17, until=until)
    # The second run issues new links, as /invite class does: each withdraws the one before it.
    assert RU("invite-withdrawn", count=17) in second.caption
    assert {link for *_, link in slips_on_pages(first.document.data)}.isdisjoint(
        link for *_, link in slips_on_pages(second.document.data)
    )


async def test_a_class_teacher_of_another_class_gets_no_slips(school, harness, session_maker) -> None:
    class_teacher = await signed_in(harness, session_maker, "t1", 7903)  # 5А

    answers = await class_teacher.sends("/invite class 5Б pdf")

    assert answers == [RU("error-not-your-class")]
    assert documents_to(harness, 7903) == []
    async with session_maker() as session:
        assert await session.scalar(select(func.count()).select_from(Invitation)) == 0


async def test_the_class_check_lives_in_the_service(school, settings, session_maker) -> None:
    class_teacher = await actor_for(session_maker, "t1", 7904)
    async with session_maker() as session:
        other_class = await session.scalar(select(SchoolClass.id).where(SchoolClass.name == "5Б"))
        with pytest.raises(AccessDenied) as refused:
            await class_handouts(
                session, class_teacher, other_class, ttl_days=14, bot_username="bot", clock=school_clock(settings)
            )
    assert refused.value.key == "error-not-your-class"


async def test_the_links_stay_out_of_the_log(school, harness, session_maker, caplog) -> None:
    caplog.set_level("DEBUG")
    class_teacher = await signed_in(harness, session_maker, "t1", 7905)

    await class_teacher.sends("/invite class pdf")

    [document] = documents_to(harness, 7905)
    codes = [START.findall(link)[0] for *_, link in slips_on_pages(document.document.data)]
    logged = "\n".join(record.getMessage() for record in caplog.records if record.levelno >= 20)  # INFO and up
    assert codes and not any(code in logged for code in codes)


# --- the renderer alone ------------------------------------------------------------------------------

SLIPS = [
    Slip(
        f"Ученик Номер {number}",
        "ученик, 7В",
        f"https://t.me/school_journal_demo_bot?start=code{number:02d}_AbCdEfGhIjKlMnOp",
        dt.date(2026, 12, 10),
    )
    for number in range(1, 10)
]


def test_eight_slips_to_a_page_each_qr_code_beside_its_name() -> None:
    pdf = slips_pdf(SLIPS)

    assert [len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages] == [8, 1]
    assert slips_on_pages(pdf) == [(slip.name, slip.role_line, slip.link) for slip in SLIPS]


def test_the_same_slips_give_the_same_bytes_on_any_day() -> None:
    with time_machine.travel(dt.datetime(2026, 9, 1, 8, tzinfo=dt.timezone.utc)):
        first = slips_pdf(SLIPS)
    with time_machine.travel(dt.datetime(2027, 5, 25, 17, tzinfo=dt.timezone.utc)):
        second = slips_pdf(SLIPS)

    assert first == second
