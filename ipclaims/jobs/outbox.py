"""Mail the workflow owes: rendered from templates/mail/, stored in the outbox, delivered by the worker.

Each message has a `dedupe_key` naming the fact it reports (e.g. ``restoration:<counter_notice_id>:notifier``), so a
sweep that runs twice — after a crash, or in two workers at once — can never queue the same notice twice.
"""

from __future__ import annotations

import functools
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ipclaims.legal.fields import email_problem
from ipclaims.models import OutboxMessage, OutboxStatus, new_id, utcnow
from ipclaims.resources import resource_dir


@functools.lru_cache(maxsize=1)
def mail_templates() -> Environment:
    # Plain-text mail is not HTML-escaped; any HTML template added later is (select_autoescape).
    return Environment(loader=FileSystemLoader(resource_dir("templates") / "mail"),
                       autoescape=select_autoescape(["html", "htm", "xml"]), undefined=StrictUndefined,
                       keep_trailing_newline=True, trim_blocks=False)


def render(kind: str, **context: Any) -> tuple[str, str]:
    text = mail_templates().get_template(f"{kind}.txt").render(**context)
    first, _, body = text.partition("\n")
    if not first.startswith("Subject: "):
        raise ValueError(f"mail template {kind}.txt must start with a Subject: line")
    return first.removeprefix("Subject: ").strip(), body.strip() + "\n"


def enqueue(session: Session, *, dedupe_key: str, to_addr: str | None, kind: str, claim_id: str | None,
            **context: Any) -> bool:
    """Queue one message unless the same fact was already queued. Returns whether it was queued.

    Only to an address that could be delivered to: a notice's email that does not parse is an element `deficient`
    (the letter asks for a usable one), not a message for the SMTP server to bounce or the outbox column to refuse.
    """
    if not to_addr or email_problem(to_addr) is not None:
        return False
    subject, body = render(kind, **context)
    values = {"id": new_id(), "dedupe_key": dedupe_key[:200], "claim_id": claim_id, "kind": kind, "to_addr": to_addr,
              "subject": subject, "body": body, "status": OutboxStatus.PENDING.value, "attempts": 0,
              "next_attempt_at": utcnow(), "created_at": utcnow()}
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = insert(OutboxMessage).values(**values).on_conflict_do_nothing(index_elements=["dedupe_key"])
    result = session.execute(stmt)
    return bool(result.rowcount)  # type: ignore[attr-defined]


def messages_for(session: Session, claim_id: str) -> list[OutboxMessage]:
    return list(session.scalars(select(OutboxMessage).where(OutboxMessage.claim_id == claim_id)
                                .order_by(OutboxMessage.created_at, OutboxMessage.id)))
