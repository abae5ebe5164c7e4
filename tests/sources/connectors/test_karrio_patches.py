"""What parceltrace changes in karrio's plumbing (`calls._adapt_karrio`, `calls.gateway_for`,
`transport.install`) rests on karrio internals. Each is checked here on the installed karrio,
so a karrio release that moves one fails loudly here, not quietly in production (the pinned
range in pyproject.toml is the one these pass on)."""

from __future__ import annotations

import inspect
import urllib.request

import pytest

from parceltrace.sources.connectors import calls, transport
from parceltrace.sources.connectors.catalog import SPECS

assert calls.karrio_installed()  # imports karrio quietly (it warns about PyPDF2 at import)
import karrio.core.utils as karrio_utils  # noqa: E402
import karrio.core.utils.helpers as helpers  # noqa: E402
import karrio.lib as lib  # noqa: E402
from karrio.core.utils.caching import Cache  # noqa: E402
from karrio.core.utils.datetime import DATEFORMAT  # noqa: E402


@pytest.fixture(autouse=True)
def adapted() -> None:
    calls.prepare_karrio(loopback_only=True)


def test_karrios_thread_pools_run_each_task_in_the_callers_context() -> None:
    """`run_concurently` (UPS, USPS, ... one request per number) must go through the
    `exec_parrallel` parceltrace replaces, else a call's answers are lost to its thread."""
    assert "exec_parrallel" in inspect.getsource(lib.run_concurently)
    assert karrio_utils.exec_parrallel is calls._exec_parallel_in_context


def test_a_batch_of_one_runs_where_it_is() -> None:
    """`exec_async` is looked up by name in karrio's helpers: it must still be there."""
    assert callable(helpers.exec_async)
    assert list(inspect.signature(helpers.exec_async).parameters)[:2] == ["action", "sequence"]


def test_token_fetches_run_in_the_callers_context() -> None:
    """karrio's connection cache takes a callable to fetch a missing token (`Cache.set`)."""
    parameters = list(inspect.signature(Cache.set).parameters)
    assert parameters[:3] == ["self", "key", "value"]
    assert Cache.set.__name__ == "set_in_context", "prepare_karrio wraps it"


def test_dates_are_read_through_the_faster_parser() -> None:
    assert hasattr(DATEFORMAT.date, "__wrapped__")


def test_fedex_signature_images_are_not_fetched_while_parsing() -> None:
    import karrio.providers.fedex.utils as fedex_utils

    assert hasattr(fedex_utils, "get_proof_of_delivery")
    assert fedex_utils.get_proof_of_delivery() is None


def test_every_request_goes_through_parceltraces_opener() -> None:
    """karrio opens its requests with urllib's `urlopen`, which uses the installed opener."""
    assert "urlopen(" in inspect.getsource(helpers._urlopen_with_span)
    handlers = urllib.request._opener.handlers  # type: ignore[attr-defined]
    assert transport.CARRIER_REQUESTS in handlers


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_each_carriers_settings_name_its_server_address(spec: object) -> None:
    """`--base-url` replaces every `*server_url` property of the carrier's settings; a carrier
    without one has its fixed address rebased by the transport (bpost, TNT)."""
    plugin = calls._plugin(spec.name)  # type: ignore[attr-defined]
    urls = [name for name in dir(plugin.Settings) if name.endswith("server_url")]
    fixed = {"bpost", "tnt"}
    assert urls or spec.name in fixed, f"{spec.name}'s settings have no server_url"  # type: ignore[attr-defined]
