"""Acknowledgements for listeners whose real work runs in a lazy listener after the ack."""

from __future__ import annotations

from slack_bolt.async_app import AsyncAck


async def ack_now(ack: AsyncAck) -> None:
    """Acknowledge at once (Slack wants an answer within 3 seconds)."""
    await ack()
