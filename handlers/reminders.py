"""`remind deal NAME YYYY-MM-DD NOTE`, `reminders` and `done N`: a channel's own deal follow-ups."""

from __future__ import annotations

import datetime as dt
import re

from handlers.commands.deal import deals_named
from handlers.context import AskContext, StoreUnavailable, TeamReminder
from handlers.outage import unavailable_reply as outage_reply
from handlers.parse import shorten
from handlers.reply import Action, ActionKind, ListItem, Reply, ReplyKind
from knowledge import KnowledgeStore

REMINDER_WORDS = ("remind", "reminders", "done")
EXAMPLE = "remind deal Puhe 2027-03-01 check the IIT readout"
MAX_NOTE = 300
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _reply(
    title: str,
    text: str | None = None,
    items: list[ListItem] | None = None,
    suggestions: list[str] | None = None,
) -> Reply:
    return Reply(
        kind=ReplyKind.REMINDER,
        title=title,
        text=text,
        items=items or [],
        suggestions=suggestions or [],
        shareable=False,
    )


def _problem(text: str) -> Reply:
    return _reply("I couldn't read that reminder", text, suggestions=[EXAMPLE, "reminders"])


def when(day: dt.date) -> str:
    """Return a day for people: '1 March 2027'."""
    return f"{day.day} {day:%B %Y}"


def reminder_item(r: TeamReminder) -> ListItem:
    """Return a reminder as a list line with a Done button."""
    return ListItem(
        title=f"#{r.number} · {when(r.due)}: {r.subject} — {r.note}",
        action=Action(kind=ActionKind.RUN, label="Done", command=f"done {r.number}"),
    )


def handle_reminder_command(text: str, store: KnowledgeStore, ctx: AskContext) -> Reply:
    """Answer `remind deal …`, `reminders` or `done N` for the asking channel."""
    book = ctx.reminders
    if book is None:
        return _reply(
            "Team reminders are not available here",
            "Set reminders from a Slack or Teams channel; they appear in its weekly digest.",
        )
    word, _, rest = text.strip().partition(" ")
    word, rest = word.casefold(), rest.strip()
    try:
        if word == "reminders":
            found = book.open(ctx.platform, ctx.conversation_id)
            if not found:
                return _reply("No team reminders here", f"Set one: {EXAMPLE}")
            return _reply(
                f"{len(found)} team reminder{'s' * (len(found) != 1)} in this channel",
                "Each appears in this channel's digest in the week it falls due; "
                "done N clears one.",
                items=[reminder_item(r) for r in found],
            )
        if word == "done":
            if not rest.lstrip("#").isdigit():
                return _problem(
                    "Write done and the reminder's number, e.g. done 3 (see reminders)."
                )
            finished = book.finish(ctx.platform, ctx.conversation_id, int(rest.lstrip("#")))
            if finished is None:
                return _reply(
                    f"No open reminder #{rest.lstrip('#')} in this channel",
                    "Type reminders to see this channel's open ones.",
                    suggestions=["reminders"],
                )
            return _reply(
                f"Done: #{finished.number} cleared",
                f"{when(finished.due)}: {finished.subject} — {finished.note}",
            )
        return _remind(rest, store, ctx)
    except StoreUnavailable:
        return unavailable_reply()


def unavailable_reply() -> Reply:
    """Return what a reminder command answers while the database does not."""
    return outage_reply("Reminders unavailable", "reminders are", "reminders")


def is_reminder_command(text: str) -> bool:
    """Return True when cleaned `text` is a reminder command."""
    return text.split(" ", 1)[0].casefold() in REMINDER_WORDS


def _remind(rest: str, store: KnowledgeStore, ctx: AskContext) -> Reply:
    assert ctx.reminders is not None
    words = rest.split()
    if not words or words[0].casefold() != "deal":
        return _problem(f"Write: {EXAMPLE}")
    dates = [i for i, w in enumerate(words) if _DATE.match(w)]
    if not dates:
        return _problem(f"Give the day as YYYY-MM-DD after the deal's name: {EXAMPLE}")
    at = dates[0]
    name, note = " ".join(words[1:at]), " ".join(words[at + 1 :])
    try:
        due = dt.date.fromisoformat(words[at])
    except ValueError:
        return _problem(f"{words[at]} is not a real day; write YYYY-MM-DD, e.g. 2027-03-01.")
    if not name:
        return _problem(f"Name the deal before the day: {EXAMPLE}")
    if due < dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1):
        return _problem(f"{when(due)} has passed; give a day from today on.")
    if len(note) > MAX_NOTE:
        return _problem(f"Keep the note under {MAX_NOTE} characters.")
    match = deals_named(store, name)
    if not match.deals:
        tips = [f"remind deal {s} {words[at]} {note}".strip() for s in match.suggestions[:2]]
        return _reply(
            "I couldn't read that reminder",
            f"No deal matches “{shorten(name, 40)}”.",
            suggestions=[*tips, "deals"],
        )
    if len(match.deals) > 1:
        return _reply(
            f"{len(match.deals)} deals match “{shorten(name, 40)}”: which one?",
            "Press one to set the reminder on it.",
            items=[
                ListItem(
                    title=d.title,
                    action=Action(
                        kind=ActionKind.RUN,
                        label="Remind on this one",
                        command=f"remind deal {d.id} {words[at]} {note}".strip(),
                    ),
                )
                for d in match.deals[:8]
            ],
        )
    deal = match.deals[0]
    saved = ctx.reminders.add(
        ctx.platform,
        ctx.conversation_id,
        deal.id,
        deal.title,
        due,
        note or "follow up",
        ctx.user_id,
    )
    return _reply(
        f"Reminder #{saved.number} set for {when(due)}",
        f"{deal.title} — {saved.note}. It will be in this channel's digest that week; "
        f"done {saved.number} clears it.",
        items=[reminder_item(saved)],
        suggestions=["reminders"],
    )
