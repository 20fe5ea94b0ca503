"""Teams: `calendar subscribe` in a channel gives a feed URL the same server serves."""

from __future__ import annotations

import json
import re

import icalendar

from bot.calendar.feeds import SqlCalendarFeeds
from tests.teams.conftest import MakeHarness
from tests.teams.teams_activities import channel_mention

PUBLIC_URL = "https://chinabio.example.com"


async def test_channel_subscribe_gives_a_working_feed(make_teams: MakeHarness) -> None:
    """`@ChinaBio calendar subscribe` answers in the thread with a URL that serves the .ics."""
    teams = await make_teams(knowledge_dir=None)
    teams.deps.calendar_feeds = SqlCalendarFeeds(teams.deps.engine, PUBLIC_URL)
    status, _ = await teams.send(channel_mention(teams.connector.url, "calendar subscribe"))
    assert status == 202
    [posted] = teams.connector.messages()
    found = re.search(re.escape(PUBLIC_URL) + r"(/calendar/[\w-]+\.ics)", json.dumps(posted.cards))
    assert found is not None
    response = await teams.client.get(found.group(1))
    assert response.status == 200
    cal = icalendar.Calendar.from_ical(await response.read())
    assert len(list(cal.walk("VEVENT"))) == 7
