"""Deputy and director: /journal, read-only."""
from __future__ import annotations

from aiogram import Router

router = Router(name=__name__)
