"""Write units and their sessions: the session factories, and a queued unit's outcome, shared by the two group
commits (`session`'s for SQLite, `pggroup`'s for PostgreSQL)."""

from __future__ import annotations

import asyncio
import contextvars
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.orm import Session, sessionmaker

from ipclaims.config import get_settings
from ipclaims.db.engine import _FACTORIES, get_engine
from ipclaims.db.opening import _OPENING, Opening


def _factories(url: str) -> tuple[sessionmaker[Session], sessionmaker[Session]]:
    factories = _FACTORIES.get(url)
    if factories is None:
        engine = get_engine(url)
        writer = engine.execution_options(sqlite_immediate=True) if url.startswith("sqlite") else engine
        factories = (
            sessionmaker(bind=writer, expire_on_commit=False, autoflush=False),
            sessionmaker(bind=engine, expire_on_commit=False, autoflush=False),
        )
        _FACTORIES[url] = factories
    return factories


def session_factory(*, write: bool = True, url: str | None = None) -> sessionmaker[Session]:
    writer, reader = _factories(url or get_settings().database_url)
    return writer if write else reader


def in_own_transaction(
    url: str, unit: Callable[[Session], T], opening: str | None = None, hooks: list[Callable[[], None]] | None = None
) -> T:
    """`unit` in a write transaction of its own, committed (rolled back if it raises). `opening`: a query sent with
    BEGIN on PostgreSQL (`opening.Opening`). `hooks`: a list that keeps the unit's after-commit callbacks, for the
    caller to run, instead of running them at the commit."""
    token = _OPENING.set(Opening(opening) if opening is not None else None)
    session = session_factory(write=True, url=url)()
    if hooks is not None:
        session.info["group_hooks"] = hooks
    try:
        result = unit(session)
        session.commit()
        return result
    finally:
        session.close()  # rolls back whatever was not committed
        _OPENING.reset(token)


T = TypeVar("T")
G = TypeVar("G")
# Groups are kept per event loop: asyncio primitives belong to the loop they are first used in (a test client starts
# its own), then per database URL.
Groups = weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, G]]


def group_of(groups: Groups[G], url: str, make: Callable[[str], G]) -> G:
    """The running loop's group for `url` in `groups`, made by `make(url)` the first time."""
    per_url = groups.setdefault(asyncio.get_running_loop(), {})
    group = per_url.get(url)
    if group is None:
        group = per_url[url] = make(url)
    return group


@dataclass(eq=False)
class Queued:
    """A request's write unit waiting for its group."""

    unit: Callable[[Session], Any]
    context: contextvars.Context  # the request's, so the unit sees its context variables wherever it runs
    future: asyncio.Future[Any]
    opening: str | None = None  # PostgreSQL: the query it sends with BEGIN (`opening.Opening`)


@dataclass(eq=False)
class Outcome:
    ok: bool
    value: Any  # the unit's result, or the exception it (or the group's COMMIT) raised
    hooks: list[Callable[[], None]] = field(default_factory=list)  # its after-commit callbacks


def take(pending: list[Queued], limit: int) -> list[Queued]:
    """Up to `limit` units from the front of the queue, leaving out those whose request went away."""
    taken: list[Queued] = []
    while pending and len(taken) < limit:
        queued = pending.pop(0)
        if not queued.future.cancelled():
            taken.append(queued)
    return taken


def fail(taken: list[Queued], exc: BaseException) -> None:
    for queued in taken:
        if queued.future.done():
            continue
        if isinstance(exc, asyncio.CancelledError):
            queued.future.cancel()
        else:
            queued.future.set_exception(exc)


def settle(taken: list[Queued], outcomes: list[Outcome]) -> None:
    """Run each unit's after-commit hooks and answer its request."""
    for queued, outcome in zip(taken, outcomes, strict=True):
        try:
            # A unit that failed after committing part of its work has the hooks of that part: it is committed.
            for hook in outcome.hooks:
                hook()
        except Exception as exc:  # as a failing hook of a single unit's commit did: its request fails
            if outcome.ok:
                outcome = Outcome(False, exc)
        if queued.future.done():
            continue
        if outcome.ok:
            queued.future.set_result(outcome.value)
        else:
            queued.future.set_exception(outcome.value)
