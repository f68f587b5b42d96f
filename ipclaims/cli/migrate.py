"""`ipclaims migrate`: `alembic upgrade head` on IPCLAIMS_DATABASE_URL."""

from __future__ import annotations

import argparse

from ipclaims.migrations import upgrade


def migrate(_args: argparse.Namespace) -> int:
    upgrade()
    return 0
