"""How busy this process's API is, so that the embedded worker gives way to it.

Registering a number costs a few microseconds; its first poll costs far more. In one process
the API comes first: while requests keep arriving the worker takes only a share of the time,
and the polls it defers stay due in the store (nothing is lost, the first results come later).
"""

from __future__ import annotations


class ApiActivity:
    """Counters the API bumps around each request; read by the worker between batches."""

    __slots__ = ("in_flight", "started")

    def __init__(self) -> None:
        self.in_flight = 0
        self.started = 0

    def begin(self) -> None:
        self.in_flight += 1
        self.started += 1

    def end(self) -> None:
        self.in_flight -= 1

    def busy_since(self, mark: int) -> bool:
        """Whether a request is running now or began after `started` read `mark`."""
        return self.in_flight > 0 or self.started != mark
