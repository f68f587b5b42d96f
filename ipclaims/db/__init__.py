"""The database layer: imports no domain and nothing HTTP.

- `engine`: engines, pragmas, pool sizes, the SQLite checkpoint thread, the lookup and autocommit pools.
- `opening`: PostgreSQL's "BEGIN with the first query" (one round trip for the checkout check, BEGIN and a query).
- `fastwrite`: DML compiled once and run on the DBAPI cursor; INSERTs batched into multi-row and CTE statements.
- `admission`: requests queue in the event loop; SQLite writers take turns (asyncio lock, cross-process flock).
- `units`: the session factories; a queued write unit and its outcome, shared by the two group commits.
- `session`: the request's session and transaction (on SQLite, group commit of the units queued in a process), the
  worker's unit of work, after-commit hooks.
- `pggroup`: on PostgreSQL, group commit of the re-runnable units queued in a process (intake), no savepoints: a
  unit that raises is left out, runs alone, and its group is tried again without it.

Callers import from here; the names are the same as when this was one module.
"""

from ipclaims.db.engine import (
    AUTOCHECKPOINT_PAGES,
    CHECKPOINT_EVERY_S,
    POSTGRES_POOL,
    SQLITE_BUSY_TIMEOUT_MS,
    SQLITE_POOL,
    WriterBusy,
    autocommit_engine,
    dispose,
    dispose_engines,
    error_reason,
    get_engine,
    lookup_engine,
    on_dispose,
    run_reconnecting,
)
from ipclaims.db.fastwrite import MULTI_ROW_MAX, Prepared, insert_or_ignore, send_together
from ipclaims.db.opening import _OPENING, Opening, opened
from ipclaims.db.session import (
    READ_METHODS,
    DbSession,
    Deferred,
    Transaction,
    WriteTransaction,
    after_commit,
    defer_write,
    get_session,
    get_transaction,
    run_read,
    session_scope,
)
from ipclaims.db.units import session_factory

__all__ = [
    "AUTOCHECKPOINT_PAGES",
    "CHECKPOINT_EVERY_S",
    "MULTI_ROW_MAX",
    "POSTGRES_POOL",
    "READ_METHODS",
    "SQLITE_BUSY_TIMEOUT_MS",
    "SQLITE_POOL",
    "_OPENING",
    "DbSession",
    "Deferred",
    "Opening",
    "Prepared",
    "Transaction",
    "WriteTransaction",
    "WriterBusy",
    "after_commit",
    "autocommit_engine",
    "defer_write",
    "dispose",
    "dispose_engines",
    "error_reason",
    "get_engine",
    "get_session",
    "get_transaction",
    "insert_or_ignore",
    "lookup_engine",
    "on_dispose",
    "opened",
    "run_read",
    "run_reconnecting",
    "send_together",
    "session_factory",
    "session_scope",
]
