"""The root of every error the server side raises on purpose, and the tree under it (each
class where it is raised; a second base where callers or libraries catch that kind):

    ParceltraceError
    ├── ApiError            protocol.errors: a 17TRACK error code, for a request or an item
    ├── BeyondHorizon       clock: the sandbox clock may not go there (also ValueError)
    ├── AccountError        service.accounts: a refused account operation
    ├── ConnectorError      service.connectors: a refused connector operation
    ├── CsvProblem          service.csv_items: a file that is no item list (also ValueError)
    ├── SealingError        service.sealing: a sealed secret that does not open
    ├── SignInRefused       service.web_sessions: a dashboard sign-in refused
    ├── PushNotGenuine      service.upstream: an upstream push with a wrong signature
    ├── PushUnreadable      service.upstream: an upstream push that is not 17TRACK's shape
    ├── SourceError         sources.base: a source could not answer
    ├── KarrioMissing       sources.connectors.calls: the carriers extra is not installed (also RuntimeError)
    ├── AnswerTooLarge      sources.connectors.transport: a carrier answer over the cap (also OSError)
    ├── TranslationError    sources.translate: the translator could not answer
    ├── AddressRefused      outbox.safety: a webhook address the policy refuses (also OSError)
    ├── MailNotSent         outbox.smtp: the relay refused or could not be reached
    └── TooFast             web.pages: a dashboard request over its rate limit

The SDK has a root of its own, `parceltrace.client.ClientError`: it imports nothing of the
server (tests/protocol/test_failures.py holds both trees to this)."""

from __future__ import annotations


class ParceltraceError(Exception):
    """Anything the server side raises on purpose (a bug raises what it raises)."""
