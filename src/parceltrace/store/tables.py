"""The declared schema. Alembic migrations must produce exactly this (tested)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
    true,
)

from parceltrace.store.types import UtcDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("key_prefix", String(12), nullable=False),
    Column("old_key_hash", String(64), nullable=True, index=True),
    Column("old_key_expires_at", UtcDateTime(), nullable=True),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("quota_total", BigInteger, nullable=False),
    Column("quota_used", BigInteger, nullable=False, default=0),
    Column("max_track_daily", BigInteger, nullable=False, default=0),
    Column("today_used", BigInteger, nullable=False, default=0),
    Column("today_date", String(10), nullable=False, default=""),
    Column("rate_limit", Integer, nullable=False, default=3),
    Column("webhook_url", String(2048), nullable=True),
    Column("ip_whitelist", Text, nullable=True),
    Column("realtime_enabled", Boolean, nullable=False, default=True),
    Column("free_email_quota", BigInteger, nullable=False, default=300),
    Column("free_email_quotaused", BigInteger, nullable=False, default=0),
    Column("created_at", UtcDateTime(), nullable=False),
    # sealed (encrypted with the server secret): needed to sign webhooks, never shown again
    Column("key_sealed", Text, nullable=True),
    Column("webhook_secret_sealed", Text, nullable=True),
    # the account's sandbox clock: real time plus this offset; the generation counts resets
    Column("sandbox_offset_us", BigInteger, nullable=False, server_default=text("0")),
    Column("sandbox_generation", Integer, nullable=False, server_default=text("0")),
)

# Registration inserts only what a registration says; everything else starts at its
# server default (NULL, or the values below), which keeps the per-row insert cost low.
trackings = Table(
    "trackings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("number", String(50), nullable=False),
    Column("carrier", Integer, nullable=False),
    Column("final_carrier", Integer, nullable=False, server_default=text("0")),
    Column("origin", Integer, nullable=False),
    Column("param", String(12), nullable=True),
    Column("tag", String(100), nullable=True),
    Column("remark", String(1000), nullable=True),
    Column("email", String(250), nullable=True),
    Column("lang", String(10), nullable=True),
    Column("order_no", String(50), nullable=True),
    Column("order_time", String(40), nullable=True),
    Column("data_origin", String(10), nullable=False, server_default=text("'Api'")),
    Column("register_time", UtcDateTime(), nullable=False),
    Column("tracking_status", String(10), nullable=False, server_default=text("'Tracking'")),
    Column("stop_track_time", UtcDateTime(), nullable=True),
    Column("stop_track_reason", String(20), nullable=True),
    Column("is_retracked", Boolean, nullable=False, server_default=false()),
    Column("carrier_change_count", Integer, nullable=False, server_default=text("0")),
    Column("package_status", String(20), nullable=False, server_default=text("'NotFound'")),
    Column("track_time", UtcDateTime(), nullable=True),
    Column("push_time", UtcDateTime(), nullable=True),
    Column("push_status", String(10), nullable=False, server_default=text("'NotPushed'")),
    Column("push_status_code", Integer, nullable=True),
    Column("shipping_country", String(2), nullable=True),
    Column("recipient_country", String(2), nullable=True),
    # scheduling: due polls are claimed with a lease; a crashed worker's lease just expires
    Column("next_poll_at", UtcDateTime(), nullable=True),
    Column("lease_until", UtcDateTime(), nullable=True),
    Column("lease_owner", String(64), nullable=True),
    Column("poll_count", Integer, nullable=False, server_default=text("0")),
    # results: what the source returned (JSON), plus the facts queries filter and sort on
    Column("awaiting_result", Boolean, nullable=False, server_default=true()),
    Column("tracking_since", UtcDateTime(), nullable=True),
    Column("latest_sync_status", String(10), nullable=True),
    Column("latest_event_time", UtcDateTime(), nullable=True),
    Column("source_data", Text, nullable=True),
    Column("content_hash", Integer, nullable=True),
    # `lang`'s extra quota unit is charged once, at the first translated result
    Column("translation_charged", Boolean, nullable=False, server_default=false()),
    # the public tracking page's unguessable link token (None: not shared)
    Column("share_token", String(64), nullable=True, unique=True),
    # why the last fetch failed (None after a success): no connector, refused credentials, ...
    Column("sync_error", String(300), nullable=True),
    UniqueConstraint("account_id", "number", "carrier"),
    # the relay finds every account's tracking of a (number, carrier) by it
    Index(None, "number", "carrier"),
    Index(None, "account_id", "register_time"),
    Index(None, "account_id", "package_status", "register_time"),
    Index(None, "account_id", "tracking_status", "register_time"),
    Index(None, "account_id", "track_time"),
    Index(None, "tracking_status", "next_poll_at"),
    Index(None, "tracking_status", "stop_track_time"),
)

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("message_id", String(40), nullable=False, unique=True),
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("tracking_id", Integer, nullable=True),
    Column("number", String(50), nullable=False),
    Column("carrier", Integer, nullable=False),
    Column("event", String(20), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("due_at", UtcDateTime(), nullable=False),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("state", String(10), nullable=False, server_default=text("'pending'")),
    Column("lease_until", UtcDateTime(), nullable=True),
    Column("lease_owner", String(64), nullable=True),
    Index(None, "state", "due_at"),
    Index(None, "tracking_id", "state", "id"),
)
"""The webhook outbox: written in the transaction that changed the tracking; the exact bytes
of `body` are what every attempt sends and signs."""

delivery_attempts = Table(
    "delivery_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("delivery_id", Integer, ForeignKey("deliveries.id", ondelete="CASCADE"), nullable=False),
    Column("account_id", Integer, nullable=False),
    Column("attempted_at", UtcDateTime(), nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("latency_ms", Integer, nullable=True),
    Column("error", String(500), nullable=True),
    Index(None, "account_id", "id"),
)
"""Every delivery attempt, for the delivery log (the newest 100 per account are kept)."""


emails = Table(
    "emails",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("tracking_id", Integer, nullable=True),
    Column("to_address", String(250), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("text_body", Text, nullable=False),
    Column("html_body", Text, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("due_at", UtcDateTime(), nullable=False),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("state", String(10), nullable=False, server_default=text("'pending'")),
    Column("last_error", String(500), nullable=True),
    Column("lease_until", UtcDateTime(), nullable=True),
    Column("lease_owner", String(64), nullable=True),
    Index(None, "state", "due_at"),
)
"""Status-change mails to a tracking's `email`, written with the change like webhooks."""


