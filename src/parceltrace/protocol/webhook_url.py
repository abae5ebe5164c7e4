"""Is this text a webhook URL the dispatcher can call? Checked when an account's URL is saved
(CLI and dashboard) and again before each delivery, for URLs saved before these rules: a URL
that cannot be parsed must fail its own delivery, never the dispatcher's batch.

A host is read as the HTTP clients read it (yarl, which aiohttp connects with; httpx and
urllib map the same way): after IDNA's mapping, `127。0。0。1` (U+3002) is 127.0.0.1 and
fullwidth digits are digits. Every check reads `connected_host`, and what is saved is
`canonical_url`, so no check ever looks at a host other than the one connected to."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import idna
from yarl import URL

MAX_LENGTH = 2048
MAX_LABEL = 63
MAX_HOST = 253


def connected_host(url: str) -> str:
    """The host an HTTP client connects to for `url` (lower case, IDNA-mapped, an IPv6 address
    without brackets); ValueError or UnicodeError when the URL has none it can read."""
    host = URL(url).raw_host
    if not host:
        raise ValueError("no host")
    return host


def canonical_url(url: str) -> str:
    """`url` as the HTTP client sends it: the host it connects to, the path percent-encoded."""
    return str(URL(url))


def webhook_url_problem(url: str) -> str | None:
    """Why `url` is not a usable http(s) webhook URL, or None when it is."""
    if len(url) > MAX_LENGTH:
        return f"it is {len(url)} characters long; at most {MAX_LENGTH} are allowed"
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return "it contains spaces or control characters"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"it cannot be read as a URL ({exc})"
    if parts.scheme.lower() not in ("http", "https"):
        return "it is not an http:// or https:// URL"
    if not parts.hostname:
        return "it has no host name"
    if port is not None and not 1 <= port <= 65535:
        return f"port {port} is out of range (1-65535)"
    try:
        host = connected_host(url)
    except (ValueError, UnicodeError) as exc:
        return f"its host {parts.hostname} cannot be read as an HTTP client reads it ({exc})"
    return host_problem(host, bracketed="[" in parts.netloc)


def host_problem(host: str, *, bracketed: bool) -> str | None:
    """A host must be an IP address or a domain name IDNA can encode (labels of 1-63 octets)."""
    if bracketed:
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return f"[{host}] is not an IPv6 address"
        return None
    name = host[:-1] if host.endswith(".") else host
    labels = name.split(".")
    if labels[-1].isdigit():
        try:
            ipaddress.IPv4Address(name)
        except ValueError:
            return f"{host} is not an IPv4 address or a domain name"
        return None
    if any(not label for label in labels):
        return f"{host} has an empty label (two dots in a row, or a leading dot)"
    longest = max(len(label) for label in labels)
    if longest > MAX_LABEL:
        return f"{host} has a label of {longest} characters; at most {MAX_LABEL} are allowed"
    try:
        encoded = idna.encode(name, uts46=True)
    except (idna.IDNAError, UnicodeError) as exc:
        return f"{host} is not a valid domain name ({exc})"
    if len(encoded) > MAX_HOST:
        return f"{host} is {len(encoded)} characters long; at most {MAX_HOST} are allowed"
    return None
