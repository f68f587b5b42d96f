"""Group commit on PostgreSQL: the write units a process queued while its previous group was being written, run in
one transaction.

Why: on PostgreSQL an intake's own statement is a fraction of what its transaction costs. Each unit alone pays a
thread hand-off, a pooled connection's checkout, BEGIN (sent with its first query, `opening`), its statements, and a
COMMIT that waits for the WAL to reach the disk; the server, for its part, starts and ends a transaction and flushes
the WAL each time. A group pays the hand-off, BEGIN and COMMIT once: its units' openings go with the one BEGIN
(`opening._GROUP_OPENINGS`), then each unit's statements, then one COMMIT.

Only units that say they may be run again (`Transaction.run(..., group=True)`: intake) are grouped, because a group
has no savepoints (each would cost two round trips, as much as it saves): a unit that raises rolls the whole group
back; the group is tried again without it, and it runs alone afterwards, in a transaction of its own, exactly as an
ungrouped unit does, for its own answer (its error, or success if it only failed beside the others). A unit is
re-runnable when all it changes outside its session is undone by the rollback or redone the same way (intake builds
its rows before it queues and draws a new reference number; a rolled-back number is a gap, never a duplicate); it
must not commit part of its work itself. A COMMIT that fails is different: it may have committed, so nothing is run
again and every unit of the group gets the error (an error response, never a lost or doubled 201).

Units of one group commit together, in the order they were queued, each seeing the rows of those before it. Each
has a session of its own on the group's connection (`join_transaction_mode="rollback_only"`: its commit only
flushes), and its after-commit hooks are held until the group's COMMIT returned, then run and the requests answered.
"""

from __future__ import annotations

import asyncio
import contextvars
import weakref
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from ipclaims.db.admission import _admitted
from ipclaims.db.engine import get_engine
from ipclaims.db.opening import _GROUP_OPENINGS, _OPENING, Opening
from ipclaims.db.units import Groups, Outcome, Queued, fail, group_of, in_own_transaction, session_factory, settle, take

GROUP_MAX = 16  # units per group: bounds a group's latency, and how much one failing unit makes run again


class PgGroup:
    """The grouped write units of one process (and event loop) on one PostgreSQL database.

    A request's unit is queued; one task (`_drain`) takes every unit queued by then (up to GROUP_MAX), is admitted
    like any writing session (`admission`), and runs them in the threadpool (`run_group`); units queued meanwhile
    form the next group. Under load the groups grow by themselves; a unit that finds nothing running is a group of
    one, run as an ungrouped unit is.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.pending: list[Queued] = []
        self.drainer: asyncio.Task[None] | None = None

    async def run(self, unit: Callable[[Session], Any], opening: str | None) -> Any:
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.pending.append(Queued(unit, contextvars.copy_context(), future, opening))
        if self.drainer is None:
            self.drainer = asyncio.ensure_future(self._drain())
        # Cancelled while queued (the client went away): the future is cancelled with it and the unit never runs.
        return await future

    async def _drain(self) -> None:
        try:
            while self.pending:
                taken: list[Queued] = []
                try:
                    async with _admitted(self.url, write=True):
                        taken = take(self.pending, GROUP_MAX)
                        # A thread is not abandoned on cancellation: a group that started commits or rolls back.
                        outcomes = await run_in_threadpool(run_group, self.url, taken) if taken else []
                except BaseException as exc:
                    fail(taken or take(self.pending, GROUP_MAX), exc)
                    if not isinstance(exc, Exception):
                        raise
                    continue
                settle(taken, outcomes)
        finally:
            self.drainer = None
            if self.pending:  # stopped by cancellation (the loop shutting down): nothing will run them
                for queued in take(self.pending, len(self.pending)):
                    queued.future.cancel()


ATTEMPTS = 3  # tries of a group, each without the unit that failed the one before; then the rest run alone
LONE_TRIES = 3  # runs of a unit alone that lost a deadlock or a serialization conflict
# A grouped unit holds its rows' locks until its group commits, which an ungrouped one never waited for: two requests
# with one Idempotency-Key on two processes can deadlock (the key's index entry against a rollup row). PostgreSQL
# picks a victim; a re-runnable unit is simply run again.
RETRIED = frozenset({"40P01", "40001"})  # deadlock_detected, serialization_failure


class _UnitFailed(Exception):
    """Unit `index` of a group raised or left the group's transaction unusable; the group was rolled back."""

    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


