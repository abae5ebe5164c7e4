"""One blocking tracking call through karrio, and what came of it (runs in a worker thread).

karrio speaks each carrier's HTTP through urllib, returns error bodies instead of raising, and
sends no timeout. So every urllib request of the process goes through `transport`, which keeps
connections alive, gives each request a timeout and notes each answer's HTTP status for the
call that made it (a context variable, carried into karrio's own threads), and what a call
failed of is read from those statuses:
refused credentials, rate limited, the carrier down, unreachable, or an answer karrio could
not read. Numbers the carrier answered for without details are not found."""

from __future__ import annotations

import contextvars
import dataclasses
import functools
import os
import socket
import sys
import threading
import urllib.error
import urllib.request
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from parceltrace.protocol.failures import ParceltraceError
from parceltrace.sources.connectors import dates, transport
from parceltrace.sources.connectors.carriers import ALL
from parceltrace.sources.connectors.catalog import INSTALL_HINT
from parceltrace.sources.connectors.places import Place
from parceltrace.sources.connectors.times import Clocks, Hints
from parceltrace.sources.redaction import redacted

LOOPBACK_ONLY_ENV = "PARCELTRACE_CARRIERS_LOOPBACK_ONLY"
"""Set to 1 and no carrier request leaves this machine (local stand-ins, tests)."""
BASE_SETTINGS = frozenset(
    {"id", "test_mode", "carrier_id", "account_country_code", "metadata", "config", "services"}
)
"""karrio settings fields that are not credentials."""


class KarrioMissing(ParceltraceError, RuntimeError):
    def __init__(self) -> None:
        super().__init__(f"carrier connectors need karrio: {INSTALL_HINT}")


def karrio_installed() -> bool:
    os.environ.setdefault("KARRIO_LOG_LEVEL", "WARNING")  # karrio logs at import, before routing
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # karrio still imports PyPDF2
            import karrio.references
            import karrio.sdk  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class CredentialField:
    name: str
    required: bool


def credential_fields(name: str) -> list[CredentialField]:
    """karrio's settings fields for carrier `name`, without the ones every carrier has."""
    import attr

    settings = _plugin(name).Settings
    return [
        CredentialField(f.name, f.default is attr.NOTHING)
        for f in attr.fields(settings)
        if f.name not in BASE_SETTINGS
    ]


def _plugin(name: str) -> Any:
    if not karrio_installed():
        raise KarrioMissing()
    from karrio.references import collect_providers_data

    providers = collect_providers_data()
    if name not in providers:
        raise LookupError(f"karrio has no carrier named {name!r} (is its extension installed?)")
    return providers[name]


_installed = threading.Lock()
_ready = False


def prepare_karrio(loopback_only: bool = False) -> None:
    """Once per process: route urllib through the handler, carry the call's context into
    karrio's thread pools, and send karrio's own warnings and errors (loguru) to ours at DEBUG:
    karrio logs every 404 as an error, and our connector logs what each failure meant. Its
    debug records are not even built (they cost a millisecond a call: it logs whole answers)."""
    global _ready
    from_env = os.environ.get(LOOPBACK_ONLY_ENV) == "1"
    requests = transport.CARRIER_REQUESTS
    requests.loopback_only = loopback_only or from_env or requests.loopback_only
    with _installed:
        if _ready:
            return
        if not karrio_installed():
            raise KarrioMissing()
        transport.install()
        _adapt_karrio()
        _route_karrio_logs()
        _ready = True


