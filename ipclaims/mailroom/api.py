"""Notices in free text and email, over HTTP (CONTRACT.md "Notices in free text and email").

A notice comes as JSON `{"text", "regime"?, "kind"?}` or as a multipart `file` (an `.eml` message or plain text, with
optional `regime` and `kind` fields). Thin: read the body, authorise by dependency, call the service.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ipclaims import idempotency
from ipclaims.auth.deps import CurrentAccount, StaffUser
from ipclaims.claims.schemas import Regime
from ipclaims.config import get_settings
from ipclaims.db import DbSession, WriteTransaction, run_read
from ipclaims.errors import PayloadTooLarge, Unprocessable, UnsupportedMedia, size_words
from ipclaims.http import StrictModel, read_form, read_json_body, unset_blank
from ipclaims.mailroom import ahead, parts, reading, repository, service
from ipclaims.mailroom.documents import BY_MEDIA_TYPE, DOCUMENTS, kinds, of_upload
from ipclaims.mailroom.reading import Source
from ipclaims.mailroom.schemas import SourceMessageOut, SourceMessagePage, messages_out
from ipclaims.mediatypes import is_json
from ipclaims.models import SourceMessage, SourceStatus
from ipclaims.notices.charsets import text_charset
from ipclaims.paging import MAX_PAGE

router = APIRouter(tags=["notices"])

TEXT_TYPES = frozenset({"", "text/plain", "message/rfc822", "application/octet-stream"})
TEXT_SUFFIXES = (".eml", ".txt", ".text")
# Formats that are certainly not a message or text (read a PDF's text before sending it, or send the .eml it came in).
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"PK\x03\x04", b"GIF8", b"\xff\xd8\xff", b"\xd0\xcf\x11\xe0", b"\x1f\x8b")


class NoticeIn(StrictModel):
    text: str = Field(min_length=1, description="the notice as pasted: an email with its headers, or its text")
    regime: Regime | None = Field(default=None, description="read the text under this regime (default: what the text shows)")
    kind: Literal["claim", "counter_notice"] | None = None


@dataclass(frozen=True)
class NoticeInput:
    source: Source
    regime: str | None
    kind: str | None
    fingerprint: str  # of the notice and the options: the Idempotency-Key's request hash


def _option(value: object, name: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise Unprocessable(f"{name}: a text field", errors=[{"loc": ["body", name], "msg": "not text"}])
    return value


def _kinds(*, documents: bool) -> str:
    return ", ".join(f"{name} ({suffix})" for name, suffix in kinds(documents=documents))


async def read_upload(upload: UploadFile, limit: int, *, documents: bool = False) -> Source:
    """A `file` part as a notice (here and on the import page): 415 unless a message or text, 413 over `limit`.
    `documents`: the import page's, which also takes the documents `documents.DOCUMENTS` reads (each also bounded by
    what its reader takes); the API's `file` takes none (CONTRACT.md)."""
    name = upload.filename or ""
    media = (upload.content_type or "").split(";", 1)[0].strip().lower()
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    document = of_upload(name, media) if documents else None
    if document is None and (
        (suffix and f".{suffix}" not in TEXT_SUFFIXES) or (media not in TEXT_TYPES and not media.startswith("message/"))
    ):
        raise UnsupportedMedia(
            "file: send an .eml message or plain text (.txt)",
            plain=f"This kind of file cannot be read as a notice. Upload one of these: {_kinds(documents=documents)}.",
        )
    bound = min(limit, document.max_bytes) if document is not None else limit
    raw = await upload.read(bound + 1)
    if len(raw) > bound:
        raise PayloadTooLarge(
            f"the notice is larger than the {limit:,}-byte limit (IPCLAIMS_MAX_NOTICE_BYTES)"
            if bound == limit
            else f"the notice is larger than the {bound:,} bytes its reader takes",
            plain=f"The file is larger than {size_words(bound)}, the most a notice may be.",
        )
    if not raw.strip():
        raise Unprocessable("file: the file is empty", errors=[{"loc": ["body", "file"], "msg": "empty"}], plain="The file is empty.")
    if document is not None:
        return Source(raw, document.media_type, name or None)
    if raw.startswith(_BINARY_MAGIC):
        suffixes = [d.suffix for d in DOCUMENTS]
        named = " or ".join([", ".join(suffixes[:-1]), suffixes[-1]] if len(suffixes) > 1 else suffixes)
        raise UnsupportedMedia(
            "file: this is a binary document, not a message or text",
            plain=f"The file is named as text but is not text: upload a document under its own name ({named}), or paste the notice's text."
            if documents
            else "The file is named as text but is not text: paste the notice's text instead.",
        )
    return reading.source_of(raw, name or None)


