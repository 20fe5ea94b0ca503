"""A channel's team reminders in `calendar` and its feed; `calendar file` uploaded as an .ics."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import icalendar

from bot.answering import answer_in_time
from bot.db.engine import make_engine
from bot.digest.reminders import SqlReminderBook
from handlers import AskContext, ReplyKind
from handlers.dispatch import uses_store
from knowledge import load_store
from knowledge.loader import default_dir
from tests.calendar.conftest import PUBLIC_URL
from tests.fakes.slack_api import UploadedFile
from tests.slack.slack_driver import SlackDriver, button_payload, mention

_FEED = re.compile(re.escape(PUBLIC_URL) + r"(/calendar/[A-Za-z0-9_-]+\.ics)")
#: A day ahead of the real clock (reminders refuse days already past).
DAY = dt.date.today() + dt.timedelta(days=45)
SHOWN = f"{DAY.day} {DAY:%B %Y}"
NOTE = "check the IIT readout"


async def _ack(slack: SlackDriver, text: str, channel: str = "C0GENERAL") -> dict[str, Any]:
    response = await slack.command(text, channel=channel)
    assert response.status == 200
    body: dict[str, Any] = await response.json()
    return body


async def _remind(slack: SlackDriver, channel: str = "C0GENERAL", note: str = NOTE) -> int:
    """Set a reminder on Puhe's deal in `channel`; return its number."""
    body = await _ack(slack, f"remind deal Puhe {DAY.isoformat()} {note}", channel)
    found = re.search(r"Reminder #(\d+) set", body["text"])
    assert found is not None, body
    return int(found.group(1))


async def _feed(slack: SlackDriver, channel: str = "C0GENERAL") -> icalendar.Calendar:
    body = await _ack(slack, "calendar subscribe", channel)
    found = _FEED.search(str(body["blocks"]))
    assert found is not None
    async with slack.session.get(slack.url + found.group(1)) as response:
        assert response.status == 200
        return icalendar.Calendar.from_ical(await response.read())


def _events(cal: icalendar.Calendar) -> dict[str, Any]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def _buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for block in message.get("blocks", []):
        found += [e for e in block.get("elements", []) if e.get("type") == "button"]
        if block.get("accessory", {}).get("type") == "button":
            found.append(block["accessory"])
    return found


async def _upload(slack: SlackDriver) -> UploadedFile:
    await slack.fake.wait_for("files.completeUploadExternal")
    (upload,) = slack.fake.uploaded()
    return upload


async def test_calendar_lists_the_channels_open_reminders_beside_the_knowledge(
    slack: SlackDriver,
) -> None:
    """`/chinabio calendar` shows the reminder's day, deal and note, not who set it, in its channel only."""
    number = await _remind(slack)
    body = await _ack(slack, "calendar")
    shown = json.dumps(body["blocks"], ensure_ascii=False)
    assert f"{SHOWN} — Team reminder: {NOTE}" in shown
    assert f"Team reminder #{number}" in shown
    assert "Puhe" in shown
    assert "open team reminder" in shown
    assert "U0ASKER" not in shown
    elsewhere = json.dumps((await _ack(slack, "calendar", "C0DEALS"))["blocks"])
    assert NOTE not in elsewhere


async def test_the_feed_has_the_reminder_as_an_all_day_event_until_it_is_done(
    slack: SlackDriver,
) -> None:
    """The channel's .ics carries reminder.<n>@chinabio-bot on its day; after `done n` it is gone."""
    number = await _remind(slack)
    other = await _remind(slack, "C0DEALS", "another channel's note")
    events = _events(await _feed(slack))
    uid = f"reminder.{number}@chinabio-bot"
    assert f"reminder.{other}@chinabio-bot" not in events
    event = events[uid]
    assert event.decoded("DTSTART") == DAY  # a date, not a datetime: all day
    assert event.decoded("DTEND") == DAY + dt.timedelta(days=1)
    assert str(event["SUMMARY"]) == f"Team reminder: {NOTE}"
    assert "Puhe" in str(event["DESCRIPTION"])
    assert "U0ASKER" not in event.to_ical().decode()
    assert "event.chinabio-partnering-forum-2025@chinabio-bot" in events
    again = _events(await _feed(slack))
    assert set(again) == set(events)  # the same UIDs: re-imports update, not duplicate
    assert (await _ack(slack, f"done {number}"))["text"].startswith(f"Done: #{number}")
    after = _events(await _feed(slack))
    assert uid not in after
    assert set(after) == set(events) - {uid}