def _adapt_karrio() -> None:
    """Changes to karrio's plumbing (no carrier's protocol is touched):
    - its thread pools, and its token cache's, run each task in the caller's context (the
      answers' statuses reach the call that asked);
    - a batch of one is run where it is, not on a new event loop with a new thread: karrio
      does that for every single-number call (2 ms of a 5 ms call, measured);
    - an uninstalled Sentry is known to be absent, not looked for on disk at every request;
    - each carrier's own change to its karrio module, where it has one (`carriers/`);
    - its date parsing gives the same answers without `strptime` where it can (see `dates`)."""
    import importlib.util

    import karrio.core.utils as karrio_utils
    import karrio.core.utils.helpers as helpers
    from karrio.core.utils.datetime import DATEFORMAT

    if "sentry_sdk" not in sys.modules and importlib.util.find_spec("sentry_sdk") is None:
        sys.modules["sentry_sdk"] = None  # type: ignore[assignment]  # karrio tries it on every request
    original = helpers.exec_async

    def exec_async(action: Any, sequence: list[Any]) -> list[Any]:
        if len(sequence) == 1:
            return [action(sequence[0])]
        return list(original(action, sequence))

    karrio_utils.exec_parrallel = _exec_parallel_in_context
    _sign_ins_in_context()
    DATEFORMAT.date = staticmethod(dates.faster(DATEFORMAT.date))
    loaded = [m for n, m in list(sys.modules.items()) if n.startswith("karrio.mappers.")]
    for module in [helpers, karrio_utils, *loaded]:
        if getattr(module, "exec_async", None) is original:
            module.exec_async = exec_async
    for carrier in ALL:
        if carrier.adapt_karrio is not None:
            carrier.adapt_karrio()


def _sign_ins_in_context() -> None:
    """karrio's connection cache fetches a missing token (Asendia's sign-in) on a thread of its
    own: it runs in the caller's context, so its answers count for the call that needed it."""
    from karrio.core.utils.caching import Cache

    original = Cache.set

    def set_in_context(self: Any, key: str, value: Any, *args: Any, **kwargs: Any) -> Any:
        if callable(value):
            context, fetch = contextvars.copy_context(), value
            value = functools.partial(context.run, fetch)
        return original(self, key, value, *args, **kwargs)

    Cache.set = set_in_context


def _exec_parallel_in_context(
    function: Any, sequence: list[Any], max_workers: int | None = None
) -> list[Any]:
    """karrio's `exec_parrallel`, each task run in a copy of the caller's context."""
    if not sequence:
        return []
    with ThreadPoolExecutor(max_workers=min(len(sequence), max_workers or len(sequence))) as pool:
        futures = [pool.submit(contextvars.copy_context().run, function, item) for item in sequence]
        results: list[Any] = []
        for future in as_completed(futures):
            try:
                results.append(future.result())
            except Exception as exc:
                results.append(exc)
        return results


def _route_karrio_logs() -> None:
    import logging

    from loguru import logger as loguru_logger

    target = logging.getLogger("karrio")

    def forward(message: Any) -> None:
        target.debug("%s", message.record["message"])

    loguru_logger.remove()
    loguru_logger.add(forward, level="WARNING", format="{message}")


# ---------------------------------------------------------------- the call


class Trouble(StrEnum):
    AUTH = "the carrier refused the credentials"
    RATE_LIMITED = "the carrier's rate limit was hit"
    UNAVAILABLE = "the carrier's API answered with a server error"
    TIMEOUT = "the carrier's API did not answer in time"
    UNREACHABLE = "the carrier's API could not be reached"
    MALFORMED = "the carrier's answer could not be read"
    REFUSED_REQUEST = "the carrier refused the request"


@dataclass(frozen=True, slots=True)
class Failure:
    trouble: Trouble
    detail: str
    retry_after: float | None = None

    def __str__(self) -> str:
        return f"{self.trouble.value}: {self.detail}"[:300]


@dataclass(slots=True)
class CallResult:
    """What one karrio call brought back: details by number, or the failure of the whole call."""

    details: dict[str, dict[str, Any]] = field(default_factory=dict)
    not_found: dict[str, str] = field(default_factory=dict)
    failure: Failure | None = None
    raw: Any = None
    hints: Hints = field(default_factory=dict)
    """The UTC offsets the answer gave (see `times`), read once per call."""
    places: list[Place] = field(default_factory=list)
    """The places the answer names (see `places`), read once per call."""
    clocks: Clocks = field(default_factory=dict)
    """The records' seconds by minute and text (see `times.clocks_by_text`)."""
    invalid: set[str] = field(default_factory=set)
    """Numbers the carrier called not valid (17TRACK's NotFound_InvalidCode)."""


