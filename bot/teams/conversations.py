"""Remember and forget the conversations the bot can post to (kept in the database)."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections import OrderedDict

from microsoft_agents.activity import Activity, ConversationReference
from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.teams.tables import teams_conversations

log = logging.getLogger(__name__)

THREAD_MARKER = ";messageid="


def conversation_key(conversation_id: str) -> str:
    """Return the conversation a message belongs to: a channel thread's reply id is dropped."""
    return conversation_id.split(THREAD_MARKER, 1)[0]


def team_id_of(activity: Activity) -> str | None:
    """Return the id of the team an activity comes from, if it comes from a team."""
    data = activity.channel_data
    team = data.get("team") if isinstance(data, dict) else getattr(data, "team", None)
    if isinstance(team, dict):
        return team.get("id") or None
    return getattr(team, "id", None) or None


def reference_for(activity: Activity) -> ConversationReference:
    """Return the reference to post new messages (not replies) into the activity's conversation."""
    reference = activity.get_conversation_reference()
    conversation = reference.conversation.model_copy(
        update={"id": conversation_key(reference.conversation.id)}
    )
    return reference.model_copy(
        update={"activity_id": None, "request_id": None, "conversation": conversation}
    )


def _personal_user(reference: ConversationReference) -> str | None:
    if reference.conversation.conversation_type != "personal" or reference.user is None:
        return None
    return reference.user.aad_object_id or reference.user.id or None


class ConversationStore:
    """The `teams_conversations` table, seen as a map from conversation id to reference."""

    def __init__(
        self, engine: Engine, refresh_after: float = 600.0, cache_size: int = 10_000
    ) -> None:
        self._engine = engine
        self._refresh_after = refresh_after
        self._cache_size = cache_size
        # conversation id -> (reference JSON, when this process stored it): skips rewriting an
        # unchanged reference on every message.
        self._written: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._lock = threading.Lock()

    def remember(self, activity: Activity, *, force: bool = False) -> str:
        """Store (or refresh) the reference of the activity's conversation; return its id."""
        reference = reference_for(activity)
        conversation = reference.conversation
        key = conversation.id
        serialised = reference.model_dump_json(by_alias=True, exclude_none=True)
        with self._lock:
            known = self._written.get(key)
        now = time.monotonic()
        if not force and known and known[0] == serialised and now - known[1] < self._refresh_after:
            return key
        row: dict[str, object] = {
            "service_url": reference.service_url or "",
            "conversation_type": conversation.conversation_type,
            "tenant_id": conversation.tenant_id,
            "team_id": team_id_of(activity),
            "personal_user_id": _personal_user(reference),
            "reference": serialised,
            "updated_at": dt.datetime.now(dt.UTC),
        }
        self._upsert(key, row)
        with self._lock:
            self._written[key] = (serialised, now)
            self._written.move_to_end(key)
            while len(self._written) > self._cache_size:
                self._written.popitem(last=False)
        return key

    def _upsert(self, key: str, row: dict[str, object]) -> None:
        table = teams_conversations
        with self._engine.begin() as conn:
            changed = conn.execute(
                update(table).where(table.c.conversation_id == key).values(**row)
            ).rowcount
            if changed:
                return
        try:
            with self._engine.begin() as conn:
                conn.execute(insert(table).values(conversation_id=key, **row))
        except IntegrityError:  # another replica stored it first: refresh theirs
            with self._engine.begin() as conn:
                conn.execute(update(table).where(table.c.conversation_id == key).values(**row))

    def get(self, conversation_id: str) -> ConversationReference | None:
        """Return the stored reference of a conversation, or None."""
        table = teams_conversations
        with self._engine.connect() as conn:
            raw = conn.execute(
                select(table.c.reference).where(
                    table.c.conversation_id == conversation_key(conversation_id)
                )
            ).scalar_one_or_none()
        return ConversationReference.model_validate_json(raw) if raw else None

    def personal_chat_of(self, user_id: str) -> ConversationReference | None:
        """Return the reference of the user's 1:1 chat with the bot, if they have one."""
        table = teams_conversations
        with self._engine.connect() as conn:
            raw = conn.execute(
                select(table.c.reference)
                .where(table.c.personal_user_id == user_id)
                .order_by(table.c.updated_at.desc())
                .limit(1)
            ).scalar_one_or_none()
        return ConversationReference.model_validate_json(raw) if raw else None

    def forget(self, conversation_id: str) -> bool:
        """Forget a conversation; return False if it was not known."""
        key = conversation_key(conversation_id)
        with self._lock:
            self._written.pop(key, None)
        table = teams_conversations
        with self._engine.begin() as conn:
            gone = conn.execute(delete(table).where(table.c.conversation_id == key)).rowcount
        return bool(gone)

    def forget_team(self, team_id: str) -> list[str]:
        """Forget every conversation of a team (the bot left it); return their ids."""
        table = teams_conversations
        with self._engine.begin() as conn:
            ids = list(
                conn.execute(
                    select(table.c.conversation_id).where(table.c.team_id == team_id)
                ).scalars()
            )
            conn.execute(delete(table).where(table.c.team_id == team_id))
        with self._lock:
            for key in ids:
                self._written.pop(key, None)
        return ids
