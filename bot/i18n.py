"""The chat's translators: one per language, on the Fluent catalogues of services.catalogue."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from bot.config import SUPPORTED_LANGUAGES
from bot.text import quoted
from services.catalogue import Catalogue, bundle, load_resources, message_ids
from services.errors import Wording

__all__ = ["Translator", "get_translator", "load_resources", "message_ids"]


@dataclass(frozen=True)
class Translator(Catalogue):
    """Renders message ids in one language for the chat (HTML)."""

    def refusal(self, error: Wording) -> str:
        """A domain refusal (or a question back) as the user reads it (HTML): its arguments are plain text,
        escaped here and only here, and what the user typed is quoted briefly (bot.text.quoted)."""
        return self(error.key, **quoted(error.args_for_message))


@cache
def get_translator(language: str) -> Translator:
    if language not in SUPPORTED_LANGUAGES:
        language = SUPPORTED_LANGUAGES[0]
    return Translator(language, bundle(language))
