from __future__ import annotations

import time

import pytest
from standardwebhooks.webhooks import Webhook

from parceltrace import webhooks
from parceltrace.webhooks.payload import stopped_body
from parceltrace.webhooks.signing import headers_for

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
BODY = stopped_body("RR123456789CN", 3011, None, "")


def test_the_documented_example_signature() -> None:
    body = b'{"event":"TRACKING_UPDATED","data":{"number":"RR123456789CN","carrier":3011,"tag":null}}'
    import hashlib

    sign = hashlib.sha256(body + b"/123456ABCDEF").hexdigest()
    assert webhooks.verify(body, sign, "123456ABCDEF")
    assert not webhooks.verify(body + b" ", sign, "123456ABCDEF")  # tampered body
    assert not webhooks.verify(body, sign, "123456ABCDEG")  # wrong key


def test_standard_webhooks_both_ways() -> None:
    headers = headers_for(BODY, "msg_1", int(time.time()), "KEY", SECRET)
    assert webhooks.verify_standard(BODY, headers, SECRET)
    Webhook(SECRET).verify(BODY, headers)  # the reference implementation agrees
    assert not webhooks.verify_standard(BODY.replace(b"3011", b"3012"), headers, SECRET)
    assert not webhooks.verify_standard(BODY, headers, "whsec_" + "A" * 32)
    assert not webhooks.verify_standard(BODY, headers, SECRET, now=time.time() + 3600)  # replayed later
    assert not webhooks.verify_standard(BODY, {}, SECRET)


def test_parse_typed_events() -> None:
    stopped = webhooks.parse(BODY)
    assert isinstance(stopped, webhooks.TrackingStopped) and stopped.data.number == "RR123456789CN"
    with pytest.raises(ValueError):
        webhooks.parse(b'{"event":"SOMETHING_ELSE","data":{}}')
    with pytest.raises(ValueError):
        webhooks.parse(b"not json")
