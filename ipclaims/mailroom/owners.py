"""Whose claim a notice makes, and when it was received: what the mailroom takes by itself, and what staff may set
instead on the import page.

By itself (CONTRACT additions, "Owner"): the active rights holder whose verified domain is the sender's, else the
sender's placeholder notifier account; received when the message's `Date` says. A sender nothing vouches for
(`authenticity.Doubt`: the relay's Authentication-Results failed its domain, the SMTP envelope is another
organisation's, another organisation forwarded it) chooses no verified rights holder: its placeholder, as an unknown
sender's. A specialist who knows better (the
notice came from a rights holder's outside counsel, or by post last week) corrects either before the claim is made:
the owner only among active rights-holder accounts, the time neither before 1970 nor in the future.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ipclaims.claims.schemas import EARLIEST_RECEIPT
from ipclaims.db import Prepared, insert_or_ignore
from ipclaims.errors import Unprocessable
from ipclaims.events import Action, record_event
from ipclaims.integrations import lookalike
from ipclaims.mailroom.authenticity import Doubt
from ipclaims.mailroom.reading import DATE_AHEAD
from ipclaims.models import Account, AccountDomain, MailSender, Role, utcnow

PLACEHOLDER_PREFIX = "Notifier by email: "  # a placeholder account's name; it has no API key
UNKNOWN_SENDER = "<unknown>"
FOUND_LIMIT = 20  # accounts a search lists
_SENDER = Prepared(insert_or_ignore(MailSender.__table__, ("address", "account_id", "created_at"), ("address",), returning="address"))  # type: ignore[arg-type]


def account_for(session: Session, address: str, make: Callable[[], Account]) -> Account:
    """The account a `mail_sender` address names, made once (two requests at once make one)."""
    found = _named_by(session, address)
    if found is not None:
        return found
    account = make()
    session.add(account)
    session.flush()
    if _SENDER.scalar(session.connection(), {"address": address, "account_id": account.id, "created_at": utcnow()}) is None:
        session.delete(account)  # another request made it meanwhile (PostgreSQL waited for it): use that one
        session.flush()
        found = _named_by(session, address)
        assert found is not None
        return found
    return account


def _named_by(session: Session, address: str) -> Account | None:
    """The account a `mail_sender` address was made for, if any."""
    return session.scalar(select(Account).join(MailSender, MailSender.account_id == Account.id).where(MailSender.address == address))


def verified_account(session: Session, sender: str | None) -> Account | None:
    """The active rights holder whose verified domain is the sender's, if any (whether or not it is vouched for)."""
    domain = lookalike.sender_domain(sender) if sender else None
    if domain is None:
        return None
    query = (
        select(Account)
        .join(AccountDomain, AccountDomain.account_id == Account.id)
        .where(AccountDomain.domain == domain, Account.role == Role.RIGHTS_HOLDER, Account.active.is_(True))
        .order_by(Account.created_at, Account.id)
    )
    return session.scalars(query).first()


def owner_for(session: Session, sender: str | None, *, doubt: Doubt | None = None) -> Account:
    """The active rights holder whose verified domain is the sender's, else (or when the sender is in `doubt`) the
    sender's placeholder notifier."""
    verified = verified_account(session, sender) if doubt is None else None
    if verified is not None:
        return verified
    name = PLACEHOLDER_PREFIX + (sender or "no sender address")
    return account_for(session, sender or UNKNOWN_SENDER, lambda: Account(name=name[:200], role=Role.RIGHTS_HOLDER, email=sender))


@dataclass(frozen=True)
class DefaultOwner:
    """Who `owner_for` would take, said without making anything: `account` None when a placeholder would be made."""

    account: Account | None
    sender: str | None
    verified: bool
    doubt: Doubt | None = None  # why a verified domain did not choose the owner (None: none was refused)


def default_owner(session: Session, sender: str | None, *, doubt: Doubt | None = None) -> DefaultOwner:
    verified = verified_account(session, sender)
    if verified is not None and doubt is None:
        return DefaultOwner(verified, sender, True)
    return DefaultOwner(_named_by(session, sender or UNKNOWN_SENDER), sender, False, doubt if verified is not None else None)


def rights_holder(session: Session, account_id: str) -> Account:
    """The owner staff chose: an active rights-holder account, else 422 (a claim belongs to a rights holder, and a
    disabled account can neither see nor answer it)."""
    account = session.get(Account, account_id) if account_id else None
    if account is None or account.role is not Role.RIGHTS_HOLDER or not account.active:
        raise Unprocessable(
            "owner: choose an active rights-holder account",
            errors=[{"loc": ["body", "on_behalf_of"], "msg": "not an active rights-holder account"}],
        )
    return account


def find_rights_holders(session: Session, text: str, *, limit: int = FOUND_LIMIT) -> list[Account]:
    """Active rights-holder accounts whose name or email holds `text` (any case; blank: the first by name)."""
    query = select(Account).where(Account.role == Role.RIGHTS_HOLDER, Account.active.is_(True))
    wanted = text.strip().lower()[:200]
    if wanted:
        query = query.where(
            or_(Account.name.ilike(f"%{_escaped(wanted)}%", escape="\\"), Account.email.ilike(f"%{_escaped(wanted)}%", escape="\\"))
        )
    return list(session.scalars(query.order_by(Account.name, Account.id).limit(limit)))


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def check_received(value: datetime, now: datetime) -> datetime:
    """A receipt time staff set: timezone-aware, not before 1970, not later than a message's own `Date` may be
    (`reading.DATE_AHEAD` past now, a sender's clock running ahead: the date the page shows is accepted as it is); a
    422 otherwise."""
    problem = None
    if value.tzinfo is None:
        problem = "give the time received with its zone"
    elif value < EARLIEST_RECEIPT:
        problem = "the time received cannot be before 1970"
    elif value > now + DATE_AHEAD:
        problem = "the time received cannot be in the future"
    if problem is not None:
        raise Unprocessable(f"received_at: {problem}", errors=[{"loc": ["body", "received_at"], "msg": problem}])
    return value


def record_corrected(
    session: Session,
    actor: Account,
    claim_id: str,
    staff_set: Mapping[str, tuple[Any, Any]],
    as_read: DefaultOwner | None,
    owner: Account,
    now: datetime,
) -> None:
    """The audit trail says what staff set instead of what the mailroom would have taken (internal: the owner the
    message pointed at may be another rights holder, whose name the new owner must not read)."""
    said = []
    if "on_behalf_of" in staff_set:
        before = as_read.account.name if as_read and as_read.account else "a new notifier account for the sender"
        said.append(f"owner {owner.name} (the message pointed at {before})")
    if "received_at" in staff_set:
        read_when, when = staff_set["received_at"]
        said.append(f"received {when.isoformat()} (the message gave {read_when.isoformat() if read_when != now else 'no usable date'})")
    record_event(
        session,
        claim_id=claim_id,
        actor=actor,
        subject_type="claim",
        subject_id=claim_id,
        action=Action.INTAKE_CORRECTED,
        reason="staff set at import: " + "; ".join(said),
        data={
            key: {"from": a.isoformat() if isinstance(a, datetime) else a, "to": b.isoformat() if isinstance(b, datetime) else b}
            for key, (a, b) in staff_set.items()
        },
        internal=True,
        at=now,
    )
