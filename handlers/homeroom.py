"""Class teachers: /class — the daily record, the class list, movement."""
from __future__ import annotations

from aiogram import Router

router = Router(name=__name__)
