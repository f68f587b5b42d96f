"""Races for tests: start several threads at the same instant and collect what each returned."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def race(n: int, run: Callable[[int], T], *, timeout: float = 60) -> list[T]:
    """`run(0)` … `run(n - 1)` on n threads released together by a barrier; their results in that order.

    A thread that raised re-raises here, and one still running after `timeout` fails the test, rather than leaving
    a None result for a later assertion to trip over.
    """
    barrier = threading.Barrier(n)
    results: list[T | None] = [None] * n
    errors: list[BaseException] = []

    def go(i: int) -> None:
        try:
            barrier.wait()
            results[i] = run(i)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=go, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    if any(t.is_alive() for t in threads):
        raise AssertionError(f"a racing thread was still running after {timeout} s")
    if errors:
        raise errors[0]
    return results  # type: ignore[return-value]  # every slot was filled: no thread raised or hung
