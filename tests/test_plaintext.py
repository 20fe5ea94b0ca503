"""The plain-text renderer used by the console and `chinabio ask --format text`."""

from __future__ import annotations

from bot.plaintext import render_text
from handlers import Reply, ReplyKind
from handlers.reply import Action, ActionKind, ListItem, QuoteBlock, SourceCitation
from tests.chat_helpers import Chat


async def test_deal_card_as_text(chat: Chat) -> None:
    """The deal card prints its title, facts and dated source."""
    text = await chat.text("deal Puhe")
    assert text.splitlines()[0].startswith("Bayer")
    assert "Target:" in text
    assert "PRMT5" in text
    assert "Source: " in text
    assert "April 2025" in text


def test_buttons_print_the_command_to_type() -> None:
    """RUN buttons and list actions show the /chinabio command to type in the terminal."""
    reply = Reply(
        kind=ReplyKind.DEAL_LIST,
        title="Deals",
        items=[
            ListItem(title="A", action=Action(kind=ActionKind.RUN, label="Open", command="deal a"))
        ],
        more=Action(kind=ActionKind.RUN, label="More", command="deals page:2"),
    )
    text = render_text(reply)
    assert "→ /chinabio deal a" in text
    assert "[More: /chinabio deals page:2]" in text


def test_quote_shows_attribution_and_its_own_source() -> None:
    """A quote prints verbatim with speaker, role and organisation, plus its source."""
    source = SourceCitation(title="Report", date="April 2025")
    reply = Reply(
        kind=ReplyKind.QUOTE,
        title="Quote",
        quotes=[
            QuoteBlock(
                quote_id="q",
                text="Don't rush it.",
                speaker="Irene Hong",
                role="Founding Partner",
                organisation="CEC Capital",
                source=source,
            )
        ],
    )
    text = render_text(reply)
    assert "“Don't rush it.”" in text
    assert "— Irene Hong, Founding Partner, CEC Capital" in text
    assert "(Report, April 2025)" in text
