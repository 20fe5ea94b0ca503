"""Wrap rendered cards into Bot Framework activities."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    AdaptiveCardInvokeResponse,
    Attachment,
    InvokeResponse,
)

from bot.teams.render import CARD_CONTENT_TYPE, render_card, render_cards
from handlers.reply import Reply

ERROR_TEXT = "Sorry, something went wrong while answering. Please try again in a moment."


def card_activity(card: dict[str, Any], summary: str) -> Activity:
    """Return a message activity carrying one Adaptive Card (its fallbackText is the plain text)."""
    return Activity(
        type=ActivityTypes.message,
        summary=summary[:200],
        attachments=[Attachment(content_type=CARD_CONTENT_TYPE, content=card)],
    )


def reply_activities(reply: Reply) -> list[Activity]:
    """Return the messages that carry a reply (several when it is too long for one)."""
    return [card_activity(card, reply.title) for card in render_cards(reply)]


def card_invoke_response(reply: Reply, card: dict[str, Any] | None = None) -> Activity:
    """Return the answer to an `adaptiveCard/action` invoke: the reply's card replaces the old one."""
    body = AdaptiveCardInvokeResponse(
        status_code=HTTPStatus.OK, type=CARD_CONTENT_TYPE, value=card or render_card(reply)
    )
    return _invoke_response(body)


def error_invoke_response() -> Activity:
    """Return an invoke answer telling Teams the button failed."""
    body = AdaptiveCardInvokeResponse(
        status_code=HTTPStatus.INTERNAL_SERVER_ERROR,
        type="application/vnd.microsoft.error",
        value={"code": "InternalError", "message": ERROR_TEXT},
    )
    return _invoke_response(body)


def _invoke_response(body: AdaptiveCardInvokeResponse) -> Activity:
    return Activity(
        type=ActivityTypes.invoke_response,
        value=InvokeResponse(
            status=HTTPStatus.OK,
            body=body.model_dump(mode="json", by_alias=True, exclude_none=True),
        ),
    )
