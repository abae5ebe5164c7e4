"""The SDK's exceptions. Per-item outcomes are values; only whole-request failures raise.

ClientError                 root: .message, .status (HTTP), .code (17TRACK's, where the answer
│                           has one), .retryable (whether trying again may help), .retry_after
├── AuthenticationError     401, or -18010001/2/4/5: bad key, disabled account, IP not whitelisted
├── RateLimitError          429: .retry_after seconds
├── QuotaError              the client refused to spend more than `max_quota`
├── InvalidRequestError     the server rejected the request as a whole (data.errors)
├── ServerError             5xx, or -18010003 (internal error): worth retrying (a 503 says
│                           when in .retry_after: the service's database is out of reach)
├── TransportError          no answer: connection refused, timeout, a body that is not JSON
├── MalformedAnswer         JSON, but not in a shape 17TRACK documents (e.g. gettracklist
│                           without its data): the same request would bring the same answer
└── AnswerTooLarge          an answer past the client's size cap
"""

from __future__ import annotations


class ClientError(Exception):
    retryable = False

    def __init__(
        self,
        message: str,
        status: int | None = None,
        code: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.retry_after = retry_after
        """Seconds the server asked to wait before trying again (its Retry-After), if it did."""


class AuthenticationError(ClientError):
    pass


class RateLimitError(ClientError):
    retryable = True

    def __init__(
        self, message: str, retry_after: float | None, status: int = 429, code: int | None = None
    ) -> None:
        super().__init__(message, status, code, retry_after)


class QuotaError(ClientError):
    pass


class InvalidRequestError(ClientError):
    pass


class ServerError(ClientError):
    retryable = True


class TransportError(ClientError):
    retryable = True


class MalformedAnswer(ClientError):
    """The answer is JSON but not a shape 17TRACK documents; sending again brings the same."""


class AnswerTooLarge(ClientError):
    """The answer went past the client's size cap; sending again would bring the same."""
