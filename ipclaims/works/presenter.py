"""ORM → response shapes for works and their images."""

from __future__ import annotations

from ipclaims.models import Work, WorkImage
from ipclaims.works.schemas import ImageOut, WorkOut


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


def work_out(work: Work) -> WorkOut:
    return WorkOut(
        id=work.id,
        title=work.title,
        kind=work.kind.value,
        registration_number=work.registration_number,
        description=work.description,
        owner_id=work.owner_id,
        images=[image_out(i) for i in work.images],
        created_at=work.created_at,
    )
