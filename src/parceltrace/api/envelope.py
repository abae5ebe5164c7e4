"""Every answer is JSON in 17TRACK's envelope, whatever went wrong."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Response

from parceltrace.protocol.errors import ApiError, ErrorCode

JSON = "application/json"
_encoder = msgspec.json.Encoder()

HTTP_MESSAGES = {
    404: "Incorrect request URL.",
    405: "Method not allowed: use POST (getquota and getcarrier also answer GET).",
    413: "Request body too large: at most 1 MiB.",
    429: "Request frequency exceeds governing threshold.",
}


def json_response(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response[bytes]:
    return Response(_encoder.encode(payload), status_code=status, media_type=JSON, headers=headers)


def errors_payload(code: int, text: str, top_code: int = 0) -> dict[str, Any]:
    return {"code": top_code, "data": {"errors": [{"code": code, "message": text}]}}


def api_error_response(code: ErrorCode, *args: Any, status: int = 200) -> Response[bytes]:
    """A whole-request failure: HTTP 200 with code 0 and data.errors, as 003 shows it;
    on 401/500 the top-level code carries the error code too."""
    return error_response(ApiError(code, *args), status)


def error_response(exc: ApiError, status: int = 200) -> Response[bytes]:
    top = 0 if status == 200 else int(exc.code)
    return json_response(errors_payload(int(exc.code), exc.message, top), status)


def http_error_response(status: int, headers: dict[str, str] | None = None) -> Response[bytes]:
    text = HTTP_MESSAGES.get(status, "Request failed.")
    return json_response(errors_payload(status, text, status), status, headers)
