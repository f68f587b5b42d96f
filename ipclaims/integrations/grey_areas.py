"""Grey areas a machine can see at intake (DOMAIN.md §6), flagged before a specialist stakes a decision on them.

An event subscriber on `submitted`: it returns `claim_flag` rows, written with the claim (in intake's batch).

* Repeat claims: an item whose URL was claimed before is linked to the earlier claim (`repeat_claim`, for staff);
  one whose earlier item was restored (a counter-notice or an upheld complaint) is `repeat_after_restoration`
  and goes to legal with the history ("same URL claimed again after restoration: link to the earlier claim; route
  to legal").
* Impersonated notifiers: a sender domain (the complainant's email, else the owner account's) that imitates a
  domain verified on an account or a well-known one (`lookalike`) is `impersonation`: it raises the claim's
  priority and goes to legal ("verify the sender's email domain against the account; treat as misuse").

Flags routed to legal are escalated by the worker (`routing`): intake itself never changes a claim's status.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import String, Table, Text, bindparam, column, select, text
from sqlalchemy.orm import Session

from ipclaims.config import get_settings
from ipclaims.db import Prepared, insert_or_ignore, on_dispose
from ipclaims.events import Action, EventRow, Rows
from ipclaims.integrations import lookalike
from ipclaims.models import (
    Account,
    AccountDomain,
    Claim,
    ClaimFlag,
    ClaimItem,
    Complainant,
    FlagKind,
    ItemStatus,
    new_id,
)
from ipclaims.ttlcache import TTLCache

ACTIONS = frozenset({Action.SUBMITTED})
RESTORED = (ItemStatus.RESTORED.value,)

_COLUMNS = (
    "id",
    "dedupe_key",
    "claim_id",
    "kind",
    "item_id",
    "related_claim_id",
    "related_item_id",
    "detail",
    "legal",
    "routed_at",
    "created_at",
)
INSERT = Prepared(insert_or_ignore(cast(Table, ClaimFlag.__table__), _COLUMNS, ("dedupe_key",)))


def _new_claim(session: Session, event: EventRow, subject: Any) -> tuple[list[tuple[str, str | None]], str | None, str]:
    """(item id, url) pairs, the complainant's email and the owner id: from intake's subject, else the database."""
    if subject is not None and hasattr(subject, "items") and hasattr(subject, "owner_id"):
        items = [(str(i["id"]), i.get("url")) for i in subject.items]
        email = subject.complainant.email if subject.complainant is not None else None
        return items, email, str(subject.owner_id)
    claim_id = event.subject_id
    items = [(i, u) for i, u in session.execute(select(ClaimItem.id, ClaimItem.url).where(ClaimItem.claim_id == claim_id))]
    email = session.scalar(select(Complainant.email).where(Complainant.claim_id == claim_id))
    owner = session.scalar(select(Claim.owner_id).where(Claim.id == claim_id))
    return items, email, str(owner)


def _flag(
    claim_id: str,
    kind: FlagKind,
    key: str,
    detail: dict[str, Any],
    at: Any,
    *,
    legal: bool,
    item_id: str | None = None,
    related_claim_id: str | None = None,
    related_item_id: str | None = None,
) -> dict[str, Any]:
    return {
        "id": new_id(),
        "dedupe_key": f"{kind.value}:{claim_id}:{key}"[:200],
        "claim_id": claim_id,
        "kind": kind.value,
        "item_id": item_id,
        "related_claim_id": related_claim_id,
        "related_item_id": related_item_id,
        "detail": detail,
        "legal": legal,
        "routed_at": None,
        "created_at": at,
    }


# Per URL, the latest earlier item not restored and the latest restored one (ULIDs sort by time), each one index
# probe, with their claims, in one statement: a URL claimed a thousand times before costs what a new URL costs. The
# indexes (migration 0011) are (url, id) on SQLite and (md5(url), id) on PostgreSQL, where a URL may exceed a btree
# entry; the restored one is partial, and the literal 'restored' is in the text so that the planner can use it
# whatever the parameters.
_SQLITE_PROBE = (
    "(SELECT ci.id FROM claim_item ci WHERE ci.url = u.value AND ci.claim_id <> :claim AND ci.status {test} 'restored'"
    " ORDER BY ci.url DESC, ci.id DESC LIMIT 1)"
)
_SQLITE_URLS = "json_each(:urls) AS u"
_EARLIER = """
WITH found AS (SELECT {latest} AS latest, {restored} AS restored FROM {urls})
SELECT ci.id AS item_id, ci.url AS url, ci.status AS item_status, ci.outcome AS outcome, ci.decided_at AS decided_at,
  c.id AS claim_id, c.reference AS reference, c.status AS claim_status, c.received_at AS received_at
