"""What the staff pages share: names for account ids (pages show names, never raw ids), the choices of the
queue's filters, and turning a service's refusal (409, 422, 403) into a sentence the page shows beside the form."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipclaims.claims.schemas import AddressIn
from ipclaims.errors import AppError
from ipclaims.models import Account, ClaimKind, ClaimSource, ClaimStatus
from ipclaims.models.account import REVIEWER_ROLES
from ipclaims.review.schemas import CounterStatementsIn

REGIMES = (("US_DMCA", "US DMCA"), ("EU_DSA", "EU DSA"), ("SG_CA2021", "Singapore CA 2021"), ("TM_POLICY", "Trademark policy"))
KINDS = tuple((k.value, k.value.capitalize()) for k in ClaimKind)
SOURCES = tuple((s.value, s.value.replace("_", " ").capitalize()) for s in ClaimSource)
STATUSES = tuple((s.value, s.value.replace("_", " ").capitalize()) for s in ClaimStatus)

# The inputs of the counter-notice forms (staff's on the review page, the uploader's own), named as the API's fields.
COUNTER_STATEMENTS = tuple(CounterStatementsIn.model_fields)
ADDRESS = tuple(AddressIn.model_fields)

EXPLAIN = {
    409: "Someone changed this claim first, or its state does not allow that now: ",
    422: "Something in the form is not valid: ",
    403: "Your role may not do that: ",
    404: "Not found: ",
}


def names(session: Session, ids: Iterable[str | None]) -> dict[str, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return dict(session.execute(select(Account.id, Account.name).where(Account.id.in_(wanted))).tuples().all())


def reviewers(session: Session) -> list[Account]:
    query = select(Account).where(Account.role.in_(REVIEWER_ROLES), Account.active.is_(True)).order_by(Account.name)
    return list(session.scalars(query))


def explain(exc: AppError) -> str:
    """The refusal in words: the service's own sentence for a person (`plain`), else what kind of problem, then the
    service's detail (a detail that says it all alone, `whole`, as it is: the generic "Someone changed this claim
    first" would be wrong for it)."""
    if exc.plain:
        return exc.plain
    if getattr(exc, "whole", False):
        return exc.detail[:1].upper() + exc.detail[1:]
    return EXPLAIN.get(exc.status, "") + exc.detail


def typed(form: Mapping[str, Any]) -> dict[str, Any]:
    """What a form sent, its CSRF token aside: shown again beside a refusal so nothing typed is lost."""
    return {k: v for k, v in form.items() if k != "csrf_token"}


def blank(value: object) -> str | None:
    text = value.strip() if isinstance(value, str) else ""
    return text or None
