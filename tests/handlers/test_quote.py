"""`quote [TOPIC|PERSON]`: verbatim quotes, attributed, rotating without repeats."""

from __future__ import annotations

import random
from collections.abc import Callable

from handlers import AskContext, ReplyKind, answer
from handlers.context import InMemoryQuoteMemory
from knowledge import KnowledgeStore
from knowledge.models import Person, Quote
from tests.chat_helpers import Chat


def person_id(store: KnowledgeStore, name: str) -> str:
    """Return the id of the person called `name`."""
    return next(p.id for p in store.all(Person) if p.name == name)


async def test_quote_is_verbatim_with_speaker_role_organisation_and_source(chat: Chat) -> None:
    """A quote's text equals the stored text exactly, with who said it and a dated source."""
    reply = await chat.ask("quote Irene Hong")
    assert reply.kind == ReplyKind.QUOTE
    block = reply.quotes[0]
    stored = chat.store.get(block.quote_id)
    assert isinstance(stored, Quote)
    assert block.text == stored.text
    assert block.speaker == "Irene Hong"
    assert block.role
    assert "CEC Capital" in block.attribution()
    assert block.source is not None
    assert block.source.date == "April 2025"


async def test_quote_about_a_topic_is_tagged_with_it(chat: Chat) -> None:
    """`quote about NewCo` returns a quote whose topics include the NewCo topic."""
    reply = await chat.ask("quote about NewCo")
    quote = chat.store.get(reply.quotes[0].quote_id)
    topics = {t for t in quote.topics} if isinstance(quote, Quote) else set()
    newco = {e.id for e in chat.store.lookup("NewCo")}
    assert topics & newco


async def test_repeated_asks_do_not_repeat_until_every_quote_was_seen(chat: Chat) -> None:
    """Asking `quote Dan Wang` again gives each of his whole quotes once before any comes back."""
    quotes = chat.store.quotes_of(person_id(chat.store, "Dan Wang"))
    total = len([q for q in quotes if len(q.text.split()) >= 8])  # fragments are not answers
    assert total >= 2
    seen = [(await chat.ask("quote Dan Wang")).quotes[0].quote_id for _ in range(total)]
    assert len(set(seen)) == total
    again = (await chat.ask("quote Dan Wang")).quotes[0].quote_id
    assert again == seen[0]  # the one seen longest ago comes back first


async def test_plain_quote_rotates_through_all_quotes(chat: Chat) -> None:
    """Plain `quote` gives a random quote; five asks give five different ones."""
    seen = {(await chat.ask("quote")).quotes[0].quote_id for _ in range(5)}
    assert len(seen) == 5


async def test_quote_memory_is_per_conversation(store: KnowledgeStore) -> None:
    """Two conversations each get fresh quotes: history is keyed by conversation."""
    import random

    ctx = AskContext(conversation_id="C1", rng=random.Random(1))
    first = answer("quote Cynthia Wang", store, ctx).quotes[0].quote_id
    ctx.conversation_id = "C2"
    ctx.rng = random.Random(1)
    assert answer("quote Cynthia Wang", store, ctx).quotes[0].quote_id == first


async def test_same_seed_same_quote(store: KnowledgeStore) -> None:
    """Randomness comes from ctx.rng: the same seed picks the same quote."""
    import random

    picks = {
        answer("quote", store, AskContext(rng=random.Random(42))).quotes[0].quote_id
        for _ in range(3)
    }
    assert len(picks) == 1


async def test_another_quote_button_reruns_the_same_query(chat: Chat) -> None:
    """The 'Another quote' button runs the same quote command and gives a different quote."""
    first = await chat.ask("quote Irene Hong")
    button = first.actions[0]
    assert button.command == "quote Irene Hong"
    second = await chat.ask(button.command)
    assert second.quotes[0].quote_id != first.quotes[0].quote_id


async def test_quote_unknown_subject_is_not_found(chat: Chat) -> None:
    """A subject nobody talked about gets NOT_FOUND, never an unrelated quote."""
    reply = await chat.ask("quote zzyzx qwv")
    assert reply.kind == ReplyKind.NOT_FOUND
    assert not reply.quotes


