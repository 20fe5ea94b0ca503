"""Route a command word to its handler; other text is a question, or a search with a hint."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from handlers.calendar import (
    calendar_unavailable_reply,
    calendar_uses_store,
    calendar_while_down,
    handle_calendar,
)
from handlers.commands.asset import handle_asset
from handlers.commands.compare import handle_compare
from handlers.commands.comps import handle_comps, handle_export
from handlers.commands.deal import handle_deal
from handlers.commands.deal_list import handle_deals
from handlers.commands.event import handle_event, handle_events
from handlers.commands.help import handle_help, help_reply
from handlers.commands.profile import handle_company, handle_person
from handlers.commands.quote import handle_quote
from handlers.commands.search import handle_search, search_reply
from handlers.commands.stat import handle_stat, handle_stats
from handlers.commands.trend import handle_trend, handle_trends
from handlers.context import AskContext
from handlers.follow import FOLLOW_WORDS, handle_follow_command
from handlers.follow import unavailable_reply as follow_unavailable
from handlers.intent import looks_like_question
from handlers.mention import answer_question
from handlers.parse import Command, parse_command, shorten
from handlers.proposals import handle_propose
from handlers.reminders import handle_reminder_command, is_reminder_command
from handlers.reminders import unavailable_reply as reminders_unavailable_reply
from handlers.reply import Reply, ReplyKind
from handlers.subscriptions import (
    SUBSCRIPTION_WORDS,
    handle_subscription_command,
    unavailable_reply,
)
from knowledge import KnowledgeStore

Handler = Callable[[Command, KnowledgeStore, AskContext], Reply]
TextHandler = Callable[[str, KnowledgeStore, AskContext], Reply]

COMMANDS: dict[str, Handler] = {
    "deal": handle_deal,
    "deals": handle_deals,
    "company": handle_company,
    "org": handle_company,
    "organisation": handle_company,
    "organization": handle_company,
    "person": handle_person,
    "who": handle_person,
    "quote": handle_quote,
    "quotes": handle_quote,
    "trend": handle_trend,
    "trends": handle_trends,
    "stat": handle_stat,
    "stats": handle_stats,
    "statistic": handle_stat,
    "statistics": handle_stats,
    "event": handle_event,
    "events": handle_events,
    "search": handle_search,
    "find": handle_search,
    "help": handle_help,
    "comps": handle_comps,
    "export": handle_export,
    "compare": handle_compare,
    "calendar": handle_calendar,
    "propose": handle_propose,
    "asset": handle_asset,
}
_FILTERED = {"deals", "comps", "export"}


@dataclass(frozen=True)
class StoreCommand:
    """A command that reads or writes the bot's database: how to tell it, answer it, excuse it."""

    matches: Callable[[str], bool]  # on the cleaned text
    unavailable: Callable[[], Reply]  # what it answers while the database is down
    handle: TextHandler | None = None  # None: a COMMANDS entry answers it
    #: What it answers from the knowledge alone while the database is down (else `unavailable`).
    while_down: TextHandler | None = None


def _is_subscription_command(text: str) -> bool:
    return text.split(" ", 1)[0].casefold() in SUBSCRIPTION_WORDS


def _is_follow_command(text: str) -> bool:
    return text.split(" ", 1)[0].casefold().rstrip(":") in FOLLOW_WORDS


#: Every command that needs the database, in the order they are tried.
STORE_COMMANDS: tuple[StoreCommand, ...] = (
    StoreCommand(_is_subscription_command, unavailable_reply, handle_subscription_command),
    StoreCommand(is_reminder_command, reminders_unavailable_reply, handle_reminder_command),
    StoreCommand(_is_follow_command, follow_unavailable, handle_follow_command),
    StoreCommand(calendar_uses_store, calendar_unavailable_reply, while_down=calendar_while_down),
)


def _store_command(text: str) -> StoreCommand | None:
    return next((c for c in STORE_COMMANDS if c.matches(text)), None)


def uses_store(text: str) -> bool:
    """Return True when cleaned `text` goes to a handler that reads or writes the bot's database."""
    return _store_command(text) is not None


def unavailable_for(text: str) -> Reply:
    """Return what a command that needs the database (cleaned `text`) answers while it is down."""
    command = _store_command(text)
    return command.unavailable() if command is not None else unavailable_reply()


def answer_while_down(text: str, store: KnowledgeStore, ctx: AskContext) -> Reply:
    """Return what cleaned `text` answers while the database is down: the knowledge, or "unavailable"."""
    command = _store_command(text)
    if command is None or command.while_down is None:
        return unavailable_for(text)
    reply = command.while_down(text, store, ctx)
    return reply if reply.command is not None else reply.model_copy(update={"command": text})


def dispatch(text: str, store: KnowledgeStore, ctx: AskContext, mentioned: bool) -> Reply:
    """Answer cleaned `text`: a command, a question, or a search with a hint."""
    if not text or text in {"?", "help?"}:
        return help_reply()
    store_command = _store_command(text)
    if store_command is not None and store_command.handle is not None:
        return store_command.handle(text, store, ctx)
    word = text.split(" ", 1)[0].casefold()
    if word == "more":
        return help_reply("Press the “More” button under a list, or add page:2 to the command.")
    handler = COMMANDS.get(word)
    if handler is not None and not (word == "who" and looks_like_question(text)):
        cmd = parse_command(text, with_filters=word in _FILTERED)
        if cmd.problem is not None:
            return _unreadable(cmd.problem, word)
        reply = handler(cmd, store, ctx)
        if reply.kind == ReplyKind.NOT_FOUND and mentioned:
            # "@chinabio deals with ADCs from Korea?" starts with a command word but is a question.
            understood = answer_question(text, store, ctx)
            if (
                understood.kind != ReplyKind.SEARCH
            ):  # an answer, or an honest "not in the knowledge"
                return understood
        return reply
    if mentioned or looks_like_question(text):
        return answer_question(text, store, ctx)
    return _search_with_hint(text, store)


def _unreadable(problem: str, word: str) -> Reply:
    """Say which part of the command could not be read, and how to write it."""
    return Reply(
        kind=ReplyKind.NOT_FOUND,
        title="I couldn't read that command",
        text=problem,
        suggestions=[word, "help"],
        shareable=False,
    )


def _search_with_hint(text: str, store: KnowledgeStore) -> Reply:
    """Search for an unknown word, saying it is not a command (and which command it resembles)."""
    word, _, rest = text.partition(" ")
    close = process.extractOne(word.casefold(), list(COMMANDS), scorer=fuzz.ratio, score_cutoff=75)
    tip = f"{close[0]} {rest}".strip() if close else None
    hint = f"“{shorten(word, 30)}” is not a command" + (f" — did you mean “{tip}”?" if tip else ".")
    hint += " Here is what a search of the knowledge found; type help for the commands."
    reply = search_reply(store, rest if tip and rest else text, hint=hint)
    tries = [tip] if tip else []
    if reply.kind == ReplyKind.NOT_FOUND:
        return reply.model_copy(update={"suggestions": [*tries, *reply.suggestions]})
    return reply.model_copy(update={"suggestions": [*tries, "help"]})
