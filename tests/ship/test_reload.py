"""Live knowledge reload: good edits are served, bad ones refused with file:line, SIGHUP works."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from watchfiles import Change

from bot.app import build_app, build_deps
from bot.reload import KnowledgeReloader, attach_knowledge_reload, is_knowledge_file
from bot.settings import Settings
from knowledge.reload import KnowledgeHolder

NEW_TOPIC = """\
topics:
  - id: newco-model
    name: NewCo model
    aliases: [NewCo]
    sources:
      - source: ops-test-report
"""
#: nine nested YAML aliases repeating 10^9 nodes; line 5 is where they pass the budget
ALIAS_BOMB = Path(__file__).resolve().parents[1] / "knowledge" / "fixtures" / "alias-bomb.yaml"
# Line 3 lacks the required `name` and `sources`: the loader must point at this file.
BAD_TOPIC = """\
topics:
  - id: broken-topic
    description: no name, no sources
"""


async def _wait_for(predicate: object, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():  # type: ignore[operator]
        if asyncio.get_running_loop().time() > deadline:
            pytest.fail("timed out waiting for the reload")
        await asyncio.sleep(0.05)


@pytest.fixture
async def served(
    knowledge_dir: Path, tmp_path: Path
) -> AsyncIterator[tuple[TestClient, KnowledgeReloader]]:
    """An in-process app watching a writable knowledge folder."""
    settings = Settings.from_env(
        {"KNOWLEDGE_DIR": str(knowledge_dir), "DATA_DIR": str(tmp_path / "data")}, dotenv=None
    )
    deps = build_deps(settings)
    app = build_app(deps)
    reloader = KnowledgeReloader(
        deps.knowledge, quiet_ms=100, max_wait_ms=500, relink_check_ms=200, retry_seconds=0.5
    )
    attach_knowledge_reload(app, reloader)
    async with TestClient(TestServer(app)) as client:
        await _wait_for(lambda: reloader.status()["watching"])
        await asyncio.sleep(0.2)  # let the OS watch settle before the first edit
        yield client, reloader


async def test_good_edit_is_served_with_a_new_version(
    served: tuple[TestClient, KnowledgeReloader], knowledge_dir: Path
) -> None:
    """Adding a valid YAML file swaps in a new snapshot: new version in /readyz, new entity served."""
    client, reloader = served
    before = (await (await client.get("/readyz")).json())["knowledge_version"]
    (knowledge_dir / "newco.yaml").write_text(NEW_TOPIC, encoding="utf-8")
    await _wait_for(lambda: reloader.reloads >= 1)
    body = await (await client.get("/readyz")).json()
    assert body["knowledge_version"] != before
    assert body["knowledge_last_error"] is None
    metrics = await (await client.get("/metrics")).text()
    entities = body["knowledge_load"]["entities"]
    assert f"chinabio_knowledge_entities {float(entities)}" in metrics  # the new snapshot's
    assert "chinabio_knowledge_load_seconds " in metrics
    assert body["knowledge_reload"]["reloads"] >= 1
    assert reloader.holder.store.get("newco-model") is not None


async def test_bad_edit_keeps_the_old_snapshot_and_reports_file_line(
    served: tuple[TestClient, KnowledgeReloader],
    knowledge_dir: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An invalid file is refused: the old version keeps serving; /readyz says file:line, relative."""
    client, reloader = served
    before = reloader.holder.store.version
    caplog.set_level(logging.ERROR, logger="bot.reload")
    (knowledge_dir / "bad.yaml").write_text(BAD_TOPIC, encoding="utf-8")
    await _wait_for(lambda: reloader.last_result is not None)
    response = await client.get("/readyz")
    body = await response.json()
    assert response.status == 200, "a refused edit must not take the bot out of service"
    assert body["knowledge_version"] == before
    assert body["knowledge_last_error"]
    assert all(e.startswith("bad.yaml:") for e in body["knowledge_last_error"]), body
    # /readyz answers anyone: names relative to the knowledge folder, never where it lives.
    assert str(knowledge_dir.parent) not in json.dumps(body)
    assert reloader.holder.store.get("antibody-drug-conjugates") is not None
    assert any("bad.yaml:" in record.getMessage() for record in caplog.records)

    (knowledge_dir / "bad.yaml").write_text(NEW_TOPIC, encoding="utf-8")
    await _wait_for(lambda: reloader.last_result is not None and reloader.last_result.ok)
    body = await (await client.get("/readyz")).json()
    assert body["knowledge_last_error"] is None
    assert body["knowledge_version"] != before