async def test_search_result_opens_that_exact_quote(chat: Chat) -> None:
    """A quote found by search opens itself, and 'Another quote' then moves on to the speaker."""
    results = await chat.ask("search monopoly")
    item = next(i for i in results.items if "monopoly" in i.title)
    assert item.action is not None
    reply = await chat.ask(item.action.command)
    assert reply.kind == ReplyKind.QUOTE
    assert "monopoly" in reply.quotes[0].text
    assert reply.actions[0].command.startswith("quote ")


async def test_share_reposts_the_same_quote(chat: Chat) -> None:
    """A random quote's command (what Share re-runs) gives back that very quote."""
    shown = await chat.ask("quote")
    assert shown.command is not None
    again = await chat.ask(shown.command)
    assert again.quotes[0].quote_id == shown.quotes[0].quote_id


class _Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _asker(store: KnowledgeStore, memory: InMemoryQuoteMemory) -> Callable[[str], str]:
    """Return `ask(conversation)`: the quote id `quote Cynthia Wang` gives there, picked with seed 1."""

    def ask(conversation: str) -> str:
        ctx = AskContext(conversation_id=conversation, quote_memory=memory, rng=random.Random(1))
        return answer("quote Cynthia Wang", store, ctx).quotes[0].quote_id

    return ask


async def test_quote_memory_forgets_the_conversation_idle_longest(store: KnowledgeStore) -> None:
    """Past `max_conversations`, the oldest conversation's quotes are forgotten; recent ones kept."""
    ask = _asker(store, InMemoryQuoteMemory(max_conversations=3))
    fresh = ask("C-fresh")  # what a conversation with no history gets
    first = {channel: ask(channel) for channel in ("C1", "C2")}  # C-fresh, C1, C2 are kept
    assert first == {"C1": fresh, "C2": fresh}
    ask("C3")  # a fourth: C-fresh, idle longest, is forgotten
    assert ask("C-fresh") == fresh  # asks as if new
    assert ask("C3") != fresh  # still remembers what it saw
    assert ask("C2") != fresh


async def test_quote_memory_forgets_a_conversation_idle_past_the_ttl(store: KnowledgeStore) -> None:
    """A conversation without a new quote for `ttl_seconds` gets quotes as if it were new."""
    clock = _Clock()
    ask = _asker(store, InMemoryQuoteMemory(ttl_seconds=60, timer=clock))
    fresh = ask("C1")
    clock.now = 59
    assert ask("C1") != fresh  # remembered, and that quote starts its time anew
    clock.now = 59 + 61
    assert ask("C1") == fresh


async def test_quote_memory_stays_bounded_with_many_channels(store: KnowledgeStore) -> None:
    """50,000 channels each asking once leave only `max_conversations` of them remembered."""
    memory = InMemoryQuoteMemory(max_conversations=1000)
    for index in range(50_000):
        memory.remember(f"C{index}", "some-quote")
    kept = [index for index in range(50_000) if memory.recent(f"C{index}")]
    assert kept == list(range(49_000, 50_000))


async def test_a_topics_quote_is_a_whole_statement_on_that_topic(chat: Chat) -> None:
    """`quote NewCo` gives a statement (8 words or more) tagged first with the NewCo topic."""
    from knowledge.models import Quote

    for _ in range(3):
        reply = await chat.ask("quote NewCo")
        shown = reply.quotes[0]
        assert len(shown.text.split()) >= 8
        quote = chat.store.get(shown.quote_id)
        assert isinstance(quote, Quote)
        assert quote.topics[0] == "newco"


async def test_fragments_are_not_standalone_answers(chat: Chat) -> None:
    """Dan Wang's three-word fragments are never the answer to `quote Dan Wang`."""
    for _ in range(6):
        reply = await chat.ask("quote Dan Wang")
        assert len(reply.quotes[0].text.split()) >= 8


async def test_attribution_names_role_and_organisation_once(chat: Chat) -> None:
    """Every quote's attribution names the organisation once, never 'X at CEC Capital, CEC Capital'."""
    from handlers.format import quote_block
    from knowledge.models import Organisation, Quote

    for quote in chat.store.all(Quote):
        line = quote_block(chat.store, quote).attribution()
        org = chat.store.get(quote.organisation or "")
        if isinstance(org, Organisation):
            assert line.count(org.name) <= 1, line
