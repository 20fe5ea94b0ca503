"""The curation loop on Slack: 👍 / 👎, misses, Report outdated, proposals, the curators' Home."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import Table, select

from bot.app import build_app, build_deps
from bot.curation.tables import feedback, misses, proposals, reports
from bot.deps import Deps
from tests.fakes.http import serve
from tests.fakes.slack_api import TEAM_ID, FakeSlackApi
from tests.slack.slack_driver import SlackDriver, button_payload, make_settings

CURATOR, MEMBER, ASKER = "U0CURATOR", "U0MEMBER", "U0ASKER"
CURATORS_CHANNEL = "C0CURATORS"


@pytest.fixture
def deps(fake_slack: FakeSlackApi, tmp_path: Path) -> Deps:
    """Deps with a listed curator and a curators' channel."""
    settings = make_settings(
        fake_slack, tmp_path, curators=(CURATOR,), curators_channel=CURATORS_CHANNEL
    )
    return build_deps(settings)


@pytest.fixture
async def slack(fake_slack: FakeSlackApi, deps: Deps) -> AsyncIterator[SlackDriver]:
    """The bot on loopback with the curation settings."""
    async with serve(build_app(deps)) as url, aiohttp.ClientSession() as session:
        yield SlackDriver(url, fake_slack, session)


async def rows(deps: Deps, table: Table, count: int = 1) -> list[dict[str, Any]]:
    """Wait until `table` holds `count` rows (written in the background); return them."""
    for _ in range(100):
        with deps.engine.connect() as conn:
            found = [dict(r._mapping) for r in conn.execute(select(table)).all()]
        if len(found) >= count:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"{table.name} has {len(found)} rows, expected {count}")


async def answer_blocks(slack: SlackDriver, text: str) -> list[dict[str, Any]]:
    """Run `/chinabio text` and return the blocks of its answer."""
    response = await slack.command(text)
    body: dict[str, Any] = json.loads(await response.text())
    return list(body["blocks"])


def curation_button(blocks: list[dict[str, Any]], action_id: str) -> dict[str, Any]:
    """Return the curation button `action_id` from an answer's blocks."""
    for block in blocks:
        for element in block.get("elements", []):
            if element.get("action_id") == action_id:
                return dict(element)
    raise AssertionError(f"no {action_id} button")


def submission(view: dict[str, Any], values: dict[str, Any], user: str = ASKER) -> dict[str, Any]:
    """Return the view_submission Slack sends for `view` (as opened) filled with `values`."""
    state = {}
    for block_id, value in values.items():
        if isinstance(value, dict):
            state[block_id] = {"value": {"type": "static_select", "selected_option": value}}
        else:
            state[block_id] = {"value": {"type": "plain_text_input", "value": value}}
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "chinabio-test"},
        "user": {"id": user, "team_id": TEAM_ID},
        "api_app_id": "A0CHINABIO",
        "token": "legacy-verification-token",
        "trigger_id": "1337.42.abcd",
        "view": {
            "id": "V0FORM",
            "type": "modal",
            "callback_id": view["callback_id"],
            "private_metadata": view.get("private_metadata", ""),
            "state": {"values": state},
        },
    }


async def press(slack: SlackDriver, button: dict[str, Any], user: str = ASKER) -> None:
    """Press an answer's button as `user` in #general."""
    payload = button_payload(slack.fake, button["action_id"], button["value"], user=user)
    assert (await slack.action(payload)).status == 200


async def test_every_answer_offers_feedback_and_a_card_report_outdated(slack: SlackDriver) -> None:
    """A deal card has 👍, 👎 and Report outdated; help has no rating buttons."""
    blocks = await answer_blocks(slack, "deal Puhe")
    for action_id in ("chinabio_feedback_up", "chinabio_feedback_down", "chinabio_outdated"):
        curation_button(blocks, action_id)
    assert "chinabio_feedback" not in json.dumps(await answer_blocks(slack, "help"))


