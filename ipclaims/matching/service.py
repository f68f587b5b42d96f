"""Matching against the reference library: index reference images, match uploads, store the evidence on items.

A query is hashed, the index proposes candidate reference images by perceptual-hash distance (region hashes make
crops and screenshots land near their source), and each candidate is then judged by `pipeline.judge`, which only
says `match` when local features agree on one plausible geometry (or, for pictures with too few corners, a dense
alignment seeded by the hash pair agrees pixel for pixel and edge for edge). Item content is searched among the claimant's
own works (CONTRACT.md), and the works the notice itself names are always judged, whatever the index proposes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.orm import Session

from ipclaims import storage
from ipclaims.claims import repository as claims_repository
from ipclaims.config import Settings
from ipclaims.db import session_scope
from ipclaims.errors import AppError, PayloadTooLarge, Unprocessable, UnsupportedMedia
from ipclaims.events import Action, record_event
from ipclaims.matching import conflicts, dense, imageio, library, pipeline
from ipclaims.matching.hashing import FULL, KIND_BITS
from ipclaims.matching.imageio import DecodedImage
from ipclaims.matching.index import bytes_to_signed
from ipclaims.matching.schemas import MatchOut, Region
from ipclaims.matching.verify import deserialize_features, serialize_features
from ipclaims.models import Account, Claim, ClaimItem, ImageFeatures, ImageHash, ItemContent, Work, WorkImage, utcnow
from ipclaims.triage import priority

log = logging.getLogger("ipclaims.matching")

# How many index candidates are judged by local features per query (each costs a few milliseconds).
CANDIDATES = 24
# After the first confirmed candidate, others are judged only within this much relative hash distance of it.
EARLY_STOP_MARGIN = 8 / 64
VERDICT_RANK = {"match": 0, "possible": 1, "none": 2}
# Set when this process indexes an image: its next search reloads the library at once instead of within the
# second the library allows itself between checks, so an upload is matchable by the very next request.
_indexed_here = threading.Event()


# ------------------------------------------------------------------------------------------------ uploads


@dataclass
class Upload:
    received: storage.Received
    decoded: DecodedImage

    def keep(self, *, area: str) -> str:
        return storage.keep(self.received, area=area, media_type=self.decoded.mime_type)


def receive_image(stream: BinaryIO, settings: Settings) -> Upload:
    """Stream an upload to disk, then decode it by its content (413 / 415 / 422 on refusal, nothing kept)."""
    received = storage.receive(stream, limit=settings.max_upload_bytes)
    try:
        decoded = imageio.open_for_matching(received.read(), max_pixels=settings.max_image_pixels)
    except (PayloadTooLarge, UnsupportedMedia, Unprocessable) as exc:  # imageio's refusals, said of the `file` part
        received.discard()
        raise type(exc)(f"file: {exc.detail}", errors=[{"loc": ["body", "file"], "msg": exc.detail}]) from None
    except BaseException:
        received.discard()
        raise
    return Upload(received, decoded)


# ------------------------------------------------------------------------------------------------ indexing


def reference_signature(decoded: DecodedImage) -> pipeline.ReferenceSignature:
    """Every hash and the local features of one reference image (CPU only: computed before any write turn)."""
    return pipeline.reference_signature(decoded.image)


def index_reference(session: Session, image: WorkImage, decoded: DecodedImage) -> None:
    """(Re)compute and store every hash and the local features of one reference image."""
    store_signature(session, image, reference_signature(decoded))


def store_signature(session: Session, image: WorkImage, signature: pipeline.ReferenceSignature) -> None:
    """Replace what is stored for `image` with `signature` (computed here or, for bulk loads, in other processes)."""
    session.execute(delete(ImageHash).where(ImageHash.image_id == image.id))
    session.execute(delete(ImageFeatures).where(ImageFeatures.image_id == image.id))
    rows = []
    for record in signature.hashes:
        w0, w1, w2, w3 = bytes_to_signed(record.bits)
        rows.append(ImageHash(image_id=image.id, kind=record.kind, region=list(record.region), w0=w0, w1=w1, w2=w2, w3=w3))
    session.add_all(rows)
    session.add(
        ImageFeatures(
            image_id=image.id,
            data=serialize_features(signature.features),
            thumb=dense.encode_thumb(signature.thumb),
            meta={"keypoints": len(signature.features), "hash_version": pipeline.HASH_VERSION},
        )
    )
    image.hash_version = pipeline.HASH_VERSION
    image.hashed_at = utcnow()
    session.flush()
    _indexed_here.set()


def _stale() -> ColumnElement[bool]:
    return (WorkImage.hashed_at.is_(None)) | (WorkImage.hash_version < pipeline.HASH_VERSION)


def is_stale(session: Session, image_id: str) -> bool:
    return session.scalar(select(WorkImage.id).where(WorkImage.id == image_id, _stale())) is not None


def stale_images(session: Session, *, everything: bool = False, limit: int | None = None, exclude: Collection[str] = ()) -> list[str]:
    query = select(WorkImage.id).order_by(WorkImage.id)
    if not everything:
        query = query.where(_stale())
    if exclude:
        query = query.where(WorkImage.id.not_in(sorted(exclude)))
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def rehash(session: Session, image_id: str, settings: Settings, *, only_if_stale: bool = False) -> bool:
    """Re-index one stored image from its file (the worker and `ipclaims rehash`); False if there was nothing to do.

    The row is locked and re-checked first (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite writers are serial), so two
    workers sweeping at once never index the same image twice.
    """
    image = session.scalars(select(WorkImage).where(WorkImage.id == image_id).with_for_update(skip_locked=True)).first()
    if image is None:
        return False
    if only_if_stale and image.hashed_at is not None and image.hash_version >= pipeline.HASH_VERSION:
        return False
    try:
        decoded = imageio.open_for_matching(storage.read(image.path), max_pixels=settings.max_image_pixels)
    except (OSError, AppError) as exc:
        log.warning("reference image %s cannot be re-indexed: %s", image_id, exc)
        return False
    index_reference(session, image, decoded)
    return True


# ------------------------------------------------------------------------------------------------ matching


@dataclass
class _Candidate:
    image_id: str
    work_id: str
    hit: library.Candidate | None = None  # the index's best hash pair; None for a work the notice names


def _index_candidates(
    session: Session, query: pipeline.QuerySignature, owner_id: str | None, settings: Settings
) -> list[library.Candidate]:
    if settings.match_index == "database":
        return library.sql_candidates(session, query.hashes, radius=pipeline.CANDIDATE_RADIUS, k=CANDIDATES, owner_id=owner_id)
    held = library.get_library()
    force = _indexed_here.is_set()
    _indexed_here.clear()
    held.refresh(session, force=force)
    return held.search_loaded(query.hashes, radius=pipeline.CANDIDATE_RADIUS, k=CANDIDATES, owner_id=owner_id)


def warm_library() -> None:
    """Load the in-memory index (at start-up, off the request path); a failure only means the first search loads."""
    try:
        with session_scope(write=False) as session:
            library.get_library().refresh(session, force=True)
    except Exception:
        log.exception("could not preload the matching library; the first search will load it")


def _named(session: Session, work_ids: Iterable[str], owner_id: str | None) -> list[_Candidate]:
    ids = sorted(set(work_ids))
    if not ids:
        return []
    query = select(WorkImage.id, WorkImage.work_id).where(WorkImage.work_id.in_(ids), WorkImage.hashed_at.is_not(None))
    if owner_id is not None:
        query = query.where(WorkImage.owner_id == owner_id)
    return [_Candidate(image_id, work_id) for image_id, work_id in session.execute(query.limit(200))]


def _evidence(
    query: pipeline.QuerySignature, hit: library.Candidate | None, regions: dict[int, list[float] | None]
) -> pipeline.Evidence | None:
    if hit is None:
        return None
    record = query.hashes[hit.query_index]
    region = regions.get(hit.hash_id)
    reference_box = tuple(region) if region else FULL
    return pipeline.Evidence(
        hit.distance,
        KIND_BITS[hit.kind],
        record.region,
        reference_box,  # type: ignore[arg-type]
        record.mirrored,
    )


def find_matches(
    session: Session,
    decoded: DecodedImage,
    settings: Settings,
    *,
    owner_id: str | None,
    named_works: Iterable[str] = (),
    limit: int = 10,
    with_conflicts: bool = True,
) -> list[MatchOut]:
    """Candidates from the index plus the named works' images, each judged; best first, one per work.

    Index candidates that neither verify nor come close in hash distance are left out (`none` for an arbitrary
    image of the library says nothing); a named work is always reported, `none` included, because "checked against
    the work the notice names: no match" is evidence too.
    """
    query = pipeline.query_signature(decoded.image)
    candidates: dict[str, _Candidate] = {c.image_id: c for c in _named(session, named_works, owner_id)}
    named_ids = set(candidates)
    for hit in _index_candidates(session, query, owner_id, settings):
        candidates.setdefault(hit.image_id, _Candidate(hit.image_id, hit.work_id)).hit = hit
    if not candidates:
        return []
    ids = list(candidates)
    stored = {
        image_id: (data, thumb)
        for image_id, data, thumb in session.execute(
            select(ImageFeatures.image_id, ImageFeatures.data, ImageFeatures.thumb).where(ImageFeatures.image_id.in_(ids))
        )
    }
    titles = dict(
        session.execute(select(WorkImage.id, Work.title).join(Work, Work.id == WorkImage.work_id).where(WorkImage.id.in_(ids)))
        .tuples()
        .all()
    )
    hash_ids = [c.hit.hash_id for c in candidates.values() if c.hit is not None]
    regions = (
        dict(session.execute(select(ImageHash.id, ImageHash.region).where(ImageHash.id.in_(hash_ids))).tuples().all()) if hash_ids else {}
    )
    out: list[MatchOut] = []
    matched_works: set[str] = set()
    first_match: float | None = None  # relative hash distance of the first confirmed index candidate
    for image_id, cand in candidates.items():
        if image_id not in stored:
            continue  # removed meanwhile, or not indexed yet
        pair = cand.hit
        if image_id not in named_ids and pair is not None:
            # Index candidates come closest first. Once one is confirmed, only those about as close may still be
            # copies too (the same picture registered by another holder); a work confirmed once needs no second image.
            if cand.work_id in matched_works:
                continue
            if first_match is not None and pair.relative_distance > first_match + EARLY_STOP_MARGIN:
                continue
        data, thumb = stored[image_id]
        judged = pipeline.judge(
            query, deserialize_features(data), dense.decode_thumb(thumb) if thumb else None, _evidence(query, cand.hit, regions)
        )
        if judged.verdict == "match":
            matched_works.add(cand.work_id)
            if first_match is None and pair is not None and image_id not in named_ids:
                first_match = pair.relative_distance
        if judged.verdict == "none" and image_id not in named_ids:
            continue
        out.append(
            MatchOut(
                work_id=cand.work_id,
                image_id=image_id,
                score=judged.score,
                verdict=judged.verdict,
                method=judged.method,
                distance=pair.distance if pair else None,
                bits=KIND_BITS[pair.kind] if pair else None,
                region=_region(judged.region, decoded),
                mirrored=judged.mirrored,
                inliers=judged.inliers,
                reason=judged.reason,
                work_title=titles.get(image_id),
            )
        )
    out.sort(key=lambda m: (VERDICT_RANK[m.verdict], -m.score, m.image_id))
    out = _one_per_work(out)
    if with_conflicts:  # a disputed work backs no `match` (matching.conflicts)
        blocked = conflicts.blocks(session, (m.work_id for m in out))
        if blocked:
            out = [MatchOut.model_validate(m) for m in conflicts.stamp([m.model_dump() for m in out], blocked)]
    return out[:limit]


def _one_per_work(matches: list[MatchOut]) -> list[MatchOut]:
    seen: set[str] = set()
    kept = []
    for m in matches:
        if m.work_id not in seen:
            seen.add(m.work_id)
            kept.append(m)
    return kept


def _region(box: tuple[float, float, float, float] | None, decoded: DecodedImage) -> Region | None:
    if box is None:
        return None
    x, y, w, h = box
    return Region(
        x=round(x * decoded.width),
        y=round(y * decoded.height),
        width=max(1, round(w * decoded.width)),
        height=max(1, round(h * decoded.height)),
    )


def match_upload(session: Session, stream: BinaryIO, settings: Settings, *, limit: int = 10) -> list[MatchOut]:
    """Staff look-up across the whole library; the upload itself is not kept. Reads only (`db.run_read`)."""
    upload = receive_image(stream, settings)
    upload.received.discard()
    return find_matches(session, upload.decoded, settings, owner_id=None, limit=limit)


@dataclass
class ItemContentDraft:
    """An item's reported material, received, decoded and matched; `store_item_content` writes it."""

    upload: Upload
    matches: list[MatchOut]

    def discard(self) -> None:
        """Drop the temporary file, unless `store_item_content` moved it to its content address already."""
        self.upload.received.discard()


