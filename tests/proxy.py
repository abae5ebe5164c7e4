"""A TCP proxy on 127.0.0.1 that a test cuts and restores: the way to take PostgreSQL or Redis
out of reach of a server (and bring it back) without stopping the shared service itself.

Cut: every open connection is closed and new ones are refused (the port stops listening), as a
stopped database or a lost network looks to a client. Restore: the same port listens again."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

CHUNK = 65536
JOIN_SECONDS = 5.0


class Proxy:
    def __init__(self, upstream_port: int, upstream_host: str = "127.0.0.1") -> None:
        self.upstream = (upstream_host, upstream_port)
        self._listener = self._listen(0)
        self.port: int = self._listener.getsockname()[1]
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self.cut_now = False
        self._start_accepting()

    @staticmethod
    def _listen(port: int) -> socket.socket:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(128)
        return listener

    def _start_accepting(self) -> None:
        thread = threading.Thread(target=self._accept, args=(self._listener,), daemon=True)
        thread.start()
        self._threads.append(thread)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # the listener was closed: cut
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self._lock:
                if self.cut_now:
                    client.close()
                    server.close()
                    continue
                self._open.update((client, server))
            for source, sink in ((client, server), (server, client)):
                pump = threading.Thread(target=self._pump, args=(source, sink), daemon=True)
                pump.start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(CHUNK):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                self._close(end)

    def _close(self, end: socket.socket) -> None:
        with self._lock:
            self._open.discard(end)
        with contextlib.suppress(OSError):
            end.shutdown(socket.SHUT_RDWR)
        end.close()

    def cut(self) -> None:
        """Refuse new connections and close the open ones."""
        with self._lock:
            self.cut_now = True
            ends = list(self._open)
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
        self._listener.close()
        for end in ends:
            self._close(end)

    def restore(self) -> None:
        """Listen on the same port again."""
        with self._lock:
            self.cut_now = False
        self._listener = self._listen(self.port)
        self._start_accepting()

    def close(self) -> None:
        self.cut()
        for thread in self._threads:
            thread.join(JOIN_SECONDS)


@contextlib.contextmanager
def proxy_to(upstream_port: int) -> Iterator[Proxy]:
    proxy = Proxy(upstream_port)
    try:
        yield proxy
    finally:
        proxy.close()
