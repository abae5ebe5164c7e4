"""A minimal keep-alive HTTP receiver for the webhook benchmark (its own process, uvloop).
Answers 200 to every POST and appends `<receive time> <webhook-id>` lines to a file."""

from __future__ import annotations

import asyncio
import sys
import time

import uvloop


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, out: list[str]) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length, message = 0, ""
            for line in head.split(b"\r\n"):
                lower = line.lower()
                if lower.startswith(b"content-length:"):
                    length = int(line[15:])
                elif lower.startswith(b"webhook-id:"):
                    message = line[11:].strip().decode()
            await reader.readexactly(length)
            out.append(f"{time.time():.6f} {message}\n")
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main(port: int, path: str) -> None:
    out: list[str] = []
    server = await asyncio.start_server(lambda r, w: handle(r, w, out), "127.0.0.1", port)
    with open(path, "a", encoding="utf-8") as sink:
        while True:
            await asyncio.sleep(0.2)
            if out:
                sink.writelines(out)
                sink.flush()
                out.clear()
    await server.wait_closed()


if __name__ == "__main__":
    uvloop.run(main(int(sys.argv[1]), sys.argv[2]))
