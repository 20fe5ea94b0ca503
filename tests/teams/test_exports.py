"""`export` in Teams: a card with download links our app serves; the files parse back."""

from __future__ import annotations

import csv
import io
import logging
from urllib.parse import urlsplit

import jsonschema
import openpyxl
import pytest

from bot.teams.exports import ExportLinks
from tests.teams.conftest import MakeHarness, TeamsHarness
from tests.teams.teams_activities import card_execute, card_submit, personal_message

PUBLIC = "https://chinabio.example.com"


@pytest.fixture
async def public_teams(make_teams: MakeHarness) -> TeamsHarness:
    """The app with Teams mounted and PUBLIC_URL set."""
    return await make_teams(public_url=PUBLIC)


async def _links(teams: TeamsHarness, text: str) -> dict[str, str]:
    status, _ = await teams.send(personal_message(teams.connector.url, text))
    assert status == 202
    [posted] = teams.connector.messages()
    [card] = posted.cards
    return {a["title"]: a["url"] for a in card.get("actions", []) if a["type"] == "Action.OpenUrl"}


async def test_export_card_has_valid_download_links(
    public_teams: TeamsHarness, card_validator: jsonschema.Draft6Validator
) -> None:
    """`export` answers with a valid 1.5 card whose two buttons open links under PUBLIC_URL."""
    status, _ = await public_teams.send(personal_message(public_teams.connector.url, "export"))
    assert status == 202
    [posted] = public_teams.connector.messages()
    [card] = posted.cards
    card_validator.validate(card)
    urls = [a["url"] for a in card["actions"] if a["type"] == "Action.OpenUrl"]
    assert [u.rsplit("/", 1)[1] for u in urls] == ["chinabio-deals.xlsx", "chinabio-deals.csv"]
    assert all(u.startswith(f"{PUBLIC}/exports/") for u in urls)


async def test_downloaded_files_parse_back_with_every_row(public_teams: TeamsHarness) -> None:
    """The links serve the Excel and CSV files: typed amount, a source column, one row per deal."""
    links = await _links(public_teams, "export type:licence")
    files = {}
    for url in links.values():
        response = await public_teams.client.get(urlsplit(url).path)
        assert response.status == 200
        assert "attachment" in response.headers["Content-Disposition"]
        files[url.rsplit(".", 1)[1]] = await response.read()
    rows = list(csv.DictReader(io.StringIO(files["csv"].decode("utf-8-sig"))))
    assert [r["Deal"] for r in rows] == [
        "Examplar and Testa licence",
        "Bayer licenses Puhe's PRMT5 inhibitor",
    ]
    sheet = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))["Deals"]
    header = [c.value for c in sheet[1]]
    amount = sheet.cell(row=2, column=header.index("Largest amount stated") + 1)
    assert amount.value == 20_000_000
    assert sheet.freeze_panes == "C2"


async def test_the_export_button_of_a_list_gives_the_links(public_teams: TeamsHarness) -> None:
    """Pressing Export (Action.Submit `export year:2024`) answers with the download card."""
    status, _ = await public_teams.send(card_submit(public_teams.connector.url, "export year:2024"))
    assert status == 202
    [posted] = public_teams.connector.messages()
    [card] = posted.cards
    titles = [a["title"] for a in card["actions"] if a["type"] == "Action.OpenUrl"]
    assert titles == [
        "Download Excel (chinabio-deals-year-2024.xlsx)",
        "Download CSV (chinabio-deals-year-2024.csv)",
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/exports/not-a-token/chinabio-deals.csv",
        "/exports/e30.AAAA/chinabio-deals.csv",
        "/exports//chinabio-deals.csv",
    ],
)
async def test_a_bad_token_is_a_bare_404(public_teams: TeamsHarness, path: str) -> None:
    """Made-up or unsigned tokens get 404 and nothing else."""
    response = await public_teams.client.get(path)
    assert response.status == 404
    assert await response.text() == "404: Not Found"


async def test_an_altered_or_expired_link_is_a_404(public_teams: TeamsHarness) -> None:
    """Changing the command inside a token breaks its signature; an old token has expired."""
    links = await _links(public_teams, "export year:2024")
    path = urlsplit(next(iter(links.values()))).path
    token = path.split("/")[2]
    forged = ExportLinks("another-secret").token("export")
    for bad in (forged, token[:-2] + ("AA" if token[-2:] != "AA" else "BB")):
        response = await public_teams.client.get(path.replace(token, bad))
        assert response.status == 404
    old = ExportLinks("s", clock=lambda: 0.0).token("export")
    assert ExportLinks("s").command(old) is None
    assert (
        ExportLinks("s").command(ExportLinks("s").token("export year:2024")) == "export year:2024"
    )


async def test_a_link_to_another_file_name_is_a_404(public_teams: TeamsHarness) -> None:
    """A valid token serves only the export's own two file names."""
    links = await _links(public_teams, "export")
    path = urlsplit(next(iter(links.values()))).path
    response = await public_teams.client.get(path.rsplit("/", 1)[0] + "/passwords.csv")
    assert response.status == 404


async def test_without_public_url_the_card_says_what_is_missing(teams: TeamsHarness) -> None:
    """No PUBLIC_URL: no links, and the card says the admin must set it."""
    links = await _links(teams, "export")
    assert links == {}
    [posted] = teams.connector.messages()
    assert "PUBLIC_URL" in str(posted.cards[0])


async def test_the_access_log_never_shows_a_links_token(
    public_teams: TeamsHarness, caplog: pytest.LogCaptureFixture
) -> None:
    """A download is logged as /exports/{token}/file: the bearer token stays out of the log."""
    links = await _links(public_teams, "export")
    path = urlsplit(links["Download CSV (chinabio-deals.csv)"]).path
    token = path.split("/")[2]
    with caplog.at_level(logging.INFO):
        response = await public_teams.client.get(path)
    assert response.status == 200
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "/exports/{token}/chinabio-deals.csv" in logged
    assert token not in logged


async def test_an_execute_invoke_of_export_returns_the_download_card(
    public_teams: TeamsHarness, card_validator: jsonschema.Draft6Validator
) -> None:
    """An Action.Execute `export` gets the download card in the invoke response, valid 1.5."""
    status, body = await public_teams.send(card_execute(public_teams.connector.url, "export"))
    assert status == 200
    card = body["value"]
    card_validator.validate(card)
    urls = [a["url"] for a in card["actions"] if a["type"] == "Action.OpenUrl"]
    assert len(urls) == 2
    response = await public_teams.client.get(urlsplit(urls[1]).path)
    assert response.status == 200
