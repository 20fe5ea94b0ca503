"""docs/operations.md: the configuration table is the bot's settings, and the promises are kept."""

from __future__ import annotations

import re
from pathlib import Path

import watchfiles

from bot.serve import SHUTDOWN_TIMEOUT, TEST_HOOKS_ENV
from tests.docs.doc_pages import backticked, read, section, table_rows
from tests.ship.test_deploy import interface_variables, settings_variables

PAGE = read("operations.md")


def _documented() -> set[str]:
    """Return every variable the Configuration table names (`…__X` continues the one before)."""
    names: set[str] = set()
    for row in table_rows(section(PAGE, "Configuration")):
        previous = ""
        for token in backticked(row[0]):
            if token.startswith("…"):
                token = previous.rsplit("__", 1)[0] + token[1:]
            names.add(token)
            previous = token
    return names


def _read_elsewhere() -> set[str]:
    """Return the documented variables that code other than Settings reads."""
    watchfiles_source = (Path(watchfiles.__file__).parent / "main.py").read_text(encoding="utf-8")
    return {TEST_HOOKS_ENV} | set(re.findall(r"'(WATCHFILES_[A-Z_]+)'", watchfiles_source))


def test_configuration_table_lists_every_variable_the_bot_reads() -> None:
    """Every variable Settings reads has a row, and so does the shutdown tests' hook."""
    assert settings_variables() | {TEST_HOOKS_ENV} <= _documented()


def test_configuration_table_lists_only_variables_something_reads() -> None:
    """Every variable in the table is read by Settings, the server, or the watchfiles library."""
    assert _documented() - settings_variables() <= _read_elsewhere()


def test_interface_variables_the_bot_reads_are_documented() -> None:
    """The variables of ../shared/interface.md that the bot reads each have a row."""
    assert interface_variables() & settings_variables() <= _documented()


def test_operations_page_states_the_real_shutdown_timeout() -> None:
    """The shutdown timeout the page promises is the one the server uses."""
    assert f"up to {SHUTDOWN_TIMEOUT:.0f} seconds" in section(PAGE, "Shutting down")
