"""Teachers: /today, the lesson view, /mark, /homework and /topic."""
from __future__ import annotations

from aiogram import Router

router = Router(name=__name__)
