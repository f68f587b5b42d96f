"""`db.admission`: sessions queue in the event loop; SQLite writers take turns, in a process on an asyncio lock and
across processes on a file lock (`<database>.writer-lock`), released after each write."""

from __future__ import annotations

import asyncio
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ipclaims.db import SQLITE_POOL, admission
from tests.conftest import IS_PG


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'a.db'}"  # the gates never open the database itself


@pytest.fixture
def other_process(sqlite_url: str) -> Iterator[int]:
    """A descriptor of the writer-lock file opened apart from the gates', as another `serve` process holds one."""
    fd = os.open(sqlite_url.removeprefix("sqlite:///") + ".writer-lock", os.O_RDWR | os.O_CREAT, 0o644)
    yield fd
    os.close(fd)


def _free(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    fcntl.flock(fd, fcntl.LOCK_UN)
    return True


def test_the_writer_lock_lives_beside_a_database_file_only(sqlite_url: str) -> None:
    assert admission._writer_lock_path(sqlite_url) == sqlite_url.removeprefix("sqlite:///") + ".writer-lock"
    assert admission._writer_lock_path("sqlite://") is None
    assert admission._writer_lock_path("sqlite:///:memory:") is None


def test_a_sqlite_writer_holds_the_file_lock_for_its_turn_only(sqlite_url: str, other_process: int) -> None:
    async def main() -> None:
        async with admission._admitted(sqlite_url, write=True):
            assert not _free(other_process)
        assert _free(other_process)
        async with admission._admitted(sqlite_url, write=False):  # a read takes no turn
            assert _free(other_process)

    asyncio.run(main())


def test_a_writer_waits_for_another_process_turn_without_blocking_the_loop(sqlite_url: str, other_process: int) -> None:
    async def main() -> None:
        inside = asyncio.Event()
        fcntl.flock(other_process, fcntl.LOCK_EX)

        async def write() -> None:
            async with admission._admitted(sqlite_url, write=True):
                inside.set()

        task = asyncio.create_task(write())
        await asyncio.sleep(0.2)  # the loop runs meanwhile: this sleep returns
        assert not inside.is_set()
        fcntl.flock(other_process, fcntl.LOCK_UN)
        await asyncio.wait_for(task, 5)
        assert inside.is_set() and _free(other_process)

    asyncio.run(main())


def test_writers_of_one_process_take_turns_in_order_and_readers_pass(sqlite_url: str) -> None:
    async def main() -> list[str]:
        log: list[str] = []
        release = asyncio.Event()

        async def write(name: str) -> None:
            async with admission._admitted(sqlite_url, write=True):
                log.append(f"{name} in")
                if name == "first":
                    await release.wait()
                log.append(f"{name} out")

        async def read() -> None:
            async with admission._admitted(sqlite_url, write=False):
                log.append("read")

        tasks = [asyncio.create_task(write("first")), asyncio.create_task(write("second")), asyncio.create_task(write("third"))]
        await asyncio.sleep(0.05)
        await read()
        release.set()
        await asyncio.gather(*tasks)
        return log

    assert asyncio.run(main()) == ["first in", "read", "first out", "second in", "second out", "third in", "third out"]


def test_no_more_sessions_are_admitted_than_the_pool_has_connections(sqlite_url: str) -> None:
    capacity = sum(SQLITE_POOL)

    async def main() -> tuple[int, int]:
        release = asyncio.Event()
        inside = 0

        async def read() -> None:
            nonlocal inside
            async with admission._admitted(sqlite_url, write=False):
                inside += 1
                await release.wait()

        tasks = [asyncio.create_task(read()) for _ in range(capacity + 5)]
        await asyncio.sleep(0.05)
        admitted = inside
        release.set()
        await asyncio.gather(*tasks)
        return admitted, inside

    assert asyncio.run(main()) == (capacity, capacity + 5)


@pytest.mark.skipif(IS_PG, reason="SQLite writer turns")
def test_the_writer_turn_is_released_after_each_write(client: Any, holder: Any, env: dict[str, str]) -> None:
    lock = env["IPCLAIMS_DATABASE_URL"].removeprefix("sqlite:///") + ".writer-lock"
    from tests.legal.notices import complete_claim

    for _ in range(3):
        assert client.post("/api/v1/claims", json=complete_claim("EU_DSA"), headers=holder.headers).status_code == 201
        fd = os.open(lock, os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # another process can take its turn now
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
