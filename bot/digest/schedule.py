"""When digests fire: APScheduler's CronTrigger per subscription, periods as ISO weeks in the channel's zone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from bot.clock import Clock, utc_now
from handlers.context import DigestSchedule

__all__ = ["Clock", "utc_now"]  # re-exported: the digest modules take them from here

DAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def as_utc(moment: dt.datetime) -> dt.datetime:
    """Return `moment` in UTC; naive values (SQLite returns them) are taken as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def trigger_for(schedule: DigestSchedule) -> CronTrigger:
    """Return the weekly cron trigger of a schedule, in its own time zone."""
    return CronTrigger(
        day_of_week=DAY_CODES[schedule.weekday],
        hour=schedule.hour,
        minute=schedule.minute,
        timezone=ZoneInfo(schedule.tz),
    )


def _fires(schedule: DigestSchedule, start: dt.datetime) -> Iterator[dt.datetime]:
    """Yield scheduled times from `start` on, in the schedule's zone."""
    trigger = trigger_for(schedule)
    zone = ZoneInfo(schedule.tz)
    cursor = start.astimezone(zone)
    previous: dt.datetime | None = None
    while True:
        fire = trigger.get_next_fire_time(previous, cursor)
        if fire is None:
            return
        yield fire
        previous = fire
        # Step in UTC so a repeated wall-clock time (autumn DST fold) cannot stall the loop.
        cursor = (as_utc(fire) + dt.timedelta(minutes=1)).astimezone(zone)


def next_fire(schedule: DigestSchedule, now: dt.datetime) -> dt.datetime | None:
    """Return the first scheduled time after `now`, in the schedule's zone."""
    # Start a day early: asked from the zone's wall clock, the trigger would miss a time that
    # falls in the hour skipped by the spring DST change.
    for fire in _fires(schedule, now - dt.timedelta(days=1)):
        if as_utc(fire) > as_utc(now):
            return fire
    return None


def latest_fire(schedule: DigestSchedule, now: dt.datetime) -> dt.datetime | None:
    """Return the last scheduled time at or before `now` (within the past eight days)."""
    latest: dt.datetime | None = None
    for fire in _fires(schedule, now - dt.timedelta(days=8)):
        if as_utc(fire) > as_utc(now):
            break
        latest = fire
    return latest


def period_of(fire: dt.datetime) -> str:
    """Return the delivery period of a scheduled time: its ISO week in its own zone, '2026-W14'."""
    year, week, _ = fire.isocalendar()
    return f"{year}-W{week:02d}"
