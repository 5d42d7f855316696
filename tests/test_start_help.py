"""/start without a code, /help per role and language, /whoami, /language."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from bot.i18n import get_translator, message_ids
from handlers.common import LanguageChoice
from models import Account
from services.help_topics import example_args
from tests.conftest import SCHOOL_TODAY
from tests.people import signed_in

RU, EN = get_translator("ru"), get_translator("en")


async def account_of(session_maker, telegram_id: int) -> Account | None:
    async with session_maker() as session:
        return await session.scalar(select(Account).where(Account.telegram_id == telegram_id))


# --- /start ------------------------------------------------------------------------------------


async def test_start_without_a_code_asks_a_stranger_for_an_invitation(harness) -> None:
    assert await harness.user(9001).sends("/start") == [RU("start-welcome")]


async def test_start_greets_a_signed_in_user_with_their_commands(school, harness, session_maker) -> None:
    teacher = await signed_in(harness, session_maker, "t2", 9002)
    [answer] = await teacher.sends("/start")
    assert answer.startswith("Здравствуйте, Петров Сергей Иванович!")
    assert "/mark" in answer


# --- /help -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("external_id", "shown", "hidden"),
    [
        ("t2", ["/today", "/mark", "/topic", "/period"], ["/invite", "/grades", "/journal"]),
        ("t1", ["/mark", "/invite class", "/access", "/revoke"], ["/invite teacher", "/grades"]),
        ("p1", ["/grades", "/attendance", "/homework неделя", "/schedule", "/child"], ["/mark", "/invite"]),
        ("s1", ["/grades", "/schedule"], ["/child", "/mark", "/invite"]),
        ("d1", ["/journal", "/mark"], ["/invite", "/grades"]),
        ("dir1", ["/journal"], ["/mark", "/invite", "/grades"]),
        ("a1", ["/invite teacher", "/invite class", "/access staff", "/revoke"], ["/mark", "/grades", "/journal"]),
    ],
)
async def test_help_shows_the_commands_of_the_callers_roles(
    school, harness, session_maker, external_id, shown, hidden
) -> None:
    user = await signed_in(harness, session_maker, external_id, 9100)

    [answer] = await user.sends("/help")

    assert answer.startswith("<b>Для всех</b>\n/start")
    for command in shown:
        assert command in answer
    for command in hidden:
        assert command not in answer


async def test_help_for_a_stranger_names_only_what_they_can_do(harness) -> None:
    [answer] = await harness.user(9003).sends("/help")
    assert answer == RU("help-unbound")
    assert "/whoami" not in answer and "/language" in answer


async def test_help_speaks_the_users_language(school, harness, session_maker) -> None:
    user = await signed_in(harness, session_maker, "p3", 9004)
    await user.sends("/language")
    await user.clicks("English")

    [answer] = await user.sends("/help")

    assert answer.startswith("<b>Everyone</b>") and "<b>Parent</b>" in answer
    assert "Родитель" not in answer


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs) -> None:
        self.tags.add(tag)


@pytest.mark.parametrize("language", ["ru", "en"])
def test_help_texts_are_html_telegram_accepts(language: str) -> None:
    translate = get_translator(language)
    for key in sorted(k for k in message_ids(language) if k.startswith("help-")):
        parser = _TagCollector()
        parser.feed(translate(key, **example_args(SCHOOL_TODAY)))
        assert parser.tags <= {"b"}, f"{language}:{key} has raw tags {parser.tags}; write &lt; for <"


# --- /whoami -----------------------------------------------------------------------------------


async def test_whoami_names_every_person_the_account_speaks_for(school, harness, session_maker) -> None:
    await signed_in(harness, session_maker, "t1", 9005)
    user = await signed_in(harness, session_maker, "p1", 9005)

    [answer] = await user.sends("/whoami")

    assert answer == "\n".join(
        [
            "Вы вошли в журнал как:",
            "• Иванова Мария Петровна — учитель, классный руководитель 5А",
            "• Алексеева Наталья Викторовна — родитель: Алексеев Артём Игоревич (5А), Алексеева Полина Игоревна (1А)",
        ]
    )


async def test_whoami_gives_a_student_their_class(school, harness, session_maker) -> None:
    student = await signed_in(harness, session_maker, "s9", 9006)
    assert await student.sends("/whoami") == ["Вы вошли в журнал как:\n• Григорьев Иван Михайлович — ученик, класс 5Б"]


async def test_whoami_needs_an_invitation(harness) -> None:
    assert await harness.user(9007).sends("/whoami") == [RU("fallback-need-invitation")]


# --- /language ---------------------------------------------------------------------------------


async def test_language_switch_is_stored_and_used(school, harness, session_maker) -> None:
    user = await signed_in(harness, session_maker, "d1", 9008)

    assert await user.sends("/language") == [RU("language-choose")]
    assert user.button_labels() == ["Русский", "English"]
    assert await user.clicks("English") == [EN("language-set")]
    assert (await account_of(session_maker, 9008)).language == "en"
    assert (await user.sends("/whoami"))[0].startswith("You are signed in to the journal as:")

    assert await user.clicks("Русский") == [RU("language-set")]
    assert (await account_of(session_maker, 9008)).language == "ru"


async def test_a_stranger_may_choose_a_language_before_signing_in(harness, session_maker) -> None:
    stranger = harness.user(9009)
    await stranger.sends("/language")

    await stranger.clicks("English")

    account = await account_of(session_maker, 9009)
    assert account.language == "en" and account.chat_id == 9009 and account.bindings == []
    assert await stranger.sends("/start") == [EN("start-welcome")]


async def test_a_forged_language_is_refused(harness, session_maker) -> None:
    stranger = harness.user(9010)
    answers = await stranger.presses(LanguageChoice(language="de").pack())
    assert answers == [RU("fallback-stale-button")]
    assert await account_of(session_maker, 9010) is None


async def test_language_with_its_argument_switches_at_once(school, harness, session_maker) -> None:
    user = await signed_in(harness, session_maker, "d1", 9011)

    assert await user.sends("/language en") == [EN("language-set")]
    assert user.button_labels() == []
    assert (await account_of(session_maker, 9011)).language == "en"
    assert (await user.sends("/whoami"))[0].startswith("You are signed in to the journal as:")

    assert await user.sends("/language ru") == [RU("language-set")]
    assert (await account_of(session_maker, 9011)).language == "ru"
    assert await user.sends("/language English") == [EN("language-set")]  # the language's name will do too
    assert (await account_of(session_maker, 9011)).language == "en"


async def test_an_unknown_language_is_named_and_the_buttons_shown(school, harness, session_maker) -> None:
    user = await signed_in(harness, session_maker, "d1", 9012)

    assert await user.sends("/language klingon") == [RU("language-unknown", text="klingon")]

    assert user.button_labels() == ["Русский", "English"]
    assert (await account_of(session_maker, 9012)).language is None  # nothing stored: still the default
