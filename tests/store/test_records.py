"""The store's records are its tables' columns, by name and by type: a column added to a table
and not to its record (or the other way round) fails here, not in production."""

from __future__ import annotations

import datetime
import typing

import msgspec
import pytest
from sqlalchemy import Table

from parceltrace.store import records
from parceltrace.store.records import (
    Account,
    AccountKeys,
    AttemptLogEntry,
    Connector,
    Delivery,
    Mail,
    NewTracking,
    PollOutcome,
    Tracking,
    TrackingChanges,
    UpstreamRegistration,
)
from parceltrace.store.tables import (
    accounts,
    connectors,
    deliveries,
    delivery_attempts,
    emails,
    trackings,
    upstream_registrations,
)
from parceltrace.store.trackings import REGISTRATION_COLUMNS

WHOLE_TABLES: list[tuple[type[msgspec.Struct], Table]] = [
    (Tracking, trackings),
    (Delivery, deliveries),
    (Mail, emails),
    (UpstreamRegistration, upstream_registrations),
    (Connector, connectors),
]
PARTS: list[tuple[type[msgspec.Struct], Table]] = [
    (Account, accounts),
    (AccountKeys, accounts),
    (NewTracking, trackings),
    (PollOutcome, trackings),
]
PYTHON_TYPES = {
    "UtcDateTime": datetime.datetime,
    "Integer": int,
    "BigInteger": int,
    "String": str,
    "Text": str,
}


def _field_types(kind: type[msgspec.Struct]) -> dict[str, typing.Any]:
    return typing.get_type_hints(kind, vars(records))


def _column_type(table: Table, name: str) -> typing.Any:
    column = table.c[name]
    kind = type(column.type).__name__
    python = bool if kind == "Boolean" else PYTHON_TYPES[kind]
    return python | None if column.nullable else python


@pytest.mark.parametrize(("kind", "table"), WHOLE_TABLES, ids=lambda v: getattr(v, "__name__", str(v)))
def test_a_whole_table_record_has_every_column_in_order(kind: type[msgspec.Struct], table: Table) -> None:
    assert kind.__struct_fields__ == tuple(column.name for column in table.c)


@pytest.mark.parametrize(
    ("kind", "table"), WHOLE_TABLES + PARTS, ids=lambda v: getattr(v, "__name__", str(v))
)
def test_each_field_has_its_columns_type(kind: type[msgspec.Struct], table: Table) -> None:
    hints = _field_types(kind)
    for name in kind.__struct_fields__:
        if name == "translation_charged" and kind is PollOutcome:
            assert hints[name] == bool | None  # None: leave the column as it is
            continue
        if kind is PollOutcome and name == "lease_owner":
            continue  # whose lease the write needs, not a value written
        expected = _column_type(table, name)
        narrower = typing.get_args(expected)[0] if typing.get_args(expected) else expected
        allowed = (expected, narrower) if (kind, table) in PARTS else (expected,)
        assert hints[name] in allowed, f"{kind.__name__}.{name}: {hints[name]} but the column is {expected}"


def test_the_attempt_log_entry_is_an_attempt_with_its_messages_facts() -> None:
    hints = _field_types(AttemptLogEntry)
    for name in [column.name for column in delivery_attempts.c]:
        assert hints[name] == _column_type(delivery_attempts, name)
    for name in ("event", "number", "message_id", "state"):
        assert hints[name] == _column_type(deliveries, name)


def test_a_registration_is_written_as_one_positional_row_in_the_tables_column_order() -> None:
    written = set(NewTracking.__struct_fields__)
    assert tuple(column.name for column in trackings.c if column.name in written) == REGISTRATION_COLUMNS


def test_each_change_a_request_may_make_is_a_tracking_column_of_its_type() -> None:
    hints = typing.get_type_hints(TrackingChanges)
    for name, hint in hints.items():
        assert hint == _column_type(trackings, name), name
