"""The race helper itself: all threads start together, results come back in order, a failure is not swallowed."""

from __future__ import annotations

import threading
import time

import pytest

from tests.races import race


def test_all_threads_are_inside_at_once_and_results_keep_their_order() -> None:
    inside, most = [0], [0]
    lock = threading.Lock()

    def run(i: int) -> int:
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        time.sleep(0.05)
        with lock:
            inside[0] -= 1
        return i * i

    assert race(5, run) == [0, 1, 4, 9, 16]
    assert most[0] == 5


def test_a_thread_that_raised_fails_the_race() -> None:
    def run(i: int) -> int:
        if i == 1:
            raise ValueError("thread 1 broke")
        return i

    with pytest.raises(ValueError, match="thread 1 broke"):
        race(3, run)


def test_a_thread_still_running_after_the_timeout_fails_the_race() -> None:
    release = threading.Event()
    try:
        with pytest.raises(AssertionError, match="still running"):
            race(2, lambda i: release.wait(5) if i else True, timeout=0.2)
    finally:
        release.set()
