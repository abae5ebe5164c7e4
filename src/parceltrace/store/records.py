"""What the store hands out and takes in: typed records, never a database row.

Each record's fields are its table's columns, by name and type (tests/store/test_records.py
holds the two together), so the layers above read `tracking.next_poll_at` with mypy checking
it, and the store alone knows how a row is laid out."""

from __future__ import annotations

import hmac
import ipaddress
from datetime import datetime
from typing import Any, TypedDict, TypeVar

import msgspec


class Account(msgspec.Struct, frozen=True, kw_only=True):
    """An account as the layers above see it: its settings and counters, no key material."""

    id: int
    name: str
    key_prefix: str
    enabled: bool
    quota_total: int
    quota_used: int
    max_track_daily: int
    today_used: int
    today_date: str
    rate_limit: int
    webhook_url: str | None
    ip_whitelist: str | None
    realtime_enabled: bool
    free_email_quota: int
    free_email_quotaused: int
    created_at: datetime

    def today_used_on(self, day: str) -> int:
        """`today_used` resets at UTC midnight: a count from another day is zero today."""
        return self.today_used if self.today_date == day else 0

    def allows_ip(self, address: str) -> bool:
        if not self.ip_whitelist:
            return True
        try:
            client = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(client in ipaddress.ip_network(n, strict=False) for n in self.ip_whitelist.split(","))


class AccountKeys(msgspec.Struct, frozen=True, kw_only=True):
    """The hashes of an account's current key and of the key it replaced (valid until
    `old_key_expires_at`), for a constant-time comparison by the caller."""

    key_hash: str
    old_key_hash: str | None
    old_key_expires_at: datetime | None

    def accept(self, digest: str, now: datetime) -> bool:
        """`digest` is the current key's hash, or the old key's within its grace (compared in
        constant time)."""
        if hmac.compare_digest(self.key_hash, digest):
            return True
        expires = self.old_key_expires_at
        return (
            self.old_key_hash is not None
            and hmac.compare_digest(self.old_key_hash, digest)
            and expires is not None
            and expires > now
        )


class KeyedAccount(msgspec.Struct, frozen=True, kw_only=True):
    account: Account
    keys: AccountKeys


class SessionRecord(msgspec.Struct, frozen=True, kw_only=True):
    """A dashboard sign-in with its account; `key_hash`: the hash of the key that opened it
    (None for sessions older than that column)."""

    token_hash: str
    csrf_token: str
    expires_at: datetime
    flash: str | None
    flash_error: bool
    key_hash: str | None
    account: Account
    keys: AccountKeys


class Tracking(msgspec.Struct, frozen=True, kw_only=True):
    """One tracking: the registration, its lifecycle, its schedule and its last result."""

    id: int
    account_id: int
    number: str
    carrier: int
    final_carrier: int
    origin: int
    param: str | None
    tag: str | None
    remark: str | None
    email: str | None
    lang: str | None
    order_no: str | None
    order_time: str | None
    data_origin: str
    register_time: datetime
    tracking_status: str
    stop_track_time: datetime | None
    stop_track_reason: str | None
    is_retracked: bool
    carrier_change_count: int
    package_status: str
    track_time: datetime | None
    push_time: datetime | None
    push_status: str
    push_status_code: int | None
    shipping_country: str | None
    recipient_country: str | None
    next_poll_at: datetime | None
    lease_until: datetime | None
    lease_owner: str | None
    poll_count: int
    awaiting_result: bool
    tracking_since: datetime | None
    latest_sync_status: str | None
    latest_event_time: datetime | None
    source_data: str | None
    content_hash: int | None
    translation_charged: bool
    share_token: str | None
    sync_error: str | None


class TrackingChanges(TypedDict, total=False):
    """Columns a request changes on a tracking (stop, retrack, changeinfo, changecarrier); mypy
    checks each name and value against this."""

    carrier: int
    final_carrier: int
    param: str | None
    tag: str | None
    remark: str | None
    lang: str | None
    tracking_status: str
    stop_track_time: datetime | None
    stop_track_reason: str | None
    is_retracked: bool
    carrier_change_count: int
    package_status: str
    tracking_since: datetime | None
    next_poll_at: datetime | None
    lease_owner: str | None
    lease_until: datetime | None
    awaiting_result: bool
    source_data: str | None
    latest_event_time: datetime | None
    latest_sync_status: str | None
    recipient_country: str | None


class NewTracking(msgspec.Struct, frozen=True, kw_only=True):
    """What a registration writes; every other column starts at its server default."""

    account_id: int
    number: str
    carrier: int
    final_carrier: int
    origin: int
    param: str | None
    tag: str | None
    remark: str | None
    email: str | None
    lang: str | None
    order_no: str | None
    order_time: str | None
    data_origin: str
    register_time: datetime
    shipping_country: str | None
    next_poll_at: datetime | None


