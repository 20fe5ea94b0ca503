"""Fuzz: any text after any command word gets an answer, never an exception or an apology."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.plaintext import render_text
from handlers import AskContext, answer
from handlers.dispatch import COMMANDS
from handlers.parse import BadNumber, read_number
from handlers.subscriptions import SUBSCRIPTION_WORDS
from knowledge import KnowledgeStore
from tests.fuzzing import fuzz_settings
from tests.handlers.memory_book import MemoryBook

APOLOGY = "something went wrong"
COMMAND_WORDS = sorted({*COMMANDS, *SUBSCRIPTION_WORDS, "more", "help?", "?"})
FILTER_KEYS = ["page", "year", "partner", "party", "company", "modality", "type", "topic", "area"]
FILTER_KEYS += ["topics", "PAGE", "Year", "tz", "x"]
PREFIXES = ["", "<@U0BOT> ", "<@U0BOT|chinabio> ", "@chinabio ", "/chinabio ", "chinabio: "]
SPACES = [" ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u2003", "\u200b", "\u3000", "\x0b", "\x1c"]

any_char = st.characters(exclude_categories=())  # every code point, lone surrogates included
# Digits that are not 0-9: superscripts and circled digits pass str.isdigit() yet int() refuses
# them; Arabic-Indic, Devanagari and fullwidth digits int() reads; Roman numerals and fractions.
odd_digit = st.sampled_from("⁰¹²³⁴⁹①⑨٣३३𝟾Ⅻ½") | st.characters(
    categories=["Nd", "No", "Nl"], exclude_characters="0123456789"
)
digits = st.text(odd_digit | st.sampled_from("0123456789"), min_size=1, max_size=12)
numberish = st.one_of(
    odd_digit,
    digits,  # ASCII and other digits mixed: "2٠2⁴"
    st.from_regex(r"[0-9]{1,30}", fullmatch=True),
    st.integers(-(10**6), 10**6).map(str),
    st.builds("{}:{}".format, digits, digits),  # digest times, in any digits
    st.sampled_from(["08:30", "8am", "8:30pm", "17h00", "24:00", "²", "٣", "３", "Ⅻ", "½", "1e9"]),
)
controls = st.text(st.characters(categories=["Cc", "Cf", "Zl", "Zp"]), min_size=1, max_size=5)
word = st.one_of(
    st.text(any_char, min_size=1, max_size=12),
    st.sampled_from(["Bayer", "Puhe", "ADC", "J&amp;J", "mon", "tue", "weekly", "Europe/Paris"]),
    st.sampled_from(["<!channel>", "<@U1>", "<at>ChinaBio</at>", "&lt;", "'; --", "%s{0}"]),
    numberish,
    controls,
)
number_filter = st.builds("{}:{}".format, st.sampled_from(["page", "year", "Page"]), numberish)
token = st.one_of(word, st.builds("{}:{}".format, st.sampled_from(FILTER_KEYS), word))
long_token = st.builds(lambda t, n: t * n, word, st.integers(50, 600))


@st.composite
def command_texts(draw: st.DrawFn) -> str:
    """Return a command word with random arguments, filters, spacing and length."""
    text = draw(st.sampled_from(PREFIXES)) + draw(st.sampled_from(COMMAND_WORDS))
    parts = draw(st.lists(token | long_token if draw(st.booleans()) else token, max_size=8))
    if draw(st.booleans()):  # half the commands carry a page: or year: in some digits
        parts.insert(draw(st.integers(0, len(parts))), draw(number_filter))
    for part in parts:
        text += draw(st.sampled_from(SPACES)) + part
    return text


class Shipped:
    """The shipped knowledge, with a short repr for Hypothesis's failure report."""

    def __init__(self, store: KnowledgeStore) -> None:
        self.store = store

    def __repr__(self) -> str:
        return "<the shipped knowledge>"


@pytest.fixture(scope="module")
def shipped(store: KnowledgeStore) -> Shipped:
    """The session's knowledge store, wrapped for short failure reports."""
    return Shipped(store)


zones = st.one_of(st.none(), st.sampled_from(["Europe/Paris", "UTC", "Asia/Shanghai"]), word)


@fuzz_settings(250)
@given(text=command_texts(), mention=st.booleans(), user_tz=zones)
def test_any_command_text_gets_an_answer(
    shipped: Shipped, text: str, mention: bool, user_tz: str | None
) -> None:
    """Every command word with random arguments gets a reply that is not an apology and renders."""
    ctx = AskContext(
        platform="test",
        user_id="U-fuzz",
        conversation_id="C-fuzz",
        is_mention=mention,
        subscriptions=MemoryBook(),
        user_tz=user_tz,
        rng=random.Random(0),
    )

    reply = answer(text, shipped.store, ctx)

    assert APOLOGY not in reply.title.casefold(), (text, reply.text)
    assert len(reply.title) <= 200
    assert len(reply.text or "") < 3000
    render_text(reply)


@fuzz_settings(200)
@given(text=st.one_of(numberish, st.text(any_char, max_size=30)))
def test_read_number_accepts_only_bounded_ascii_digits(text: str) -> None:
    """read_number returns a number in range spelled in ASCII digits, or raises BadNumber."""
    try:
        value = read_number(text, "page:", low=1, high=9999, example="page:2")
    except BadNumber as exc:
        message = str(exc)
    else:
        assert 1 <= value <= 9999
        assert text.strip().isascii()
        assert text.strip().isdigit()
        return
    assert "page:" in message
    assert len(message) < 200
