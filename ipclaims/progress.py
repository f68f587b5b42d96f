"""One progress bar for the CLI's long commands (`rehash`, `letters export`): count, rate and time left on stderr."""

from __future__ import annotations

import sys
import time
from typing import TextIO


def bar(done: int, total: int, started: float, unit: str, stream: TextIO | None = None) -> None:
    """Redraw the bar in place; `started` is a `time.monotonic()` reading taken when the work began."""
    out = stream if stream is not None else sys.stderr
    rate = done / max(1e-9, time.monotonic() - started)
    filled = int(30 * done / total) if total else 30
    eta = f"  eta {(total - done) / rate:.0f}s" if rate > 0 and total >= done else ""
    print(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} {unit}  {rate:.1f}/s{eta}", end="", file=out, flush=True)