async def test_thumbs_up_is_stored_with_what_was_shown_and_where(
    slack: SlackDriver, deps: Deps
) -> None:
    """👍 stores question, kind, entity ids, knowledge version, platform, workspace, channel."""
    button = curation_button(await answer_blocks(slack, "deal Puhe"), "chinabio_feedback_up")
    await press(slack, button)
    (row,) = await rows(deps, feedback)
    assert row["verdict"] == "up"
    assert row["question"] == "deal Puhe"
    assert row["reply_kind"] == "deal"
    assert "bayer-puhe-prmt5" in row["entity_ids"]
    assert row["knowledge_version"] == deps.knowledge.store.version[:64]
    assert (row["platform"], row["workspace"], row["channel"]) == ("slack", TEAM_ID, "C0GENERAL")
    assert ASKER not in json.dumps(row, default=str)  # never who rated
    (thanks,) = await slack.fake.wait_for("response_url")
    assert thanks.args["response_type"] == "ephemeral"


async def test_thumbs_down_opens_a_form_and_stores_the_reason(
    slack: SlackDriver, deps: Deps
) -> None:
    """👎 opens the what-went-wrong modal; sending it stores the reason and the comment."""
    button = curation_button(await answer_blocks(slack, "deal Puhe"), "chinabio_feedback_down")
    await press(slack, button)
    (opened,) = await slack.fake.wait_for("views.open")
    view = opened.args["view"]
    assert view["callback_id"] == "chinabio_feedback"
    values = {"reason": {"value": "outdated"}, "comment": "The upfront changed in 2025."}
    response = await slack.action(submission(view, values))
    assert response.status == 200
    assert await response.text() == ""
    (row,) = await rows(deps, feedback)
    assert (row["verdict"], row["reason"]) == ("down", "outdated")
    assert row["comment"] == "The upfront changed in 2025."
    assert row["question"] == "deal Puhe"
    assert row["channel"] == "C0GENERAL"


async def test_thumbs_down_form_without_a_reason_stays_open(slack: SlackDriver) -> None:
    """A 👎 form sent without a reason is refused in the form."""
    view = {"callback_id": "chinabio_feedback", "private_metadata": "{}"}
    body = await (await slack.action(submission(view, {}))).json()
    assert body["response_action"] == "errors"
    assert "reason" in body["errors"]


async def test_report_outdated_is_stored_and_posted_to_the_curators(
    slack: SlackDriver, deps: Deps
) -> None:
    """Report outdated names the entity; sending it stores it, posts it to CURATORS_CHANNEL."""
    button = curation_button(await answer_blocks(slack, "deal Puhe"), "chinabio_outdated")
    await press(slack, button)
    (opened,) = await slack.fake.wait_for("views.open")
    view = opened.args["view"]
    assert "Bayer" in json.dumps(view["blocks"])  # the entities the card showed, by name
    values = {
        "entity": {"value": "bayer-puhe-prmt5"},
        "changed": "Bayer returned the rights.",
        "source": "https://example.com/news",
    }
    assert (await slack.action(submission(view, values))).status == 200
    (row,) = await rows(deps, reports)
    assert row["entity_id"] == "bayer-puhe-prmt5"
    assert row["what_changed"] == "Bayer returned the rights."
    assert row["source"] == "https://example.com/news"
    posts = await slack.fake.wait_for("chat.postMessage", count=2)
    channels = {post.args["channel"]: json.dumps(post.args["blocks"]) for post in posts}
    assert "Bayer returned the rights." in channels[CURATORS_CHANNEL]
    assert ASKER not in channels[CURATORS_CHANNEL]  # the reporter is not named
    assert "Report received" in channels[ASKER]


async def test_report_outdated_needs_what_changed_and_a_source(slack: SlackDriver) -> None:
    """An empty report is refused in the form, field by field."""
    view = {"callback_id": "chinabio_outdated", "private_metadata": "{}"}
    body = await (await slack.action(submission(view, {}))).json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {"changed", "source"}


async def test_misses_are_logged_once_a_day_per_text(slack: SlackDriver, deps: Deps) -> None:
    """A question that finds nothing is logged; the same text again the same day is counted."""
    await slack.command("company Zyxwv Therapeutics")
    (first,) = await rows(deps, misses)
    await slack.command("company  zyxwv therapeutics")
    await slack.command("deal Puhe")  # an answer: not a miss
    for _ in range(100):
        (row,) = await rows(deps, misses)
        if row["times"] == 2:
            break
        await asyncio.sleep(0.05)
    assert row["times"] == 2
    assert row["id"] == first["id"]
    assert row["reply_kind"] in {"not-found", "search"}
    assert row["question"] == "company Zyxwv Therapeutics"


