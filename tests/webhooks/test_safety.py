from __future__ import annotations

import ipaddress
import socket

import pytest

from parceltrace.outbox.safety import Lookup, WebhookPolicy, address_problem
from parceltrace.outbox.transport import new_session, post

LIVE = WebhookPolicy.for_mode(sandbox=False)
SANDBOX = WebhookPolicy.for_mode(sandbox=True)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:9000/hook", "loopback"),
        ("http://localhost/hook", "loopback"),
        ("http://[::1]/hook", "loopback"),
        ("http://10.1.2.3/hook", "private"),
        ("http://192.168.0.10/hook", "private"),
        ("http://172.16.5.5/hook", "private"),
        ("http://169.254.169.254/latest/meta-data", "cloud metadata"),
        ("http://169.254.10.10/hook", "link-local"),
        ("http://0.0.0.0/hook", "private"),
        ("ftp://example.com/hook", "not an http"),
    ],
)
async def test_live_mode_refuses_internal_addresses(url: str, reason: str) -> None:
    refusal = await LIVE.refusal(url)
    assert refusal is not None and reason in refusal


async def test_live_mode_allows_public_addresses_and_listed_hosts() -> None:
    assert await LIVE.refusal("http://93.184.216.34/hook") is None
    allowed = WebhookPolicy.for_mode(sandbox=False, allowed_hosts=["127.0.0.1", "LOCALHOST"])
    assert await allowed.refusal("http://127.0.0.1:9000/hook") is None
    assert await allowed.refusal("http://localhost/hook") is None


async def test_sandbox_allows_loopback_only() -> None:
    assert await SANDBOX.refusal("http://127.0.0.1:9000/hook") is None
    assert await SANDBOX.refusal("http://10.0.0.1/hook") is not None
    assert await SANDBOX.refusal("http://169.254.169.254/") is not None


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("100.64.0.1", "not globally routable"),  # shared address space (carrier-grade NAT)
        ("100.100.100.200", "not globally routable"),  # a cloud metadata address in 100.64/10
        ("2002:a00:1::1", "private or reserved address (inside 2002:a00:1::1)"),  # 6to4 of 10.0.0.1
        ("2002:7f00:1::1", "loopback address (inside 2002:7f00:1::1)"),  # 6to4 of 127.0.0.1
        ("2002:a9fe:a9fe::1", "cloud metadata address (inside"),  # 6to4 of 169.254.169.254
        ("64:ff9b::a00:1", "private or reserved address (inside 64:ff9b::a00:1)"),  # NAT64 of 10.0.0.1
        ("64:ff9b:1::a9fe:a9fe", "cloud metadata address (inside"),  # local-use NAT64
        ("::ffff:192.168.1.1", "private or reserved"),  # IPv4-mapped
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "private or reserved"),  # Teredo
        ("fd00:ec2::254", "cloud metadata"),
        ("fc00::1", "private or reserved"),
        ("ff02::1", "private or reserved"),
        ("224.0.0.1", "private or reserved"),
        ("198.18.0.1", "private or reserved"),  # benchmarking network
    ],
)
def test_addresses_that_are_not_globally_routable_are_refused(address: str, reason: str) -> None:
    problem = address_problem(ipaddress.ip_address(address), allow_loopback=False)
    assert problem is not None and reason in problem


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "2606:4700::1111", "2002:808:808::1", "64:ff9b::808:808", "::ffff:1.1.1.1"]
)
def test_public_addresses_pass(address: str) -> None:
    assert address_problem(ipaddress.ip_address(address), allow_loopback=False) is None


def stub(answers: dict[str, list[str]]) -> Lookup:
    """A resolver that never leaves the process: each name's fixed answer."""

    async def lookup(host: str, port: int) -> list[tuple[int, str]]:
        if host not in answers:
            raise OSError(f"unknown host {host}")
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, a) for a in answers[host]]

    return lookup


async def test_a_name_is_checked_by_what_it_resolves_to() -> None:
    policy = WebhookPolicy(
        allow_loopback=False, lookup=stub({"hooks.example": ["93.184.216.34", "100.64.0.7"]})
    )
    refusal = await policy.refusal("https://hooks.example/in")
    assert refusal is not None and "hooks.example resolves to 100.64.0.7" in refusal
    assert "--allow-webhook-host hooks.example" in refusal


