"""Build the digest service from the shared deps and the platforms' senders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from bot.deps import Deps
from bot.digest.alerts import AlertDelivery
from bot.digest.delivery import DigestDelivery
from bot.digest.follow_lead import FollowLead
from bot.digest.leader import make_leader_lock
from bot.digest.schedule import Clock, utc_now
from bot.digest.scheduler import DigestRuntime
from bot.digest.sender import Sender
from handlers.digest import LeadProvider


def digest_lead(deps: Deps) -> LeadProvider | None:
    """Return what puts "what you follow" on top of digests (channels with `alerts in digest`)."""
    return FollowLead(deps.engine)


def build_delivery(
    deps: Deps, senders: Mapping[str, Sender], clock: Clock = utc_now
) -> DigestDelivery:
    """Return the delivery engine over the deps' database and knowledge."""
    return DigestDelivery(
        deps.engine,
        lambda: deps.knowledge.store,
        senders,
        clock=clock,
        grace=dt.timedelta(hours=deps.settings.digest_grace_hours),
        lead=digest_lead(deps),
    )


def build_runtime(deps: Deps, senders: Mapping[str, Sender]) -> DigestRuntime:
    """Return a digest runtime (not started) for these deps, sending knowledge alerts too."""
    runtime = DigestRuntime(build_delivery(deps, senders), make_leader_lock(deps.engine))
    runtime.after_tick.append(AlertDelivery(runtime.delivery).run_once)
    return runtime


async def close_senders(senders: Mapping[str, Sender]) -> None:
    """Close the HTTP sessions senders hold."""
    for sender in senders.values():
        await sender.aclose()
