"""Jinja2 templates from the package, autoescaped; the helpers of views.py are their globals."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from parceltrace.protocol.status import MainStatus
from parceltrace.web import views

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
"""Every page: only our own scripts and styles (all vendored), never framed, and no Referer to
other sites, so a public page's token never leaks to a link it contains."""


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("parceltrace.web", "templates"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        look=views.look,
        statuses=list(MainStatus),
        local_time=views.local_time,
        utc_time=views.utc_time,
        when=views.when,
        trouble_kind=views.trouble_kind,
        carrier_name=views.carrier_name,
        carrier_homepage=views.carrier_homepage,
        sub_status_label=views.sub_status_label,
    )
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


@cache
def status_css() -> str:
    """The status badge colours, generated from views.STATUS_LOOK (the tested palette)."""
    rules = [
        f".status-{status.value} {{ color: {look.foreground}; background: {look.background}; }}"
        for status, look in views.STATUS_LOOK.items()
    ]
    return "\n".join(rules) + "\n"
