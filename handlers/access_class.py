"""Class teacher: inviting parents and students of their class, who has signed in, revoking."""
from __future__ import annotations

from aiogram import Router

router = Router(name=__name__)
