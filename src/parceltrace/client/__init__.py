"""The Python SDK for the 17TRACK v2.2 API: works against 17TRACK itself and parceltrace."""

from parceltrace.client import answers
from parceltrace.client.async_client import AsyncClient
from parceltrace.client.core import DEFAULT_BASE_URL, BatchResult, DryRun, Rejection, TrackListPage
from parceltrace.client.errors import (
    AnswerTooLarge,
    AuthenticationError,
    ClientError,
    InvalidRequestError,
    MalformedAnswer,
    QuotaError,
    RateLimitError,
    ServerError,
    TransportError,
)
from parceltrace.client.retry import RetryPolicy
from parceltrace.client.sync_client import Client

__all__ = [
    "DEFAULT_BASE_URL",
    "AnswerTooLarge",
    "AsyncClient",
    "AuthenticationError",
    "BatchResult",
    "Client",
    "ClientError",
    "DryRun",
    "InvalidRequestError",
    "MalformedAnswer",
    "QuotaError",
    "RateLimitError",
    "Rejection",
    "RetryPolicy",
    "ServerError",
    "TrackListPage",
    "TransportError",
    "answers",
]
