"""Is this text a webhook URL the dispatcher can call? Checked when an account's URL is saved
(CLI and dashboard) and again before each delivery, for URLs saved before these rules: a URL
that cannot be parsed must fail its own delivery, never the dispatcher's batch."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import idna

MAX_LENGTH = 2048
MAX_LABEL = 63
MAX_HOST = 253


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
    return host_problem(parts.hostname, bracketed="[" in parts.netloc)


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
