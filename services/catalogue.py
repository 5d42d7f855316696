"""The texts behind message keys: Fluent catalogues from `locales/<lang>/*.ftl`, one per language.

Services say what they mean with a key and its arguments (services.errors, the notices); the chat side
renders them in the reader's language (bot.i18n.Translator, built on this). A service reads a
catalogue itself only for English lines in its records and logs (services.backup), never for chat.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle, FluentResource

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
# Fluent refuses a placeable longer than 2,500 characters (fluent.runtime's MAX_PART_LENGTH), and a
# homework, an announcement or a quoted command may be longer once escaped. String arguments longer
# than this are put into the text after formatting. None of them picks a variant: selector keys
# (`[female]`, `[one]`) are short words.
INSERTED_AFTER_FORMATTING = 200


@dataclass(frozen=True)
class Catalogue:
    """Renders message ids in one language. Unknown ids come back as the id itself, loudly."""

    language: str
    bundle: FluentBundle

    def __call__(self, key: str, **args: Any) -> str:
        if not self.bundle.has_message(key):
            return key
        pattern = self.bundle.get_message(key).value
        args, inserts = _stand_ins(args)
        text, errors = self.bundle.format_pattern(pattern, args)
        if errors:
            raise ValueError(f"{self.language}:{key}: {errors}")
        for stand_in, value in inserts.items():
            text = text.replace(stand_in, value)
        return text


def _stand_ins(args: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """`args` with each long string replaced by a stand-in, and the stand-ins with their values.

    A stand-in is made of private-use characters and a random token per call, so no text a user
    typed (and no other argument) can contain one and be replaced by mistake.
    """
    long_names = [
        name for name, value in args.items() if isinstance(value, str) and len(value) > INSERTED_AFTER_FORMATTING
    ]
    if not long_names:
        return args, {}
    token = secrets.token_hex(8)
    stand_ins = {name: f"\ue000{token}:{index}\ue001" for index, name in enumerate(long_names)}
    return {**args, **stand_ins}, {stand_ins[name]: args[name] for name in long_names}


def load_resources(language: str) -> list[FluentResource]:
    folder = LOCALES_DIR / language
    return [FluentResource(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.ftl"))]


@cache
def bundle(language: str) -> FluentBundle:
    # Bidi isolation marks would end up inside Telegram messages; we don't want them.
    found = FluentBundle([language], use_isolating=False)
    for resource in load_resources(language):
        found.add_resource(resource)
    return found


def english(key: str, **args: Any) -> str:
    """A key's English text, for records and logs."""
    return Catalogue("en", bundle("en"))(key, **args)


def message_ids(language: str) -> set[str]:
    ids: set[str] = set()
    for resource in load_resources(language):
        ids.update(entry.id.name for entry in resource.body if hasattr(entry, "id") and hasattr(entry.id, "name"))
    return ids