@dataclass(frozen=True, slots=True)
class Connection:
    """A configured carrier: karrio's name, the credentials, and where its API is."""

    name: str
    credentials: dict[str, str]
    base_url: str | None = None
    test_mode: bool = False


def gateway_for(connection: Connection) -> Any:
    """A karrio gateway; `base_url` replaces every server address karrio's settings give (the
    addresses karrio fixes in code are sent there by `transport`, see `track`)."""
    plugin = _plugin(connection.name)
    import karrio.sdk as karrio
    from karrio.core.utils import DP

    settings = DP.to_object(
        plugin.Settings,
        {**connection.credentials, "test_mode": connection.test_mode, "carrier_id": connection.name},
    )
    if connection.base_url:
        base = connection.base_url.rstrip("/")
        overrides = {
            attribute: property(_constant(base))
            for attribute in dir(plugin.Settings)
            if attribute.endswith("server_url")
        }
        settings.__class__ = type(plugin.Settings.__name__, (plugin.Settings,), overrides)
    return karrio.gateway[connection.name].create(settings, tracer=_untraced_tracer()())


@functools.cache
def _untraced_tracer() -> Any:
    """karrio's tracer keeps every request and answer of a gateway, for its whole life, for a
    tracing store parceltrace does not have: 8.5 MiB per 1,000 DHL polls (measured). This one
    passes the data through and keeps nothing."""
    from karrio.core.utils.tracing import Tracer

    class Untraced(Tracer):  # type: ignore[misc]
        def trace(
            self, data: Any, key: str, metadata: dict[str, Any] | None = None, format: str | None = None
        ) -> Any:
            return data

    return Untraced


def _constant(value: str) -> Any:
    def getter(_self: Any) -> str:
        return value

    return getter


def redact(result: CallResult, forms: list[str]) -> None:
    """The connection's credentials out of what the carrier said (see `redaction`)."""
    if result.failure is not None:
        result.failure = dataclasses.replace(result.failure, detail=redacted(result.failure.detail, forms))
    result.not_found = {number: redacted(text, forms) for number, text in result.not_found.items()}


def key(number: str) -> str:
    return "".join(number.split()).upper()


