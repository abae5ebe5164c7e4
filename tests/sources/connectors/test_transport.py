"""The HTTP under karrio: `--base-url` sends every request of a call to the stand-in, sandbox or
proxy, including the addresses karrio fixes in code; tests reach only loopback addresses."""

from __future__ import annotations

import pytest

from parceltrace.sources.connectors.transport import is_loopback, rebased


@pytest.mark.parametrize(
    ("url", "base", "sent_to"),
    [
        (  # bpost's tracking, fixed in karrio's code
            "https://api.parcel.bpost.cloud/services/trackedmail/item/323299/trackingInfo",
            "http://127.0.0.1:9100",
            "http://127.0.0.1:9100/services/trackedmail/item/323299/trackingInfo",
        ),
        (  # a sign-in on a host of its own (Hermes), query kept
            "https://authme.hermesworld.com/authorization-facade/oauth2/access_token?grant_type=password",
            "http://127.0.0.1:9100/",
            "http://127.0.0.1:9100/authorization-facade/oauth2/access_token?grant_type=password",
        ),
        (  # a proxy with a path of its own
            "https://necta.az.fxei.fedex.com/ectrack/track",
            "https://proxy.example/tnt",
            "https://proxy.example/tnt/ectrack/track",
        ),
        (  # already below the base (karrio's server_url was replaced): left alone
            "http://127.0.0.1:9100/track/shipments?trackingNumber=1",
            "http://127.0.0.1:9100",
            "http://127.0.0.1:9100/track/shipments?trackingNumber=1",
        ),
        (
            "https://proxy.example/tnt/ectrack/track",
            "https://proxy.example/tnt/",
            "https://proxy.example/tnt/ectrack/track",
        ),
        (  # a host that merely starts like the base is not below it
            "http://127.0.0.1:91000/x",
            "http://127.0.0.1:9100",
            "http://127.0.0.1:9100/x",
        ),
    ],
)
def test_base_url_receives_every_request_of_a_call(url: str, base: str, sent_to: str) -> None:
    assert rebased(url, base) == sent_to


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1:9100", True),
        ("[::1]:9100", True),
        ("localhost", True),
        ("127.8.9.10", True),
        ("api.parcel.bpost.cloud", False),
        ("10.0.0.1:80", False),
        ("[2001:db8::1]:443", False),
    ],
)
def test_only_loopback_hosts_are_reached_in_tests(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_an_answer_is_decoded_once_for_karrios_parser_and_the_offset_hints() -> None:
    from karrio.core.utils import Deserializable

    from parceltrace.sources.connectors import calls

    calls.prepare_karrio(loopback_only=True)
    decoded: list[str] = []

    def decode(text: str) -> dict[str, str]:
        decoded.append(text)
        return {"when": text}

    answer = calls._decoded_once(Deserializable('"2026-11-20T13:45:00+01:00"', decode, {"number": "1"}))
    assert answer.deserialize() is answer.deserialize()
    assert decoded == ['"2026-11-20T13:45:00+01:00"'] and answer.ctx == {"number": "1"}
