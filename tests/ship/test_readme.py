"""README "Operating the bot": the configuration table and the operator commands stay true."""

from __future__ import annotations

import re

from bot.serve import SHUTDOWN_TIMEOUT, TEST_HOOKS_ENV
from tests.ship.conftest import ROOT
from tests.ship.test_deploy import interface_variables, settings_variables

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    return README.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def _table_variables(section: str) -> set[str]:
    table = section.split("### Configuration", 1)[1].split("\n### ", 1)[0]
    names: set[str] = set()
    for row in table.splitlines():
        if row.startswith("| `"):
            previous = ""
            for token in re.findall(r"`([^`]+)`", row.split(" | ")[0]):
                if token.startswith("…"):
                    token = previous.rsplit("__", 1)[0] + token[1:]
                names.add(token)
                previous = token
    return names


def test_configuration_table_lists_every_variable_the_bot_reads() -> None:
    """Every interface variable and every variable Settings reads has a row in the table."""
    documented = _table_variables(_section("Operating the bot"))
    assert interface_variables() | settings_variables() <= documented
    assert TEST_HOOKS_ENV in documented


def test_readme_keeps_the_two_commands_at_the_top() -> None:
    """`make run` and `make test` are the first commands a reader meets."""
    top = README.split("\n## ", 2)[1]
    assert "make run" in top and "make test" in top


def test_operating_section_states_the_real_shutdown_timeout() -> None:
    """The shutdown timeout the README promises is the one the server uses."""
    assert f"up to {SHUTDOWN_TIMEOUT:.0f} seconds" in _section("Operating the bot")


def test_make_targets_named_in_the_readme_exist() -> None:
    """Each `make X` the README names is a target in the Makefile."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z-]+):", makefile, flags=re.MULTILINE))
    named = set(re.findall(r"`make ([a-z-]+)`", README))
    assert {"run", "test", "image-check"} <= named
    assert named <= targets