class PollOutcome(msgspec.Struct, frozen=True, kw_only=True):
    """What a fetch writes to a tracking (and ends its lease). `lease_owner`: the poller that
    claimed it (None: not claimed, a fetch on request); the write applies only while that is
    still the tracking's lease owner. `translation_charged`: None leaves it as it is."""

    id: int
    lease_owner: str | None
    track_time: datetime
    latest_sync_status: str
    sync_error: str | None
    source_data: str | None
    content_hash: int | None
    package_status: str
    latest_event_time: datetime | None
    recipient_country: str | None
    awaiting_result: bool
    next_poll_at: datetime | None
    tracking_status: str
    stop_track_time: datetime | None
    stop_track_reason: str | None
    translation_charged: bool | None = None


class Delivery(msgspec.Struct, frozen=True, kw_only=True):
    """A webhook message in the outbox; `body` is the exact bytes every attempt sends and signs."""

    id: int
    message_id: str
    account_id: int
    tracking_id: int | None
    number: str
    carrier: int
    event: str
    body: str
    created_at: datetime
    due_at: datetime
    attempts: int
    state: str
    lease_until: datetime | None
    lease_owner: str | None


class DeliveryAttempt(msgspec.Struct, frozen=True, kw_only=True):
    """One attempt at sending a webhook message: HTTP status (None: no answer) and why it failed."""

    delivery_id: int
    account_id: int
    tracking_id: int | None
    attempted_at: datetime
    status_code: int | None
    latency_ms: int
    error: str | None

    @property
    def succeeded(self) -> bool:
        """Only HTTP 200 counts (003)."""
        return self.status_code == 200


class MessageState(msgspec.Struct, frozen=True, kw_only=True):
    """A message after an attempt: delivered, failed for good, or pending until `due_at`."""

    delivery_id: int
    attempts: int
    state: str
    due_at: datetime


class PushState(msgspec.Struct, frozen=True, kw_only=True):
    """What a tracking shows of its latest push."""

    tracking_id: int
    push_time: datetime
    push_status: str
    push_status_code: int | None


class AttemptLogEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One delivery attempt as the delivery log shows it, with its message's facts."""

    id: int
    delivery_id: int
    account_id: int
    attempted_at: datetime
    status_code: int | None
    latency_ms: int | None
    error: str | None
    event: str
    number: str
    message_id: str
    state: str


class Mail(msgspec.Struct, frozen=True, kw_only=True):
    """A status mail waiting in (or gone through) the mail queue."""

    id: int
    account_id: int
    tracking_id: int | None
    to_address: str
    subject: str
    text_body: str
    html_body: str
    created_at: datetime
    due_at: datetime
    attempts: int
    state: str
    last_error: str | None
    lease_until: datetime | None
    lease_owner: str | None


class Connector(msgspec.Struct, frozen=True, kw_only=True):
    """A configured carrier connector: its sealed credentials, settings and health."""

    name: str
    credentials_sealed: str
    base_url: str | None
    test_mode: bool
    pace_calls: int | None
    pace_seconds: int | None
    threads: int | None
    created_at: datetime
    updated_at: datetime
    last_success_at: datetime | None
    last_error_at: datetime | None
    last_error: str | None
    calls: int
    failures: int

    @property
    def fingerprint(self) -> tuple[Any, ...]:
        """What a running connector must be rebuilt for when it changes."""
        return (
            self.credentials_sealed,
            self.base_url,
            self.test_mode,
            self.pace_calls,
            self.pace_seconds,
            self.threads,
        )


UpstreamKey = tuple[str, int]
"""(number, carrier) as the local trackings have it."""
REGISTERED, STOPPED, RELEASED = "registered", "stopped", "released"
"""An upstream registration's states: tracking there, stopped there (no local tracking is
active), released (none is left; deleted there)."""


class UpstreamRegistration(msgspec.Struct, frozen=True, kw_only=True):
    """The relay's registration of a (number, carrier) at the upstream API."""

    id: int
    number: str
    carrier: int
    upstream_carrier: int
    state: str
    registered_at: datetime
    result: str | None
    result_at: datetime | None
    released_at: datetime | None


class UpstreamLeftover(msgspec.Struct, frozen=True, kw_only=True):
    """An upstream registration no local tracking is active for; `present`: some local
    tracking (stopped) still has it."""

    number: str
    carrier: int
    upstream_carrier: int
    state: str
    present: bool


R = TypeVar("R", bound=msgspec.Struct)


def field_names(kind: type[msgspec.Struct]) -> tuple[str, ...]:
    return kind.__struct_fields__


def record(kind: type[R], row: Any) -> R:
    """`row` (a database row whose labels are `kind`'s fields, or more) as a `kind`."""
    mapping = row._mapping
    return kind(**{name: mapping[name] for name in kind.__struct_fields__})


def records(kind: type[R], rows: Any) -> list[R]:
    return [record(kind, row) for row in rows]
