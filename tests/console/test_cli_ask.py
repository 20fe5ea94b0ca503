"""`chinabio ask TEXT --format text|slack`: one answer on stdout, exit 0 even for nothing found."""

from __future__ import annotations

import json

import pytest

from bot.cli import main


def test_ask_text(capsys: pytest.CaptureFixture[str]) -> None:
    """`chinabio ask deal Puhe` prints the deal card as text and exits 0."""
    assert main(["ask", "deal", "Puhe"]) == 0
    assert "PRMT5" in capsys.readouterr().out


def test_ask_slack_prints_block_kit_json(capsys: pytest.CaptureFixture[str]) -> None:
    """`--format slack` prints the Slack message JSON with blocks and a text fallback."""
    assert main(["ask", "quote NewCo", "--format", "slack"]) == 0
    message = json.loads(capsys.readouterr().out)
    assert message["text"] and message["blocks"][0]["type"] == "header"


def test_ask_nothing_found_still_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    """An answer of 'nothing found' is still an answer: exit 0."""
    assert main(["ask", "deal", "Qwertyzyx Pharma"]) == 0
    assert "No deal matches" in capsys.readouterr().out


def test_ask_with_a_broken_knowledge_folder_exits_1(
    tmp_path: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    """A broken knowledge folder is reported, not answered from."""
    assert main(["ask", "help", "--knowledge", str(tmp_path)]) == 1
    assert "chinabio validate" in capsys.readouterr().err