def match_item_content(
    session: Session, actor: Account, claim_id: str, item_id: str, stream: BinaryIO, settings: Settings
) -> ItemContentDraft:
    """Receive the reported material of one item and match it among the claimant's own works (and the works its
    notice names). Reads only: the API runs it in a read session (`db.run_read`), so decoding, hashing and the
    verification of candidates never hold the write turn other requests queue for."""
    claim = claims_repository.get_claim(session, actor, claim_id)
    item = claims_repository.get_item(claim, item_id)
    return match_received(session, claim, item, receive_image(stream, settings), settings)


def match_received(session: Session, claim: Claim, item: ClaimItem, upload: Upload, settings: Settings) -> ItemContentDraft:
    """Match received item content (an upload, or media the worker fetched) among the claimant's works and the works
    its notice names; the upload is discarded on failure."""
    named = [
        work.reference_work_id
        for position, work in enumerate(claim.works)
        if work.reference_work_id and item.work_index in (None, position)
    ]
    try:
        matches = find_matches(session, upload.decoded, settings, owner_id=claim.owner_id, named_works=named)
        upload.received.sync()  # kept by `store_item_content`: only a rename is left for the write turn
    except BaseException:
        upload.received.discard()
        raise
    return ItemContentDraft(upload, matches)


def store_item_content(session: Session, actor: Account, claim_id: str, item_id: str, draft: ItemContentDraft) -> ClaimItem:
    """Store matched item content and its matches on the item, with a `content_matched` event (write turn)."""
    claim = claims_repository.get_claim(session, actor, claim_id, for_update=True)
    return store_content(session, actor, claim, claims_repository.get_item(claim, item_id), draft)