_BOUNDARY_LINE = re.compile(rb"\A\s*--[^\r\n]{1,70}\r?\n[ \t]*content-(?:disposition|type)[ \t]*:", re.IGNORECASE)


def _multipart_framed(raw: bytes) -> bool:
    """A body sent without a Content-Type (read as JSON by default) that is framed as multipart: a boundary line, then
    a part's header. Its refusal names what it is rather than "malformed JSON"."""
    return bool(_BOUNDARY_LINE.match(raw[:1024]))


async def notice_input(request: Request) -> NoticeInput:
    """The notice from a JSON or a multipart body: 415 for any other body or file type, 413 over the limit."""
    limit = get_settings().max_notice_bytes
    content_type = request.headers.get("content-type", "")
    if is_json(content_type):
        if not content_type.strip() and _multipart_framed(await request.body()):
            raise Unprocessable(
                "body: the multipart/form-data body is malformed: it came without its Content-Type header "
                '(send `Content-Type: multipart/form-data; boundary=...`, or the notice as application/json {"text"})',
                errors=[{"loc": ["header", "content-type"], "msg": "a multipart/form-data body needs its Content-Type and boundary"}],
            )
        body, _ = await read_json_body(request, NoticeIn)
        raw = body.text.encode("utf-8")
        if len(raw) > limit:
            raise PayloadTooLarge(f"the notice is larger than the {limit:,}-byte limit (IPCLAIMS_MAX_NOTICE_BYTES)")
        source = Source(raw, reading.PLAIN)
        regime: str | None = body.regime
        kind: str | None = body.kind
    elif content_type.split(";", 1)[0].strip().lower() == "multipart/form-data":
        form = await read_form(request)
        try:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise Unprocessable(
                    "file: send the notice in a multipart part named `file`", errors=[{"loc": ["body", "file"], "msg": "field required"}]
                )
            source = await read_upload(upload, limit)
            regime, kind = _option(form.get("regime"), "regime"), _option(form.get("kind"), "kind")
        finally:
            await form.close()
    else:
        raise UnsupportedMedia('send the notice as application/json {"text"} or multipart/form-data with a `file` part')
    reading.check_options(regime, kind)
    digest = hashlib.sha256(f"{request.method} {request.url.path}\n{regime}\n{kind}\n{source.filename}\n".encode())
    digest.update(source.raw)
    return NoticeInput(source=source, regime=regime, kind=kind, fingerprint=digest.hexdigest())


_NOTICE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": NoticeIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": ".eml or plain text"},
                        "regime": {"type": "string", "enum": ["US_DMCA", "EU_DSA", "SG_CA2021", "TM_POLICY"]},
                        "kind": {"type": "string", "enum": ["claim", "counter_notice"]},
                    },
                }
            },
        },
    }
}


@router.post("/api/v1/notices/parse", openapi_extra=_NOTICE_BODY)
async def parse_notice(request: Request, actor: StaffUser) -> JSONResponse:
    given = await notice_input(request)
    result = await run_in_threadpool(service.parse, actor, given.source, given.regime, given.kind, get_settings())
    return JSONResponse(result)


