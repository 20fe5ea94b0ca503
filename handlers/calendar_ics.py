"""Write calendar entries as an iCalendar file: all-day events with stable UIDs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from icalendar import Calendar
from icalendar import Event as IcsEvent

from handlers.calendar_entries import CalendarEntry

PRODUCT_ID = "-//ChinaBio bot//knowledge calendar//EN"
CALENDAR_NAME = "ChinaBio knowledge"
#: How often subscribed calendars should fetch the feed again (Outlook and Apple read this).
REFRESH = dt.timedelta(hours=12)
MEDIA_TYPE = "text/calendar"


def calendar_ics(
    entries: Iterable[CalendarEntry], stamp: dt.datetime, name: str = CALENDAR_NAME
) -> bytes:
    """Return the entries as an .ics file; `stamp` (aware) is every event's DTSTAMP."""
    cal = Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", REFRESH)
    for entry in entries:
        event = IcsEvent()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp.astimezone(dt.UTC))
        event.add("summary", entry.title)
        event.add("dtstart", entry.start)  # a date, not a datetime: an all-day event
        event.add("dtend", entry.end)
        event.add("description", entry.description)
        event.add("transp", "TRANSPARENT")  # a reminder of a date, never busy time
        if entry.url and entry.url.startswith(("https://", "http://")):
            event.add("url", entry.url)
        cal.add_component(event)
    ics: bytes = cal.to_ical()
    return ics