web_sessions = Table(
    "web_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False, index=True),
    Column("flash", Text, nullable=True),
    Column("flash_error", Boolean, nullable=False, server_default=false()),
    Column("key_hash", String(64), nullable=True),
)
"""Dashboard sign-ins, kept in the database so that sign-out really ends them and every API
process of a cluster sees them; the cookie holds a random token, the table only its hash.
`key_hash`: the hash of the API key that opened the session, which must still open the account
(the current key, or the old one within its grace) for the session to last."""


upstream_registrations = Table(
    "upstream_registrations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("number", String(50), nullable=False),
    Column("carrier", Integer, nullable=False),
    Column("upstream_carrier", Integer, nullable=False),
    Column("state", String(10), nullable=False),
    Column("registered_at", UtcDateTime(), nullable=False),
    Column("result", Text, nullable=True),
    Column("result_at", UtcDateTime(), nullable=True),
    Column("released_at", UtcDateTime(), nullable=True),
    UniqueConstraint("number", "carrier"),
    Index(None, "state"),
)
"""The relay's registrations at the upstream API: one per (number, carrier), whatever the
number of local accounts tracking it; `result` is the newest upstream answer (polled or pushed).
`state`: registered, stopped (no local tracking is active) or released (none left; deleted upstream)."""


connectors = Table(
    "connectors",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("credentials_sealed", Text, nullable=False),
    Column("base_url", String(2048), nullable=True),
    Column("test_mode", Boolean, nullable=False, server_default=false()),
    Column("pace_calls", Integer, nullable=True),
    Column("pace_seconds", Integer, nullable=True),
    Column("threads", Integer, nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("last_success_at", UtcDateTime(), nullable=True),
    Column("last_error_at", UtcDateTime(), nullable=True),
    Column("last_error", String(300), nullable=True),
    Column("calls", BigInteger, nullable=False, server_default=text("0")),
    Column("failures", BigInteger, nullable=False, server_default=text("0")),
)
"""Carrier connectors (karrio carrier name -> credentials sealed with the server secret, like
API keys); every process of a cluster reads them. Health is written back by the workers."""

connector_unmapped = Table(
    "connector_unmapped",
    metadata,
    Column("connector", String(40), primary_key=True),
    Column("code", String(60), primary_key=True),
    Column("description", String(300), primary_key=True),
    Column("seen", BigInteger, nullable=False, server_default=text("0")),
    Column("first_seen_at", UtcDateTime(), nullable=False),
    Column("last_seen_at", UtcDateTime(), nullable=False),
)
"""Carrier event codes no status table knows (they were shown as an `_Other` sub-status): how
many answers carried each, first and last seen. A carrier changing its codes shows here."""
