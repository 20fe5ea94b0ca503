"""Scheduled times come from APScheduler's CronTrigger and stay right across DST changes."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.digest.schedule import latest_fire, next_fire, period_of
from handlers.context import DigestSchedule

PARIS_MONDAY_9 = DigestSchedule(weekday=0, hour=9, minute=0, tz="Europe/Paris")


@pytest.mark.parametrize(
    ("now_utc", "expected_local", "expected_utc"),
    [
        # Last week of March 2026: clocks go forward on Sunday 29 March.
        (dt.datetime(2026, 3, 23, 8, 0), "2026-03-23T09:00:00+01:00", "2026-03-23T08:00:00+00:00"),
        (dt.datetime(2026, 3, 30, 7, 0), "2026-03-30T09:00:00+02:00", "2026-03-30T07:00:00+00:00"),
        # Last week of October 2026: clocks go back on Sunday 25 October.
        (dt.datetime(2026, 10, 19, 7, 0), "2026-10-19T09:00:00+02:00", "2026-10-19T07:00:00+00:00"),
        (dt.datetime(2026, 10, 26, 8, 0), "2026-10-26T09:00:00+01:00", "2026-10-26T08:00:00+00:00"),
    ],
)
def test_paris_monday_nine_is_nine_local_on_both_sides_of_dst(
    now_utc: dt.datetime, expected_local: str, expected_utc: str
) -> None:
    """09:00 Europe/Paris stays 09:00 local across the March and October changes (UTC shifts)."""
    fire = latest_fire(PARIS_MONDAY_9, now_utc.replace(tzinfo=dt.UTC))
    assert fire is not None
    assert fire.isoformat() == expected_local
    assert fire.astimezone(dt.UTC).isoformat() == expected_utc


def test_not_yet_due_one_minute_before() -> None:
    """One minute before 09:00 local (07:59 UTC in summer time), the latest fire is last week's."""
    fire = latest_fire(PARIS_MONDAY_9, dt.datetime(2026, 3, 30, 6, 59, tzinfo=dt.UTC))
    assert fire is not None
    assert fire.date() == dt.date(2026, 3, 23)


def test_time_in_the_skipped_hour_still_fires_once_that_week() -> None:
    """02:30 on the Sunday clocks jump from 02:00 to 03:00 still yields one digest that week."""
    schedule = DigestSchedule(weekday=6, hour=2, minute=30, tz="Europe/Paris")
    upcoming = next_fire(schedule, dt.datetime(2026, 3, 29, 0, 0, tzinfo=dt.UTC))
    assert upcoming is not None
    assert upcoming.date() == dt.date(2026, 3, 29)
    fired = latest_fire(schedule, dt.datetime(2026, 3, 29, 2, 0, tzinfo=dt.UTC))
    assert fired is not None
    assert period_of(fired) == "2026-W13"


def test_repeated_hour_in_october_is_one_period() -> None:
    """02:30 on the Sunday clocks go back happens twice, but both fall in the same ISO week."""
    schedule = DigestSchedule(weekday=6, hour=2, minute=30, tz="Europe/Paris")
    first = latest_fire(schedule, dt.datetime(2026, 10, 25, 0, 45, tzinfo=dt.UTC))
    second = latest_fire(schedule, dt.datetime(2026, 10, 25, 1, 45, tzinfo=dt.UTC))
    assert first is not None
    assert second is not None
    assert first.astimezone(dt.UTC) != second.astimezone(dt.UTC)
    assert period_of(first) == period_of(second) == "2026-W43"


def test_period_is_the_iso_week_in_the_channels_zone() -> None:
    """Sunday 23:30 in Auckland is already Monday's ISO week there, though UTC is still Sunday."""
    schedule = DigestSchedule(weekday=0, hour=0, minute=30, tz="Pacific/Auckland")
    fire = latest_fire(schedule, dt.datetime(2026, 3, 29, 12, 0, tzinfo=dt.UTC))
    assert fire is not None
    assert fire.astimezone(dt.UTC).date() == dt.date(2026, 3, 29)  # Sunday in UTC
    assert period_of(fire) == "2026-W14"  # Monday 30 March in Auckland
