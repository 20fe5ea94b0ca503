"""Build the Teams app package (`make teams-package`): manifest.json + two icons in one zip.

The manifest in deploy/teams/ carries placeholder GUIDs; the package gets the real ones:
`botId` is the bot's client id (CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID) and the
app `id` is TEAMS_APP_ID, or a GUID derived from the client id so rebuilds keep the same app.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dotenv import dotenv_values

from bot.settings import TEAMS_PREFIX

DEPLOY_DIR = Path(__file__).resolve().parents[2] / "deploy" / "teams"
PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"
ICONS = ("color.png", "outline.png")
_APP_NAMESPACE = uuid.UUID("5b1f3e0a-3c2d-4f6e-9a8b-7c6d5e4f3a2b")


def fill_manifest(manifest: dict[str, Any], environ: Mapping[str, str]) -> dict[str, Any]:
    """Return the manifest with the bot's client id and the app id filled in."""
    bot_id = environ.get(TEAMS_PREFIX + "CLIENTID") or PLACEHOLDER_ID
    app_id = environ.get("TEAMS_APP_ID") or (
        str(uuid.uuid5(_APP_NAMESPACE, bot_id)) if bot_id != PLACEHOLDER_ID else PLACEHOLDER_ID
    )
    filled: dict[str, Any] = json.loads(json.dumps(manifest))
    filled["id"] = str(uuid.UUID(app_id))
    for bot in filled.get("bots", []):
        bot["botId"] = str(uuid.UUID(bot_id))
    for extension in filled.get("composeExtensions", []):
        extension["botId"] = str(uuid.UUID(bot_id))
    return filled


def build_package(
    out: Path, environ: Mapping[str, str], source: Path = DEPLOY_DIR
) -> dict[str, Any]:
    """Write the zip to `out`; return the manifest it holds."""
    manifest = fill_manifest(json.loads((source / "manifest.json").read_text()), environ)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        for icon in ICONS:
            archive.write(source / icon, icon)
    return manifest


def main(argv: Sequence[str] | None = None) -> int:
    """Build the package; warn when the bot id is still the placeholder."""
    parser = argparse.ArgumentParser(prog="python -m bot.teams.package")
    parser.add_argument("--out", type=Path, default=DEPLOY_DIR / "chinabio-teams.zip")
    args = parser.parse_args(argv)
    try:
        dotenv = {k: v for k, v in dotenv_values(".env").items() if v is not None}
        manifest = build_package(args.out, {**dotenv, **os.environ})
    except ValueError as exc:
        print(f"cannot build the Teams package: {exc} (ids must be GUIDs)", file=sys.stderr)
        return 1
    print(f"wrote {args.out} (app id {manifest['id']}, bot id {manifest['bots'][0]['botId']})")
    if manifest["bots"][0]["botId"] == PLACEHOLDER_ID:
        print(
            f"warning: set {TEAMS_PREFIX}CLIENTID to your Azure Bot's client id and rebuild",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
