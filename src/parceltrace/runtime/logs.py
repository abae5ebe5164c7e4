"""Log setup: structlog, JSON lines in production (stderr not a terminal), readable otherwise.

Every record, ours and the standard library's (uvicorn, aiohttp, karrio), goes through the same
chain: tracebacks are rendered without local variables (they held API keys, signing secrets and
session cookies), then `redact` scrubs secret-looking fields and values before anything is
written."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any, TextIO

import structlog
from structlog.tracebacks import ExceptionDictTransformer

REDACTED = "[redacted]"
SECRET_FIELD = re.compile(
    r"(key|token|secret|password|passwd|cookie|authorization|credential|sign|session|sealed)", re.I
)
"""Field names whose values are never written, whatever they hold."""
SECRET_TEXT = (
    # header or form fields written as `name: value`, `name=value`, `'name': 'value'`
    re.compile(
        r"(?i)(\b(?:17token|authorization|cookie|set-cookie|pt_session|pt_login|csrf_token|login_token"
        r"|api[_-]?key|secret|password|sign)['\"]?\s*[:=]\s*(?:b?['\"])?)(?:bearer\s+|basic\s+)?"
        r"([^\s'\",;&]+)"
    ),
    re.compile(r"whsec_[A-Za-z0-9+/=_-]+"),
    re.compile(r"\b[0-9A-F]{32}\b"),
)
"""Secret-looking text inside values: 17TRACK-shaped API keys (32 upper-case hex digits),
Standard Webhooks secrets, and the value after a header, cookie or form field that carries one."""
HANDLER_NAME = "parceltrace"
QUIET_LIBRARIES = ("karrio", "aiohttp.access", "httpx", "httpcore", "uvicorn.error")
"""Chatty libraries whose records below WARNING are dropped."""


def scrub(text: str) -> str:
    for pattern in SECRET_TEXT:
        text = pattern.sub(_replacement, text)
    return text


def _replacement(match: re.Match[str]) -> str:
    return match.group(1) + REDACTED if match.re.groups == 2 else REDACTED


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {k: REDACTED if _secret_field(k) else _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def _secret_field(name: Any) -> bool:
    return isinstance(name, str) and name not in ("event", "exception") and bool(SECRET_FIELD.search(name))


def redact(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """Secret fields lose their value; every other string (the message and the rendered
    traceback included) has secret-looking text replaced."""
    for name, value in list(event.items()):
        event[name] = REDACTED if _secret_field(name) else _clean(value)
    return event


ACCESS_LOGGER = "uvicorn.access"
ACCESS_SECRETS = (
    re.compile(r"\?[^\s\"]*"),  # a query string may carry anything (keys, tokens)
    re.compile(r"(?<=/p/)[^\s\"/?]+"),  # public share tokens
)


def scrub_access(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """An access line (`--access-log`) keeps the path without its query string, and a public
    page's path without its share token: the path is all an operator needs to read."""
    if event.get("logger") == ACCESS_LOGGER and isinstance(event.get("event"), str):
        text = event["event"]
        for pattern in ACCESS_SECRETS:
            text = pattern.sub(REDACTED if pattern.pattern.startswith("(?<=") else "?" + REDACTED, text)
        event["event"] = text
    return event


def processors(as_json: bool) -> list[structlog.typing.Processor]:
    """The chain before rendering, shared by structlog and standard-library records."""
    exceptions: structlog.typing.Processor = (
        structlog.processors.ExceptionRenderer(ExceptionDictTransformer(show_locals=False))
        if as_json
        else structlog.processors.format_exc_info
    )
    return [
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        exceptions,
        redact,
        scrub_access,
    ]


def configure_logging(
    json_lines: bool | None = None, stream: TextIO | None = None, cache: bool = True, access_log: bool = False
) -> None:
    """`stream` (stderr by default) receives every record; `cache=False` lets a test configure
    again after loggers were used; `access_log` lets uvicorn's line per request through."""
    out = stream or sys.stderr
    as_json = (not out.isatty()) if json_lines is None else json_lines
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer()
        if as_json
        else structlog.dev.ConsoleRenderer(
            colors=out.isatty(), exception_formatter=structlog.dev.plain_traceback
        )
    )
    chain = processors(as_json)
    structlog.configure(
        processors=[*chain, renderer],
        logger_factory=structlog.PrintLoggerFactory(out),
        cache_logger_on_first_use=cache,
    )
    handler = logging.StreamHandler(out)
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
            foreign_pre_chain=[structlog.stdlib.add_logger_name, *chain],
        )
    )
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)
    logging.getLogger("uvicorn.access").setLevel(logging.INFO if access_log else logging.WARNING)
