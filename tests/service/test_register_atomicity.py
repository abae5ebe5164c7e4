"""Rows and the quota charge of one request commit together or not at all."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from parceltrace.service import quota, register
from parceltrace.store.records import NewTracking
from tests.conftest import Api


class Boom(Exception):
    pass


async def state(api: Api) -> tuple[int, int]:
    used = (await api.call("getquota", []))["data"]["quota_used"]
    total = (await api.call("gettracklist", {}))["page"]["data_total"]
    return used, total


async def test_failure_after_insert_rolls_back_rows(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    async def failing_save(self: Any, conn: Any) -> None:
        raise Boom

    monkeypatch.setattr(quota.QuotaLedger, "save", failing_save)
    response = await api.raw("register", [{"number": "RB123456785GB"}, {"number": "RB123456785US"}])
    assert response.status_code == 500
    assert response.json()["data"]["errors"][0]["code"] == -18010003
    monkeypatch.undo()
    assert await state(api) == (0, 0)


async def test_failure_during_insert_charges_nothing(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    real_new = register._new_tracking

    def broken_new(*args: Any) -> NewTracking:
        new = real_new(*args)
        if new.number == "RB123456785US":
            return msgspec.structs.replace(new, data_origin=None)  # type: ignore[arg-type]  # NOT NULL
        return new

    monkeypatch.setattr(register, "_new_tracking", broken_new)
    response = await api.raw("register", [{"number": "RB123456785GB"}, {"number": "RB123456785US"}])
    assert response.status_code == 500
    monkeypatch.undo()
    assert await state(api) == (0, 0)
    ok = await api.call("register", [{"number": "RB123456785GB"}, {"number": "RB123456785US"}])
    assert len(ok["data"]["accepted"]) == 2
    assert await state(api) == (2, 2)
