"""Slack tokens encrypted at rest with Fernet: keys from TOKEN_ENCRYPTION_KEY, newest first.

Rows written before encryption hold plain `xox…` tokens. They are read as they are and get
encrypted on their next save, or all at once by `chinabio tokens rotate` (`reencrypt_tokens`),
which also moves every token to the newest key so that older keys can be dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Engine, Table, inspect, select

#: The columns of slack_sdk's installation and bot tables that hold tokens.
TOKEN_FIELDS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")
#: Every Fernet token starts so: version byte 0x80, then a timestamp's zero high bytes.
_FERNET_PREFIX = "gAAAAA"
_HOW_TO_FIX = (
    "add the key it was encrypted with to TOKEN_ENCRYPTION_KEY, or reinstall the app in that "
    "workspace"
)


class TokenDecryptError(Exception):
    """A stored token cannot be decrypted; the message names the table, column and workspace."""


def is_encrypted(value: str) -> bool:
    """Tell a Fernet token from a plain Slack token (`xoxb-…`, `xoxe.xoxb-…`, `xoxe-…`)."""
    return value.startswith(_FERNET_PREFIX)


def where(table: str, column: str, team_id: str | None, enterprise_id: str | None) -> str:
    """Name a stored token for error messages: table, column and workspace."""
    workspace = team_id or f"enterprise {enterprise_id}"
    return f"{table}.{column} of Slack workspace {workspace}"


class TokenCipher:
    """Encrypt with the newest key, decrypt with any; with no keys, store plain text."""

    def __init__(self, keys: Sequence[str] = ()) -> None:
        fernets = [Fernet(key) for key in keys]
        self.newest = fernets[0] if fernets else None
        self.all = MultiFernet(fernets) if fernets else None

    @property
    def enabled(self) -> bool:
        return self.all is not None

    def encrypt(self, value: str | None) -> str | None:
        """Return `value` encrypted with the newest key (unchanged if None, or no keys)."""
        if value is None or self.newest is None or is_encrypted(value):
            return value
        return self.newest.encrypt(value.encode()).decode()

    def decrypt(self, value: str | None, name: str) -> str | None:
        """Return the plain token; a plain legacy value passes through; raise TokenDecryptError."""
        if value is None or not is_encrypted(value):
            return value
        if self.all is None:
            raise TokenDecryptError(f"{name} is encrypted, but TOKEN_ENCRYPTION_KEY is not set")
        try:
            return self.all.decrypt(value.encode()).decode()
        except InvalidToken:
            raise TokenDecryptError(
                f"{name} cannot be decrypted with any key in TOKEN_ENCRYPTION_KEY: {_HOW_TO_FIX}"
            ) from None

    def is_current(self, value: str) -> bool:
        """Tell whether `value` is already encrypted with the newest key."""
        if self.newest is None or not is_encrypted(value):
            return False
        try:
            self.newest.decrypt(value.encode())
        except InvalidToken:
            return False
        return True


@dataclass
class TableReport:
    """What `reencrypt_tokens` did to one table's token columns."""

    table: str
    rows: int = 0
    encrypted: int = 0  # plain text -> newest key
    reencrypted: int = 0  # an older key -> newest key
    current: int = 0  # already under the newest key
    changed_meanwhile: int = 0  # rows the running bot rewrote during the pass: run again
    failures: list[str] = field(default_factory=list)  # tokens no key decrypts

    def summary(self) -> str:
        """Return one line of counts."""
        line = (
            f"{self.table}: {self.rows} row(s); {self.encrypted} token(s) encrypted from plain "
            f"text, {self.reencrypted} re-encrypted with the newest key, {self.current} already "
            f"current, {len(self.failures)} left as they were"
        )
        if self.changed_meanwhile:
            line += f", {self.changed_meanwhile} row(s) changed meanwhile (run again)"
        return line


def reencrypt_table(engine: Engine, table: Table, cipher: TokenCipher) -> TableReport:
    """Encrypt every token of `table` with the newest key; leave those it cannot as they are."""
    report = TableReport(table.name)
    if not inspect(engine).has_table(table.name):
        return report
    columns = [table.c[name] for name in TOKEN_FIELDS if name in table.c]
    with engine.begin() as conn:
        rows = conn.execute(select(table.c.id, table.c.team_id, table.c.enterprise_id, *columns))
        for row in list(rows.mappings()):
            report.rows += 1
            changes: dict[str, str] = {}
            for column in columns:
                value = row[column.name]
                if value is None:
                    continue
                if cipher.is_current(value):
                    report.current += 1
                    continue
                name = where(table.name, column.name, row["team_id"], row["enterprise_id"])
                try:
                    sealed = cipher.encrypt(cipher.decrypt(value, name)) or value
                except TokenDecryptError as exc:
                    report.failures.append(str(exc))
                    continue
                changes[column.name] = sealed
            if not changes:
                continue
            # Only if nobody rewrote the row since it was read (a live token rotation wins).
            unchanged = [table.c[name] == row[name] for name in changes]
            update = table.update().where(table.c.id == row["id"], *unchanged).values(changes)
            if conn.execute(update).rowcount == 0:
                report.changed_meanwhile += 1
                continue
            reencrypted = sum(is_encrypted(row[name]) for name in changes)
            report.reencrypted += reencrypted
            report.encrypted += len(changes) - reencrypted
    return report


def reencrypt_tokens(engine: Engine, cipher: TokenCipher) -> list[TableReport]:
    """Re-encrypt the installations' and bots' tokens with the newest key; return what was done."""
    from bot.slack.tables import slack_bots, slack_installations

    return [reencrypt_table(engine, table, cipher) for table in (slack_installations, slack_bots)]
