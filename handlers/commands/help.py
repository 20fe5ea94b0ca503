"""`help`: every command with an example the user can run with one click."""

from __future__ import annotations

from handlers.context import AskContext
from handlers.parse import Command
from handlers.reply import Action, ActionKind, ListItem, Reply, ReplyKind
from knowledge import KnowledgeStore

#: (usage, what it does, an example to run)
COMMAND_HELP: tuple[tuple[str, str, str], ...] = (
    ("deal NAME", "a deal card; NAME is a party, asset, code or alias", "deal Puhe"),
    (
        "deals [filters]",
        "deals by modality:, partner:, year:, type:, topic:, area:, country:, has:money,"
        " sort:amount, page:",
        "deals modality:ADC",
    ),
    ("asset NAME", "a drug or platform: owners, status, key data, deals", "asset ART001"),
    ("company NAME", "a company with its deals, people and quotes", "company Servier"),
    ("person NAME", "a person with their roles and quotes", "person Irene Hong"),
    ("quote [TOPIC|PERSON]", "a verbatim quote; ask again for another", "quote NewCo"),
    ("trends / trend TOPIC", "market patterns and their evidence", "trends"),
    ("stats / stat TOPIC", "figures as the source states them", "stats"),
    ("events / event NAME", "conferences and forums", "events"),
    ("search WORDS", "everything that mentions the words", "search PRMT5"),
    (
        "subscribe / unsubscribe / subscriptions",
        "the weekly digest in this channel",
        "subscriptions",
    ),
    (
        "calendar / calendar file / calendar subscribe|revoke",
        "dates and team reminders ahead; an .ics file; a feed for Outlook or Google Calendar",
        "calendar",
    ),
    (
        "remind deal NAME YYYY-MM-DD NOTE / reminders / done N",
        "a team follow-up, posted in this channel's digest that week",
        "reminders",
    ),
    ("comps [filters]", "the deals as a table: date, parties, asset, terms", "comps partner:Bayer"),
    ("export [filters]", "the same deals as CSV and Excel files", "export modality:ADC"),
    ("compare A B", "two companies (or deal A deal B) side by side", "compare Bayer Servier"),
    (
        "follow KIND NAME / unfollow … / following",
        "hear when the knowledge about a company, asset, deal, topic, modality, area or country changes",
        "follow company Bayer",
    ),
    ("alerts instant|in digest|off", "how this channel hears of changes it follows", "alerts"),
    ("help", "this list", "help"),
    (
        "propose deal|company|person|quote",
        "a form for a new entry, checked and sent to the curators",
        "propose deal",
    ),
)

QUESTION_EXAMPLES = (
    "who thinks Chinese biotechs deliver on time?",
    "anything from Dan Wang on AI?",
    "what did Bayer get from Puhe?",
    "explain the NewCo structure",
)


def handle_help(cmd: Command, store: KnowledgeStore, ctx: AskContext) -> Reply:
    """Answer `help` (and empty text) with every command and an example of each."""
    del cmd, store, ctx
    return help_reply()


def help_reply(note: str | None = None) -> Reply:
    """Return the help reply, optionally after a note about what went wrong."""
    items = [
        ListItem(
            title=usage,
            subtitle=f"{what} — e.g. {example}",
            action=Action(kind=ActionKind.RUN, label="Try it", command=example),
        )
        for usage, what, example in COMMAND_HELP
    ]
    intro = (
        "Type a command after /chinabio, or mention me with a question in plain words, e.g. "
        + "; ".join(f"“{q}”" for q in QUESTION_EXAMPLES)
        + ". Every answer comes from the curated knowledge and cites its source."
    )
    return Reply(
        kind=ReplyKind.HELP,
        title="ChinaBio bot: what you can ask",
        text=f"{note}\n{intro}" if note else intro,
        items=items,
        shareable=False,
    )
