"""003's event times from a carrier's local date and time: the carrier's own offset when its
answer gives one, else its headquarters zone with `time_raw.timezone` null."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parceltrace.sources.connectors.times import (
    Hint,
    event_time,
    local_clock,
    normalized_offset,
    offset_hints,
)


@pytest.mark.parametrize(
    ("text", "clock"),
    [
        ("14:05 PM", "14:05"),
        ("08:12 AM", "08:12"),
        ("2:30 PM", "14:30"),
        ("12:15 AM", "00:15"),
        ("12:15 PM", "12:15"),
        ("00:30 AM", "00:30"),
        ("23:59:59", "23:59"),
        ("", None),
        (None, None),
        ("noon", None),
        ("25:00", None),
    ],
)
def test_karrio_clock_texts(text: str | None, clock: str | None) -> None:
    assert local_clock(text) == clock


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("Z", "+00:00"),
        ("+0100", "+01:00"),
        ("-05:00", "-05:00"),
        ("EST", "-05:00"),
        ("ndt", "-02:30"),
        ("CET?", None),
    ],
)
def test_offsets(text: str, offset: str | None) -> None:
    assert normalized_offset(text) == offset


def test_the_carriers_offset_wins() -> None:
    hints = {"2026-11-20T14:05": Hint("+01:00", "14:05:30")}
    when = event_time("2026-11-20", "14:05", hints, "America/New_York")
    assert (when.time_iso, when.time_utc) == ("2026-11-20T14:05:30+01:00", "2026-11-20T13:05:30Z")
    assert (when.time_raw.date, when.time_raw.time, when.time_raw.timezone) == (
        "2026-11-20",
        "14:05:30",
        "+01:00",
    )


def test_without_an_offset_the_headquarters_zone_is_used_and_said_so() -> None:
    summer = event_time("2026-07-01", "10:00", {}, "Europe/Berlin")
    winter = event_time("2026-12-01", "10:00", {}, "Europe/Berlin")
    assert (summer.time_iso, summer.time_utc) == ("2026-07-01T10:00:00+02:00", "2026-07-01T08:00:00Z")
    assert (winter.time_iso, winter.time_utc) == ("2026-12-01T10:00:00+01:00", "2026-12-01T09:00:00Z")
    assert summer.time_raw.timezone is None


def test_a_date_without_a_time_is_midnight_with_time_raw_time_null() -> None:
    """003's milestone example: `2023-08-14T00:00:00-05:00` with `time: null`."""
    when = event_time("2023-08-14", None, {}, "America/Chicago")
    assert when.time_iso == "2023-08-14T00:00:00-05:00"
    assert (when.time_raw.date, when.time_raw.time, when.time_raw.timezone) == ("2023-08-14", None, None)


@pytest.mark.parametrize("date", [None, "", "yesterday", "2026-13-40"])
def test_no_usable_date_is_no_time(date: str | None) -> None:
    when = event_time(date, "10:00", {}, "Europe/Paris")
    assert (when.time_iso, when.time_utc, when.time_raw.date) == (None, None, None)


def test_offsets_are_read_from_iso_timestamps_anywhere_in_an_answer() -> None:
    raw = {
        "shipments": [
            {"events": [{"timestamp": "2026-11-20T14:05:00+01:00"}, {"timestamp": "2026-11-18T16:01:00"}]}
        ]
    }
    assert offset_hints(raw) == {"2026-11-20T14:05": Hint("+01:00", "14:05:00")}


def test_offsets_stated_beside_local_times() -> None:
    ups = {
        "date": "20261120",
        "time": "134500",
        "gmtDate": "20261120",
        "gmtOffset": "-05:00",
        "gmtTime": "18:45:00",
    }
    usps = {
        "eventTimestamp": "2026-11-20T13:45:00Z",
        "GMTTimestamp": "2026-11-20T18:45:00Z",
        "GMTOffset": "-05:00",
    }
    assert offset_hints([ups]) == {"2026-11-20T13:45": Hint("-05:00", "13:45:00")}
    assert offset_hints(usps) == {"2026-11-20T13:45": Hint("-05:00", "13:45:00")}


def test_canada_posts_zone_names_in_xml() -> None:
    from lxml import etree

    xml = etree.fromstring(
        b"<r xmlns='urn:x'><occurrence><event-date>2026-07-20</event-date><event-time>13:45:00</event-time>"
        b"<event-time-zone>EDT</event-time-zone></occurrence></r>"
    )
    assert offset_hints(xml) == {"2026-07-20T13:45": Hint("-04:00", "13:45:00")}


