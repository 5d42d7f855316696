"""Administrator: inviting staff, listing and revoking access."""
from __future__ import annotations

from aiogram import Router

router = Router(name=__name__)