def track(
    gateway: Any,
    numbers: list[str],
    base_url: str | None = None,
    *,
    one_per_call: bool = False,
    invalid_codes: frozenset[str] = frozenset(),
) -> CallResult:
    """One blocking call for `numbers` (a thread of the connector's pool runs it); with
    `base_url`, every request of the call goes there (the connector's `--base-url`).
    `one_per_call`: the carrier answers one inquiry a call, so whatever it answers is about
    the number asked (UPS names a package by its own number, Royal Mail by its mail piece ID).
    `invalid_codes`: the carrier's message codes saying the number itself is not valid."""
    import attr
    from karrio.core.models import TrackingRequest

    answers: list[transport.Answer] = []
    token = transport.answers.set(answers)
    base_token = transport.base_url.set(base_url)
    result = CallResult()
    try:
        request = gateway.mapper.create_tracking_request(TrackingRequest(tracking_numbers=numbers))
        adapt = ANSWER_ADAPTERS.get(str(getattr(gateway.settings, "carrier_name", "")))
        response = _decoded_once(_bundled(gateway.proxy.get_tracking(request)), adapt)
        details, messages = gateway.mapper.parse_tracking_response(response)
        result.raw = _safe_raw(response)
    except TimeoutError as exc:
        result.failure = Failure(Trouble.TIMEOUT, str(exc) or "timed out")
        return result
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, transport.AnswerTooLarge):
            result.failure = Failure(Trouble.MALFORMED, str(exc.reason))
            return result
        timed_out = isinstance(exc.reason, TimeoutError | socket.timeout)
        result.failure = Failure(Trouble.TIMEOUT if timed_out else Trouble.UNREACHABLE, str(exc.reason))
        return result
    except (ConnectionError, OSError) as exc:
        result.failure = _from_answers(answers) or Failure(Trouble.UNREACHABLE, str(exc))
        return result
    except Exception as exc:
        raised = getattr(exc, "messages", None) or []
        result.failure = (
            _from_messages(raised)
            or _from_answers(answers)
            or _refused_request(answers, raised)
            or Failure(Trouble.MALFORMED, f"{type(exc).__name__}: {exc}")
        )
        return result
    finally:
        transport.answers.reset(token)
        transport.base_url.reset(base_token)
    invalid = [m for m in messages if str(getattr(m, "code", "")) in invalid_codes]
    others = [m for m in messages if m not in invalid]
    failure = (
        _from_messages(messages)
        or _from_answers(answers)
        or (None if invalid and not others else _refused_request(answers, others))
    )
    if failure is not None:
        result.failure = failure
        return result
    by_key = {key(number): number for number in numbers}
    for detail in details:
        as_dict = attr.asdict(detail)
        named = str(as_dict.get("tracking_number") or "")
        asked = str((as_dict.get("meta") or {}).get("requested") or "")
        number = by_key.get(key(named)) or by_key.get(key(asked))  # GLS: a reference finds parcels
        if number is None and len(numbers) == 1 and (one_per_call or not named):
            number = numbers[0]  # an answer about the one number asked, named otherwise or not at all
        if number is not None and _newer(as_dict, result.details.get(number)):
            result.details[number] = as_dict  # another number's record is never this one's
    for number in numbers:
        if number not in result.details:
            said = _message_for(number, messages)
            result.not_found[number] = said or "the carrier has no record of it"
            if _message_for(number, invalid):
                result.invalid.add(number)
    return result


def _newer(record: dict[str, Any], kept: dict[str, Any] | None) -> bool:
    """Whether `record` is the newer of two records of one number (TNT lists a reused
    consignment number once per shipment): the one with the latest event; a tie keeps the
    first the carrier listed."""
    if kept is None:
        return True
    return _latest(record) > _latest(kept)


def _latest(record: dict[str, Any]) -> str:
    moments = [f"{e.get('date') or ''}T{e.get('time') or ''}" for e in record.get("events") or []]
    return max(moments, default="")


def _bundled(response: Any) -> Any:
    """A one-document XML answer wrapped as karrio wraps several: its parsers look for their
    elements below the root (Canada Post's `tracking-detail` of a single number is the root,
    and was never found)."""
    value = getattr(response, "value", None)
    if not (isinstance(value, list) and len(value) == 1 and isinstance(value[0], str)):
        return response
    if not value[0].lstrip().startswith("<"):
        return response
    from karrio.core.utils import XP, Deserializable

    return Deserializable(value, lambda texts: XP.to_xml_or_html_element(XP.bundle_xml(texts)))


ANSWER_ADAPTERS: dict[str, Callable[[Any], Any]] = {
    carrier.spec.name: carrier.adapt_answer for carrier in ALL if carrier.adapt_answer is not None
}
"""Per carrier: what parceltrace changes in a decoded answer before karrio's parser reads it
(each carrier's module in `carriers/` says why)."""


def _decoded_once(response: Any, adapt: Callable[[Any], Any] | None = None) -> Any:
    """The answer as karrio gives it, decoded once (and adapted, see ANSWER_ADAPTERS): karrio's
    parser and the offset hints (`result.raw`) both read it, and a JSON or XML decode is 2 % of
    a poll's CPU."""
    from karrio.core.utils import Deserializable

    decode = getattr(response, "_deserializer", None)
    if not isinstance(response, Deserializable) or decode is None:
        return response
    decoded: list[Any] = []

    def once(value: Any) -> Any:
        if not decoded:
            answer = decode(value)
            decoded.append(adapt(answer) if adapt is not None else answer)
        return decoded[0]

    return Deserializable(response.value, once, response.ctx)


