"""Expected failures carry a message key; the chat layer turns them into a friendly answer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol


class Listing(str):
    """Names the school holds, listed in a refusal for the user to choose from («известные предметы: …»).

    A refusal's other string arguments are quotes — mostly of what the user typed — and are shown
    shortened (bot.text.quoted); a listing is shown whole.
    """


class Wording(Protocol):
    """What the chat layer tells the user instead of a result: a Fluent message id and its arguments.

    A refusal (DomainError) and a question back (services.journal.ReasonRequired) are worded so.
    """

    key: str
    args_for_message: Mapping[str, Any]


class DomainError(Exception):
    """A refusal the user should read: `key` is a Fluent message id, `args` its arguments.

    String arguments are plain text (the chat layer escapes them) and are quoted at most ~100
    characters long, so pass what the user typed as it is; see Listing for the exception.
    """

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


class ConfirmationRequired(DomainError):
    """The change is allowed, but only once the user confirms it: the caller asks and tries again."""
