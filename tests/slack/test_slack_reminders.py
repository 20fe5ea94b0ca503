"""Team reminders from Slack: `/chinabio remind deal …`, the Remind me dialog, `reminders`, `done`."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import aiohttp

from bot.app import build_app, build_deps
from bot.settings import Settings
from tests.fakes.http import serve
from tests.fakes.slack_api import TEAM_ID, FakeSlackApi
from tests.slack.slack_driver import SlackDriver, button_payload


def _buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for block in message.get("blocks", []):
        found += [e for e in block.get("elements", []) if e.get("type") == "button"]
        if block.get("accessory", {}).get("type") == "button":
            found.append(block["accessory"])
    return found


def _submission(view: dict[str, Any], day: str | None, note: str) -> dict[str, Any]:
    """Return the view_submission Slack sends for the opened Remind me dialog."""
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "chinabio-test"},
        "user": {"id": "U0ASKER", "team_id": TEAM_ID},
        "api_app_id": "A0CHINABIO",
        "token": "legacy-verification-token",
        "trigger_id": "1337.42.abcd",
        "view": {
            **view,
            "id": "V0REMIND",
            "state": {
                "values": {
                    "due": {"date": {"type": "datepicker", "selected_date": day}},
                    "note": {"text": {"type": "plain_text_input", "value": note}},
                }
            },
        },
    }


#: A day ahead of the real clock (reminders refuse days already past).
DAY = dt.date.today() + dt.timedelta(days=90)
SHOWN = f"{DAY.day} {DAY:%B %Y}"


async def _text(response: aiohttp.ClientResponse) -> str:
    return json.dumps(await response.json(), ensure_ascii=False)


async def test_reminder_set_listed_after_a_restart_and_done(
    slack: SlackDriver, settings: Settings, fake_slack: FakeSlackApi
) -> None:
    """A reminder set by command is still listed by a freshly started bot; `done N` clears it."""
    set_it = await _text(await slack.command(f"remind deal Puhe {DAY} check the IIT readout"))
    assert f"Reminder #1 set for {SHOWN}" in set_it
    assert "check the IIT readout" in set_it

    async with serve(build_app(build_deps(settings))) as url, aiohttp.ClientSession() as session:
        restarted = SlackDriver(url, fake_slack, session)
        listed = await _text(await restarted.command("reminders"))
        assert f"#1 · {SHOWN}" in listed
        assert "check the IIT readout" in listed
        elsewhere = await _text(await restarted.command("reminders", channel="C0OTHER"))
        assert "No team reminders here" in elsewhere
        assert "Done: #1 cleared" in await _text(await restarted.command("done 1"))
        assert "No team reminders here" in await _text(await restarted.command("reminders"))


async def test_bad_reminders_get_a_clear_message(slack: SlackDriver) -> None:
    """A missing or impossible day, or an unknown deal, is explained, and nothing is stored."""
    assert "Give the day as YYYY-MM-DD" in await _text(await slack.command("remind deal Puhe soon"))
    assert "has passed" in await _text(await slack.command("remind deal Puhe 2020-01-06 x"))
    assert "not a real day" in await _text(await slack.command("remind deal Puhe 2027-02-30 x"))
    assert "No deal matches" in await _text(await slack.command(f"remind deal Zzyzx {DAY} x"))
    assert "No open reminder #7" in await _text(await slack.command("done 7"))
    assert "No team reminders here" in await _text(await slack.command("reminders"))


async def test_remind_me_button_opens_a_date_picker_and_sets_the_reminder(
    slack: SlackDriver,
) -> None:
    """The deal card's Remind me opens a dialog with a datepicker; submitting it sets the reminder."""
    card = await (await slack.command("deal Puhe")).json()
    (remind,) = [b for b in _buttons(card) if b["action_id"] == "chinabio_remind_open"]
    assert remind["text"]["text"] == "Remind me"

    clicked = await slack.action(
        button_payload(slack.fake, "chinabio_remind_open", remind["value"])
    )
    assert clicked.status == 200
    (opened,) = await slack.fake.wait_for("views.open")
    view = opened.args["view"]
    if isinstance(view, str):
        view = json.loads(view)
    assert view["callback_id"] == "chinabio_remind"
    assert [b["element"]["type"] for b in view["blocks"]] == ["datepicker", "plain_text_input"]

    refused = await slack.action(_submission(view, None, "check the IIT readout"))
    assert (await refused.json())["errors"] == {"due": "Pick a day."}

    response = await slack.action(_submission(view, DAY.isoformat(), "check the IIT readout"))
    assert response.status == 200
    assert await response.text() == ""  # an empty ack closes the dialog
    (post,) = await slack.fake.wait_for("chat.postMessage")
    assert post.args["channel"] == "U0ASKER"
    assert f"Reminder #1 set for {SHOWN}" in json.dumps(post.args["blocks"])
    listed = await _text(await slack.command("reminders"))  # stored for the channel clicked in
    assert "check the IIT readout" in listed
