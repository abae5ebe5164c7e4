"""The `17token` header -> an account, or the documented 401.

Look-ups are cached for one second per key (found or not): the hot path skips a database
round trip, and account changes made with the CLI take effect within that second.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any

from litestar import Request

from parceltrace.protocol.errors import ApiError, ErrorCode
from parceltrace.service.accounts import account_for_key, hash_key
from parceltrace.service.context import Services
from parceltrace.store.records import Account

TOKEN_HEADER = "17token"
CACHE_SECONDS = 1.0
CACHE_SIZE = 10_000


class AccountCache:
    def __init__(self, seconds: float = CACHE_SECONDS, size: int = CACHE_SIZE) -> None:
        self.seconds = seconds
        self.size = size
        self._entries: OrderedDict[str, tuple[float, Account | None]] = OrderedDict()

    async def lookup(self, key: str, services: Services) -> Account | None:
        digest = hash_key(key)
        now = time.monotonic()
        entry = self._entries.get(digest)
        if entry is not None and entry[0] > now:
            return entry[1]
        account = await account_for_key(services, key)
        self._entries[digest] = (now + self.seconds, account)
        self._entries.move_to_end(digest)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return account


async def account_for(request: Request[Any, Any, Any], services: Services, cache: AccountCache) -> Account:
    key = request.headers.get(TOKEN_HEADER, "").strip()
    if not key or len(key) > 200:
        raise ApiError(ErrorCode.INVALID_KEY)
    account = await cache.lookup(key, services)
    if account is None:
        raise ApiError(ErrorCode.INVALID_KEY)
    if not account.enabled:
        raise ApiError(ErrorCode.ACCOUNT_DISABLED)
    client = request.client.host if request.client else ""
    if not account.allows_ip(client):
        raise ApiError(ErrorCode.IP_NOT_WHITELISTED)
    return account
