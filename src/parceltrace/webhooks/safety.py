"""Where webhooks may go. In live mode, URLs that resolve to loopback, private, link-local or
cloud-metadata addresses are refused unless their host is explicitly allowed; the sandbox also
allows loopback, so a receiver on the developer's machine works."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from parceltrace.protocol.webhook_url import webhook_url_problem

METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}


@dataclass(frozen=True)
class WebhookPolicy:
    allow_loopback: bool
    allowed_hosts: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def for_mode(cls, sandbox: bool, allowed_hosts: list[str] | None = None) -> WebhookPolicy:
        return cls(allow_loopback=sandbox, allowed_hosts=frozenset(h.lower() for h in allowed_hosts or []))

    async def refusal(self, url: str) -> str | None:
        """Why a URL may not be called now, or None when it may (resolved at each call)."""
        problem = webhook_url_problem(url)
        if problem:
            return f"not a usable webhook URL: {problem}"
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if host in self.allowed_hosts:
            return None
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, parts.port or 443, type=socket.SOCK_STREAM
            )
        except OSError as exc:
            return f"cannot resolve {host}: {exc}"
        for info in infos:
            address = ipaddress.ip_address(info[4][0])
            problem = self._problem(address)
            if problem:
                hint = f"allow it with --allow-webhook-host {host}"
                return f"{host} resolves to {address}, a {problem} address ({hint})"
        return None

    def _problem(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
        if address in METADATA:
            return "cloud metadata"
        if address.is_loopback:
            return None if self.allow_loopback else "loopback"
        if address.is_link_local:
            return "link-local"
        if address.is_private or address.is_unspecified or address.is_reserved or address.is_multicast:
            return "private or reserved"
        return None
