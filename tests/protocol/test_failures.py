"""One root per side: every exception class the server side defines is a ParceltraceError, every
one the SDK defines a ClientError, and the tree in protocol/failures.py names each server one."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import parceltrace
from parceltrace.client.errors import ClientError
from parceltrace.protocol import failures
from parceltrace.protocol.failures import ParceltraceError

SDK = ("parceltrace.client", "parceltrace.webhooks", "parceltrace.testing")
OPTIONAL = ("parceltrace.sources.connectors.carriers",)
"""Modules that import karrio's carrier packages (an optional extra)."""


def _exception_classes() -> dict[str, type[BaseException]]:
    found: dict[str, type[BaseException]] = {}
    for module_info in pkgutil.walk_packages(parceltrace.__path__, "parceltrace."):
        name = module_info.name
        if ".migrations" in name or name.startswith(OPTIONAL):
            continue
        module = importlib.import_module(name)
        for value in vars(module).values():
            if inspect.isclass(value) and issubclass(value, BaseException) and value.__module__ == name:
                found[f"{name}.{value.__qualname__}"] = value
    return found


def test_every_exception_has_its_sides_root() -> None:
    classes = _exception_classes()
    assert len(classes) >= 20, "the walk found too few classes to mean anything"
    for qualified, kind in classes.items():
        root = ClientError if qualified.startswith(SDK) else ParceltraceError
        assert issubclass(kind, root), f"{qualified} is not a {root.__name__}"


def test_the_tree_names_every_server_exception() -> None:
    server = {q.rsplit(".", 1)[1] for q in _exception_classes() if not q.startswith(SDK)}
    documented = {word for word in (failures.__doc__ or "").split() if word[:1].isupper()}
    missing = server - documented - {"ParceltraceError"}
    assert not missing, f"protocol/failures.py's tree lacks {sorted(missing)}"
