"""Answer a verified `/chinabio` slash command in our own handler, without Bolt's dispatch.

Why: a slash command is the bot's busiest request, and Bolt spent about a third of the CPU of
answering one on work a command does not need (its request and context objects, the middleware
chain, listener matching and kwargs injection, the stdlib JSON of the ack): with it the bot
answered at 0.74× a bare Bolt app's throughput, under the owner's standard of 1.3× (bench/README.md
"Slack"). What Bolt did for a `/chinabio` command is done here, the same way:

- the caller has verified the signature first (bot/slack/verify.py), as for every request;
- the body is parsed by Bolt's own parser and checked by the same payload shapes (400 if bad);
- Bolt's SSL check requests, other commands and everything that is not a slash command
  (events, buttons, views, shortcuts) return None here and go through Bolt as before;
- commands that upload files after the ack (`export`, `calendar file`) go through Bolt, whose
  lazy listener uploads them;
- single-workspace only: with OAuth, Bolt looks each workspace's installation up, so commands
  keep going through Bolt there;
- the workspace is read from the body with Bolt's extractors, as the listener's context had it;
- the answer is the listener's (bot/slack/listeners/commands/chinabio.py): the same Asker (the
  database never on the loop, bounded inside the ack window), the same rendering, and a failure
  gets the error handler's apology with an error id (bot/slack/errors.py).
"""

from __future__ import annotations

import logging
from typing import Any

import msgspec
from aiohttp import web
from slack_bolt.request.internals import (
    extract_enterprise_id,
    extract_is_enterprise_install,
    extract_team_id,
)

from bot.asking import Asker, Question
from bot.slack.authorize import BotTokenAuthorize
from bot.slack.errors import apology, log_failure
from bot.slack.listeners.commands.chinabio import COMMAND
from bot.slack.payloads import parse_payload
from bot.slack.render import Audience, render_message
from bot.slack.text import plain_text
from bot.slack.workspace import workspace_key
from handlers.calendar import is_calendar_file
from handlers.commands.comps import is_export

log = logging.getLogger(__name__)

_ENCODE = msgspec.json.Encoder().encode


class DirectCommands:
    """Answer `/chinabio` commands for one single-workspace app; leave anything else to Bolt."""

    def __init__(self, asker: Asker, authorize: BotTokenAuthorize) -> None:
        self.asker = asker
        self.authorize = authorize

    async def answer(self, text: str, content_type: str | None) -> web.Response | None:
        """Return the ack answering the verified body `text`, or None when it is not for us.

        Raise MalformedPayload for a form body Bolt would refuse too.
        """
        # Bolt reads JSON by the header or a leading "{"; commands come as forms with "command=".
        if content_type == "application/json" or text.startswith("{") or "command=" not in text:
            return None
        body = parse_payload(text, content_type)
        if body.get("command") != COMMAND or "ssl_check" in body:
            return None
        asked = plain_text(body.get("text") or "")
        if is_export(asked) or is_calendar_file(asked):
            return None  # files are uploaded after the ack by the Bolt listener's lazy part
        self.authorize.learn_ids()  # as Bolt's authorization did on each request
        try:
            payload = await self._reply(body)
        except Exception as error:  # the error handler's apology, as through Bolt
            payload = {"response_type": "ephemeral", "text": apology(log_failure(error, body))}
        return web.Response(body=_ENCODE(payload), content_type="application/json")  # as Bolt's

    async def _reply(self, command: dict[str, Any]) -> dict[str, Any]:
        """Return the ack's JSON for a /chinabio command: the answer, visible only to the asker."""
        reply = await self.asker.ask(
            Question(
                plain_text(command.get("text") or ""),
                user_id=command["user_id"],
                conversation_id=command["channel_id"],
                workspace=workspace_key(
                    extract_enterprise_id(command),
                    extract_team_id(command),
                    extract_is_enterprise_install(command),
                ),
            )
        )
        message = render_message(reply, Audience.PRIVATE)
        # Bolt's ack(response_type=…, text=…, blocks=…) body, key for key.
        payload: dict[str, Any] = {"text": message["text"], "response_type": "ephemeral"}
        if message["blocks"]:
            payload["blocks"] = message["blocks"]
        return payload
