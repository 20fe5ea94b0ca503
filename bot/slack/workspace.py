"""A Slack workspace as one opaque string: "T…", or "E…/T…" (and "E…/" for an org-wide install)."""

from __future__ import annotations

from dataclasses import dataclass

from slack_bolt.context.async_context import AsyncBoltContext


@dataclass(frozen=True)
class SlackWorkspace:
    """The ids slack_sdk's installation store finds a bot by."""

    enterprise_id: str | None
    team_id: str | None

    @property
    def is_enterprise_install(self) -> bool:
        return self.enterprise_id is not None and self.team_id is None

    def key(self) -> str:
        """Return the string kept with a subscription."""
        if self.enterprise_id:
            return f"{self.enterprise_id}/{self.team_id or ''}"
        return self.team_id or ""

    @classmethod
    def parse(cls, key: str) -> SlackWorkspace:
        """Read back a string made by `key()`."""
        enterprise, slash, team = key.partition("/")
        if not slash:
            return cls(None, key or None)
        return cls(enterprise or None, team or None)


def workspace_key(
    enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
) -> str | None:
    """Return the workspace string for a request's ids (Bolt's context), or None if there are none."""
    team = None if is_enterprise_install else team_id
    if not (enterprise_id or team):
        return None
    return SlackWorkspace(enterprise_id or None, team or None).key()


def workspace_of(context: AsyncBoltContext) -> str | None:
    """Return the workspace a request came from, as subscriptions record it."""
    return workspace_key(context.enterprise_id, context.team_id, context.is_enterprise_install)
