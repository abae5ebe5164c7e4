"""Status-change e-mails: settings and content (pure)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from urllib.parse import urlsplit

from parceltrace.protocol.structs import TrackInfo
from parceltrace.protocol.webhook_url import connected_host


@dataclass(frozen=True, slots=True)
class MailSettings:
    host: str
    port: int
    sender: str

    @classmethod
    def from_url(cls, url: str, sender: str) -> MailSettings:
        """`smtp://host:port` (no TLS or auth: a relay on the local network is assumed); the host
        as a client connects to it (IDNA-mapped, as every other URL here)."""
        try:
            parts = urlsplit(url)
            host = connected_host(url) if parts.scheme == "smtp" and parts.hostname else ""
            port = parts.port or 25
        except (ValueError, UnicodeError) as exc:
            raise ValueError(f"--smtp-url must look like smtp://host:port, not {url!r}") from exc
        if not host:
            raise ValueError(f"--smtp-url must look like smtp://host:port, not {url!r}")
        return cls(host, port, sender)


@dataclass(frozen=True, slots=True)
class MailContent:
    subject: str
    text: str
    html: str


def status_mail(number: str, tag: str | None, info: TrackInfo) -> MailContent:
    status = info.latest_status
    event = info.latest_event
    when = event.time_iso if event and event.time_iso else ""
    what = event.description if event and event.description else status.sub_status
    where = event.location if event and event.location else ""
    title = f"Parcel {number}: {status.status}"
    lines = [
        f"Your parcel {number}{f' ({tag})' if tag else ''} has a new status: "
        f"{status.status} ({status.sub_status}).",
        "",
        f"Latest event: {what}",
        f"When: {when}" if when else "",
        f"Where: {where}" if where else "",
    ]
    text = "\n".join(line for line in lines if line is not None) + "\n"
    rows = "".join(
        f"<tr><th align='left'>{html.escape(label)}</th><td>{html.escape(value)}</td></tr>"
        for label, value in (
            ("Status", f"{status.status} ({status.sub_status})"),
            ("Event", what),
            ("When", when),
            ("Where", where),
        )
        if value
    )
    body = (
        f"<html><body><h1>{html.escape(title)}</h1>"
        f"<p>Your parcel <strong>{html.escape(number)}</strong> has a new status.</p>"
        f"<table>{rows}</table></body></html>"
    )
    return MailContent(title, text, body)
