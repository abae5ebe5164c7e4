"""A small HTTP/1.1 keep-alive load generator (asyncio + uvloop), run in its own process.

Each connection sends one request at a time and waits for the answer (no pipelining), the way
an integration client behaves; bodies come from a factory so every request can be unique.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import uvloop

BodyFactory = Callable[[int, int], bytes]
"""(connection index, request index on that connection) -> request body"""


@dataclass
class LoadResult:
    requests: int = 0
    seconds: float = 0.0
    statuses: dict[int, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


async def _connection(
    host: str, port: int, head: bytes, bodies: BodyFactory, index: int, until: float, result: LoadResult
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    sent = 0
    try:
        while time.perf_counter() < until:
            body = bodies(index, sent)
            started = time.perf_counter()
            writer.write(head + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
            header = await reader.readuntil(b"\r\n\r\n")
            status = int(header[9:12])
            length = 0
            for line in header.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            result.latencies.append(time.perf_counter() - started)
            result.statuses[status] = result.statuses.get(status, 0) + 1
            result.requests += 1
            sent += 1
    finally:
        writer.close()


async def _run(host: str, port: int, path: str, headers: dict[str, str], bodies: BodyFactory,
               connections: int, seconds: float) -> LoadResult:  # fmt: skip
    head = f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    result = LoadResult()
    started = time.perf_counter()
    until = started + seconds
    await asyncio.gather(
        *(_connection(host, port, head.encode(), bodies, i, until, result) for i in range(connections))
    )
    result.seconds = time.perf_counter() - started
    return result


def run_load(host: str, port: int, path: str, headers: dict[str, str], bodies: BodyFactory,
             connections: int = 16, seconds: float = 10.0) -> LoadResult:  # fmt: skip
    return uvloop.run(_run(host, port, path, headers, bodies, connections, seconds))
