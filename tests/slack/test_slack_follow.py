"""Follow in Slack: signed slash commands, the Follow button on cards, a DM's own follows."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import aiohttp

from bot.app import build_app, build_deps, digest_senders
from bot.deps import Deps
from bot.digest.service import build_runtime, close_senders
from tests.fakes.http import serve
from tests.fakes.slack_api import FakeSlackApi
from tests.slack.slack_driver import KNOWLEDGE, SlackDriver, button_payload, dm, make_settings


async def test_follow_unfollow_and_following_through_slash_commands(
    slack: SlackDriver, deps: Deps
) -> None:
    """`/chinabio follow …` stores the channel's follow; `following` lists it; `unfollow` removes it."""
    body = await (await slack.command("follow company Bayer", channel="C0DEALS")).json()
    assert "Following company Bayer" in json.dumps(body)
    await slack.command("follow topic Antibody-drug conjugates", channel="C0DEALS")
    listed = json.dumps(await (await slack.command("following", channel="C0DEALS")).json())
    assert "This conversation follows 2 things" in listed
    assert "unfollow company bayer" in listed  # each line has its Unfollow button
    assert deps.follows is not None
    assert [f.label for f in deps.follows.following("slack", "C0GENERAL")] == []

    gone = json.dumps(await (await slack.command("unfollow Bayer", channel="C0DEALS")).json())
    assert "Stopped following company Bayer" in gone
    assert [f.key for f in deps.follows.following("slack", "C0DEALS")] == [
        "antibody-drug-conjugates"
    ]


async def test_following_something_the_knowledge_lacks_says_so(slack: SlackDriver) -> None:
    """An unknown name gets an honest "not in the knowledge", with a 200 and no follow stored."""
    response = await slack.command("follow company Qwertyuiop Pharma")
    assert response.status == 200
    text = json.dumps(await response.json())
    assert "in the knowledge" in text
    listed = json.dumps(await (await slack.command("following")).json())
    assert "follows nothing yet" in listed


async def test_alerts_choice_through_a_slash_command(slack: SlackDriver, deps: Deps) -> None:
    """`/chinabio alerts in digest` is stored for the channel; a wrong word gets the choices."""
    body = json.dumps(await (await slack.command("alerts in digest")).json())
    assert "Alerts: in digest" in body
    assert deps.follows is not None
    assert deps.follows.alert_mode("slack", "C0GENERAL") == "in digest"
    wrong = json.dumps(await (await slack.command("alerts sometimes")).json())
    assert "instant, in digest, off" in wrong
    assert deps.follows.alert_mode("slack", "C0GENERAL") == "in digest"


async def test_deal_card_has_a_follow_button_that_follows_in_the_channel(
    slack: SlackDriver, deps: Deps
) -> None:
    """The deal card offers Follow; clicking it (block_actions) follows the deal in that channel."""
    card = json.dumps(await (await slack.command("deal Puhe")).json())
    assert '"value": "follow deal bayer-puhe-prmt5"' in card
    company = json.dumps(await (await slack.command("company Bayer")).json())
    assert '"value": "follow company bayer"' in company

    await slack.action(
        button_payload(slack.fake, "chinabio_run_1", "follow deal bayer-puhe-prmt5", channel="C0X")
    )
    (answer,) = await slack.fake.wait_for("response_url")
    assert answer.args["response_type"] == "ephemeral"
    assert "Following deal" in json.dumps(answer.args["blocks"])
    assert deps.follows is not None
    assert [f.key for f in deps.follows.following("slack", "C0X")] == ["bayer-puhe-prmt5"]


async def test_a_dm_follows_for_its_user(slack: SlackDriver, deps: Deps) -> None:
    """`follow …` in the bot's DM is that user's own list, apart from any channel's."""
    await slack.event(dm("follow company Bayer"))
    (post,) = await slack.fake.wait_for("chat.postMessage")
    assert post.args["channel"] == "D0DM"
    assert "Following company Bayer" in json.dumps(post.args["blocks"])
    assert deps.follows is not None
    assert [f.key for f in deps.follows.following("slack", "D0DM")] == ["bayer"]
    assert deps.follows.following("slack", "C0GENERAL") == []


async def test_follow_then_an_edit_posts_one_alert_to_the_channel(
    fake_slack: FakeSlackApi, tmp_path: Path
) -> None:
    """Follow by slash command; a curator's edit reloaded; the leader's ticks post one alert there."""
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, folder)
    deps = build_deps(make_settings(fake_slack, tmp_path, knowledge_dir=str(folder)))
    async with serve(build_app(deps)) as url, aiohttp.ClientSession() as session:
        slack = SlackDriver(url, fake_slack, session)
        await slack.command("follow company Bayer", channel="C0DEALS")
        await slack.command("follow company Puhe", channel="C0OTHER")
        await slack.command("alerts off", channel="C0OTHER")
        runtime = build_runtime(deps, digest_senders(deps))
        await runtime.tick()  # records the version served at start
        path = folder / "chinabio-report.yaml"
        old = "    summary: Bayer obtained global rights"
        path.write_text(path.read_text().replace(old, "    status: active\n" + old, 1))
        assert deps.knowledge.reload().ok
        await runtime.tick()
        await runtime.tick()
        await close_senders(runtime.delivery.senders)
    deps.engine.dispose()
    [post] = fake_slack.calls_to("chat.postMessage")
    assert post.args["channel"] == "C0DEALS"
    posted = json.dumps(post.args["blocks"])
    assert "Knowledge update" in posted
    assert "status" in posted
    assert post.headers["Authorization"] == "Bearer xoxb-test-bot-token"