def store_content(session: Session, actor: Account | None, claim: Claim, item: ClaimItem, draft: ItemContentDraft) -> ClaimItem:
    """`store_item_content` on a claim already loaded (and locked); `actor` None: fetched by the worker."""
    stored = [m.model_dump(mode="json") for m in draft.matches]
    upload = draft.upload
    path = upload.keep(area="items")
    decoded = upload.decoded
    session.add(
        ItemContent(
            item_id=item.id,
            uploaded_by_id=actor.id if actor is not None else None,
            sha256=decoded.sha256,
            media_type=decoded.mime_type,
            width=decoded.width,
            height=decoded.height,
            size_bytes=upload.received.size,
            path=path,
            matches=stored,
        )
    )
    item.matches = stored
    conflicts.index_matches(session, item.id, stored)
    best = stored[0] if stored else None
    record_event(
        session,
        claim_id=claim.id,
        actor=actor,
        subject_type="item",
        subject_id=item.id,
        action=Action.CONTENT_MATCHED,
        reason=None,
        data={
            "sha256": decoded.sha256,
            "matches": len(stored),
            "best": {k: best[k] for k in ("work_id", "verdict", "score")} if best else None,
        },
    )
    owner = session.get(Account, claim.owner_id)
    if owner is not None:
        priority.refresh(session, claim, owner, now=utcnow())
    session.flush()
    return item
