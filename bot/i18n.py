"""Fluent catalogues from `locales/<lang>/*.ftl`; one Translator per language."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle, FluentResource

from bot.config import SUPPORTED_LANGUAGES

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"


@dataclass(frozen=True)
class Translator:
    """Renders message ids in one language. Unknown ids come back as the id itself, loudly."""

    language: str
    bundle: FluentBundle

    def __call__(self, key: str, **args: Any) -> str:
        if not self.bundle.has_message(key):
            return key
        pattern = self.bundle.get_message(key).value
        text, errors = self.bundle.format_pattern(pattern, args)
        if errors:
            raise ValueError(f"{self.language}:{key}: {errors}")
        return text


def load_resources(language: str) -> list[FluentResource]:
    folder = LOCALES_DIR / language
    return [FluentResource(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.ftl"))]


@lru_cache(maxsize=None)
def get_translator(language: str) -> Translator:
    if language not in SUPPORTED_LANGUAGES:
        language = SUPPORTED_LANGUAGES[0]
    # Bidi isolation marks would end up inside Telegram messages; we don't want them.
    bundle = FluentBundle([language], use_isolating=False)
    for resource in load_resources(language):
        bundle.add_resource(resource)
    return Translator(language, bundle)


def message_ids(language: str) -> set[str]:
    ids: set[str] = set()
    for resource in load_resources(language):
        ids.update(entry.id.name for entry in resource.body if hasattr(entry, "id") and hasattr(entry.id, "name"))
    return ids