FROM claim_item ci JOIN claim c ON c.id = ci.claim_id
WHERE ci.id IN (SELECT latest FROM found UNION SELECT restored FROM found)
ORDER BY c.received_at, ci.id
"""
_ITEM, _CLAIM = ClaimItem.__table__.c, Claim.__table__.c
# Every column of _EARLIER in order, with its type (the result processors run positionally).
# The statuses and the outcome are read as the plain text they are stored as: `repeat_flags` only writes them into
# the flag's history as strings, and an enum built per value (the columns' own type) cost more than the rest.
_COLUMNS_OUT = tuple(
    column(name, type_)
    for name, type_ in (
        ("item_id", _ITEM.id.type),
        ("url", _ITEM.url.type),
        ("item_status", String()),
        ("outcome", String()),
        ("decided_at", _ITEM.decided_at.type),
        ("claim_id", _CLAIM.id.type),
        ("reference", _CLAIM.reference.type),
        ("claim_status", String()),
        ("received_at", _CLAIM.received_at.type),
    )
)
# PostgreSQL: the same lookup as one function, repeat_earlier() (migration 0015_pg_rollup_triggers), whose probes
# are functions too and which plans with sequential scans off. Sent inline, the statement kept the plan it was first
# prepared with: made while the tables were nearly empty, it read all of claim and claim_item on every intake.
_QUERIES = {
    dialect: Prepared(text(sql).bindparams(bindparam("claim", type_=String()), bindparam("urls", type_=Text())).columns(*_COLUMNS_OUT))
    for dialect, sql in (
        (
            "sqlite",
            _EARLIER.format(latest=_SQLITE_PROBE.format(test="<>"), restored=_SQLITE_PROBE.format(test="="), urls=_SQLITE_URLS),
        ),
        ("postgresql", "SELECT * FROM repeat_earlier(:claim, CAST(:urls AS text[]))"),
    )
}


def _earlier(session: Session, claim_id: str, urls: list[str]) -> list[Any]:
    """The latest earlier item and the latest restored earlier item of each URL, with their claims, oldest first.

    All the URLs go in one parameter (an array, or a JSON list on SQLite), so one statement orders them all."""
    dialect = session.get_bind().dialect.name
    param: Any = _text_array(urls) if dialect == "postgresql" else json.dumps(urls)
    return _QUERIES[dialect].rows(session.connection(), {"claim": claim_id, "urls": param})


def _text_array(values: list[str]) -> str:
    """PostgreSQL's literal of a text[] (cast in the query): each element quoted, its backslashes and double quotes
    escaped. Formatted here rather than bound as an array, whose adaptation cost more than the rest of the lookup."""
    return "{" + ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values) + "}"


def repeat_flags(session: Session, claim_id: str, items: list[tuple[str, str | None]], at: Any) -> list[dict[str, Any]]:
    by_url: dict[str, list[str]] = {}
    for item_id, url in items:
        if url:
            by_url.setdefault(url, []).append(item_id)
    if not by_url:
        return []
    earlier = _earlier(session, claim_id, list(by_url))
    rows: list[dict[str, Any]] = []
    for e_item, url, e_status, e_outcome, e_decided, e_claim, e_ref, e_claim_status, e_received in earlier:
        restored = str(e_status) in RESTORED
        history = {
            "url": url,
            "earlier_claim_id": e_claim,
            "earlier_reference": e_ref,
            "earlier_claim_status": str(e_claim_status),
            "earlier_item_status": str(e_status),
            "earlier_outcome": None if e_outcome is None else str(e_outcome),
            "earlier_received_at": e_received.isoformat() if e_received else None,
            "earlier_decided_at": e_decided.isoformat() if e_decided else None,
        }
        kind = FlagKind.REPEAT_AFTER_RESTORATION if restored else FlagKind.REPEAT_CLAIM
        for item_id in by_url[url]:
            rows.append(
                _flag(
                    claim_id,
                    kind,
                    f"{item_id}:{e_item}",
                    history,
                    at,
                    legal=restored,
                    item_id=item_id,
                    related_claim_id=e_claim,
                    related_item_id=e_item,
                )
            )
    return rows


# Every intake asks whether its sender imitates a known domain. The answer per (database, well-known list, sender
# domain, owner) is kept per process for KNOWN_TTL_SECONDS: the verified list changes when an admin adds a domain
# (`domains.add` drops the cache at once and after its commit); other processes see the change within the TTL. A read
# that began before a drop is not stored (generation check).
KNOWN_TTL_SECONDS = 2.0
verdicts: TTLCache[tuple[object, str, str, str], tuple[dict[str, Any] | None]] = TTLCache(KNOWN_TTL_SECONDS)


def forget_domains() -> None:
    verdicts.clear()


on_dispose(forget_domains)


def known_domains(session: Session) -> list[tuple[str, str | None]]:
    """(domain, the account it is verified for, or None for the well-known list)."""
    verified = [(d, a) for d, a in session.execute(select(AccountDomain.domain, AccountDomain.account_id))]
    return verified + [(d, None) for d in get_settings().well_known_domain_list]


def imitation(session: Session, sender: str, owner_id: str) -> dict[str, Any] | None:
    """What `sender` imitates (the flag's detail), or None: its owner's own domain, a known one itself, or no look-alike."""
    # The engine stands for its database: hashed by identity, where its URL is rendered as text for every hash.
    key = (session.get_bind().engine, get_settings().well_known_notifier_domains, sender, owner_id)
    cached = verdicts.get(key)  # a 1-tuple: "no look-alike" is remembered too
    if cached is not None:
        return cached[0]
    seen = verdicts.generation()
    known = known_domains(session)
    detail: dict[str, Any] | None = None
    if not any(domain == sender and account in (owner_id, None) for domain, account in known):
        for domain, account in known:
            if lookalike.resembles(sender, domain):
                detail = {
                    "sender_domain": sender,
                    "resembles": domain,
                    "source": "verified on an account" if account else "well-known notifier list",
                    "verified_account_id": account,
                }
                break
    verdicts.put(key, (detail,), seen)
    return detail


def impersonation_flag(session: Session, claim_id: str, email: str | None, owner_id: str, at: Any) -> dict[str, Any] | None:
    if email is None:
        owner = session.get(Account, owner_id)
        email = owner.email if owner is not None else None
    sender = lookalike.sender_domain(email)
    if sender is None:
        return None
    detail = imitation(session, sender, owner_id)
    return None if detail is None else _flag(claim_id, FlagKind.IMPERSONATION, sender, dict(detail), at, legal=True)


def unvouched_flag(claim_id: str, sender_domain: str, account_id: str, reason: str, evidence: dict[str, Any], at: Any) -> dict[str, Any]:
    """A `From` naming a domain verified on `account_id` that nothing vouches for (`mailroom.authenticity`): the
    claim went to the address's notifier account, and staff verify the sender. Legal takes it, as for a look-alike,
    when the relay's own results failed the domain or the mail bypassed the relay; an envelope sender of another
    domain alone is weak (a mailing service's bounce address, a forwarder's rewriting): flagged, not routed to legal."""
    detail = {
        "sender_domain": sender_domain,
        "resembles": sender_domain,
        "source": "verified on an account",
        "verified_account_id": account_id,
        "unauthenticated": evidence,
        "reason": f"The From names {sender_domain}, a domain verified for a rights holder, but {reason}. "
        "The claim went to a notifier account for the address, not to that rights holder: verify the sender.",
    }
    return _flag(claim_id, FlagKind.IMPERSONATION, sender_domain, detail, at, legal=evidence.get("check") != "envelope")


def subscriber(session: Session, event: EventRow, subject: Any = None) -> Iterable[Rows]:
    if event.subject_type != "claim":
        return []
    claim_id = event.subject_id
    items, email, owner_id = _new_claim(session, event, subject)
    rows = repeat_flags(session, claim_id, items, event.at)
    flag = impersonation_flag(session, claim_id, email, owner_id, event.at)
    if flag is not None:
        rows.append(flag)
    return [Rows(INSERT, rows)] if rows else []


def flags_for_claim(session: Session, claim_id: str) -> list[ClaimFlag]:
    return list(session.scalars(select(ClaimFlag).where(ClaimFlag.claim_id == claim_id).order_by(ClaimFlag.created_at, ClaimFlag.id)))