def run_group(url: str, taken: list[Queued]) -> list[Outcome]:
    """Run the units in one transaction. If one fails, the group is rolled back and tried again without it (it runs
    alone afterwards, for its own answer); after ATTEMPTS tries the units left run alone too."""
    outcomes: list[Outcome | None] = [None] * len(taken)
    together = list(range(len(taken)))
    alone: list[int] = []
    for _ in range(ATTEMPTS):
        if len(together) < 2:
            break
        try:
            ran = _together(url, [taken[i] for i in together])
        except _UnitFailed as failed:
            alone.append(together.pop(failed.index))
            continue
        for i, outcome in zip(together, ran, strict=True):
            outcomes[i] = outcome
        together = []
    for i in sorted(together + alone):  # in the order they were queued
        outcomes[i] = run_alone(url, taken[i])
    return [o for o in outcomes if o is not None]


def _together(url: str, taken: list[Queued]) -> list[Outcome]:
    openings = [Opening(q.opening) if q.opening is not None else None for q in taken]
    factory = session_factory(write=True, url=url)
    outcomes: list[Outcome] = []
    token = _GROUP_OPENINGS.set([o for o in openings if o is not None])
    try:
        conn = get_engine(url).connect()  # the checkout sends BEGIN and the openings (`opening`)
    finally:
        _GROUP_OPENINGS.reset(token)
    with conn:
        outer = conn.begin()
        for index, (queued, opening) in enumerate(zip(taken, openings, strict=True)):
            session = factory(bind=conn, join_transaction_mode="rollback_only")
            hooks: list[Callable[[], None]] = []
            session.info["group_hooks"] = hooks  # held until the group's COMMIT (`session._run_after_commit`)
            try:
                value = queued.context.run(_with_opening, queued.unit, session, opening)
                # A unit that rolled its session back ended the group's transaction with it; what it did since is
                # in a transaction of the session's own, never to be committed (`close` below rolls it back).
                if not outer.is_active:
                    raise RuntimeError("a grouped unit rolled back the group's transaction")
                session.commit()  # a flush: the group's transaction is committed below, once
            except Exception as exc:
                raise _UnitFailed(index) from exc  # leaving `with conn` rolls the group back
            finally:
                session.close()
            outcomes.append(Outcome(True, value, hooks))
        try:
            outer.commit()
        except Exception as exc:  # it may have committed: nothing is run again, every unit fails with it
            return [Outcome(False, exc) for _ in taken]
    return outcomes


def run_alone(url: str, queued: Queued) -> Outcome:
    """One unit in a transaction of its own (with its opening sent with BEGIN), as an ungrouped unit runs; again if
    it lost a deadlock (RETRIED)."""
    for _ in range(LONE_TRIES - 1):
        outcome = queued.context.run(_alone, url, queued)
        if outcome.ok or _sqlstate(outcome.value) not in RETRIED:
            return outcome
    return queued.context.run(_alone, url, queued)


def _sqlstate(exc: BaseException) -> str | None:
    return getattr(getattr(exc, "orig", None), "sqlstate", None)


def _alone(url: str, queued: Queued) -> Outcome:
    hooks: list[Callable[[], None]] = []
    try:
        value = in_own_transaction(url, queued.unit, queued.opening, hooks)
    except Exception as exc:
        return Outcome(False, exc, hooks)  # hooks: of what it committed before failing, if anything
    return Outcome(True, value, hooks)


def _with_opening(unit: Callable[[Session], Any], session: Session, opening: Opening | None) -> Any:
    token = _OPENING.set(opening)
    try:
        return unit(session)
    finally:
        _OPENING.reset(token)


_GROUPS: Groups[PgGroup] = weakref.WeakKeyDictionary()


def group_for(url: str) -> PgGroup:
    return group_of(_GROUPS, url, PgGroup)
