"""The Teams app package: a manifest valid against schema v1.25 and icons of the required kind."""

from __future__ import annotations

import json
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from bot.teams.message_actions import COMMAND_ID
from bot.teams.package import DEPLOY_DIR, PLACEHOLDER_ID, build_package
from tests.shared_files import shared_file
from tests.teams.teams_activities import BOT_APP_ID


@pytest.fixture(scope="module")
def manifest_validator() -> jsonschema.Draft4Validator:
    """The official Teams manifest v1.25 schema from ../shared, as a validator (skips without it)."""
    schema = json.loads(shared_file("schemas/teams-manifest-1.25.json").read_text())
    return jsonschema.Draft4Validator(schema)


def read_png(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """Decode an 8-bit PNG: return width, height, channels and the unfiltered rows."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        header = body if kind == b"IHDR" else header
        idat += body if kind == b"IDAT" else b""
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8
    channels = {2: 3, 6: 4}[colour]
    raw, stride, rows, previous = (
        zlib.decompress(idat),
        width * channels,
        [],
        bytes(width * channels),
    )
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            guess = left + up - corner
            paeth = min(
                (abs(guess - left), left), (abs(guess - up), up), (abs(guess - corner), corner)
            )[1]
            line[i] = (line[i] + [0, left, up, (left + up) // 2, paeth][kind]) % 256
        rows.append(bytes(line))
        previous = bytes(line)
    return width, height, channels, rows


def test_manifest_is_valid_against_schema_1_25(
    manifest_validator: jsonschema.Draft4Validator,
) -> None:
    """deploy/teams/manifest.json validates against the official v1.25 schema."""
    manifest = json.loads((DEPLOY_DIR / "manifest.json").read_text())

    manifest_validator.validate(manifest)
    assert manifest["manifestVersion"] == "1.25"


def test_manifest_declares_the_bot_everywhere_with_commands() -> None:
    """The bot works in personal, team and group chat scopes, with command lists for each."""
    [bot] = json.loads((DEPLOY_DIR / "manifest.json").read_text())["bots"]

    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    listed = {scope for commands in bot["commandLists"] for scope in commands["scopes"]}
    assert listed == {"personal", "team", "groupChat"}
    team_commands = {c["title"] for c in bot["commandLists"][1]["commands"]}
    assert {"subscribe", "unsubscribe", "subscriptions", "deal", "quote"} <= team_commands


def test_manifest_offers_ask_about_this_message_as_a_message_action() -> None:
    """The message extension's one command is an action on messages that fetches its task."""
    [extension] = json.loads((DEPLOY_DIR / "manifest.json").read_text())["composeExtensions"]
    [command] = extension["commands"]
    assert command["id"] == COMMAND_ID
    assert (command["type"], command["context"], command["fetchTask"]) == (
        "action",
        ["message"],
        True,
    )


def test_color_icon_is_192_square_full_colour() -> None:
    """color.png is a 192x192 RGB image."""
    width, height, channels, _ = read_png((DEPLOY_DIR / "color.png").read_bytes())

    assert (width, height, channels) == (192, 192, 3)


def test_outline_icon_is_32_square_white_on_transparent() -> None:
    """outline.png is 32x32 RGBA: every visible pixel white, the rest transparent."""
    width, height, channels, rows = read_png((DEPLOY_DIR / "outline.png").read_bytes())

    assert (width, height, channels) == (32, 32, 4)
    pixels = [row[i : i + 4] for row in rows for i in range(0, len(row), 4)]
    visible = [p for p in pixels if p[3] > 0]
    assert visible, "the outline must draw something"
    assert all(p[:3] == b"\xff\xff\xff" for p in visible)
    assert any(p[3] == 0 for p in pixels)


def test_package_holds_the_manifest_with_real_ids_and_the_icons(
    tmp_path: Path, manifest_validator: jsonschema.Draft4Validator
) -> None:
    """The zip has manifest.json and both icons at its root; botId is the client id; it validates."""
    out = tmp_path / "app.zip"
    env = {"CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID": BOT_APP_ID}

    build_package(out, env)

    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest: dict[str, Any] = json.loads(archive.read("manifest.json"))
    manifest_validator.validate(manifest)
    assert manifest["bots"][0]["botId"] == BOT_APP_ID
    assert manifest["composeExtensions"][0]["botId"] == BOT_APP_ID
    assert manifest["id"] not in (PLACEHOLDER_ID, BOT_APP_ID)
    build_package(tmp_path / "again.zip", env)
    with zipfile.ZipFile(tmp_path / "again.zip") as archive:
        assert json.loads(archive.read("manifest.json"))["id"] == manifest["id"]


def test_package_refuses_an_id_that_is_not_a_guid(tmp_path: Path) -> None:
    """A client id that is not a GUID is an error, not a broken package."""
    with pytest.raises(ValueError, match="UUID"):
        build_package(tmp_path / "app.zip", {"TEAMS_APP_ID": "my-app"})
