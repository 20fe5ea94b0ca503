"""Settings.from_env: the process environment over `.env`, empty means unset, every name read."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.settings import TEAMS_PREFIX, Settings


def sample_value(field_name: str) -> str:
    """Return a valid, non-default value for the settings field `field_name`."""
    field = Settings.model_fields[field_name]
    if field_name == "token_encryption_keys":
        return Fernet.generate_key().decode()
    if field_name == "public_url":
        return "https://chinabio.example.com"
    if field.annotation is bool:
        return "yes"
    if field.annotation in (int, float):
        return "7"
    return "some-value"


def test_dotenv_is_read_and_the_process_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A `.env` file fills in settings; a variable set in the process overrides its line."""
    dotenv = tmp_path / ".env"
    dotenv.write_text("PORT=4100\nLOG_LEVEL=debug\nSLACK_BOT_TOKEN=\n", encoding="utf-8")
    for name in Settings.variables():
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LOG_LEVEL", "warning")
    settings = Settings.from_env(dotenv=str(dotenv))
    assert (settings.port, settings.log_level, settings.slack_bot_token) == (4100, "WARNING", None)


def test_an_empty_variable_counts_as_unset() -> None:
    """`PORT=` or `DATA_DIR=` keep their defaults instead of failing or becoming empty."""
    settings = Settings.from_env({"PORT": "", "DATA_DIR": "", "SLACK_API_URL": ""}, dotenv=None)
    assert settings == Settings()


def test_teams_credentials_use_the_agents_sdk_names() -> None:
    """The Teams app id, secret and tenant come from the M365 Agents SDK's CONNECTIONS__ names."""
    settings = Settings.from_env(
        {TEAMS_PREFIX + "CLIENTID": "app", TEAMS_PREFIX + "CLIENTSECRET": "s"}, dotenv=None
    )
    assert (settings.teams_client_id, settings.teams_client_secret) == ("app", "s")
    assert settings.teams_enabled


@pytest.mark.parametrize("field_name", sorted(Settings.model_fields))
def test_every_listed_variable_changes_its_setting(field_name: str) -> None:
    """Each name `Settings.variables()` lists is read: setting it changes the settings."""
    name = str(Settings.model_fields[field_name].validation_alias)
    assert name in Settings.variables()
    settings = Settings.from_env({name: sample_value(field_name)}, dotenv=None)
    assert getattr(settings, field_name) != getattr(Settings(), field_name)
