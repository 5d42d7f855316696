"""What someone sends to be passed on (/write, a reply, /broadcast), and the checks it must pass."""

from __future__ import annotations

from dataclasses import dataclass

from services.errors import ValidationFailed

CONTENT_TYPES = ("text", "photo", "document")
TEXT_LIMIT = 3500  # leaves room for the header within Telegram's 4096


@dataclass(frozen=True)
class Content:
    """What someone sent to be relayed: a text, or a photo or document (Telegram file id) with a caption."""

    content_type: str
    text: str = ""
    file_id: str | None = None

    def checked(self) -> Content:
        if self.content_type not in CONTENT_TYPES:
            raise ValidationFailed("write-error-unsupported")
        text = (self.text or "").strip()
        if self.content_type == "text" and not text:
            raise ValidationFailed("write-error-empty")
        if len(text) > TEXT_LIMIT:
            raise ValidationFailed("write-error-too-long", limit=TEXT_LIMIT)
        if self.content_type != "text" and not self.file_id:
            raise ValidationFailed("write-error-unsupported")
        return Content(self.content_type, text, self.file_id)
