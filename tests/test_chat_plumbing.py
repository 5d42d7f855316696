"""The dispatcher's plumbing: unbound accounts are pointed at invitations; crashes become apologies."""
from __future__ import annotations


async def test_unbound_account_is_told_to_get_an_invitation(harness) -> None:
    stranger = harness.user(5001)
    answers = await stranger.sends("/grades")
    assert answers == ["Журнал доступен только по личному приглашению. Получите ссылку у классного руководителя или администратора и откройте её."]
