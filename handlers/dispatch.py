"""Route a command word to its handler; other text is a question, or a search with a hint."""

from __future__ import annotations

from collections.abc import Callable

from rapidfuzz import fuzz, process

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
from handlers.reminders import handle_reminder_command, is_reminder_command
from handlers.reminders import unavailable_reply as reminders_unavailable
from handlers.reply import Reply, ReplyKind
from handlers.subscriptions import SUBSCRIPTION_WORDS, handle_subscription_command
from handlers.subscriptions import unavailable_reply as subscriptions_unavailable
from knowledge import KnowledgeStore

Handler = Callable[[Command, KnowledgeStore, AskContext], Reply]

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
}
_FILTERED = {"deals"}


def uses_store(text: str) -> bool:
    """Return True when cleaned `text` goes to a handler that reads or writes the bot's database."""
    word = text.split(" ", 1)[0].casefold()
    return (
        word in SUBSCRIPTION_WORDS or word.rstrip(":") in FOLLOW_WORDS or is_reminder_command(text)
    )


def store_unavailable(text: str) -> Reply:
    """Return what cleaned `text` answers when the bot's database did not answer in time."""
    if is_reminder_command(text):
        return reminders_unavailable()
    if text.split(" ", 1)[0].casefold().rstrip(":") in FOLLOW_WORDS:
        return follow_unavailable()
    return subscriptions_unavailable()


def dispatch(text: str, store: KnowledgeStore, ctx: AskContext, mentioned: bool) -> Reply:
    """Answer cleaned `text`: a command, a question, or a search with a hint."""
    if not text or text in {"?", "help?"}:
        return help_reply()
    if text.split(" ", 1)[0].casefold().rstrip(":") in FOLLOW_WORDS:
        return handle_follow_command(text, store, ctx)
    if is_reminder_command(text):
        return handle_reminder_command(text, store, ctx)
    if uses_store(text):
        return handle_subscription_command(text, store, ctx)
    word = text.split(" ", 1)[0].casefold()
    if word == "more":
        return help_reply("Press the “More” button under a list, or add page:2 to the command.")
    handler = COMMANDS.get(word)
    if handler is not None and not (word == "who" and looks_like_question(text)):
        cmd = parse_command(text, with_filters=word in _FILTERED)
        if cmd.problem is not None:
            return _unreadable(cmd.problem, word)
        reply = handler(cmd, store, ctx)
        if reply.kind == ReplyKind.NOT_FOUND and mentioned and _is_sentence(text):
            # "@chinabio deals with ADCs from Korea?" starts with a command word but is a question.
            understood = answer_question(text, store, ctx)
            if understood.kind not in {ReplyKind.NOT_FOUND, ReplyKind.SEARCH}:
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


def _is_sentence(text: str) -> bool:
    return text.rstrip().endswith("?") or len(text.split()) >= 4


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
