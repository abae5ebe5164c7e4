"""The `parceltrace serve` application (and its HTTP protocol) plus a no-op route, the baseline
of a benchmark run.

The no-op route reads the same body as the real endpoints and answers a small JSON document,
so its rate is what the HTTP stack alone allows on this machine at this moment.
"""

from __future__ import annotations

import sys

import uvicorn
from litestar import Request, Response, post

from parceltrace.runtime.http_limits import BoundedHttpToolsProtocol
from parceltrace.runtime.server import ServerSettings, build_app


@post("/bench/noop")
async def noop(request: Request) -> Response[bytes]:  # type: ignore[type-arg]
    await request.body()
    return Response(b'{"code":0,"data":{"accepted":[],"rejected":[]}}', media_type="application/json")


def main(db: str, port: int, run_worker: bool) -> None:
    app = build_app(ServerSettings(db, sandbox=True, port=port, run_worker=run_worker))
    app.register(noop)
    uvicorn.run(
        app, host="127.0.0.1", port=port, log_level="warning", loop="uvloop", http=BoundedHttpToolsProtocol
    )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), run_worker="--no-worker" not in sys.argv)
