"""Work queries. Every read goes through `readable_by`: a rights holder sees only its own works (404 otherwise)."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from ipclaims.errors import NotFound
from ipclaims.models import Account, Role, Work


def readable_by(account: Account) -> Select[tuple[Work]]:
    query = select(Work)
    if account.role is Role.RIGHTS_HOLDER:
        query = query.where(Work.owner_id == account.id)
    return query


def get_work(session: Session, account: Account, work_id: str) -> Work:
    work = session.scalars(readable_by(account).where(Work.id == work_id).options(selectinload(Work.images))).first()
    if work is None:
        raise NotFound(f"no work {work_id}")
    return work
