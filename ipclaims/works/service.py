"""Reference works and their images: register, list, upload (streamed, validated by content, then indexed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from ipclaims import paging, storage
from ipclaims.auth.deps import STAFF
from ipclaims.config import Settings
from ipclaims.errors import NotPermitted, Unprocessable
from ipclaims.matching import service as matching
from ipclaims.matching.pipeline import ReferenceSignature
from ipclaims.models import Account, Role, Work, WorkImage, WorkKind
from ipclaims.paging import Keyset, paginate
from ipclaims.works import conflicts, repository
from ipclaims.works.schemas import WorkIn

MAX_PAGE = paging.MAX_PAGE
NEWEST_WORKS: Keyset[Work] = Keyset((str,), (Work.id.desc(),), lambda last_id: Work.id < last_id, lambda w: (w.id,))


def create(session: Session, actor: Account, data: WorkIn, *, on_behalf_of: str | None = None) -> Work:
    owner = actor
    if on_behalf_of is not None:
        if actor.role not in STAFF:
            raise NotPermitted("only staff may register a work on behalf of a rights holder")
        found = session.get(Account, on_behalf_of)
        if found is None or found.role is not Role.RIGHTS_HOLDER:
            raise Unprocessable(
                "on_behalf_of: no rights-holder account with that id",
                errors=[{"loc": ["body", "on_behalf_of"], "msg": "unknown rights-holder account"}],
            )
        owner = found
    elif actor.role is not Role.RIGHTS_HOLDER:
        raise NotPermitted("reference works belong to a rights holder; staff register one with `on_behalf_of`")
    work = Work(
        owner_id=owner.id,
        title=data.title,
        kind=WorkKind(data.kind),
        registration_number=data.registration_number,
        description=data.description,
    )
    session.add(work)
    session.flush()
    return repository.get_work(session, actor, work.id)


def get(session: Session, actor: Account, work_id: str) -> Work:
    return repository.get_work(session, actor, work_id)


def list_works(
    session: Session, actor: Account, *, kind: str | None = None, cursor: str | None = None, limit: int = 50
) -> tuple[list[Work], str | None]:
    query = repository.readable_by(actor).options(selectinload(Work.images))
    if kind is not None:
        query = query.where(Work.kind == WorkKind(kind))
    return paginate(session, query, NEWEST_WORKS, cursor=cursor, limit=limit)


@dataclass
class ImageDraft:
    """A reference image received, decoded and indexed in memory; `store_image` writes it."""

    upload: matching.Upload
    signature: ReferenceSignature

    def discard(self) -> None:
        """Drop the temporary file, unless `store_image` moved it to its content address already."""
        self.upload.received.discard()


def prepare_image(stream: BinaryIO, settings: Settings) -> ImageDraft:
    """Receive, decode and index an upload without the database: the CPU work, done before any write turn."""
    upload = matching.receive_image(stream, settings)
    try:
        draft = ImageDraft(upload, matching.reference_signature(upload.decoded))
        upload.received.sync()
        return draft
    except BaseException:
        upload.received.discard()
        raise


def store_image(
    session: Session, actor: Account, work_id: str, draft: ImageDraft, matched: list[conflicts.Found] | None = None
) -> WorkImage:
    """Store a prepared reference image on the caller's work (404 for another holder's) with its signature.

    The same bytes uploaded to the same work again return the image already stored (uploads are retry-safe). The
    file reaches its content address only once everything that could refuse it has run.
    """
    work = repository.get_work(session, actor, work_id)
    upload = draft.upload
    existing = _image_by_hash(session, work.id, upload.received.sha256)
    if existing is not None:
        return existing
    decoded = upload.decoded
    path = storage.address(decoded.sha256, area="works", media_type=decoded.mime_type)
    image = WorkImage(
        work_id=work.id,
        owner_id=work.owner_id,
        sha256=decoded.sha256,
        media_type=decoded.mime_type,
        width=decoded.width,
        height=decoded.height,
        size_bytes=upload.received.size,
        path=path,
    )
    try:
        with session.begin_nested():
            session.add(image)
            session.flush()
    except IntegrityError:
        # The same bytes were added to this work concurrently and committed first: answer with that image.
        found = _image_by_hash(session, work.id, decoded.sha256)
        if found is None:
            raise
        return found
    matching.store_signature(session, image, draft.signature)
    conflicts.record(session, actor, work, image, matched or [])  # another holder's work it matches (issue 21)
    upload.keep(area="works")  # to `path`: the same content address
    return image


def add_image(session: Session, actor: Account, work_id: str, stream: BinaryIO, settings: Settings) -> WorkImage:
    """Both steps in the caller's transaction (the demo loader; scripts)."""
    draft = prepare_image(stream, settings)
    try:
        work = repository.get_work(session, actor, work_id)
        return store_image(session, actor, work_id, draft, conflicts.find(session, work.owner_id, draft.upload.decoded, settings))
    finally:
        draft.discard()


def _image_by_hash(session: Session, work_id: str, sha256: str) -> WorkImage | None:
    return session.scalars(select(WorkImage).where(WorkImage.work_id == work_id, WorkImage.sha256 == sha256)).first()
