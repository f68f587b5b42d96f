"""`ipclaims outbox list|retry|show`: the mail outbox inspected, given-up mail queued again."""

from __future__ import annotations

import argparse
import json

from sqlalchemy import select

from ipclaims.cli import fail
from ipclaims.config import get_settings
from ipclaims.db import session_scope
from ipclaims.jobs import delivery
from ipclaims.models import OutboxMessage


def list_(args: argparse.Namespace) -> int:
    with session_scope(write=False) as session:
        rows = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.status == args.status)
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
            .limit(args.limit)
        ).all()
        out = [
            {
                "id": m.id,
                "kind": m.kind,
                "to": m.to_addr,
                "claim_id": m.claim_id,
                "attempts": m.attempts,
                "created_at": m.created_at.isoformat(),
                "last_error": m.last_error,
            }
            for m in rows
        ]
    for row in out:
        print(json.dumps(row))
    return 0


def retry(args: argparse.Namespace) -> int:
    print(json.dumps({"requeued": delivery.requeue_failed(args.ids or None)}))
    return 0


def show(args: argparse.Namespace) -> int:
    text = delivery.show(args.id, get_settings())
    if text is None:
        return fail("outbox show", f"no message {args.id} (`ipclaims outbox list --status pending|sent|failed`)")
    print(text, end="" if text.endswith("\n") else "\n")
    return 0
