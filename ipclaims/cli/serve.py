"""`ipclaims serve [--host H] [--port P] [--workers N]`: the API and the web pages under uvicorn."""

from __future__ import annotations

import argparse
import inspect
from typing import Any

import uvicorn

from ipclaims.config import get_settings
from ipclaims.production import refuse_insecure_start

# How long a `serve --workers N` process may take to start (import the app) before uvicorn gives up on it. Newer
# uvicorn releases wait 5 s, then kill and restart the worker — for ever, on a machine busy or slow enough that the
# imports take longer (seen: 6 s of compiling sources where no bytecode is cached, PYTHONDONTWRITEBYTECODE).
WORKER_STARTUP_S = 60


def serve(args: argparse.Namespace) -> int:
    refuse_insecure_start(get_settings())
    patience: dict[str, Any] = (
        {"timeout_worker_healthcheck": WORKER_STARTUP_S}
        if "timeout_worker_healthcheck" in inspect.signature(uvicorn.Config).parameters
        else {}
    )
    uvicorn.run(
        "ipclaims.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=get_settings().log_level.lower(),
        proxy_headers=False,
        **patience,
    )
    return 0
