"""ORM → response shapes for works and their images."""

from __future__ import annotations

from sqlalchemy.orm import Session, object_session

from ipclaims.models import Work, WorkConflict, WorkImage
from ipclaims.works import conflicts
from ipclaims.works.schemas import ConflictOut, ConflictRef, ConflictWork, ImageOut, WorkOut


def image_out(image: WorkImage) -> ImageOut:
    return ImageOut(
        id=image.id,
        work_id=image.work_id,
        sha256=image.sha256,
        media_type=image.media_type,
        width=image.width,
        height=image.height,
        size_bytes=image.size_bytes,
        hashed=image.hashed_at is not None,
        created_at=image.created_at,
    )


def work_out(work: Work, refs: list[WorkConflict] | None = None) -> WorkOut:
    if refs is None:
        session = object_session(work)
        refs = conflicts.open_for(session, [work.id]).get(work.id, []) if session is not None else []
    return WorkOut(
        id=work.id,
        title=work.title,
        kind=work.kind.value,
        registration_number=work.registration_number,
        description=work.description,
        owner_id=work.owner_id,
        images=[image_out(i) for i in work.images],
        created_at=work.created_at,
        conflicts=[ConflictRef(id=c.id, status=str(c.status), outcome=c.outcome) for c in refs],
    )


def works_out(session: Session, works: list[Work]) -> list[WorkOut]:
    refs = conflicts.open_for(session, [w.id for w in works])
    return [work_out(w, refs.get(w.id, [])) for w in works]


def _side(work: Work | None, work_id: str) -> ConflictWork:
    return ConflictWork(id=work_id, title=work.title if work else None, owner_id=work.owner_id if work else None)


def conflict_out(c: WorkConflict, works: dict[str, Work]) -> ConflictOut:
    return ConflictOut(
        id=c.id,
        status=str(c.status),
        work=_side(works.get(c.work_id), c.work_id),
        image_id=c.image_id,
        other_work=_side(works.get(c.other_work_id), c.other_work_id),
        other_image_id=c.other_image_id,
        detail=c.detail or {},
        outcome=c.outcome,
        winner_work_id=c.winner_work_id,
        reason=c.reason,
        resolved_by=c.resolved_by_id,
        resolved_at=c.resolved_at,
        created_at=c.created_at,
    )
