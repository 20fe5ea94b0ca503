"""Numbers a user types (page:, year:, digest times) are ASCII digits, a few of them, or a clear message."""

from __future__ import annotations

import pytest

from handlers import ReplyKind
from tests.chat_helpers import Chat
from tests.handlers.memory_book import MemoryBook

APOLOGY = "something went wrong"


@pytest.mark.parametrize(
    "text",
    [
        "deals page:²",  # superscript two: isdigit() says yes, int() says no
        "events page:¹",
        "stats page:٣",  # Arabic-Indic three: int() would read it
        "search PRMT5 page:３",  # fullwidth three
        "trends page:0",
        "deals page:99999999999999999999",
        "deals page:abc",
    ],
)
async def test_a_bad_page_number_says_how_to_write_one(chat: Chat, text: str) -> None:
    """page: with a non-ASCII, zero, huge or non-numeric value gets a message naming page:, not an apology."""
    reply = await chat.ask(text)

    assert APOLOGY not in reply.title.casefold()
    assert reply.kind is ReplyKind.NOT_FOUND
    assert "page: needs a whole number from 1 to 9999" in (reply.text or "")


@pytest.mark.parametrize("year", ["²⁰²⁴", "２０２４", "٢٠٢٤", "20245", "0999", "year"])
async def test_a_bad_year_filter_says_how_to_write_one(chat: Chat, year: str) -> None:
    """year: accepts only four ASCII digits; anything else is explained."""
    reply = await chat.ask(f"deals year:{year}")

    assert APOLOGY not in reply.title.casefold()
    assert reply.title == "I couldn't read that filter"
    assert "year:" in (reply.text or "")
    assert "like year:2024" in (reply.text or "")


async def test_plain_digits_still_page_and_filter(chat: Chat) -> None:
    """ASCII page: and year: values work as before."""
    second = await chat.ask("deals page:2")
    in_2024 = await chat.ask("deals year:2024")

    assert second.kind is ReplyKind.DEAL_LIST
    assert "Page 2 of" in (second.text or "")
    assert in_2024.kind is ReplyKind.DEAL_LIST
    assert in_2024.title.startswith("Deals in 2024")


@pytest.mark.parametrize("when", ["٠٨:٣٠", "０８:３０", "²:30", "8:³⁰", "008:30"])
async def test_a_digest_time_in_other_digits_is_not_a_time(chat: Chat, when: str) -> None:
    """`subscribe tue 08:30` needs ASCII digits; others are refused with the HH:MM hint and nothing is saved."""
    book = MemoryBook()
    chat.ctx.subscriptions = book

    reply = await chat.ask(f"subscribe weekly tue {when}")

    assert reply.title == "Subscription not changed"
    assert "is not a time: write HH:MM" in (reply.text or "")
    assert book.subscriptions == {}


async def test_a_digest_time_in_ascii_digits_is_saved(chat: Chat) -> None:
    """`subscribe weekly tue 8:30pm` stores Tuesday 20:30."""
    book = MemoryBook()
    chat.ctx.subscriptions = book

    reply = await chat.ask("subscribe weekly tue 8:30pm UTC")

    assert reply.kind is ReplyKind.SUBSCRIPTION
    [saved] = book.subscriptions.values()
    assert (saved.schedule.weekday, saved.schedule.hour, saved.schedule.minute) == (1, 20, 30)
