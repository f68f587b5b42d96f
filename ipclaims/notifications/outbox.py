"""Mail the workflow owes: rendered from templates/mail/, stored in the outbox, delivered by the worker (jobs/).

Each message has a `dedupe_key` naming the fact it reports (e.g. ``restoration:<counter_notice_id>:notifier``), so a
sweep that runs twice — after a crash, or in two workers at once — can never queue the same notice twice.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime
from typing import Any, cast

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, select_autoescape
from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from ipclaims.db import Prepared, insert_or_ignore
from ipclaims.events import Rows
from ipclaims.legal.fields import email_problem
from ipclaims.models import OutboxMessage, OutboxStatus, new_id, utcnow
from ipclaims.resources import resource_dir


@functools.lru_cache(maxsize=1)
def mail_templates() -> Environment:
    # Plain-text mail is not HTML-escaped; any HTML template added later is (select_autoescape).
    return Environment(
        loader=FileSystemLoader(resource_dir("templates") / "mail"),
        autoescape=select_autoescape(["html", "htm", "xml"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
    )


@functools.lru_cache(maxsize=64)
def _template(kind: str) -> Template:
    # Jinja's own cache checks the file's mtime on every get_template; the templates ship with the package.
    template = mail_templates().get_template(f"{kind}.txt")
    # A template's globals are a ChainMap over the environment's, which Jinja copies key by key, in Python, into a
    # new context on every render: most of the cost of rendering a short mail. This environment's globals never
    # change after it is made, so a plain dict of them is the same mapping, copied in C.
    template.globals = dict(template.globals)
    return template


def render(kind: str, **context: Any) -> tuple[str, str]:
    text = _template(kind).render(**context)
    first, _, body = text.partition("\n")
    if not first.startswith("Subject: "):
        raise ValueError(f"mail template {kind}.txt must start with a Subject: line")
    return first.removeprefix("Subject: ").strip(), body.strip() + "\n"


Message = dict[str, Any]  # one outbox row, as `message` renders it

# Each message leaves with the Message-ID `<{outbox id, lower case}@ipclaims>`, fixed per row (a re-sent copy is
# recognisably the same), so a reply's In-Reply-To or References names the outbox row, hence the claim, it answers.
MESSAGE_ID_DOMAIN = "ipclaims"
_OUR_MESSAGE_ID = re.compile(r"<([0-9a-z]{26})@" + MESSAGE_ID_DOMAIN + r">", re.IGNORECASE)
# RFC 3834 §5: every message the workflow sends is automatic. The acknowledgment and the request for information
# answer a notice (`auto-replied`); the rest report what happened later (`auto-generated`). Either way a compliant
# responder (an out-of-office, a ticket system) sends nothing back, so no loop starts with us.
REPLY_KINDS = frozenset({"acknowledgment", "deficiency"})


def message_id(outbox_id: str) -> str:
    return f"<{outbox_id.lower()}@{MESSAGE_ID_DOMAIN}>"


def outbox_ids(header: str | None) -> list[str]:
    """The outbox rows named by an In-Reply-To or References header (ours among any others), in order."""
    return [found.group(1).upper() for found in _OUR_MESSAGE_ID.finditer(header or "")]


def auto_submitted(kind: str) -> str:
    return "auto-replied" if kind in REPLY_KINDS else "auto-generated"


def message(
    *, dedupe_key: str, to_addr: str | None, kind: str, claim_id: str | None, at: datetime | None = None, **context: Any
) -> Message | None:
    """The outbox row for one message, rendered; None when there is no address it could be delivered to.

    Only to an address that could be delivered to: a notice's email that does not parse is an element `deficient`
    (the letter asks for a usable one), not a message for the SMTP server to bounce or the outbox column to refuse.
    """
    if not to_addr or email_problem(to_addr) is not None:
        return None
    to_addr = to_addr.strip()  # the address as validated (a stored one may predate stripping at the API)
    subject, body = render(kind, **context)
    at = at or utcnow()
    return {
        "id": new_id(),
        "dedupe_key": dedupe_key[:200],
        "claim_id": claim_id,
        "kind": kind,
        "to_addr": to_addr,
        "subject": subject,
        "body": body,
        "status": OutboxStatus.PENDING.value,
        "attempts": 0,
        "next_attempt_at": at,
        "lease_until": None,
        "sent_at": None,
        "last_error": None,
        "created_at": at,
    }


_COLUMNS = (
    "id",
    "dedupe_key",
    "claim_id",
    "kind",
    "to_addr",
    "subject",
    "body",
    "status",
    "attempts",
    "next_attempt_at",
    "lease_until",
    "sent_at",
    "last_error",
    "created_at",
)
INSERT = Prepared(insert_or_ignore(cast(Table, OutboxMessage.__table__), _COLUMNS, ("dedupe_key",)))


def queue(messages: list[Message | None]) -> Rows:
    """Rows from `message` for the event's transaction, each queued unless the same fact (dedupe_key) already was."""
    return Rows(INSERT, [m for m in messages if m is not None])


def messages_for(session: Session, claim_id: str) -> list[OutboxMessage]:
    return list(
        session.scalars(
            select(OutboxMessage).where(OutboxMessage.claim_id == claim_id).order_by(OutboxMessage.created_at, OutboxMessage.id)
        )
    )
