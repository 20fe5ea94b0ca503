"""`calendar file` in Teams: a card with a signed link to the .ics, the chat's reminders in it."""

from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import urlsplit

import icalendar
import jsonschema
import pytest

from tests.teams.conftest import MakeHarness, TeamsHarness
from tests.teams.teams_activities import card_execute, personal_message

PUBLIC = "https://chinabio.example.com"
DAY = dt.date.today() + dt.timedelta(days=40)  # reminders refuse days already past
TITLE = "Download calendar (chinabio-calendar.ics)"


@pytest.fixture
async def public_teams(make_teams: MakeHarness) -> TeamsHarness:
    """The app with Teams mounted and PUBLIC_URL set."""
    return await make_teams(public_url=PUBLIC)


async def _say(teams: TeamsHarness, text: str) -> str:
    status, _ = await teams.send(personal_message(teams.connector.url, text))
    assert status == 202
    return json.dumps(teams.connector.messages()[-1].cards, ensure_ascii=False)


async def test_calendar_file_link_serves_the_ics_with_the_chats_reminder(
    public_teams: TeamsHarness, card_validator: jsonschema.Draft6Validator
) -> None:
    """The card's Download calendar link returns an .ics icalendar reads, the reminder included."""
    said = await _say(public_teams, f"remind deal Testa {DAY.isoformat()} ask for the data")
    found = re.search(r"Reminder #(\d+) set", said)
    assert found is not None, said
    await _say(public_teams, "calendar file")
    [card] = public_teams.connector.messages()[-1].cards
    card_validator.validate(card)
    links = {a["title"]: a["url"] for a in card["actions"] if a["type"] == "Action.OpenUrl"}
    assert list(links) == [TITLE]
    assert links[TITLE].startswith(f"{PUBLIC}/exports/")
    response = await public_teams.client.get(urlsplit(links[TITLE]).path)
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    assert 'filename="chinabio-calendar.ics"' in response.headers["Content-Disposition"]
    cal = icalendar.Calendar.from_ical(await response.read())
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    reminder = events[f"reminder.{found.group(1)}@chinabio-bot"]
    assert reminder.decoded("DTSTART") == DAY
    assert str(reminder["SUMMARY"]) == "Team reminder: ask for the data"


async def test_the_download_button_of_calendar_answers_with_the_link_card(
    public_teams: TeamsHarness, card_validator: jsonschema.Draft6Validator
) -> None:
    """`calendar` offers Download .ics; pressing it (Action.Execute) returns the link card."""
    listing = await _say(public_teams, "calendar")
    assert "Download .ics" in listing
    status, body = await public_teams.send(
        card_execute(public_teams.connector.url, "calendar file")
    )
    assert status == 200
    card = body["value"]
    card_validator.validate(card)
    [url] = [a["url"] for a in card["actions"] if a["type"] == "Action.OpenUrl"]
    response = await public_teams.client.get(urlsplit(url).path)
    assert response.status == 200
    assert icalendar.Calendar.from_ical(await response.read()).walk("VCALENDAR")
