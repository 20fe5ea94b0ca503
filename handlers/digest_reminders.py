"""The digest's deal reminders: dated milestones ahead, open items, team follow-ups, anniversaries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from handlers.context import TeamReminder
from handlers.format import cite, human_date, money_text
from handlers.reply import Action, ActionKind, ListItem, Section
from knowledge import KnowledgeStore
from knowledge.models import AnyEntity, Deal, Event, Milestone, PartialDate, Precision

LOOKAHEAD_DAYS = 30  # "the coming weeks"
OPEN_EVERY_DAYS = 25  # an undated open item is listed again after about four weekly digests
ANNIVERSARY_GAP_DAYS = 300  # an anniversary is shown once a year, however the month's weeks fall
HEADING = "Deal reminders"
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
    label: str = "Open"

    def item(self) -> ListItem:
        """Return the reminder as a list item, with a button that opens the deal or event."""
        action = (
            Action(kind=ActionKind.RUN, label=self.label, command=self.command)
            if self.command
            else None
        )
        return ListItem(title=self.title, subtitle=self.subtitle, action=action)


def years_ago(years: int) -> str:
    """Return 'three years ago' (words up to twenty, then digits)."""
    word = _NUMBERS[years] if years < len(_NUMBERS) else str(years)
    return f"{word} year{'s' if years != 1 else ''} ago"


def _last_day(date: PartialDate) -> dt.date:
    """Return the last day a date at its precision could be."""
    first = date.earliest()
    if date.precision is Precision.DAY:
        return first
    if date.precision is Precision.YEAR:
        return dt.date(first.year, 12, 31)
    next_month = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return next_month - dt.timedelta(days=1)


def _span(date: PartialDate, until: PartialDate | None = None) -> tuple[dt.date, dt.date] | None:
    """Return the first and last day a dated item could fall on; None for a bare year alone."""
    if until is not None:
        return date.earliest(), _last_day(until)
    if date.precision is Precision.YEAR:
        return None
    return date.earliest(), _last_day(date)


def when_text(date: PartialDate, until: PartialDate | None = None) -> str:
    """Return a date as the source gives it: its wording for a window, else its own precision."""
    if until is not None and date.as_stated:
        return date.as_stated[0].upper() + date.as_stated[1:]
    if until is not None:
        return f"{date.human()} to {until.human()}"
    return human_date(date)


def _how_soon(first: dt.date, last: dt.date, today: dt.date) -> str:
    if first == last:
        days = (first - today).days
        return "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
    if first <= today:
        return f"under way, until {last.day} {last:%B %Y}"
    return f"from {first.day} {first:%B %Y}"


def _dated(
    date: PartialDate, until: PartialDate | None, today: dt.date
) -> tuple[dt.date, str] | None:
    """Return (sort day, how soon) if the item falls within the coming weeks, else None."""
    span = _span(date, until)
    if span is None:
        return None
    first, last = span
    if last < today or first > today + dt.timedelta(days=LOOKAHEAD_DAYS):
        return None
    return max(first, today), _how_soon(first, last, today)


def _milestone(deal: Deal, milestone: Milestone, today: dt.date) -> Reminder | None:
    found = None if milestone.done else _dated(milestone.date, milestone.until, today)
    if found is None:
        return None
    title = f"{when_text(milestone.date, milestone.until)}: {deal.title} — {milestone.label}"
    return Reminder(found[0], title, f"coming up · {found[1]}", f"deal {deal.id}")


def dated_reminders(store: KnowledgeStore, today: dt.date, keep: Filter) -> list[Reminder]:
    """Return deal milestones and events falling in the coming weeks, soonest first."""
    found: list[Reminder] = []
    for deal in store.all(Deal):
        if keep(deal):
            found += [r for m in deal.milestones if (r := _milestone(deal, m, today))]
    for event in store.all(Event):
        if not keep(event):
            continue
        for start, what in ((event.start, ""), (event.virtual_start, " (virtual)")):
            hit = _dated(start, None, today) if start else None
            if start and hit:
                place = f" — {event.place}" if event.place and not what else ""
                title = f"{human_date(start)}: {event.name}{what}{place}"
                found.append(Reminder(hit[0], title, f"coming up · {hit[1]}", f"event {event.id}"))
    return sorted(found)


def _due(key: str, every_days: int, today: dt.date, shown: Mapping[str, dt.date]) -> bool:
    last = shown.get(key)
    return last is None or (today - last).days >= every_days


def open_items(
    store: KnowledgeStore, today: dt.date, keep: Filter, shown: Mapping[str, dt.date]
) -> list[tuple[str, Reminder]]:
    """Return (memory key, reminder) for undated open items not listed in the last few weeks."""
    found: list[tuple[str, Reminder]] = []
    for deal in store.all(Deal):
        if not keep(deal) or deal.status == "terminated":
            continue
        for index, money in enumerate(deal.money):
            key = f"open:{deal.id}:{index}"
            if money.condition and _due(key, OPEN_EVERY_DAYS, today, shown):
                title = f"Still open: {deal.title} — {money.label}, {money_text(money)}"
                when = cite(store, deal.sources[0]).date if deal.sources else None
                note = f"open as of the source ({when}), which gives no date" if when else None
                subtitle = note or "open as of the source, which gives no date"
                found.append((key, Reminder(today, title, subtitle, f"deal {deal.id}")))
    return found


def team_reminders(team: Sequence[TeamReminder], today: dt.date) -> list[Reminder]:
    """Return the channel's own follow-ups due by the end of this digest's week."""
    week_end = today + dt.timedelta(days=6 - today.weekday())
    found = []
    for r in team:
        if r.done or r.due > week_end:
            continue
        subtitle = f"team reminder #{r.number}"
        if r.due < today - dt.timedelta(days=today.weekday()):
            subtitle += f" · overdue since {r.due.day} {r.due:%B %Y}"
        title = f"{r.due.day} {r.due:%B %Y}: {r.subject} — {r.note}"
        found.append(Reminder(r.due, title, subtitle, f"done {r.number}", "Done"))
    return sorted(found)


def _same_day(date: dt.date, year: int) -> dt.date:
    """Return `date` moved to `year` (29 February falls on 28 February in other years)."""
    try:
        return date.replace(year=year)
    except ValueError:
        return date.replace(year=year, day=28)


def _anniversary(
    date: PartialDate, today: dt.date, what: str, command: str
) -> tuple[dt.date, Reminder] | None:
    """Return (day, reminder) when `date` has its anniversary in this digest's week or month."""
    week_start = today - dt.timedelta(days=today.weekday())
    if date.precision is Precision.DAY:
        for day in (week_start + dt.timedelta(days=i) for i in range(7)):
            years = day.year - date.year
            if years >= 1 and _same_day(date.earliest(), day.year) == day:
                title = f"{years_ago(years).capitalize()} this week ({human_date(date)}): {what}"
                return day, Reminder(day, title, "anniversary", command)
    elif date.precision is Precision.MONTH:
        years = today.year - date.year
        if date.month == today.month and years >= 1:
            title = f"{years_ago(years).capitalize()} this month ({human_date(date)}): {what}"
            return today, Reminder(today.replace(day=1), title, "anniversary", command)
    return None


