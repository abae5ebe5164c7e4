"""The `17token` header -> an account, or the documented 401."""

from __future__ import annotations

from typing import Any

from litestar import Request

from parceltrace.protocol.errors import ApiError, ErrorCode
from parceltrace.service.accounts import Account, authenticate
from parceltrace.service.context import Services

TOKEN_HEADER = "17token"


async def account_for(request: Request[Any, Any, Any], services: Services) -> Account:
    key = request.headers.get(TOKEN_HEADER, "").strip()
    if not key or len(key) > 200:
        raise ApiError(ErrorCode.INVALID_KEY)
    async with services.store.read() as conn:
        account = await authenticate(conn, key, services.clock.now())
    if account is None:
        raise ApiError(ErrorCode.INVALID_KEY)
    if not account.enabled:
        raise ApiError(ErrorCode.ACCOUNT_DISABLED)
    client = request.client.host if request.client else ""
    if not account.allows_ip(client):
        raise ApiError(ErrorCode.IP_NOT_WHITELISTED)
    return account
