"""Who may curate on Teams: CURATORS, or a member of the curators' conversation (the connector's list)."""

from __future__ import annotations

import json
import logging
import time

import pytest

from tests.teams.conftest import MakeHarness, TeamsHarness
from tests.teams.teams_activities import (
    OTHER_CHANNEL,
    USER,
    channel_mention,
    personal_message,
)

OTHERS = [
    {"id": f"29:member{n}", "name": f"Member {n}", "aadObjectId": f"aad-member-{n}"}
    for n in range(5)
]


async def answer_to(teams: TeamsHarness, activity: dict[str, object]) -> str:
    """Send `activity`; return the JSON of what the bot answered (text and cards)."""
    before = len(teams.connector.messages())
    status, _ = await teams.send(activity)
    assert status in {200, 201, 202}
    answered = teams.connector.messages()[before:]
    assert answered, "the bot did not answer"
    return json.dumps([m.activity for m in answered], ensure_ascii=False)


async def curators_conversation(make_teams: MakeHarness, **settings: object) -> TeamsHarness:
    """Start the app with CURATORS_CHANNEL set to a channel the bot is in."""
    teams = await make_teams(curators_channel=OTHER_CHANNEL, **settings)
    await teams.send(channel_mention(teams.connector.url, "help"))  # the bot joins it
    return teams


async def test_a_member_of_the_curators_channel_sees_the_summary(
    make_teams: MakeHarness,
) -> None:
    """A member of CURATORS_CHANNEL (read from the connector, paged) gets the week's summary."""
    teams = await curators_conversation(make_teams)
    teams.connector.set_members(OTHER_CHANNEL, [*OTHERS, USER], page_size=2)
    answer = await answer_to(teams, personal_message(teams.connector.url, "curation"))
    assert "Curation since" in answer
    assert "Misses" in answer
    pages = [q for c, q in teams.connector.member_requests if c == OTHER_CHANNEL]
    assert len(pages) == 3  # six members, two a page


async def test_the_member_list_is_kept_for_a_while(make_teams: MakeHarness) -> None:
    """Asking twice reads the member list once (cached, as on Slack)."""
    teams = await curators_conversation(make_teams)
    teams.connector.set_members(OTHER_CHANNEL, [USER])
    for _ in range(2):
        assert "Curation since" in await answer_to(
            teams, personal_message(teams.connector.url, "curation")
        )
    assert len(teams.connector.member_requests) == 1


async def test_someone_else_is_told_how_to_become_a_curator(make_teams: MakeHarness) -> None:
    """Not listed and not a member: no summary, but how to become a curator, with their id."""
    teams = await curators_conversation(make_teams)
    teams.connector.set_members(OTHER_CHANNEL, OTHERS)
    answer = await answer_to(teams, personal_message(teams.connector.url, "curation"))
    assert "Curation since" not in answer
    assert "Only curators see this" in answer
    assert "CURATORS" in answer
    assert USER["aadObjectId"] in answer
    assert "curators' conversation (CURATORS_CHANNEL)" in answer


async def test_curators_lists_a_teams_user_without_a_channel(make_teams: MakeHarness) -> None:
    """CURATORS with the user's Entra object id suffices; no member list is read."""
    teams = await make_teams(curators=(USER["aadObjectId"],))
    answer = await answer_to(teams, personal_message(teams.connector.url, "curation summary"))
    assert "Curation since" in answer
    assert teams.connector.member_requests == []


async def test_the_summary_is_not_shown_in_an_ordinary_channel(make_teams: MakeHarness) -> None:
    """In a channel other than the curators' one, a curator is asked to use the 1:1 chat."""
    teams = await make_teams(curators=(USER["aadObjectId"],))
    answer = await answer_to(teams, channel_mention(teams.connector.url, "curation"))
    assert "Curation since" not in answer
    assert "1:1 chat" in answer


async def test_a_failing_connector_makes_nobody_a_curator(
    make_teams: MakeHarness, caplog: pytest.LogCaptureFixture
) -> None:
    """A 500 from the member list: not a curator (fails closed), one log line, not cached."""
    teams = await curators_conversation(make_teams)
    teams.connector.set_members(OTHER_CHANNEL, [USER])
    teams.connector.fail_members(500)
    with caplog.at_level(logging.WARNING, logger="bot.teams.curators"):
        answer = await answer_to(teams, personal_message(teams.connector.url, "curation"))
    assert "Only curators see this" in answer
    lines = [r for r in caplog.records if "curators' conversation members" in r.getMessage()]
    assert len(lines) == 1
    again = await answer_to(teams, personal_message(teams.connector.url, "curation"))
    assert "Curation since" in again  # the failure was not kept


async def test_a_silent_connector_is_waited_for_a_bounded_time(
    make_teams: MakeHarness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A member list that never comes: the user is answered within the wait, as not a curator."""
    monkeypatch.setattr("bot.teams.curators.MEMBERS_WAIT", 0.5)
    teams = await curators_conversation(make_teams)
    teams.connector.set_members(OTHER_CHANNEL, [USER])
    teams.connector.delay_members(5.0)
    started = time.perf_counter()
    with caplog.at_level(logging.WARNING, logger="bot.teams.curators"):
        answer = await answer_to(teams, personal_message(teams.connector.url, "curation"))
    assert time.perf_counter() - started < 3.0
    assert "Only curators see this" in answer
    assert any("TimeoutError" in r.getMessage() for r in caplog.records)


async def test_a_curators_channel_the_bot_is_not_in_makes_nobody_a_curator(
    make_teams: MakeHarness,
) -> None:
    """CURATORS_CHANNEL names a conversation the bot never joined: fails closed."""
    teams = await make_teams(curators_channel=OTHER_CHANNEL)
    teams.connector.set_members(OTHER_CHANNEL, [USER])
    answer = await answer_to(teams, personal_message(teams.connector.url, "curation"))
    assert "Only curators see this" in answer
    assert teams.connector.member_requests == []
