"""`export` and the Export button in Slack: CSV and Excel uploaded with the current upload API.

Against the fake Slack: files.getUploadURLExternal, the POST of the bytes to the upload URL,
files.completeUploadExternal; the bytes that arrived are parsed back with csv and openpyxl.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import openpyxl

from tests.fakes.slack_api import UploadedFile
from tests.slack.slack_driver import SlackDriver, button_payload, dm, mention


def _buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for block in message.get("blocks", []):
        found += [e for e in block.get("elements", []) if e.get("type") == "button"]
        if block.get("accessory", {}).get("type") == "button":
            found.append(block["accessory"])
    return found


async def _uploads(slack: SlackDriver) -> list[UploadedFile]:
    await slack.fake.wait_for("files.completeUploadExternal")
    return slack.fake.uploaded()


def _csv_rows(upload: UploadedFile) -> list[dict[str, str]]:
    assert upload.data is not None
    text = upload.data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _sheet(upload: UploadedFile) -> Any:
    assert upload.data is not None
    return openpyxl.load_workbook(io.BytesIO(upload.data))["Deals"]


async def test_export_command_uploads_csv_and_excel_in_three_steps(slack: SlackDriver) -> None:
    """`/chinabio export type:licence`: URL asked per file, bytes POSTed, both shared in #general."""
    response = await slack.command("export type:licence")
    ack = await response.json()
    assert ack["response_type"] == "ephemeral"
    assert "CSV and Excel" in json.dumps(ack["blocks"])
    uploads = await _uploads(slack)
    methods = [c.method for c in slack.fake.calls]
    first_url, first_post, complete = (
        methods.index("files.getUploadURLExternal"),
        methods.index("upload"),
        methods.index("files.completeUploadExternal"),
    )
    assert first_url < first_post < complete
    assert len(slack.fake.calls_to("files.getUploadURLExternal")) == 2
    assert sorted(u.filename for u in uploads) == [
        "chinabio-deals-type-licence.csv",
        "chinabio-deals-type-licence.xlsx",
    ]
    assert {u.channel for u in uploads} == {"C0GENERAL"}
    assert all(u.length == len(u.data or b"") for u in uploads)
    assert "<@U0ASKER>" in (uploads[0].initial_comment or "")
    token = slack.fake.calls_to("files.completeUploadExternal")[0].headers["Authorization"]
    assert token == "Bearer xoxb-test-bot-token"


async def test_exported_csv_has_a_row_per_deal_with_terms_and_sources(slack: SlackDriver) -> None:
    """The CSV parses back: header, one row per deal, the amount typed, a source each."""
    await slack.command("export")
    (upload,) = [u for u in await _uploads(slack) if u.filename.endswith(".csv")]
    rows = _csv_rows(upload)
    assert [r["Deal"] for r in rows] == [
        "Examplar and Testa licence",
        "Bayer licenses Puhe's PRMT5 inhibitor",
    ]
    examplar, puhe = rows
    assert examplar["Date"] == "2024-09"
    assert examplar["Largest amount stated"] == "20000000"
    assert examplar["Currency"] == "USD"
    assert examplar["Terms as stated"] == "Upfront: $20 million"
    assert puhe["Date"] == "not stated"
    assert puhe["Terms as stated"] == "not disclosed in the source"
    assert examplar["Source"].startswith("Teams adapter test report, Test Publisher, April 2025")
    assert puhe["Source"].startswith("Sourcing Biotech Innovation in China")


async def test_exported_workbook_has_typed_dates_amounts_header_and_frozen_panes(
    slack: SlackDriver,
) -> None:
    """The .xlsx opens in openpyxl: bold header, frozen panes, real dates and numbers."""
    await slack.command("export")
    (upload,) = [u for u in await _uploads(slack) if u.filename.endswith(".xlsx")]
    sheet = _sheet(upload)
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Date", "Parties", "Type"]
    assert "Source" in header
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "C2"
    rows = [dict(zip(header, (c for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    examplar, puhe = rows
    assert examplar["Date"].value == dt.datetime(2024, 9, 1)
    assert examplar["Date"].number_format == "mmm yyyy"  # the source gives the month only
    assert examplar["Date as stated"].value == "September 2024"
    assert examplar["Largest amount stated"].value == 20_000_000
    assert examplar["Largest amount stated"].data_type == "n"
    assert puhe["Date"].value == "not stated"
    assert puhe["Largest amount stated"].value is None


async def test_export_button_on_comps_uploads_to_the_channel(slack: SlackDriver) -> None:
    """The Export button of a comps table runs `export` with the same filters and uploads."""
    response = await slack.command("comps year:2024")
    ack = await response.json()
    (export,) = [b for b in _buttons(ack) if b["text"]["text"] == "Export"]
    assert export["value"] == "export year:2024"
    await slack.action(button_payload(slack.fake, export["action_id"], export["value"]))
    uploads = await _uploads(slack)
    (csv_file,) = [u for u in uploads if u.filename.endswith(".csv")]
    assert [r["Deal"] for r in _csv_rows(csv_file)] == ["Examplar and Testa licence"]
    assert {u.channel for u in uploads} == {"C0GENERAL"}


async def test_export_in_a_mention_uploads_into_the_thread(slack: SlackDriver) -> None:
    """`@chinabio export year:2024` uploads the files in the mention's thread, and posts nothing else."""
    await slack.event(mention("<@UCHINABIO> export year:2024", ts="1700000000.000777"))
    uploads = await _uploads(slack)
    assert {u.thread_ts for u in uploads} == {"1700000000.000777"}
    assert slack.fake.calls_to("chat.postMessage") == []


async def test_export_in_the_dm_uploads_there(slack: SlackDriver) -> None:
    """A DM `export` uploads into the DM."""
    await slack.event(dm("export type:licence"))
    uploads = await _uploads(slack)
    assert {u.channel for u in uploads} == {dm("x")["channel"]}


async def test_export_where_the_bot_is_not_in_the_channel_says_how_to_fix_it(
    slack: SlackDriver,
) -> None:
    """not_in_channel from completeUploadExternal: the asker is told privately to invite the bot."""
    slack.fake.fail_next("files.completeUploadExternal", status=200, error="not_in_channel")
    await slack.command("export")
    (told,) = await slack.fake.wait_for("response_url")
    assert "/invite @chinabio" in told.args["text"]
    assert told.args["response_type"] == "ephemeral"


async def test_a_bad_export_filter_is_answered_and_uploads_nothing(slack: SlackDriver) -> None:
    """`export colour:blue` explains the filters in the ack and calls no upload method."""
    response = await slack.command("export colour:blue")
    ack = await response.json()
    assert "colour" in json.dumps(ack["blocks"])
    await slack.command("deal Puhe")  # a later request: the lazy listener of the first has run
    assert slack.fake.calls_to("files.getUploadURLExternal") == []


async def test_comps_in_slack_is_a_table_like_layout_within_limits(slack: SlackDriver) -> None:
    """`/chinabio comps`: a legend, then a section per deal with Open; Export below."""
    response = await slack.command("comps")
    ack = await response.json()
    blocks = ack["blocks"]
    assert len(blocks) <= 50
    assert "Date — Parties · Type · Asset" in json.dumps(blocks, ensure_ascii=False)
    opens = [b for b in _buttons(ack) if b["text"]["text"] == "Open"]
    assert [o["value"] for o in opens] == ["deal examplar-testa-licence", "deal bayer-puhe-prmt5"]
    assert "Export" in {b["text"]["text"] for b in _buttons(ack)}
    assert "Upfront: $20 million" in json.dumps(blocks)