def test_a_minute_given_two_offsets_is_not_guessed() -> None:
    raw = [
        {"t": "2026-11-20T10:00:00+01:00"},
        {"t": "2026-11-20T10:00:00+02:00"},
        {"t": "2026-11-20T11:00:00+02:00"},
    ]
    assert offset_hints(raw) == {"2026-11-20T11:00": Hint("+02:00", "11:00:00")}


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1)),
    st.sampled_from(["Europe/Berlin", "America/New_York", "Australia/Melbourne", "Asia/Kolkata", "UTC"]),
)
def test_the_iso_time_and_the_utc_time_are_one_moment(moment: datetime, zone: str) -> None:
    local = moment.replace(second=0, microsecond=0)
    when = event_time(local.strftime("%Y-%m-%d"), local.strftime("%H:%M"), {}, zone)
    assert when.time_iso is not None and when.time_utc is not None
    iso = datetime.fromisoformat(when.time_iso)
    utc = datetime.fromisoformat(when.time_utc.replace("Z", "+00:00"))
    assert iso == utc
    assert iso.replace(tzinfo=None) == local
    assert iso.utcoffset() == local.replace(tzinfo=ZoneInfo(zone)).utcoffset()


@given(
    st.integers(-12 * 60, 14 * 60).map(lambda m: m - m % 15),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1)),
)
def test_a_given_offset_round_trips(minutes: int, moment: datetime) -> None:
    local = moment.replace(microsecond=0)
    sign = "-" if minutes < 0 else "+"
    offset = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    iso_text = f"{local:%Y-%m-%dT%H:%M:%S}{offset}"
    hints = offset_hints({"when": iso_text})
    when = event_time(local.strftime("%Y-%m-%d"), local.strftime("%H:%M"), hints, "UTC")
    assert when.time_iso == iso_text
    assert datetime.fromisoformat(when.time_utc.replace("Z", "+00:00")) == local.replace(  # type: ignore[union-attr]
        tzinfo=UTC
    ) - timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("record", "hints"),
    [
        (  # Sendle: the local scan time and the same moment in UTC
            {"scan_time": "2026-11-20T03:45:00Z", "local_scan_time": "2026-11-20T14:45:00"},
            {"2026-11-20T14:45": Hint("+11:00", "14:45:00")},
        ),
        (  # Perth, the other side of the country
            {"scan_time": "2026-11-19T23:10:05Z", "local_scan_time": "2026-11-20T07:10:05"},
            {"2026-11-20T07:10": Hint("+08:00", "07:10:05")},
        ),
        (  # west of UTC, across midnight
            {"scan_time": "2026-11-21T02:30:00.000Z", "local_scan_time": "2026-11-20T21:30:00"},
            {"2026-11-20T21:30": Hint("-05:00", "21:30:00")},
        ),
        (  # not a quarter hour apart: two moments, not one
            {"scan_time": "2026-11-20T03:45:00Z", "local_scan_time": "2026-11-20T14:52:00"},
            {"2026-11-20T03:45": Hint("+00:00", "03:45:00")},
        ),
        (  # over 14 hours apart
            {"scan_time": "2026-11-20T03:45:00Z", "local_scan_time": "2026-11-21T03:45:00"},
            {"2026-11-20T03:45": Hint("+00:00", "03:45:00")},
        ),
        (  # two local times: which one is the moment is not guessed
            {"a": "2026-11-20T03:45:00Z", "b": "2026-11-20T14:45:00", "c": "2026-11-20T15:45:00"},
            {"2026-11-20T03:45": Hint("+00:00", "03:45:00")},
        ),
    ],
)
def test_a_local_time_beside_the_same_moment_in_utc_gives_the_offset(
    record: dict[str, str], hints: dict[str, Hint]
) -> None:
    assert offset_hints([record]) == hints


@given(
    st.integers(-12 * 4, 14 * 4).map(lambda quarters: timedelta(minutes=15 * quarters)),
    st.datetimes(min_value=datetime(2000, 1, 2), max_value=datetime(2090, 1, 1)),
)
def test_a_paired_local_and_utc_time_round_trips(offset: timedelta, moment: datetime) -> None:
    utc = moment.replace(microsecond=0)
    local = utc + offset
    record = {"scan_time": f"{utc:%Y-%m-%dT%H:%M:%S}Z", "local_scan_time": f"{local:%Y-%m-%dT%H:%M:%S}"}
    when = event_time(f"{local:%Y-%m-%d}", f"{local:%H:%M}", offset_hints([record]), "UTC")
    assert when.time_utc == f"{utc:%Y-%m-%dT%H:%M:%S}Z"
    assert datetime.fromisoformat(when.time_iso or "").utcoffset() == offset


def test_two_records_of_one_minute_lend_no_seconds() -> None:
    """Australia Post's 13:31:07 and 13:31:54 (karrio's recorded answer): the minute keeps its
    offset, and neither record's seconds are given to an event that cannot say which it is."""
    raw = [{"date": "2021-01-27T13:31:54+11:00"}, {"date": "2021-01-27T13:31:07+11:00"}]
    assert offset_hints(raw) == {"2021-01-27T13:31": Hint("+11:00", None)}
    when = event_time("2021-01-27", "13:31", offset_hints(raw), "Australia/Melbourne")
    assert when.time_iso == "2021-01-27T13:31:00+11:00"
    own = event_time(
        "2021-01-27", "13:31", offset_hints(raw), "Australia/Melbourne", "2021-01-27T13:31:07.000Z"
    )
    assert own.time_iso == "2021-01-27T13:31:07+11:00" and own.time_raw.timezone == "+11:00"
