"""`calendar file` in the console and on the command line: an .ics written to a printed path."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import icalendar
import pytest

from bot.app import run_console
from bot.cli import main
from bot.settings import Settings


def _written(out: str) -> list[Path]:
    return [Path(p) for p in re.findall(r"^Wrote (.+)$", out, flags=re.MULTILINE)]


def _uids(path: Path) -> set[str]:
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]) for e in cal.walk("VEVENT")}


def test_cli_calendar_file_writes_the_ics_where_it_says(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`chinabio ask 'calendar file' --out DIR` prints the .ics's path; icalendar reads it back."""
    assert main(["ask", "calendar file", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Calendar file (.ics)" in out
    (path,) = _written(out)
    assert path == (tmp_path / "chinabio-calendar.ics").resolve()
    uids = _uids(path)
    assert len(uids) == 7
    assert "event.chinabio-partnering-forum-2025@chinabio-bot" in uids
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    forum = next(e for e in cal.walk("VEVENT") if "forum" in str(e["UID"]))
    assert forum.decoded("DTSTART") == dt.date(2025, 4, 23)


def test_console_calendar_file_writes_into_the_data_folder(tmp_path: Path) -> None:
    """In the console, `calendar file` writes DATA_DIR/exports/chinabio-calendar.ics."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'c.db'}", data_dir=str(tmp_path))
    stdout = io.StringIO()
    run_console(settings, stdin=io.StringIO("calendar file\n"), stdout=stdout)
    (path,) = _written(stdout.getvalue())
    assert path == (tmp_path / "exports" / "chinabio-calendar.ics").resolve()
    assert len(_uids(path)) == 7
