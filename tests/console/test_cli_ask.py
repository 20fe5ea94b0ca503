"""`chinabio ask TEXT --format text|slack`: one answer on stdout, exit 0 even for nothing found."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from knowledge import accel, loader
from knowledge.loader import default_dir
from knowledge.reload import KnowledgeHolder


def test_ask_text(capsys: pytest.CaptureFixture[str]) -> None:
    """`chinabio ask deal Puhe` prints the deal card as text and exits 0."""
    assert main(["ask", "deal", "Puhe"]) == 0
    assert "PRMT5" in capsys.readouterr().out


def test_ask_slack_prints_block_kit_json(capsys: pytest.CaptureFixture[str]) -> None:
    """`--format slack` prints the Slack message JSON with blocks and a text fallback."""
    assert main(["ask", "quote NewCo", "--format", "slack"]) == 0
    message = json.loads(capsys.readouterr().out)
    assert message["text"]
    assert message["blocks"][0]["type"] == "header"


def test_ask_nothing_found_still_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    """An answer of 'nothing found' is still an answer: exit 0."""
    assert main(["ask", "deal", "Qwertyzyx Pharma"]) == 0
    assert "is not in the knowledge" in capsys.readouterr().out


def test_ask_with_a_broken_knowledge_folder_exits_1(
    tmp_path: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    """A broken knowledge folder is reported, not answered from."""
    assert main(["ask", "help", "--knowledge", str(tmp_path)]) == 1
    assert "chinabio validate" in capsys.readouterr().err


def test_ask_reads_the_running_bots_knowledge_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With a large folder cached in DATA_DIR by the bot, `ask` answers without the YAML."""
    monkeypatch.setattr(accel, "LARGE_FOLDER_BYTES", 0)
    folder = tmp_path / "knowledge"
    shutil.copytree(default_dir(), folder)
    KnowledgeHolder(folder, cache_dir=tmp_path / "data" / "cache").wait_for_cache()

    def refuse(root: Path) -> None:
        raise AssertionError("the YAML was read")

    monkeypatch.setattr(loader, "read_folder", refuse)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    assert main(["ask", "deal", "Puhe", "--knowledge", str(folder)]) == 0
    assert "Puhe" in capsys.readouterr().out
