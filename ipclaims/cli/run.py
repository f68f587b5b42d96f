"""A parsed command run: the event subscribers registered, its handler imported and called, and the refusals an
operator acts on (insecure production settings, a database that is not migrated or not reachable) said in one line
on stderr with exit status 1, never a traceback."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable

from sqlalchemy.exc import OperationalError, ProgrammingError

from ipclaims import integrations, letters, notifications
from ipclaims.config import InsecureSettings
from ipclaims.db import error_reason

Handler = Callable[[argparse.Namespace], "int | None"]


def handler(name: str) -> Handler:
    """The function a command names in `parser.py` ("module:function"), its module imported now."""
    module, _, function = name.partition(":")
    found: Handler = getattr(importlib.import_module(module), function)
    return found


def run(args: argparse.Namespace) -> int:
    notifications.register()  # the worker, the demo loader and imports record events: their follow-ups too
    integrations.register()  # webhooks to the platform, grey-area flags at intake
    letters.register()  # the owed letters
    try:
        return int(handler(args.handler)(args) or 0)
    except InsecureSettings as exc:  # a refusal to start is a message for the operator, not a traceback
        print(f"ipclaims: {exc}", file=sys.stderr)
        return 1
    except (OperationalError, ProgrammingError) as exc:  # an unmigrated or unreachable database: say so in one line
        print(
            f"ipclaims {args.command}: the database is not ready ({error_reason(exc)}); run `ipclaims migrate` and check "
            "IPCLAIMS_DATABASE_URL",
            file=sys.stderr,
        )
        return 1