def anniversaries(
    store: KnowledgeStore, today: dt.date, keep: Filter, shown: Mapping[str, dt.date]
) -> list[tuple[str, Reminder]]:
    """Return (memory key, reminder) for deal and event anniversaries, once per entity a year."""
    dated: list[tuple[AnyEntity, PartialDate | None, str, str]] = [
        (d, d.date, d.title, f"deal {d.id}") for d in store.all(Deal)
    ]
    dated += [(e, e.start, e.name, f"event {e.id}") for e in store.all(Event)]
    found = []
    for entity, date, what, command in dated:
        key = f"anniversary:{entity.id}"
        if date is None or not keep(entity) or not _due(key, ANNIVERSARY_GAP_DAYS, today, shown):
            continue
        hit = _anniversary(date, today, what, command)
        if hit:
            found.append((key, hit[1]))
    return sorted(found, key=lambda pair: pair[1])


def reminders_section(
    store: KnowledgeStore,
    today: dt.date,
    keep: Filter,
    shown: Mapping[str, dt.date],
    team: Sequence[TeamReminder] = (),
) -> tuple[Section, list[str]]:
    """Return the digest's deal reminders (never missing) and the memory keys it showed."""
    opened = open_items(store, today, keep, shown)
    yearly = anniversaries(store, today, keep, shown)
    lines = [
        *dated_reminders(store, today, keep),
        *(r for _, r in opened),
        *team_reminders(team, today),
        *(r for _, r in yearly),
    ]
    items = [r.item() for r in lines]
    items.append(
        ListItem(
            title="Set a team reminder: remind deal <name> YYYY-MM-DD <what to check>",
            action=Action(kind=ActionKind.RUN, label="Team reminders", command="reminders"),
        )
    )
    text = None if lines else "Nothing falls due in the coming weeks."
    return Section(heading=HEADING, text=text, items=items), [k for k, _ in (*opened, *yearly)]