def _safe_raw(response: Any) -> Any:
    try:
        return response.deserialize()
    except Exception:
        return None


def _from_answers(answers: list[transport.Answer]) -> Failure | None:
    statuses = [a.status for a in answers]
    if any(s in (401, 403) for s in statuses):
        return Failure(Trouble.AUTH, f"HTTP {next(s for s in statuses if s in (401, 403))}")
    limited = next((a for a in answers if a.status == 429), None)
    if limited is not None:
        return Failure(Trouble.RATE_LIMITED, "HTTP 429", _seconds(limited.retry_after))
    failing = next((s for s in statuses if s >= 500), None)
    if failing is not None:
        return Failure(Trouble.UNAVAILABLE, f"HTTP {failing}")
    if any(a.cut_short for a in answers):
        return Failure(Trouble.MALFORMED, "an XML answer was cut short or is not well-formed")
    return None


def _refused_request(answers: list[transport.Answer], messages: list[Any]) -> Failure | None:
    """HTTP 400 is the request refused as a whole (FedEx's TRACKING.TRACKINGNUMBER.EMPTY, Royal
    Mail's E0004), not a number without a record: a failure with the carrier's own words."""
    if not any(a.status == 400 for a in answers):
        return None
    said = "; ".join(_words(m) for m in messages)
    return Failure(Trouble.REFUSED_REQUEST, f"HTTP 400{': ' + said if said else ''}"[:300])


def _words(message: Any) -> str:
    """A carrier message as code and text, with the errors it carries inside (Royal Mail's
    `400 Bad Request` holds E0004 and what failed)."""
    text = f"{getattr(message, 'code', '') or ''} {getattr(message, 'message', '') or ''}".strip()
    details = getattr(message, "details", None)
    inner = details.get("errors") if isinstance(details, dict) else None
    for error in inner if isinstance(inner, list) else []:
        said = " ".join(
            str(part)
            for part in (_field(error, "errorCode", "code"), _field(error, "errorDescription", "message"))
            if part
        )
        text += f" ({said})" if said else ""
    return text


def _field(record: Any, *names: str) -> Any:
    """The first of `names` a record has, whether karrio gives it as a dict or an object."""
    for name in names:
        value = record.get(name) if isinstance(record, dict) else getattr(record, name, None)
        if value:
            return value
    return None


AUTH_WORDS = (
    "unauthorized",
    "authentication",
    "invalid credentials",
    "not authorized",
    "invalid api key",
    "login_",
)
"""What a carrier's message says when it refuses the credentials (`login_`: DPD's LOGIN_n codes)."""


def _from_messages(messages: list[Any]) -> Failure | None:
    """Credentials refused in the body, as SOAP carriers say it: in a 200 answer, or in a fault
    sent with HTTP 500 (DPD), which is then not the carrier being down. karrio raises some of
    these (DPD's sign-in) instead of returning them."""
    for message in messages:
        text = f"{getattr(message, 'code', '')} {getattr(message, 'message', '')}".lower()
        if any(word in text for word in AUTH_WORDS):
            return Failure(Trouble.AUTH, str(getattr(message, "message", ""))[:200])
    return None


def _message_for(number: str, messages: list[Any]) -> str | None:
    for message in messages:
        details = getattr(message, "details", None) or {}
        if key(str(details.get("tracking_number", ""))) == key(number) or len(messages) == 1:
            return str(getattr(message, "message", "") or "")[:200] or None
    return None


def _seconds(text: str | None) -> float | None:
    try:
        return max(0.0, float(text)) if text else None
    except ValueError:
        return None
