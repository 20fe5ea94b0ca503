"""Deal reminders for a digest: dated milestones and events ahead, and deal anniversaries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from handlers.reply import Action, ActionKind, ListItem
from knowledge import KnowledgeStore
from knowledge.models import AnyEntity, Deal, Event, PartialDate, Precision

LOOKAHEAD_DAYS = 30
_NUMBERS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]

Filter = Callable[[AnyEntity], bool]


@dataclass(frozen=True, order=True)
class Reminder:
    """One reminder line, sortable by when it happens."""

    when: dt.date
    title: str
    subtitle: str | None = None
    command: str | None = None

    def item(self) -> ListItem:
        """Return the reminder as a list item, with a button that opens the deal or event."""
        action = (
            Action(kind=ActionKind.RUN, label="Open", command=self.command)
            if self.command
            else None
        )
        return ListItem(title=self.title, subtitle=self.subtitle, action=action)


def years_ago(years: int) -> str:
    """Return 'three years ago' (words up to twenty, then digits)."""
    word = _NUMBERS[years] if years < len(_NUMBERS) else str(years)
    return f"{word} year{'s' if years != 1 else ''} ago"


def _span(date: PartialDate) -> tuple[dt.date, dt.date] | None:
    """Return the first and last day a dated item could fall on; None for a bare year."""
    if date.precision is Precision.YEAR:
        return None
    first = date.earliest()
    if date.precision is Precision.DAY:
        return first, first
    next_month = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, next_month - dt.timedelta(days=1)


def _upcoming(date: PartialDate, today: dt.date) -> dt.date | None:
    """Return the day to sort by if `date` falls within the next LOOKAHEAD_DAYS, else None."""
    span = _span(date)
    if span is None:
        return None
    horizon = today + dt.timedelta(days=LOOKAHEAD_DAYS)
    first, last = span
    if last < today or first > horizon:
        return None
    return max(first, today)


def _in_days(when: PartialDate, today: dt.date) -> str:
    if when.precision is not Precision.DAY:
        return "this month" if when.earliest().month == today.month else "next month"
    days = (when.earliest() - today).days
    return "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"


def upcoming_reminders(store: KnowledgeStore, today: dt.date, keep: Filter) -> list[Reminder]:
    """Return deal milestones and events dated within the next 30 days, soonest first."""
    found: list[Reminder] = []
    for deal in store.all(Deal):
        if not keep(deal):
            continue
        for milestone in deal.milestones:
            when = _upcoming(milestone.date, today)
            if when is not None:
                found.append(
                    Reminder(
                        when,
                        f"{milestone.date.human()}: {deal.title} — {milestone.label}",
                        _in_days(milestone.date, today),
                        f"deal {deal.id}",
                    )
                )
    for event in store.all(Event):
        if not keep(event):
            continue
        for start, what in ((event.start, ""), (event.virtual_start, " (virtual)")):
            when = _upcoming(start, today) if start else None
            if start and when is not None:
                place = f" — {event.place}" if event.place and not what else ""
                found.append(
                    Reminder(
                        when,
                        f"{start.human()}: {event.name}{what}{place}",
                        _in_days(start, today),
                        f"event {event.id}",
                    )
                )
    return sorted(found)


def _same_day(date: dt.date, year: int) -> dt.date:
    """Return `date` moved to `year` (29 February falls on 28 February in other years)."""
    try:
        return date.replace(year=year)
    except ValueError:
        return date.replace(year=year, day=28)


def anniversary_reminders(store: KnowledgeStore, today: dt.date, keep: Filter) -> list[Reminder]:
    """Return deals dated to the day in this ISO week, or to the month in this month, years ago."""
    week_start = today - dt.timedelta(days=today.weekday())
    week = [week_start + dt.timedelta(days=i) for i in range(7)]
    found: list[Reminder] = []
    for deal in store.all(Deal):
        date = deal.date
        if date is None or not keep(deal):
            continue
        if date.precision is Precision.DAY:
            for day in week:
                years = day.year - date.year
                if years >= 1 and _same_day(date.earliest(), day.year) == day:
                    found.append(
                        Reminder(
                            day,
                            f"{years_ago(years).capitalize()} this week ({date.human()}): {deal.title}",
                            None,
                            f"deal {deal.id}",
                        )
                    )
        elif date.precision is Precision.MONTH:
            years = today.year - date.year
            if date.month == today.month and years >= 1:
                found.append(
                    Reminder(
                        today.replace(day=1),
                        f"{years_ago(years).capitalize()} this month ({date.human()}): {deal.title}",
                        None,
                        f"deal {deal.id}",
                    )
                )
    return sorted(found)