async def test_the_connection_goes_to_the_address_that_was_checked() -> None:
    """The pinned resolver is the only lookup: a name resolved (by the stub) to the local
    receiver is delivered there, and one resolved to a private address is refused before any
    connection is made; no other name service is asked."""
    from tests.webhooks.receiver import receiving

    lookups: list[str] = []
    answers = stub({"hooks.example": ["127.0.0.1"], "internal.example": ["10.0.0.5"]})

    async def counted(host: str, port: int) -> list[tuple[int, str]]:
        lookups.append(host)
        return await answers(host, port)

    sandbox = WebhookPolicy(allow_loopback=True, lookup=counted)
    async with receiving() as receiver, new_session(sandbox) as session:
        status, error = await post(session, sandbox, f"http://hooks.example:{receiver.port}/hook", b"{}", {})
        assert (status, error) == (200, None)
        assert len(receiver.received) == 1
        status, error = await post(
            session, sandbox, f"http://internal.example:{receiver.port}/hook", b"{}", {}
        )
        assert status is None and error is not None
        assert error.startswith("refused: internal.example resolves to 10.0.0.5")
    assert lookups == ["hooks.example", "internal.example"]


def test_an_address_written_in_the_url_is_checked_before_connecting() -> None:
    policy = WebhookPolicy.for_mode(sandbox=False)
    assert "private or reserved" in (policy.before_connecting("http://[2002:a00:1::1]/h") or "")
    assert "not globally routable" in (policy.before_connecting("http://100.64.0.1/h") or "")
    assert policy.before_connecting("https://hooks.example/h") is None  # names: at connect time


UNICODE_DOT_LOOPBACK = [
    "http://127\u30020\u30020\u30021:9000/x",  # ideographic full stop
    "http://127\uff0e0\uff0e0\uff0e1:9000/x",  # fullwidth full stop
    "http://127\uff610\uff610\uff611:9000/x",  # halfwidth ideographic full stop
    "http://127\u30020\uff0e0\uff611:9000/x",  # mixed
    "http://\uff11\uff12\uff17.0.0.1/x",  # fullwidth digits
    "http://\u24dbocalhost/x",  # circled l: IDNA maps it to localhost
    "http://LOCALHOST./x",
]


@pytest.mark.parametrize("url", UNICODE_DOT_LOOPBACK)
async def test_a_host_is_read_as_the_http_client_reads_it(url: str) -> None:
    """The HTTP client (yarl, after IDNA mapping) connects to 127.0.0.1 for each of these: the
    policy refuses them as loopback, before connecting as well as in the whole check (the stub
    resolver answers for names; nothing is sent anywhere)."""
    policy = WebhookPolicy(
        allow_loopback=False, lookup=stub({"localhost": ["127.0.0.1"], "localhost.": ["127.0.0.1"]})
    )
    if url in UNICODE_DOT_LOOPBACK[:5]:
        assert "loopback" in (policy.before_connecting(url) or "")
    refusal = await policy.refusal(url)
    assert refusal is not None and "loopback" in refusal


@pytest.mark.parametrize("url", UNICODE_DOT_LOOPBACK[:5])
def test_an_allowed_host_is_matched_as_connected(url: str) -> None:
    allowed = WebhookPolicy.for_mode(sandbox=False, allowed_hosts=["127.0.0.1"])
    assert allowed.before_connecting(url) is None


@pytest.mark.parametrize("url", UNICODE_DOT_LOOPBACK[:5])
async def test_a_unicode_dot_literal_is_never_connected_to(url: str) -> None:
    """Through the HTTP transport itself: a live policy refuses the address the client would
    connect to, and the local receiver (on 127.0.0.1, the address hidden in the URL) sees
    nothing."""
    from tests.webhooks.receiver import receiving

    live = WebhookPolicy(allow_loopback=False, lookup=stub({}))
    async with receiving() as receiver, new_session(live) as session:
        target = url.replace(":9000", f":{receiver.port}")
        if ":" not in target.split("//", 1)[1].split("/", 1)[0]:
            target = target.replace("/x", f":{receiver.port}/x", 1)
        status, error = await post(session, live, target, b"{}", {})
        assert status is None and error is not None and "loopback" in error
        assert receiver.received == []
