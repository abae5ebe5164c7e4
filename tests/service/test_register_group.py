"""Concurrent registrations share transactions but keep every rule of a lone request."""

from __future__ import annotations

import asyncio
from typing import Any

import msgspec
import pytest

from parceltrace.protocol.errors import ErrorCode
from parceltrace.protocol.structs import RegisterItem
from parceltrace.service import register as register_module
from parceltrace.service.accounts import AccountSettings, create_account, get_account
from parceltrace.service.context import Services
from parceltrace.store.group_commit import GroupCommit
from parceltrace.store.records import NewTracking


def items(*numbers: str) -> list[Any]:
    return [RegisterItem(number=n) for n in numbers]


def s10(serial: int, country: str = "GB") -> str:
    digits = f"{serial:08d}"
    remainder = sum(int(d) * w for d, w in zip(digits, (8, 6, 4, 2, 3, 5, 9, 7), strict=True)) % 11
    return f"RB{digits}{ {0: 5, 1: 0}.get(remainder, 11 - remainder) }{country}"


async def account(services: Services, name: str, quota: int = 100) -> int:
    created, _ = await create_account(services, name, AccountSettings(quota_total=quota))
    return created.id


async def test_same_numbers_from_many_requests_register_once(services: Services) -> None:
    account_id = await account(services, "shop")
    numbers = [s10(i) for i in range(10)]
    results = await asyncio.gather(
        *(register_module.register(services, account_id, items(*numbers)) for _ in range(8))
    )
    accepted = [a.number for r in results for a in r["accepted"]]
    assert sorted(accepted) == sorted(numbers)
    duplicates = [x.error.code for r in results for x in r["rejected"]]
    assert duplicates == [ErrorCode.ALREADY_REGISTERED] * 70
    stored = await get_account(services, "shop")
    assert stored is not None and stored.quota_used == 10


async def test_quota_holds_across_a_group(services: Services) -> None:
    account_id = await account(services, "shop", quota=50)
    batches = [[s10(b * 100 + i) for i in range(20)] for b in range(5)]
    results = await asyncio.gather(
        *(register_module.register(services, account_id, items(*b)) for b in batches)
    )
    assert sum(len(r["accepted"]) for r in results) == 50
    refused = [x.error.code for r in results for x in r["rejected"]]
    assert refused == [ErrorCode.QUOTA_EXHAUSTED] * 50
    stored = await get_account(services, "shop")
    assert stored is not None and (stored.quota_used, stored.quota_total) == (50, 50)


async def test_accounts_in_one_group_are_kept_apart(services: Services) -> None:
    first, second = await account(services, "a", quota=3), await account(services, "b", quota=3)
    numbers = [s10(i) for i in range(4)]
    one, two = await asyncio.gather(
        register_module.register(services, first, items(*numbers)),
        register_module.register(services, second, items(*numbers)),
    )
    assert len(one["accepted"]) == len(two["accepted"]) == 3


async def test_a_failing_request_fails_alone(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    account_id = await account(services, "shop")
    real_new = register_module._new_tracking

    def broken_new(*args: Any) -> NewTracking:
        new = real_new(*args)
        if new.number == s10(666):
            return msgspec.structs.replace(new, data_origin=None)  # type: ignore[arg-type]  # NOT NULL
        return new

    monkeypatch.setattr(register_module, "_new_tracking", broken_new)
    batches = [[s10(1), s10(2)], [s10(3), s10(666)], [s10(4)]]
    results = await asyncio.gather(
        *(register_module.register(services, account_id, items(*b)) for b in batches), return_exceptions=True
    )
    assert not isinstance(results[0], BaseException) and len(results[0]["accepted"]) == 2
    assert isinstance(results[1], BaseException)
    assert not isinstance(results[2], BaseException) and len(results[2]["accepted"]) == 1
    stored = await get_account(services, "shop")
    assert stored is not None and stored.quota_used == 3


async def test_requests_arriving_together_share_one_transaction(services: Services) -> None:
    calls: list[int] = []

    async def work(conn: Any, jobs: list[int]) -> list[int]:
        calls.append(len(jobs))
        return [job * 2 for job in jobs]

    group: GroupCommit[int, int] = GroupCommit(services.store, work, max_group=4)
    results = await asyncio.gather(*(group.submit(i) for i in range(10)))
    assert results == [i * 2 for i in range(10)]
    assert calls == [4, 4, 2]
