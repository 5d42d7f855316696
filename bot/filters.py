"""Routing by role: a router or handler declares who may reach it."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Filter
from aiogram.types import TelegramObject

from services.actor import Actor


class HasRole(Filter):
    """Passes when the acting account holds any of the given roles (see services.actor.Role)."""

    def __init__(self, *roles: str) -> None:
        self.roles = roles

    async def __call__(self, event: TelegramObject, actor: Actor) -> bool:
        return actor.has(*self.roles)


class IsBound(Filter):
    """Passes for any account bound to at least one person."""

    async def __call__(self, event: TelegramObject, actor: Actor) -> bool:
        return actor.is_bound


def router_for(name: str, *filters: Filter) -> Router:
    """A Router whose messages and buttons all pass `filters` before any of its handlers is tried."""
    router = Router(name=name)
    router.message.filter(*filters)
    router.callback_query.filter(*filters)
    return router
