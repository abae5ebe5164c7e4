"""A carrier or upstream that echoes the operator's credentials puts none of them in what is
stored, logged or shown: every form of each secret is replaced before a failure leaves the
connector (and the relay)."""

from __future__ import annotations

import base64
from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from parceltrace.sources.connectors.calls import CallResult, Failure, Trouble, redact
from parceltrace.sources.redaction import REDACTED, redacted, secret_forms

CREDENTIALS = {"client_id": "shop-4711", "client_secret": "s3cr3t/+=&key"}


def test_each_form_of_each_secret_is_replaced() -> None:
    forms = secret_forms(CREDENTIALS.values())
    pair = base64.b64encode(b"shop-4711:s3cr3t/+=&key").decode()
    text = (
        f"401: key s3cr3t/+=&key refused (sent as {quote('s3cr3t/+=&key', safe='')}, "
        f"Basic {pair}, id shop-4711, b64 {base64.b64encode(b's3cr3t/+=&key').decode()})"
    )
    cleaned = redacted(text, forms)
    for secret in (*CREDENTIALS.values(), pair, quote("s3cr3t/+=&key", safe="")):
        assert secret not in cleaned
    assert cleaned.count(REDACTED) == 5


def test_a_call_result_is_cleaned_before_it_is_stored_or_logged() -> None:
    forms = secret_forms(CREDENTIALS.values())
    result = CallResult(
        not_found={"1Z1": "no record for 1Z1 (account shop-4711)"},
        failure=Failure(Trouble.AUTH, "Invalid key s3cr3t/+=&key for client shop-4711"),
    )
    redact(result, forms)
    assert result.failure is not None
    assert "s3cr3t" not in str(result.failure) and "shop-4711" not in str(result.failure)
    assert str(result.failure).startswith("the carrier refused the credentials: Invalid key [redacted]")
    assert result.not_found == {"1Z1": "no record for 1Z1 (account [redacted])"}


def test_short_values_are_not_treated_as_secrets() -> None:
    assert set(secret_forms(["DE", "1", "true"])) == {"true", "dHJ1ZQ=="}


@given(st.text(min_size=4, max_size=40), st.text(max_size=60), st.text(max_size=60))
def test_a_secret_never_survives(secret: str, before: str, after: str) -> None:
    forms = secret_forms([secret])
    assert secret not in redacted(before + secret + after, forms).replace(REDACTED, "\0")
