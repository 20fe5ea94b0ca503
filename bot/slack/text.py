"""Turn what Slack delivers (mrkdwn with <@U…>, <url|label>, &amp;) into the plain text handlers read."""

from __future__ import annotations

import html
import re

_LEADING_MENTION = re.compile(r"^\s*<@[A-Z0-9]+(?:\|[^>]*)?>[\s:,]*")
_ANGLE = re.compile(r"<([^<>]*)>")


def _plain_angle(match: re.Match[str]) -> str:
    inner = match.group(1)
    target, _, label = inner.partition("|")
    if label:
        return label
    if target.startswith(("@", "#")):
        return target
    if target.startswith("!"):  # <!channel>, <!here>: as typed, "@channel"
        return "@" + target[1:].split("^")[0]
    return target.removeprefix("mailto:")


def plain_text(slack_text: str) -> str:
    """Return Slack text as a person typed it: links and mentions as their labels, entities decoded."""
    return html.unescape(_ANGLE.sub(_plain_angle, slack_text)).strip()


def without_leading_mention(slack_text: str) -> str:
    """Drop the `<@BOT>` that starts a mention, so `@chinabio deal Puhe` reads `deal Puhe`."""
    return _LEADING_MENTION.sub("", slack_text, count=1)
