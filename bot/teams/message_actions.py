"""The "Ask ChinaBio about this" message action: answered in a task module only its user sees.

Teams sends `composeExtension/fetchTask` when the action is picked on a message (the manifest
sets `fetchTask`), carrying the message in `messagePayload`; the answer's card comes back as the
task module. A button pressed inside that card comes back as `composeExtension/submitAction`
with the button's command, answered the same way; a submit without one answers the message again.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from microsoft_agents.activity import Activity, ActivityTypes, InvokeResponse
from microsoft_agents.hosting.core import AgentApplication, TurnContext, TurnState

from bot.asking import Asker, Question
from bot.teams.activities import button_command, clean_text, message_payload_text, user_id_of
from bot.teams.conversations import conversation_key
from bot.teams.render import CARD_CONTENT_TYPE, RUN_KEY, render_card
from handlers.reply import Reply

FETCH_TASK_INVOKE = "composeExtension/fetchTask"
SUBMIT_ACTION_INVOKE = "composeExtension/submitAction"
#: The command id in deploy/teams/manifest.json.
COMMAND_ID = "askAboutMessage"
TASK_TITLE = "ChinaBio"


def task_response(reply: Reply) -> Activity:
    """Return the invoke answer that shows `reply`'s card in a task module."""
    body: dict[str, Any] = {
        "task": {
            "type": "continue",
            "value": {
                "title": TASK_TITLE,
                "width": "large",
                "height": "large",
                "card": {"contentType": CARD_CONTENT_TYPE, "content": render_card(reply)},
            },
        }
    }
    return Activity(
        type=ActivityTypes.invoke_response,
        value=InvokeResponse(status=HTTPStatus.OK, body=body),
    )


def _pressed(activity: Activity) -> str | None:
    """Return the command of a card button pressed inside the task module, if any."""
    value: Any = activity.value
    data = value.get("data") if isinstance(value, dict) else None
    if isinstance(data, dict) and isinstance(data.get(RUN_KEY), str):
        return clean_text(data[RUN_KEY])
    return button_command(activity)


def register(agent_app: AgentApplication[TurnState], asker: Asker) -> None:
    """Attach the message action's invokes to the SDK's AgentApplication."""

    async def answer(context: TurnContext, _state: TurnState) -> None:
        activity = context.activity
        command = _pressed(activity) if activity.name == SUBMIT_ACTION_INVOKE else None
        if command:
            reply = await asker.ask(
                Question(
                    command,
                    user_id=user_id_of(activity),
                    conversation_id=conversation_key(activity.conversation.id),
                )
            )
        else:
            reply = asker.ask_about(message_payload_text(activity))
        await context.send_activity(task_response(reply))

    agent_app.invoke(FETCH_TASK_INVOKE)(answer)
    agent_app.invoke(SUBMIT_ACTION_INVOKE)(answer)
