"""`ipclaims worker`: runs the sweeps in ipclaims.jobs.tasks, once (`--once`) or every few seconds until stopped."""

from __future__ import annotations

import logging
import signal
import threading
import time
from datetime import datetime

from ipclaims.config import get_settings
from ipclaims.jobs.tasks import TASKS
from ipclaims.models import utcnow

log = logging.getLogger("ipclaims.worker")


def run_once(now: datetime | None = None) -> dict[str, int]:
    """One sweep of every task. A failing task is logged and does not stop the others (its rows stay due)."""
    settings = get_settings()
    now = now or utcnow()
    summary: dict[str, int] = {}
    for name, task in TASKS:
        try:
            summary.update(task(now, settings))
        except Exception:
            log.exception("worker task %s failed; it will be retried on the next sweep", name)
            summary[f"{name}_errors"] = summary.get(f"{name}_errors", 0) + 1
    return summary


def run_forever(interval: float = 5.0) -> None:
    stop = threading.Event()

    def _stop(signum: int, _frame: object) -> None:
        log.info("signal %s: stopping after this sweep", signum)
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    logging.basicConfig(level=get_settings().log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    log.info("worker started; sweeping every %.1fs", interval)
    while not stop.is_set():
        started = time.monotonic()
        summary = run_once()
        acted = {k: v for k, v in summary.items() if v}
        if acted:
            log.info("sweep: %s", acted)
        stop.wait(max(0.0, interval - (time.monotonic() - started)))
