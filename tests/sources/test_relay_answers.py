"""The relay serves an upstream's answers as its own: 17TRACK's documented gettrackinfo answer
(tests/client/contract/) passes through unchanged; a null the served shape has a default for
takes it; a null it cannot do without makes that number's answer unusable, not the batch's."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest

from parceltrace.client import answers
from parceltrace.sources.relay import as_served
from tests.client.contract.examples import BY_NAME


def documented_track_info() -> dict[str, Any]:
    info: dict[str, Any] = json.loads(BY_NAME["gettrackinfo"].body)["data"]["accepted"][0]["track_info"]
    return info


def served(info: dict[str, Any]) -> dict[str, Any]:
    """As served, without the one field the served shape adds that this example lacks
    (`provider_lang`, null: 003 shows it in the webhook's example only)."""
    result: dict[str, Any] = msgspec.to_builtins(as_served(answers.read(info, answers.TrackInfo)))
    for provider in result["tracking"]["providers"]:
        if provider.get("provider_lang") is None:
            provider.pop("provider_lang", None)
    return result


def test_the_documented_answer_passes_through_unchanged() -> None:
    assert served(documented_track_info()) == documented_track_info()


def test_nulls_the_served_shape_has_a_default_for_take_it() -> None:
    info = documented_track_info()
    info["misc_info"]["local_key"] = None
    info["misc_info"]["risk_factor"] = "3"
    info["time_metrics"]["days_of_transit"] = None
    del info["tracking"]["providers_hash"]
    out = served(info)
    assert (out["misc_info"]["local_key"], out["misc_info"]["risk_factor"]) == (0, 3)
    assert out["time_metrics"]["days_of_transit"] == 0 and out["tracking"]["providers_hash"] == 0
    assert out["tracking"]["providers"] == documented_track_info()["tracking"]["providers"]


def test_a_null_the_served_shape_cannot_do_without_is_refused() -> None:
    info = documented_track_info()
    info["tracking"]["providers"][0]["events_hash"] = None
    with pytest.raises(msgspec.ValidationError, match="events_hash"):
        served(info)
