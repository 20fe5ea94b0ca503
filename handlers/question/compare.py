"""Answer 'compare A and B': each named thing side by side, or two figures in one line."""

from __future__ import annotations

import re

from handlers.commands.deal import deal_card
from handlers.commands.event import event_card
from handlers.commands.profile import company_profile, person_profile
from handlers.commands.search import search_reply
from handlers.explain import explain_topic
from handlers.parse import shorten
from handlers.question.assets import asset_answer
from handlers.question.entities import Found, find_entities
from handlers.question.figures import FIGURE_NOISE, figure_reply, matching_figures
from handlers.question.honest import not_in_knowledge
from handlers.question.intent import Intent
from handlers.reply import Reply, ReplyKind, Section
from knowledge import KnowledgeStore
from knowledge.models import AnyEntity, Asset, Deal, Event, Organisation, Person, Topic


def compare_answer(store: KnowledgeStore, text: str, found: Found, intent: Intent) -> Reply | None:
    """Show two or more named things side by side, each as its own answer would show it."""
    if found.unknown:
        return not_in_knowledge(found.unknown[0], close=found.close, typed=True)
    things = found.entities
    if len(things) < 2:
        return _compare_figures(store, text, found, intent)
    replies = [_one(store, e) for e in things[:3]]
    sections = [_as_section(r) for r in replies]
    ids = [i for r in replies for i in r.entity_ids] + [e.id for e in things]
    return Reply(
        kind=ReplyKind.COMPARISON,
        title="Comparing " + " and ".join(e.label() for e in things[:3]),
        text="You asked to compare them; here is what the knowledge says about each.",
        sections=sections,
        entity_ids=list(dict.fromkeys(ids)),
        suggestions=[
            f"deals partner:{e.label()}" for e in things[:2] if isinstance(e, Organisation)
        ],
    )


def _compare_figures(
    store: KnowledgeStore, text: str, found: Found, intent: Intent
) -> Reply | None:
    """Compare two figures named in words: "RMB vs foreign capital decline"."""
    sides = re.split(r"\b(?:vs\.?|versus|and|compared? (?:to|with)|compare)\b", text, flags=re.I)
    stats = []
    for side in (s for s in sides if s.strip()):
        part = find_entities(store, side)
        words = [w for w in part.words if w.casefold() not in FIGURE_NOISE]
        words += [w for w in found.words if w.casefold() in {"decline", "fall", "drop", "share"}]
        wanted = list(dict.fromkeys(words))
        stats += matching_figures(store, part, intent, wanted, coverage=0.5)[:1]
    stats = list({s.id: s for s in stats}.values())
    if len(stats) < 2:
        return None
    return figure_reply(store, stats, shorten(text), side_by_side=True)


def _one(store: KnowledgeStore, entity: AnyEntity) -> Reply:
    """Return the answer that shows one entity on its own."""
    if isinstance(entity, Organisation):
        return company_profile(store, entity)
    if isinstance(entity, Person):
        return person_profile(store, entity)
    if isinstance(entity, Topic):
        return explain_topic(store, entity)
    if isinstance(entity, Deal):
        return deal_card(store, entity)
    if isinstance(entity, Asset):
        return asset_answer(store, entity)
    return event_card(store, entity) if isinstance(entity, Event) else search_reply(store, "")


def _as_section(reply: Reply) -> Section:
    """Return a reply's title, text and first facts as one section."""
    return Section(heading=reply.title, text=reply.text, facts=reply.facts[:6])
