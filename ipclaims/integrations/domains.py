"""Email domains verified as an account's own (admins record them; `grey_areas` compares senders against them)."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipclaims.db import after_commit
from ipclaims.errors import NotFound, Unprocessable
from ipclaims.integrations import grey_areas
from ipclaims.integrations.lookalike import normalise
from ipclaims.models import Account, AccountDomain

_DOMAIN = re.compile(
    r"^(?=.{1,253}$)([a-z0-9\u00a1-\uffff]([a-z0-9\u00a1-\uffff-]{0,61}[a-z0-9\u00a1-\uffff])?\.)+"
    r"[a-z\u00a1-\uffff]{2,63}$"
)


def _account(session: Session, account_id: str) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound("no such account")
    return account


def add(session: Session, actor: Account, account_id: str, domain: str) -> AccountDomain:
    account = _account(session, account_id)
    name = normalise(domain)
    if not _DOMAIN.match(name):
        raise Unprocessable("domain: a domain name such as example.com", errors=[{"loc": ["body", "domain"], "msg": "not a domain name"}])
    existing = session.scalar(select(AccountDomain).where(AccountDomain.account_id == account.id, AccountDomain.domain == name))
    if existing is not None:
        return existing
    row = AccountDomain(account_id=account.id, domain=name, verified_by_id=actor.id)
    session.add(row)
    session.flush()
    grey_areas.forget_domains()  # at once, and again after the commit (a concurrent read may have cached the old list)
    after_commit(session, grey_areas.forget_domains)
    return row


def list_for(session: Session, account_id: str) -> list[AccountDomain]:
    account = _account(session, account_id)
    return list(session.scalars(select(AccountDomain).where(AccountDomain.account_id == account.id).order_by(AccountDomain.domain)))
