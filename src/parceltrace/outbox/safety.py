"""Where webhooks may go. In live mode only globally routable addresses are called: loopback,
private, shared (100.64.0.0/10), link-local, cloud-metadata and reserved addresses are refused,
also when they hide inside an IPv6 address (IPv4-mapped, 6to4, Teredo, NAT64), unless the host
is explicitly allowed; the sandbox also allows loopback, so a receiver on the developer's
machine works.

A host name is checked when the connection is made, by the resolver the HTTP client connects
with (`PinnedResolver`): the addresses checked are the addresses connected to, with no second
lookup in between for a name to change its answer. An address written in the URL is checked
before connecting (the HTTP client does not look those up), read as the client reads it
(`connected_host`: `http://127。0。0。1/` is 127.0.0.1)."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult

from parceltrace.protocol.failures import ParceltraceError
from parceltrace.protocol.webhook_url import connected_host, webhook_url_problem

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Lookup = Callable[[str, int], Awaitable[list[tuple[int, str]]]]
"""host, port -> [(address family, address)]: the system resolver, or a stub in tests."""
METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


class AddressRefused(ParceltraceError, OSError):
    """A webhook host resolved to an address the policy does not call."""


async def system_lookup(host: str, port: int) -> list[tuple[int, str]]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [(int(info[0]), str(info[4][0])) for info in infos]


def embedded_ipv4(address: Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries (and would reach through a gateway)."""
    if isinstance(address, ipaddress.IPv4Address):
        return []
    found = [a for a in (address.ipv4_mapped, address.sixtofour) if a is not None]
    if address.teredo is not None:
        found.extend(address.teredo)
    if any(address in network for network in NAT64):
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


def _translated(address: Address) -> bool:
    """An IPv6 address that only stands for an IPv4 one (IPv4-mapped, NAT64): judged by it."""
    if isinstance(address, ipaddress.IPv4Address):
        return False
    return address.ipv4_mapped is not None or any(address in network for network in NAT64)


def address_problem(address: Address, allow_loopback: bool) -> str | None:
    """Why `address` may not be called, or None when it may."""
    inner = embedded_ipv4(address)
    for candidate in inner if _translated(address) else (address, *inner):
        inside = "" if candidate is address else f" (inside {address})"
        if candidate in METADATA:
            return f"a cloud metadata address{inside}"
        if candidate.is_loopback:
            if allow_loopback:
                continue
            return f"a loopback address{inside}"
        if candidate.is_link_local:
            return f"a link-local address{inside}"
        if (
            candidate.is_private
            or candidate.is_unspecified
            or candidate.is_multicast
            or candidate.is_reserved
        ):
            return f"a private or reserved address{inside}"
        if not candidate.is_global:
            return f"an address that is not globally routable{inside}"
    return None


@dataclass(frozen=True)
class WebhookPolicy:
    allow_loopback: bool
    allowed_hosts: frozenset[str] = field(default_factory=frozenset)
    lookup: Lookup = system_lookup

    @classmethod
    def for_mode(cls, sandbox: bool, allowed_hosts: list[str] | None = None) -> WebhookPolicy:
        return cls(allow_loopback=sandbox, allowed_hosts=frozenset(h.lower() for h in allowed_hosts or []))

    def allowed(self, host: str) -> bool:
        return host.lower().rstrip(".") in self.allowed_hosts

    def _refused(self, host: str, address: Address) -> str | None:
        problem = address_problem(address, self.allow_loopback)
        if problem is None:
            return None
        return f"{host} resolves to {address}, {problem} (allow it with --allow-webhook-host {host})"

    def before_connecting(self, url: str) -> str | None:
        """What can be told without a lookup: the URL's form, and an address written in it
        (the HTTP client does not look those up, so they are checked here)."""
        problem = webhook_url_problem(url)
        if problem:
            return f"not a usable webhook URL: {problem}"
        host = connected_host(url)
        if self.allowed(host):
            return None
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            return None
        return self._refused(host, literal)

    async def refusal(self, url: str) -> str | None:
        """Why a URL may not be called now, or None when it may: the whole policy, lookup
        included (the dispatcher leaves the lookup to `PinnedResolver` instead)."""
        early = self.before_connecting(url)
        if early is not None:
            return early
        host = connected_host(url)
        if self.allowed(host):
            return None
        try:
            await self.checked_addresses(host, urlsplit(url).port or 443)
        except AddressRefused as exc:
            return str(exc)
        return None

    async def checked_addresses(self, host: str, port: int) -> list[tuple[int, str]]:
        """`host`'s addresses, each checked; AddressRefused if any may not be called."""
        try:
            found = await self.lookup(host, port)
        except OSError as exc:
            raise AddressRefused(f"cannot resolve {host}: {exc}") from exc
        if not found:
            raise AddressRefused(f"cannot resolve {host}: no address")
        if not self.allowed(host):
            for _, text in found:
                problem = self._refused(host, ipaddress.ip_address(text.split("%", 1)[0]))
                if problem:
                    raise AddressRefused(problem)
        return found


class PinnedResolver(AbstractResolver):
    """The resolver webhook connections use: the policy's lookup, the policy's check, and
    the checked addresses handed straight to the connection."""

    def __init__(self, policy: WebhookPolicy) -> None:
        self.policy = policy

    async def resolve(self, host: str, port: int = 0, family: Any = socket.AF_INET) -> list[ResolveResult]:
        return [
            ResolveResult(
                hostname=host,
                host=address,
                port=port,
                family=found_family,
                proto=socket.IPPROTO_TCP,
                flags=socket.AI_NUMERICHOST,
            )
            for found_family, address in await self.policy.checked_addresses(host, port)
        ]

    async def close(self) -> None:
        return None