@router.post("/api/v1/notices", status_code=201, openapi_extra=_NOTICE_BODY)
async def create_notice(request: Request, actor: StaffUser, tx: WriteTransaction) -> JSONResponse:
    given = await notice_input(request)
    settings = get_settings()
    # The reading is pure and done here, before the request queues for its write turn.
    read = await run_in_threadpool(reading.read, given.source, regime=given.regime, kind=given.kind)
    return await tx.run(
        lambda session: idempotency.run_with_record(
            session,
            request,
            actor,
            given.source.raw,
            201,
            lambda record: service.create(
                session, actor, read, regime=given.regime, kind=given.kind, settings=settings, channel="api", record=record
            ),
            request_hash=given.fingerprint,
        )
    )


_RAW_RESPONSES: dict[int | str, dict[str, object]] = {200: {"content": {"message/rfc822": {}, "text/plain": {}}}}


def source_response(row: SourceMessage, name: str, origin: parts.Origin | None = None) -> Response:
    """The bytes as stored (here and on the staff's claim page): `message/rfc822` for a message, as an `.eml`
    attachment (a document the import page read, `documents`, as an attachment of its own type and ending), text in
    the charset it was read in (UTF-8 for pasted text; a `.txt` file may be Windows-1252 or UTF-16), with their
    SHA-256; never sniffed as anything else. `origin`: a claim's, whose place among the claims made of the message
    (`X-Notice-Part`, from 1) and the ids of those claims, in order (`X-Notice-Parts`), say which part of the notice
    it is."""
    document = BY_MEDIA_TYPE.get(row.media_type)
    kept_as_sent = row.media_type == reading.RFC822 or document is not None
    media = row.media_type if kept_as_sent else f"text/plain; charset={text_charset(row.raw)}"
    headers = {"X-Content-SHA256": row.sha256, "X-Content-Type-Options": "nosniff"}
    if origin is not None:
        headers |= {"X-Notice-Part": str(origin.part), "X-Notice-Parts": ", ".join(p.id for p in origin.parts)}
    if kept_as_sent:
        headers["Content-Disposition"] = f'attachment; filename="{name}{document.suffix if document else ".eml"}"'
    return Response(content=row.raw, media_type=media, headers=headers)


@router.get("/api/v1/claims/{claim_id}/source-message", response_class=Response, responses=_RAW_RESPONSES)
def get_source_message(claim_id: str, session: DbSession, actor: CurrentAccount) -> Response:
    origin = parts.source_message(session, actor, claim_id)
    return source_response(origin.message, claim_id, origin)


@router.get("/api/v1/notices/messages", response_model=SourceMessagePage)
def list_source_messages(
    session: DbSession,
    actor: StaffUser,
    status: SourceStatus | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
) -> SourceMessagePage:
    rows, next_cursor = repository.list_messages(session, status.value if status else None, cursor=unset_blank(cursor), limit=limit)
    return SourceMessagePage(items=messages_out(session, rows), next_cursor=next_cursor)


@router.get("/api/v1/notices/messages/{message_id}", response_model=SourceMessageOut)
def get_message(message_id: str, session: DbSession, actor: StaffUser) -> SourceMessageOut:
    return messages_out(session, [service.get_message(session, message_id)])[0]


@router.get("/api/v1/notices/messages/{message_id}/raw", response_class=Response, responses=_RAW_RESPONSES)
def get_message_raw(message_id: str, session: DbSession, actor: StaffUser) -> Response:
    return source_response(service.get_message(session, message_id), message_id)


@router.post("/api/v1/notices/messages/{message_id}/retry", response_model=SourceMessageOut)
async def retry_message(message_id: str, request: Request, actor: StaffUser, tx: WriteTransaction) -> JSONResponse:
    """A `failed` message read again through the inbox's own path: `parsed` with its claim, or `failed` again with
    the new reason (200 either way); 409 unless it was `failed`. Read first, holding nothing (`ahead`), then one
    write; a message no longer `failed` by then is the write's 409 (or its key's replay)."""
    settings = get_settings()
    planned = await run_read(lambda session: ahead.plan(session, message_id, expected=SourceStatus.FAILED, person=True))
    read = await run_in_threadpool(planned.read_now) if planned is not None else None
    return await tx.run(
        lambda session: idempotency.respond(
            session, request, actor, 200, lambda: messages_out(session, [service.retry(session, message_id, settings, ahead=read)])[0]
        )
    )
