"""Settings: a wrong value stops the program with one clear line; `.env.example` tells the truth."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings, SettingsError, load_settings
from tests.program import SETTING_KEYS, program_env, run_program

EXIT_BAD_SETTINGS = 2
ENV_EXAMPLE = Path(__file__).resolve().parent.parent / ".env.example"

BAD_VALUES = [
    ("SCHOOL_TIMEZONE", "Mars/Base"),
    ("INVITE_TTL_DAYS", "abc"),
    ("INVITE_TTL_DAYS", "0"),
    ("DEFAULT_LANGUAGE", "de"),
    ("EDIT_GRACE_MINUTES", "-5"),
    ("BOT_TOKEN", "not-a-token"),
    ("TELEGRAM_API_URL", "api.telegram.org"),
    ("DATABASE_URL", "sqlite:///journal.db"),
    ("CONSOLE_DATABASE_URL", "mysql://demo"),
    ("WEBHOOK_URL", "bot.school.example/tg"),
    ("WEBHOOK_SECRET", "no spaces allowed"),
    ("WEBHOOK_LISTEN", "8080"),
    ("METRICS_LISTEN", "127.0.0.1:http"),
    ("REDIS_URL", "127.0.0.1:6379"),
    ("SCHEDULER_LEASE_SECONDS", "0"),
]


def assert_refused_in_one_line(result, key: str) -> None:
    assert result.returncode == EXIT_BAD_SETTINGS, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert key in lines[0]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(("key", "value"), BAD_VALUES)
def test_a_bad_value_stops_the_program_with_one_line_naming_the_key(tmp_path: Path, key: str, value: str) -> None:
    result = run_program("migrate", cwd=tmp_path, env=program_env(**{key: value}))
    assert_refused_in_one_line(result, key)


def test_a_bad_value_in_the_env_file_is_reported_the_same_way(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SCHOOL_TIMEZONE=Mars/Base\n", encoding="utf-8")
    result = run_program("migrate", cwd=tmp_path, env=program_env())
    assert_refused_in_one_line(result, "SCHOOL_TIMEZONE")


# --- in-process: defaults, empty values, the example file ----------------------------------------


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No bot setting from the developer's shell or `.env` leaks into these tests."""
    for key in SETTING_KEYS:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.chdir(tmp_path)
    return monkeypatch


def test_nothing_set_means_the_documented_defaults(clean_environment: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert settings.bot_token is None
    assert settings.school_timezone == "Europe/Moscow"
    assert settings.default_language == "ru"
    assert settings.invite_ttl_days == 14
    assert settings.database_url.startswith("sqlite+aiosqlite:///")


def test_an_empty_value_means_the_default(clean_environment: pytest.MonkeyPatch) -> None:
    for key in ("BOT_TOKEN", "SCHOOL_TIMEZONE", "TELEGRAM_API_URL", "INVITE_TTL_DAYS"):
        clean_environment.setenv(key, "")
    settings = load_settings()
    assert settings.bot_token is None
    assert settings.school_timezone == "Europe/Moscow"
    assert settings.telegram_api_url == "https://api.telegram.org"
    assert settings.invite_ttl_days == 14


def test_values_are_read_and_tidied(clean_environment: pytest.MonkeyPatch) -> None:
    clean_environment.setenv("BOT_TOKEN", "123456:ABC")
    clean_environment.setenv("TELEGRAM_API_URL", "http://127.0.0.1:8081/")
    clean_environment.setenv("SCHOOL_TIMEZONE", "Asia/Yekaterinburg")
    settings = load_settings()
    assert settings.bot_token is not None and settings.bot_token.get_secret_value() == "123456:ABC"
    assert settings.telegram_api_url == "http://127.0.0.1:8081"
    assert settings.timezone.key == "Asia/Yekaterinburg"


def test_the_error_names_the_key_and_what_is_wrong(clean_environment: pytest.MonkeyPatch) -> None:
    clean_environment.setenv("DEFAULT_LANGUAGE", "de")
    with pytest.raises(SettingsError, match=r"^DEFAULT_LANGUAGE: must be one of: ru, en$"):
        load_settings()


def test_a_webhook_without_its_secret_is_refused(tmp_path: Path) -> None:
    result = run_program("migrate", cwd=tmp_path, env=program_env(WEBHOOK_URL="https://bot.school.example/tg"))
    assert_refused_in_one_line(result, "WEBHOOK_SECRET")


def example_lines() -> list[str]:
    return ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()


def test_env_example_lists_every_key_with_a_comment() -> None:
    lines = example_lines()
    keys = [line.partition("=")[0] for line in lines if line and not line.startswith("#")]
    assert sorted(keys) == sorted(SETTING_KEYS)
    for index, line in enumerate(lines):
        if line and not line.startswith("#"):
            assert lines[index - 1].startswith("# "), f"{line} has no comment above it"


def test_env_example_values_are_the_defaults(clean_environment: pytest.MonkeyPatch) -> None:
    from_example = Settings(_env_file=ENV_EXAMPLE)
    defaults = Settings(_env_file=None)
    assert from_example.model_dump() == defaults.model_dump()
