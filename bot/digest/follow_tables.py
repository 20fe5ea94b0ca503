"""Follows, alert choices and knowledge versions in the database, on the shared MetaData."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from bot.db.engine import metadata

follows = Table(
    "follows",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("platform", String(16), nullable=False),
    Column("channel", String(255), nullable=False),  # a channel, or a user's DM with the bot
    Column("kind", String(16), nullable=False),  # "organisation", "modality", ...
    Column("key", String(255), nullable=False),  # an entity id or a normalised subject word
    Column("label", String(255), nullable=False),
    Column("follower", String(255), nullable=False),  # who followed: told if alerts cannot post
    Column("workspace", String(255)),  # which install of the bot posts there; NULL = any
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("platform", "channel", "kind", "key", name="uq_follow_channel_target"),
)

alert_settings = Table(
    "follow_alert_settings",
    metadata,
    Column("platform", String(16), primary_key=True),
    Column("channel", String(255), primary_key=True),
    Column("mode", String(16), nullable=False),  # "instant" | "in digest" | "off"
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# The versions the bot has served, in order: each row names the one it followed, and a row can
# be followed once, so two replicas recording the same step cannot both add it.
knowledge_versions = Table(
    "knowledge_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("version", String(64), nullable=False),
    Column("previous_id", Integer, unique=True),
    Column("entities", Integer, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)
Index("ix_knowledge_versions_version", knowledge_versions.c.version)

# What each version held: per entity its content hash, a hash per field, and the follow keys
# it touches, so a later version diffs against it even for entities it no longer has.
version_entities = Table(
    "knowledge_version_entities",
    metadata,
    Column("version", String(64), primary_key=True),
    Column("entity_id", String(120), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("label", Text, nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("fields", JSON, nullable=False),
    Column("touches", JSON, nullable=False),
)
