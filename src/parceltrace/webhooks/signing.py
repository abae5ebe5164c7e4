"""Both signature schemes a receiver may check, over the exact bytes sent.

- 17TRACK: header `sign` = sha256 hex of `body + "/" + api_key`.
- Standard Webhooks: `webhook-id`, `webhook-timestamp` and
  `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body" with the whsec secret>`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac


def sign_17track(body: bytes, api_key: str) -> str:
    return hashlib.sha256(body + b"/" + api_key.encode()).hexdigest()


def verify_17track(body: bytes, sign: str, api_key: str) -> bool:
    return hmac.compare_digest(sign_17track(body, api_key), sign.strip().lower())


def _secret_bytes(secret: str) -> bytes:
    raw = secret.removeprefix("whsec_")
    return base64.b64decode(raw + "=" * (-len(raw) % 4))


def standard_signature(body: bytes, message_id: str, timestamp: int, secret: str) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(_secret_bytes(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers_for(body: bytes, message_id: str, timestamp: int, api_key: str, secret: str) -> dict[str, str]:
    return {
        "content-type": "application/json",
        "sign": sign_17track(body, api_key),
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": standard_signature(body, message_id, timestamp, secret),
    }
