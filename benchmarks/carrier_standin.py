"""A carrier API stand-in for benchmarks, in its own process: answers every number with a
delivered journey of the carrier's stand-in (a real answer of the carrier, see its `samples/`) after
`--delay` seconds (a real carrier API answers
in tens of milliseconds).

    python benchmarks/carrier_standin.py --carrier dhl_universal --port 9100 --delay 0.05
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.sources.connectors.carriers.dhl_universal import standin as dhl_universal
from tests.sources.connectors.carriers.fedex import standin as fedex


def dhl_answer(request: web.Request, _body: bytes) -> tuple[int, Any]:
    number = request.query.get("trackingNumber", "")
    return 200, json.loads(dhl_universal.JOURNEYS["delivered"].body(number))


def fedex_answer(request: web.Request, body: bytes) -> tuple[int, Any]:
    if request.path == "/oauth/token":
        return 200, {"access_token": fedex.TOKEN, "token_type": "bearer", "expires_in": 3599}
    payload = json.loads(body or b"{}")
    if "trackingInfo" not in payload:
        print(request.path, body[:300], file=sys.stderr)
        return 400, {"errors": [{"code": "BAD.REQUEST", "message": "trackingInfo is required"}]}
    numbers = [info["trackingNumberInfo"]["trackingNumber"] for info in payload["trackingInfo"]]
    journey = fedex.JOURNEYS["delivered"]
    return 200, {"output": {"completeTrackResults": [fedex._record(journey.body(n), n) for n in numbers]}}


ANSWERS = {"dhl_universal": dhl_answer, "fedex": fedex_answer}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--carrier", choices=sorted(ANSWERS), required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--delay", type=float, default=0.05)
    args = parser.parse_args()
    answer = ANSWERS[args.carrier]

    async def handle(request: web.Request) -> web.Response:
        body = await request.read()
        await asyncio.sleep(args.delay)
        status, payload = answer(request, body)
        return web.json_response(payload, status=status)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    web.run_app(app, host="127.0.0.1", port=args.port, print=None, backlog=1024, access_log=None)


if __name__ == "__main__":
    main()