async def test_an_alias_bomb_is_refused_promptly_and_the_old_snapshot_kept(
    served: tuple[TestClient, KnowledgeReloader], knowledge_dir: Path
) -> None:
    """A 'billion laughs' file is refused within seconds at its file:line; answers keep flowing."""
    client, reloader = served
    before = reloader.holder.store.version
    shutil.copy(ALIAS_BOMB, knowledge_dir / "bomb.yaml")
    await _wait_for(lambda: reloader.last_result is not None, timeout=10)
    body = await (await client.get("/readyz")).json()
    assert body["knowledge_version"] == before
    (error,) = body["knowledge_last_error"]
    assert error.startswith("bomb.yaml:5: ")  # /readyz names files relative to the folder
    assert "aliases may expand at most 10,000 nodes" in error
    assert reloader.holder.store.get("antibody-drug-conjugates") is not None


async def test_a_removed_and_recopied_folder_is_watched_again(
    served: tuple[TestClient, KnowledgeReloader],
    knowledge_dir: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """`rm -rf` then a fresh copy: /readyz and the metric say 'not watching' meanwhile, then edits load again."""
    client, reloader = served
    caplog.set_level(logging.INFO, logger="bot.reload")
    copy = tmp_path / "copy"
    shutil.copytree(knowledge_dir, copy)
    before = reloader.holder.store.version
    shutil.rmtree(knowledge_dir)
    await _wait_for(lambda: not reloader.status()["watching"])
    body = await (await client.get("/readyz")).json()
    assert body["status"] == "ready"
    assert body["knowledge_version"] == before
    assert body["knowledge_reload"]["watching"] is False
    assert str(knowledge_dir) in body["knowledge_reload"]["not_watching_reason"]
    assert "chinabio_knowledge_watching 0.0" in await (await client.get("/metrics")).text()
    assert any("not watching the knowledge" in r.getMessage() for r in caplog.records)

    shutil.copytree(copy, knowledge_dir)
    await _wait_for(lambda: reloader.status()["watching"])
    (knowledge_dir / "newco.yaml").write_text(NEW_TOPIC, encoding="utf-8")
    await _wait_for(lambda: reloader.holder.store.get("newco-model") is not None)
    body = await (await client.get("/readyz")).json()
    assert body["knowledge_reload"]["watching"] is True
    assert body["knowledge_reload"]["not_watching_reason"] is None
    assert body["knowledge_last_error"] is None
    assert "chinabio_knowledge_watching 1.0" in await (await client.get("/metrics")).text()
    assert any("watching" in r.getMessage() and "again" in r.getMessage() for r in caplog.records)


async def test_a_folder_replaced_at_once_is_reloaded_and_watched(
    served: tuple[TestClient, KnowledgeReloader], knowledge_dir: Path, tmp_path: Path
) -> None:
    """A folder swapped for a changed copy in one go is reloaded, and later edits to it load too."""
    _, reloader = served
    copy = tmp_path / "copy"
    shutil.copytree(knowledge_dir, copy)
    (copy / "newco.yaml").write_text(NEW_TOPIC, encoding="utf-8")
    shutil.rmtree(knowledge_dir)
    shutil.copytree(copy, knowledge_dir)
    await _wait_for(lambda: reloader.holder.store.get("newco-model") is not None)
    (knowledge_dir / "later.yaml").write_text(
        NEW_TOPIC.replace("newco-model", "later-topic").replace("NewCo", "Later"),
        encoding="utf-8",
    )
    await _wait_for(lambda: reloader.holder.store.get("later-topic") is not None)


async def test_a_burst_of_saves_gives_one_reload(
    served: tuple[TestClient, KnowledgeReloader], knowledge_dir: Path
) -> None:
    """Several files written within the quiet period are reloaded once, not once each."""
    _, reloader = served
    for index in range(5):
        text = NEW_TOPIC.replace("newco-model", f"newco-{index}").replace("NewCo", f"NewCo {index}")
        (knowledge_dir / f"burst-{index}.yaml").write_text(text, encoding="utf-8")
    await _wait_for(lambda: reloader.reloads >= 1)
    await asyncio.sleep(0.5)
    assert reloader.reloads == 1
    assert reloader.holder.store.get("newco-4") is not None


async def test_non_yaml_changes_are_ignored(
    served: tuple[TestClient, KnowledgeReloader], knowledge_dir: Path
) -> None:
    """Editor swap files and notes beside the YAML do not trigger a reload."""
    _, reloader = served
    (knowledge_dir / "notes.txt").write_text("todo", encoding="utf-8")
    (knowledge_dir / ".base.yaml.swp").write_text("swap", encoding="utf-8")
    await asyncio.sleep(0.8)
    assert reloader.reloads == 0
    assert not is_knowledge_file(Change.added, str(knowledge_dir / ".#base.yaml"))
    assert is_knowledge_file(Change.deleted, str(knowledge_dir / "deals.yml"))


async def test_cleanup_stops_the_watcher(knowledge_dir: Path, tmp_path: Path) -> None:
    """Closing the app stops watching: later edits are not picked up."""
    settings = Settings.from_env(
        {"KNOWLEDGE_DIR": str(knowledge_dir), "DATA_DIR": str(tmp_path / "data")}, dotenv=None
    )
    deps = build_deps(settings)
    app = build_app(deps)
    reloader = KnowledgeReloader(deps.knowledge, quiet_ms=100)
    attach_knowledge_reload(app, reloader)
    async with TestClient(TestServer(app)):
        await _wait_for(lambda: reloader.status()["watching"])
    assert reloader.status()["watching"] is False
    (knowledge_dir / "late.yaml").write_text(NEW_TOPIC, encoding="utf-8")
    await asyncio.sleep(0.5)
    assert reloader.reloads == 0


async def test_sighup_reloads(knowledge_dir: Path) -> None:
    """SIGHUP reloads the folder even with file watching off."""
    reloader = KnowledgeReloader(KnowledgeHolder(knowledge_dir), watch=False)
    await reloader.start()
    try:
        assert signal.getsignal(signal.SIGHUP) not in (signal.SIG_DFL, signal.SIG_IGN)
        (knowledge_dir / "newco.yaml").write_text(NEW_TOPIC, encoding="utf-8")
        os.kill(os.getpid(), signal.SIGHUP)
        await _wait_for(lambda: reloader.reloads == 1)
    finally:
        await reloader.stop()
    assert reloader.holder.store.get("newco-model") is not None
    assert signal.getsignal(signal.SIGHUP) in (signal.SIG_DFL, signal.SIG_IGN)


async def test_a_swapped_symlink_is_followed(knowledge_dir: Path, tmp_path: Path) -> None:
    """When KNOWLEDGE_DIR is a symlink a deploy tool swaps (git-sync), the new target is served and watched."""
    second = tmp_path / "rev2"
    shutil.copytree(knowledge_dir, second)
    (second / "newco.yaml").write_text(NEW_TOPIC, encoding="utf-8")
    link = tmp_path / "current"
    link.symlink_to(knowledge_dir)
    reloader = KnowledgeReloader(KnowledgeHolder(link), quiet_ms=100, relink_check_ms=200)
    await reloader.start()
    try:
        await asyncio.sleep(0.3)
        swap = tmp_path / "swap"
        swap.symlink_to(second)
        swap.replace(link)  # atomic, like git-sync; the old target stays, so it sends no event
        await _wait_for(lambda: reloader.holder.store.get("newco-model") is not None)
        version = reloader.holder.store.version
        (second / "more.yaml").write_text(
            NEW_TOPIC.replace("newco-model", "later-topic").replace("NewCo", "Later"),
            encoding="utf-8",
        )
        await _wait_for(lambda: reloader.holder.store.version != version)
    finally:
        await reloader.stop()
    assert reloader.holder.store.get("later-topic") is not None
