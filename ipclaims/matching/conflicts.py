"""Ownership conflicts seen from matching: a work in conflict cannot back a `match` (Content ID's disputed reference).

While two holders' works that `match` each other are in an open conflict (`works.conflicts` opens and resolves
them), neither may be what a specialist stakes a takedown on: a `match` against either is shown as `possible`, with
`conflict` saying which conflict and why. Once staff resolve it, the winner's matches (or both, when both are
valid) are `match` again; a losing work (or both, for `neither`) stays downgraded. `stamp` applies this to matches as
they are found and `restamp_items` to the matches already stored on undecided items.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, delete, insert, or_, select
from sqlalchemy.orm import Session

from ipclaims.models import ClaimItem, ConflictStatus, ItemMatchWork, ItemStatus, WorkConflict

Block = dict[str, str]  # {"id", "status", "reason"}


def blocks(session: Session, work_ids: Iterable[str]) -> dict[str, Block]:
    """The works among `work_ids` that may not back a `match`, with the conflict that says so."""
    ids = sorted(set(work_ids))
    if not ids:
        return {}
    rows = session.scalars(
        select(WorkConflict)
        .where(or_(WorkConflict.work_id.in_(ids), WorkConflict.other_work_id.in_(ids)))
        .order_by(WorkConflict.created_at, WorkConflict.id)
    )
    out: dict[str, Block] = {}
    for c in rows:
        pair: tuple[str, ...] = (c.work_id, c.other_work_id)
        if c.status == ConflictStatus.OPEN:
            blocked = pair
            why = (
                "ownership conflict open: another holder registered a matching reference image; "
                "no match can rest on it until staff resolve it"
            )
        elif c.outcome == "winner":
            blocked = tuple(w for w in pair if w != c.winner_work_id)
            why = "ownership conflict resolved against this work: it cannot back a match"
        elif c.outcome == "neither":
            blocked = pair
            why = "ownership conflict resolved: neither work may back a match"
        else:
            continue  # both_valid
        for work_id in blocked:
            if work_id in ids:
                out.setdefault(work_id, {"id": c.id, "status": str(c.status), "reason": why})
    return out


def stamp(matches: list[dict[str, Any]], blocked: dict[str, Block]) -> list[dict[str, Any]]:
    """Matches as the conflicts now say: earlier stamps undone, then every `match` of a blocked work downgraded."""
    out = []
    for m in matches:
        m = dict(m)
        if m.get("conflict"):
            m["verdict"] = "match"  # only `match` verdicts are ever stamped
        m["conflict"] = None
        block = blocked.get(str(m.get("work_id")))
        if block is not None and m.get("verdict") == "match":
            m["verdict"] = "possible"
            m["conflict"] = dict(block)
        out.append(m)
    rank = {"match": 0, "possible": 1, "none": 2}
    return sorted(out, key=lambda m: (rank.get(str(m.get("verdict")), 3), -float(m.get("score") or 0), str(m.get("image_id"))))


def undecided_naming(work_ids: list[str]) -> Select[tuple[ClaimItem]]:
    """The undecided items whose stored matches name any of these works: found through `item_match_work`'s
    (work_id, item_id) index, not by searching the text of every item's matches."""
    naming = select(ItemMatchWork.item_id).where(ItemMatchWork.work_id.in_(work_ids))
    return select(ClaimItem).where(ClaimItem.id.in_(naming), ClaimItem.status == ItemStatus.PENDING).order_by(ClaimItem.id)


def restamp_items(session: Session, work_ids: Iterable[str]) -> list[str]:
    """Re-apply the conflicts to the stored matches of undecided items that name these works; the claims touched."""
    ids = sorted(set(work_ids))
    if not ids:
        return []
    items = session.scalars(undecided_naming(ids).with_for_update()).all()
    claims: set[str] = set()
    for item in items:
        matches = list(item.matches or [])
        restamped = stamp(matches, blocks(session, (str(m.get("work_id")) for m in matches)))
        if restamped != matches:
            item.matches = restamped
            claims.add(item.claim_id)
    session.flush()
    return sorted(claims)


def index_matches(session: Session, item_id: str, matches: Iterable[dict[str, Any]]) -> None:
    """Record which works an item's stored matches name (`item_match_work`), replacing what was recorded before:
    called wherever `claim_item.matches` is written with new works (a restamp changes verdicts, not works)."""
    works = sorted({str(m["work_id"]) for m in matches if m.get("work_id")})
    session.execute(delete(ItemMatchWork).where(ItemMatchWork.item_id == item_id))
    if works:
        session.execute(insert(ItemMatchWork), [{"item_id": item_id, "work_id": w} for w in works])
