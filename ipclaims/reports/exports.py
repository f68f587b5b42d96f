"""Transparency exports: DSA statements of reasons, Art. 15(1)(b) counts and Lumen-style notices.

Pages are keysets with the list cursor codec (`ipclaims.paging`), ≤ 100 rows each, so an export of any size runs in
constant memory on both databases.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from ipclaims.config import Settings
from ipclaims.models import Claim, ClaimItem, ClaimKind, ClaimWork, Complainant, ItemOutcome
from ipclaims.paging import decode_cursor, encode_cursor
from ipclaims.reports import dsa, ranks, repository
from ipclaims.reports.repository import Range, in_range

PAGE = 100  # the Transparency Database takes at most 100 statements per batch
DSA_OUTCOMES = tuple(o.value for o in dsa.VISIBILITY)
PRIVATE = "[private]"
LUMEN_TYPE = {"US_DMCA": "DMCA", "TM_POLICY": "Trademark", "EU_DSA": "DSA"}


def _keyset_page(session: Session, query: Any, columns: tuple[Any, Any], cursor: str | None, key: Any) -> tuple[list[Any], str | None]:
    if cursor:
        at, ident = decode_cursor(cursor, (datetime, str))
        # `>= at` first: a bound the index can seek to (the OR alone is only a filter, scanning from the range start).
        query = query.where(columns[0] >= at, or_(columns[0] > at, and_(columns[0] == at, columns[1] > ident)))
    rows = list(session.execute(query.order_by(*columns).limit(PAGE + 1)))
    if len(rows) <= PAGE:
        return rows, None
    rows = rows[:PAGE]
    return rows, encode_cursor(*key(rows[-1]))


def dsa_statements(session: Session, r: Range, cursor: str | None) -> dict[str, Any]:
    """Decided items of EU_DSA claims, and of TM_POLICY claims whose measure names an EEA country, by decision time."""
    query = (
        select(
            ClaimItem.id,
            ClaimItem.url,
            ClaimItem.outcome,
            ClaimItem.territorial_scope,
            ClaimItem.decided_at,
            ClaimItem.decided_by_id,
            Claim.regime,
            Claim.kind,
            Claim.source,
            Claim.received_at,
        )
        .join(Claim, Claim.id == ClaimItem.claim_id)
        .where(
            ClaimItem.decided_at >= r.start,
            ClaimItem.decided_at < r.end,
            ClaimItem.outcome.in_(DSA_OUTCOMES),
            Claim.regime.in_(("EU_DSA", "TM_POLICY")),
        )
    )
    rows, next_cursor = _keyset_page(session, query, (ClaimItem.decided_at, ClaimItem.id), cursor, lambda row: (row.decided_at, row.id))
    eligible = [row for row in rows if row.regime == "EU_DSA" or row.territorial_scope]
    statements, rejected = dsa.build_page(eligible)
    return {"statements": statements, "next_cursor": next_cursor, "rejected": rejected}


def dsa_counts(session: Session, start: date, end: date, r: Range) -> dict[str, Any]:
    """Art. 15(1)(b): notices by type (a notice made into several claims counts once), trusted-flagger notices, actions
    by ground, automated handling, median time."""
    by_type: dict[str, dict[str, int]] = {}
    trusted = 0
    # Notices, not claims: the second and later parts of a notice made into several claims are taken off (the day
    # rollup is written by triggers in the claim's own transaction, so it holds every part counted here).
    groups = [(g, k, s, n) for g, k, _status, s, n in repository.claim_groups(session, r)]
    groups += [(g, k, s, -n) for g, k, s, n in repository.later_parts(session, r)]
    for regime, kind, source, n in groups:
        counts = by_type.setdefault(regime, dict.fromkeys((k.value for k in ClaimKind), 0))
        counts[kind] = counts.get(kind, 0) + n
        trusted += n if source == "trusted_flagger" else 0
    actioned = ClaimItem.outcome.in_([o.value for o in ItemOutcome if o != ItemOutcome.NO_ACTION])
    # Trade mark *policy* reports are acted on under the terms of service; every other regime is a legal ground.
    terms = Claim.regime == "TM_POLICY"
    query = (
        select(
            func.sum(case((and_(actioned, ~terms), 1), else_=0)),
            func.sum(case((and_(actioned, terms), 1), else_=0)),
            func.sum(case((and_(ClaimItem.outcome.is_not(None), ClaimItem.decided_by_id.is_(None)), 1), else_=0)),
        )
        .join(Claim, Claim.id == ClaimItem.claim_id)
        .where(in_range(r))
    )
    legal_grounds, terms_grounds, automated = session.execute(query).one()
    median, _p90, n = ranks.percentiles(session, "first", r).get(ranks.ALL, (None, None, 0))
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "notices": {"total": sum(sum(k.values()) for k in by_type.values()), "by_regime_and_kind": by_type},
        "trusted_flagger_notices": trusted,
        "actions": {"legal_grounds": int(legal_grounds or 0), "terms_and_conditions": int(terms_grounds or 0)},
        "automated_means": int(automated or 0),
        "median_hours_to_action": median,
        "actions_timed": n,
    }


def recipient_name(settings: Settings) -> str:
    hosts = sorted(settings.platform_host_set)
    return hosts[0] if hosts else "the platform"


def lumen(session: Session, r: Range, cursor: str | None, recipient: str) -> dict[str, Any]:
    query = (
        select(Claim.id, Claim.regime, Claim.received_at, Claim.rights_owner, Complainant.organization)
        .outerjoin(Complainant, Complainant.claim_id == Claim.id)
        .where(in_range(r))
    )
    rows, next_cursor = _keyset_page(session, query, (Claim.received_at, Claim.id), cursor, lambda row: (row.received_at, row.id))
    ids = [row.id for row in rows]
    works: dict[str, list[Any]] = {}
    items: dict[str, list[Any]] = {}
    if ids:
        for w in session.execute(
            select(ClaimWork.claim_id, ClaimWork.position, ClaimWork.title, ClaimWork.description, ClaimWork.urls)
            .where(ClaimWork.claim_id.in_(ids))
            .order_by(ClaimWork.position)
        ):
            works.setdefault(w.claim_id, []).append(w)
        for i in session.execute(
            select(ClaimItem.claim_id, ClaimItem.url, ClaimItem.work_index, ClaimItem.outcome)
            .where(ClaimItem.claim_id.in_(ids))
            .order_by(ClaimItem.position)
        ):
            items.setdefault(i.claim_id, []).append(i)
    return {"notices": [_notice(row, works.get(row.id, []), items.get(row.id, []), recipient) for row in rows], "next_cursor": next_cursor}


def _notice(row: Any, works: list[Any], items: list[Any], recipient: str) -> dict[str, Any]:
    """No email, phone or address of anyone; a complainant without an organization is a private individual."""
    organization = (row.organization or "").strip()
    entries = []
    for w in works or [None]:
        mine = [i for i in items if w is None or i.work_index == w.position or (i.work_index is None and w.position == 0)]
        entries.append(
            {
                "description": "" if w is None else (w.description or w.title or ""),
                "copyrighted_urls": [] if w is None else list(w.urls or []),
                "infringing_urls": [i.url for i in mine if i.url],
            }
        )
    outcomes = [i.outcome for i in items]
    acted = [o for o in outcomes if o is not None and o != ItemOutcome.NO_ACTION]
    action = (
        "Pending"
        if any(o is None for o in outcomes) and not acted
        else "Yes"
        if acted and len(acted) == len(outcomes)
        else "Partial"
        if acted
        else "No"
    )
    received = row.received_at.date().isoformat()
    return {
        "id": row.id,
        "type": LUMEN_TYPE.get(row.regime, "Other"),
        "date_sent": received,
        "date_received": received,
        "sender": {"name": organization or PRIVATE, "kind": "organization" if organization else "individual"},
        "principal": {"name": (row.rights_owner or organization) if organization else PRIVATE},
        "recipient": {"name": recipient},
        "works": entries,
        "action_taken": action,
    }
