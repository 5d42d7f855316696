"""Who may have which report (services.reports.access): the choices offered and the check that counts.

A refused request builds nothing: `report_files` asks before it builds, so no document exists to send.
"""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.errors import AccessDenied
from services.grades import current_scope
from services.reports import catalogue
from services.reports.access import ensure_may_have, kinds_for, targets
from services.reports.request import ReportRequest
from tests.conftest import SCHOOL_TODAY
from tests.homeroom_data import class_id
from tests.journal_data import subject
from tests.people import actor_for, person_id

pytestmark = pytest.mark.usefixtures("school")


async def request(session: AsyncSession, kind: str, **about: int | None) -> ReportRequest:
    return ReportRequest(kind, await current_scope(session, SCHOOL_TODAY), SCHOOL_TODAY, **about)


async def test_each_role_is_offered_its_own_reports(session_maker: async_sessionmaker[AsyncSession]) -> None:
    parent = await actor_for(session_maker, "p3", 1)
    student = await actor_for(session_maker, "s4", 2)
    teacher = await actor_for(session_maker, "t2", 3)  # Russian and literature in both fifth grades
    class_teacher = await actor_for(session_maker, "t1", 4)  # 5А's, and maths
    deputy = await actor_for(session_maker, "d1", 5)
    assert kinds_for(parent) == kinds_for(student) == ("card",)
    assert kinds_for(teacher) == ("subject",)
    assert kinds_for(class_teacher) == ("results", "subject", "summary", "card", "attendance", "movement", "risk")
    assert "keeping" in kinds_for(deputy)
    async with session_maker() as session:
        assert [t.name for t in await targets(session, parent, "card")] == ["Васильев Кирилл Андреевич"]
        assert [t.name for t in await targets(session, student, "card")] == ["Горбунова Алиса Романовна"]
        assert [t.name for t in await targets(session, teacher, "subject")] == [
            "Литература, 5А",
            "Русский язык, 5А",
            "Литература, 5Б",
            "Русский язык, 5Б",
        ]
        assert [t.name for t in await targets(session, class_teacher, "summary")] == ["5А"]
        assert [t.name for t in await targets(session, deputy, "results")][:3] == ["Школа", "1-е классы", "5-е классы"]
        # Hundreds of pupils would not fit under a message: a school reader picks the class first.
        by_class = await targets(session, deputy, "card")
        assert all(t.narrows for t in by_class) and len(by_class) == 3
        five_a = next(t for t in by_class if t.name == "5А")
        assert len(await targets(session, deputy, "card", within_class=five_a.class_id)) == 8


async def test_what_is_not_yours_is_refused_and_nothing_is_built(
    session_maker: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[str] = []

    async def build(session, request):  # must never run for a refused request
        built.append(request.kind)

    monkeypatch.setattr(catalogue, "BUILDERS", {kind: build for kind in ("card", "subject", "summary", "keeping")})
    from services.documents.render import FileFormat
    from services.reports.files import report_files

    parent = await actor_for(session_maker, "p3", 1)
    teacher = await actor_for(session_maker, "t2", 3)
    class_teacher = await actor_for(session_maker, "t1", 4)
    async with session_maker() as session:
        other_child = await person_id(session, "s4")
        five_a, five_b = await class_id(session, "5А"), await class_id(session, "5Б")
        maths = (await subject(session, "матем")).id
        refused = [
            (parent, await request(session, "card", student_id=other_child), "report-not-your-pupil"),
            (parent, await request(session, "summary", class_id=five_a), "report-not-yours"),
            (teacher, await request(session, "subject", class_id=five_a, subject_id=maths), "report-not-your-subject"),
            (class_teacher, await request(session, "summary", class_id=five_b), "report-not-your-class"),
            (class_teacher, await request(session, "keeping"), "report-not-yours"),
        ]
        for actor, asked, key in refused:
            with pytest.raises(AccessDenied) as refusal:
                await report_files(session, actor, asked, FileFormat.PDF)
            assert refusal.value.key == key, asked
        assert built == []
        own_child = await person_id(session, "s3")
        await ensure_may_have(session, parent, await request(session, "card", student_id=own_child))
        await ensure_may_have(session, class_teacher, await request(session, "summary", class_id=five_a))
        await ensure_may_have(
            session, class_teacher, await request(session, "subject", class_id=five_b, subject_id=maths)
        )