async def open_proposal_form(slack: SlackDriver, kind: str) -> dict[str, Any]:
    """Type `propose KIND`, press its button; return the form Slack was asked to open."""
    blocks = await answer_blocks(slack, f"propose {kind}")
    await press(slack, curation_button(blocks, "chinabio_propose_open"))
    (opened,) = await slack.fake.wait_for("views.open")
    view: dict[str, Any] = opened.args["view"]
    return view


async def test_an_invalid_proposal_shows_its_problems_in_the_form(slack: SlackDriver) -> None:
    """A proposal citing an unknown source and a bad type is refused with errors by field."""
    view = await open_proposal_form(slack, "company")
    values = {
        "name": "Zyxwv Therapeutics",
        "type": {"value": "biotech"},
        "source": "no-such-source",
    }
    body = await (await slack.action(submission(view, values))).json()
    assert body["response_action"] == "errors"
    assert "no-such-source" in body["errors"]["source"]
    assert slack.fake.calls_to("chat.postMessage") == []


async def test_a_valid_proposal_reaches_the_curators_but_never_the_knowledge(
    slack: SlackDriver, deps: Deps
) -> None:
    """A valid proposal is posted as YAML to the curators; the served knowledge lacks it."""
    view = await open_proposal_form(slack, "company")
    values = {
        "name": "Zyxwv Therapeutics",
        "type": {"value": "biotech"},
        "location": "Suzhou",
        "source": "chinabio-thought-leadership-2025",
        "link": "https://example.com/zyxwv",
    }
    response = await slack.action(submission(view, values))
    assert response.status == 200
    assert await response.text() == ""
    posts = await slack.fake.wait_for("chat.postMessage", count=2)
    to_curators = next(p for p in posts if p.args["channel"] == CURATORS_CHANNEL)
    posted = json.dumps(to_curators.args["blocks"], ensure_ascii=False)
    assert "id: zyxwv-therapeutics" in posted
    assert "organisations:" in posted
    (row,) = await rows(deps, proposals)
    assert row["entity_id"] == "zyxwv-therapeutics"
    assert "zyxwv-therapeutics" not in deps.knowledge.store.entities
    blocks = await answer_blocks(slack, "company Zyxwv Therapeutics")
    assert "Suzhou" not in json.dumps(blocks)


async def test_the_propose_shortcut_asks_the_kind_then_shows_its_form(slack: SlackDriver) -> None:
    """The global shortcut opens a picker; choosing a kind replaces it with that kind's form."""
    shortcut = {
        "type": "shortcut",
        "callback_id": "chinabio_propose",
        "trigger_id": "1337.42.abcd",
        "team": {"id": TEAM_ID, "domain": "chinabio-test"},
        "user": {"id": ASKER, "team_id": TEAM_ID},
        "api_app_id": "A0CHINABIO",
        "token": "legacy-verification-token",
        "action_ts": "1700000000.000100",
    }
    assert (await slack.action(shortcut)).status == 200
    (opened,) = await slack.fake.wait_for("views.open")
    picker = opened.args["view"]
    body = await (await slack.action(submission(picker, {"kind": {"value": "quote"}}))).json()
    assert body["response_action"] == "update"
    fields = {block.get("block_id") for block in body["view"]["blocks"]}
    assert {"text", "speaker", "source"} <= fields


async def home_of(slack: SlackDriver, user: str) -> str:
    """Open the Home tab as `user`; return the published view as text."""
    event = {"type": "app_home_opened", "user": user, "channel": "D0DM", "tab": "home"}
    await slack.event(event)
    calls = await slack.fake.wait_for("views.publish")
    published = [c for c in calls if c.args["user_id"] == user][-1]
    return json.dumps(published.args["view"], ensure_ascii=False)


async def test_curators_see_the_week_on_their_home_tab_and_others_do_not(
    slack: SlackDriver, deps: Deps
) -> None:
    """A listed curator or a curators' channel member sees counts and reports; others do not."""
    button = curation_button(await answer_blocks(slack, "deal Puhe"), "chinabio_feedback_up")
    await press(slack, button)
    await rows(deps, feedback)
    slack.fake.channel_members[CURATORS_CHANNEL] = [MEMBER]
    listed = await home_of(slack, CURATOR)
    assert "Curation since" in listed
    assert "👍 / 👎" in listed
    assert "1 / 0" in listed
    slack.fake.calls.clear()
    assert "Curation since" in await home_of(slack, MEMBER)
    slack.fake.calls.clear()
    assert "Curation since" not in await home_of(slack, ASKER)
