"""`comps [filters]` and `export [filters]`: the deals `deals` would list, as a table or as files."""

from __future__ import annotations

from handlers.commands.deal_list import select_deals
from handlers.comps_table import comps_reply, export_reply
from handlers.context import AskContext
from handlers.parse import Command, clean
from handlers.reply import Reply
from knowledge import KnowledgeStore


def handle_comps(cmd: Command, store: KnowledgeStore, ctx: AskContext) -> Reply:
    """Answer `comps` with a page of the comparables table of the matching deals."""
    del ctx
    selection = select_deals(cmd, store)
    if isinstance(selection, Reply):
        return selection
    return comps_reply(store, selection.deals, selection.title, selection.filters, cmd.page)


def handle_export(cmd: Command, store: KnowledgeStore, ctx: AskContext) -> Reply:
    """Answer `export` with every matching deal, for the platform to deliver as files."""
    del ctx
    selection = select_deals(cmd, store)
    if isinstance(selection, Reply):
        return selection
    return export_reply(store, selection.deals, selection.title, selection.filters)


def is_export(text: str) -> bool:
    """Return True when `text` is an `export` command (its platform then delivers files)."""
    return clean(text)[0].split(" ", 1)[0].casefold() == "export"
