"""Expected failures carry a message key; the chat layer turns them into a friendly answer."""
from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal the user should read: `key` is a Fluent message id, `args` its arguments."""

    def __init__(self, key: str, **args: Any) -> None:
        super().__init__(key)
        self.key = key
        self.args_for_message = args


class AccessDenied(DomainError):
    def __init__(self, key: str = "error-access-denied", **args: Any) -> None:
        super().__init__(key, **args)


class NotFound(DomainError):
    pass


class ValidationFailed(DomainError):
    pass
