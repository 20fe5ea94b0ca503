"""CURATORS and CURATORS_CHANNEL as the environment gives them."""

from __future__ import annotations

from bot.settings import Settings


def test_curators_are_read_as_a_list_of_ids() -> None:
    """CURATORS splits on commas and spaces; CURATORS_CHANNEL is kept as given."""
    settings = Settings.from_env(
        {"CURATORS": "U0CURATOR, 0b7d6c5e-4f3a  U0OTHER", "CURATORS_CHANNEL": "C0CURATORS"}
    )
    assert settings.curators == ("U0CURATOR", "0b7d6c5e-4f3a", "U0OTHER")
    assert settings.curators_channel == "C0CURATORS"


def test_without_curators_nobody_is_listed() -> None:
    """Unset or empty: no listed curators and no curators' channel."""
    settings = Settings.from_env({"CURATORS": ""})
    assert settings.curators == ()
    assert settings.curators_channel is None
