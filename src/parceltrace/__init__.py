"""parceltrace: a self-hostable tracking service that speaks the 17TRACK Tracking API v2.2,
and the Python SDK for that API (`parceltrace.Client`, `parceltrace.AsyncClient`)."""

from parceltrace.client import (
    AsyncClient,
    AuthenticationError,
    BatchResult,
    Client,
    ClientError,
    DryRun,
    InvalidRequestError,
    QuotaError,
    RateLimitError,
    Rejection,
    RetryPolicy,
    ServerError,
    TrackListPage,
    TransportError,
)

__version__ = "0.1.0"
__all__ = [
    "AsyncClient",
    "AuthenticationError",
    "BatchResult",
    "Client",
    "ClientError",
    "DryRun",
    "InvalidRequestError",
    "QuotaError",
    "RateLimitError",
    "Rejection",
    "RetryPolicy",
    "ServerError",
    "TrackListPage",
    "TransportError",
    "__version__",
]