async def test_calendar_file_is_uploaded_as_an_ics_in_three_steps(slack: SlackDriver) -> None:
    """`/chinabio calendar file`: upload URL, bytes POSTed, completed; icalendar reads them back."""
    number = await _remind(slack)
    ack = await _ack(slack, "calendar file")
    assert ack["response_type"] == "ephemeral"
    assert "Calendar file (.ics)" in json.dumps(ack["blocks"])
    upload = await _upload(slack)
    methods = [c.method for c in slack.fake.calls]
    assert (
        methods.index("files.getUploadURLExternal")
        < methods.index("upload")
        < methods.index("files.completeUploadExternal")
    )
    assert upload.filename == "chinabio-calendar.ics"
    assert upload.channel == "C0GENERAL"
    assert upload.data is not None
    assert upload.length == len(upload.data)
    events = _events(icalendar.Calendar.from_ical(upload.data))
    assert f"reminder.{number}@chinabio-bot" in events
    assert len(events) == 8  # the knowledge's 7 dates and the reminder
    assert events["event.chinabio-partnering-forum-2025@chinabio-bot"].decoded(
        "DTSTART"
    ) == dt.date(2025, 4, 23)


async def test_the_download_button_of_calendar_uploads_the_file(slack: SlackDriver) -> None:
    """The **Download .ics** button under `calendar` runs `calendar file` and uploads it here."""
    ack = await _ack(slack, "calendar")
    (download,) = [b for b in _buttons(ack) if b["text"]["text"] == "Download .ics"]
    assert download["value"] == "calendar file"
    await slack.action(button_payload(slack.fake, download["action_id"], download["value"]))
    upload = await _upload(slack)
    assert upload.filename == "chinabio-calendar.ics"
    assert upload.channel == "C0GENERAL"
    assert upload.data is not None
    assert len(_events(icalendar.Calendar.from_ical(upload.data))) == 7


async def test_calendar_file_in_a_mention_uploads_into_the_thread(slack: SlackDriver) -> None:
    """`@chinabio calendar file` uploads the .ics under the mention, and posts nothing else."""
    await slack.event(mention("<@UCHINABIO> calendar file", ts="1700000000.000888"))
    upload = await _upload(slack)
    assert upload.thread_ts == "1700000000.000888"
    assert slack.fake.calls_to("chat.postMessage") == []


def test_every_calendar_command_waits_on_the_database_off_the_event_loop() -> None:
    """All `calendar` commands read the channel's reminders, so all go through uses_store."""
    for text in ("calendar", "calendar page:2", "calendar file", "calendar subscribe"):
        assert uses_store(text), text
    assert not uses_store("events")


async def test_a_refused_database_still_gets_the_knowledge_calendar_and_file() -> None:
    """A database that refuses connections: `calendar` and its file say the reminders are unread."""
    engine = make_engine("postgresql://nobody@127.0.0.1:1/test", connect_timeout=1)
    try:
        ctx = AskContext(
            platform="slack", conversation_id="C0GENERAL", reminders=SqlReminderBook(engine)
        )
        store = load_store(default_dir())
        listing = await answer_in_time("calendar", store, ctx)
        assert listing.kind is ReplyKind.CALENDAR
        assert "team reminders could not be read right now" in (listing.text or "")
        assert listing.sections  # the knowledge's latest dates
        file = await answer_in_time("calendar file", store, ctx)
        assert file.kind is ReplyKind.EXPORT
        assert "could not be read" in (file.text or "")
        (ics,) = file.files
        assert len(icalendar.Calendar.from_ical(ics.data).walk("VEVENT")) == 7
    finally:
        engine.dispose()
