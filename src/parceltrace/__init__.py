"""parceltrace: a self-hostable tracking service that speaks the 17TRACK Tracking API v2.2,
and the Python SDK for that API (`parceltrace.Client`, `parceltrace.AsyncClient`)."""

from parceltrace import client as _client
from parceltrace.client import *  # noqa: F403 (the SDK is the package's public face)

__version__ = "0.1.0"
__all__ = [*_client.__all__, "__version__"]
