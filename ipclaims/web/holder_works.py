"""`/works`: the rights holder's reference works. Registering one and uploading its images go through the works
service (`works.service.create`, `prepare_image` then `store_image`), with the same limits as the API (size,
types, pixels); images are shown from `/works/{id}/images/{image_id}`, scoped like the work (another holder's: 404).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ipclaims import storage
from ipclaims.config import get_settings
from ipclaims.db import DbSession, WriteTransaction, run_read
from ipclaims.errors import AppError, NotFound
from ipclaims.models import Account, Work
from ipclaims.web.auth import CurrentUser, HolderUser
from ipclaims.web.templating import render
from ipclaims.works import service
from ipclaims.works.schemas import WorkIn

router = APIRouter()

MAX_FILES = 10  # images in one upload form; each is decoded and indexed before the one write


def _blank() -> dict[str, str]:
    return {"title": "", "kind": "copyright", "registration_number": "", "description": ""}


def _list(request: Request, session: Any, user: Account, values: dict[str, str], errors: dict[str, str], status: int = 200) -> HTMLResponse:
    rows, _ = service.list_works(session, user, limit=service.MAX_PAGE)
    return render(request, "works/list.html", {"works": rows, "values": values, "errors": errors}, status_code=status)


@router.get("/works", include_in_schema=False)
def works_page(request: Request, session: DbSession, user: CurrentUser) -> HTMLResponse:
    return _list(request, session, user, _blank(), {})


@router.post("/works", include_in_schema=False)
async def register_work(
    request: Request,
    user: HolderUser,
    tx: WriteTransaction,
    title: Annotated[str, Form(max_length=1000)] = "",
    kind: Annotated[str, Form(max_length=20)] = "copyright",
    registration_number: Annotated[str, Form(max_length=1000)] = "",
    description: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    values = {"title": title, "kind": kind, "registration_number": registration_number, "description": description}
    try:
        data = WorkIn.model_validate(
            {
                "title": title,
                "kind": kind,
                "registration_number": registration_number.strip() or None,
                "description": description.strip() or None,
            }
        )
    except ValidationError as exc:
        errors = {str(e["loc"][0]): _message(str(e["loc"][0]), e["msg"]) for e in exc.errors() if e.get("loc")}
        return await run_read(lambda s: _list(request, s, user, values, errors, 422))
    work: Work = await tx.run(lambda session: service.create(session, user, data))
    return RedirectResponse(f"/works/{work.id}?created=1", status_code=303)


def _message(field: str, msg: str) -> str:
    if field == "title":
        return "Give the work a title."
    if field == "kind":
        return "Choose copyright or trademark."
    return msg[:1].upper() + msg[1:] + "."


def _work_page(
    request: Request, work: Work, *, created: bool = False, added: int = 0, error: str | None = None, status: int = 200
) -> HTMLResponse:
    images = sorted(work.images, key=lambda i: i.created_at)
    context = {
        "work": work,
        "images": images,
        "created": created,
        "added": added,
        "error": error,
        "max_bytes": get_settings().max_upload_bytes,
    }
    return render(request, "works/detail.html", context, status_code=status)


@router.get("/works/{work_id}", include_in_schema=False)
def work_page(request: Request, work_id: str, session: DbSession, user: CurrentUser, created: int = 0, added: int = 0) -> HTMLResponse:
    return _work_page(request, service.get(session, user, work_id), created=bool(created), added=added)


@router.post("/works/{work_id}/images", include_in_schema=False)
async def upload_images(request: Request, work_id: str, user: HolderUser, tx: WriteTransaction) -> Response:
    form = await request.form()  # parsed already by the CSRF check; closed here whatever happens
    try:
        work = await run_read(lambda s: service.get(s, user, work_id))  # another holder's work: 404 before any decoding
        return await _store_uploads(request, work, user, tx, [f for f in form.getlist("file") if isinstance(f, UploadFile) and f.filename])
    finally:
        await form.close()


async def _store_uploads(request: Request, work: Work, user: Account, tx: Any, files: list[UploadFile]) -> Response:
    work_id = work.id
    if not files:
        return _work_page(request, work, error="Choose at least one image file to upload.", status=422)
    if len(files) > MAX_FILES:
        return _work_page(request, work, error=f"Upload at most {MAX_FILES} images at a time.", status=422)
    drafts: list[service.ImageDraft] = []
    try:
        for upload in files:
            try:
                drafts.append(await run_in_threadpool(service.prepare_image, upload.file, get_settings()))
            except AppError as exc:  # too large, not an image, too many pixels: say which file, keep the page
                return _work_page(request, work, error=f"{upload.filename}: {exc.detail}", status=exc.status)
        await tx.run(lambda session: [service.store_image(session, user, work_id, d) for d in drafts])
    finally:
        for draft in drafts:
            await run_in_threadpool(draft.discard)
    return RedirectResponse(f"/works/{work_id}?added={len(drafts)}", status_code=303)


@router.get("/works/{work_id}/images/{image_id}", include_in_schema=False)
def image_file(work_id: str, image_id: str, session: DbSession, user: CurrentUser) -> Response:
    work = service.get(session, user, work_id)
    image = next((i for i in work.images if i.id == image_id), None)
    if image is None:
        raise NotFound(f"no image {image_id}")
    return Response(
        storage.read(image.path),
        media_type=image.media_type,
        headers={"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff", "Content-Disposition": "inline"},
    )
