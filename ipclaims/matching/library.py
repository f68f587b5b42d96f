"""The reference library in memory: every stored hash of one database in a `HashIndex` per kind, kept current by
a watermark refresh, searched per image and per owner; and `sql_candidates`, the same answer from PostgreSQL alone.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from ipclaims.config import get_settings
from ipclaims.matching.hashing import KIND_BITS, HashRecord
from ipclaims.matching.index import WORDS, HashIndex, _Column, pack
from ipclaims.models import ImageHash, WorkImage

__all__ = ["Candidate", "Library", "SqlSearchUnsupported", "dispose_libraries", "get_library", "sql_candidates"]

REFRESH_INTERVAL_S: Final = 1.0
# The sums of `_Totals` cost a full scan (~0.15 s per million rows on SQLite, where count(*) and max(id) alone take
# milliseconds), so an unchanged count and max id are trusted between verifications this far apart.
VERIFY_INTERVAL_S: Final = 30.0
LOAD_BATCH: Final = 50_000
KIND_ORDER: Final[dict[str, int]] = {kind: i for i, kind in enumerate(KIND_BITS)}
_HASH = ImageHash.__table__
_IMAGE = WorkImage.__table__


# ---------------------------------------------------------------------------------------------------- the library


@dataclass(frozen=True, slots=True)
class Candidate:
    """A reference image close to a query: its best hash pair, across kinds by distance relative to hash length.

    `hash_id` is the ImageHash row that matched (its region says where in the reference the match is); `row` is
    its position in the in-memory index, None when the candidate came from `sql_candidates`.
    """

    image_id: str
    work_id: str
    owner_id: str
    kind: str
    distance: int
    query_index: int
    hash_id: int
    row: int | None = None

    @property
    def relative_distance(self) -> float:
        return self.distance / KIND_BITS[self.kind]


def _rank_key(c: Candidate) -> tuple[float, str]:
    return (c.relative_distance, c.image_id)


def _merge(candidates: Sequence[Candidate], k: int) -> list[Candidate]:
    """One candidate per image, the best by relative distance (then kind, query index, hash), the k best images.

    Dyadic fractions (d/64, d/256) compare exactly as floats. Ties between images go to the lower image id so the
    in-memory and the SQL paths agree.
    """
    best: dict[str, Candidate] = {}
    for c in candidates:
        key = (c.relative_distance, KIND_ORDER[c.kind], c.query_index, c.hash_id)
        held = best.get(c.image_id)
        if held is None or key < (held.relative_distance, KIND_ORDER[held.kind], held.query_index, held.hash_id):
            best[c.image_id] = c
    return sorted(best.values(), key=_rank_key)[:k]


LOW_BITS: Final = 0xFFFF_FFFF


@dataclass(frozen=True, slots=True)
class _Totals:
    """count(*), max(id), sum(id) and sum(w0 & 0xFFFFFFFF) over `image_hash` rows.

    Ids alone miss one change: SQLite (no AUTOINCREMENT on this table) gives a new row max(id) + 1, so deleting the
    newest image's hashes and inserting as many in the same transaction (a re-hash) reuses the very same ids. The
    sum of the low hash bits changes then, and cannot overflow a 64-bit SQL sum below 2^31 rows.
    """

    count: int = 0
    max_id: int = 0
    id_sum: int = 0
    low_sum: int = 0

    def plus(self, other: _Totals) -> _Totals:
        return _Totals(self.count + other.count, max(self.max_id, other.max_id), self.id_sum + other.id_sum, self.low_sum + other.low_sum)

    @staticmethod
    def of(rows: Sequence[Any]) -> _Totals:
        """Rows start with (id, kind, w0, ...)."""
        if not rows:
            return _Totals()
        return _Totals(len(rows), max(int(r[0]) for r in rows), sum(int(r[0]) for r in rows), sum(int(r[2]) & LOW_BITS for r in rows))


@dataclass(frozen=True)
class _State:
    """What searches read: published whole, so a search never mixes rows of two refreshes."""

    indexes: dict[str, HashIndex]
    hash_ids: dict[str, _Column]
    image_ids: list[str]
    work_ids: list[str]
    owner_ids: list[str]
    owner_codes: np.ndarray  # int32 per slot
    owner_code: dict[str, int]
    totals: _Totals  # of every ImageHash row held, including kinds this build does not index


class _Builder:
    """The mutable side of a library: appends rows, then publishes a `_State` of what it holds."""

    def __init__(self) -> None:
        self.indexes = {kind: HashIndex(bits) for kind, bits in KIND_BITS.items()}
        self.hash_ids = {kind: _Column(np.int64, (), index.chunk_rows) for kind, index in self.indexes.items()}
        self.image_ids: list[str] = []
        self.work_ids: list[str] = []
        self.owner_ids: list[str] = []
        self.owner_codes = _Column(np.int32, (), 1 << 16)
        self.owner_code: dict[str, int] = {}
        self.slot_of: dict[str, int] = {}
        self.totals = _Totals()

    def add_rows(self, rows: Sequence[Any]) -> None:
        """Rows of (id, kind, w0, w1, w2, w3, image_id, work_id, owner_id), ordered by id, all above the watermark."""
        new_codes: list[int] = []
        by_kind: dict[str, tuple[list[int], list[tuple[int, ...]], list[int]]] = {}
        for hash_id, kind, w0, w1, w2, w3, image_id, work_id, owner_id in rows:
            slot = self.slot_of.get(image_id)
            if slot is None:
                slot = self.slot_of[image_id] = len(self.image_ids)
                code = self.owner_code.setdefault(owner_id, len(self.owner_code))
                self.image_ids.append(image_id)
                self.work_ids.append(work_id)
                self.owner_ids.append(owner_id)
                new_codes.append(code)
            index = self.indexes.get(kind)
            if index is None:
                continue  # a kind this build does not search: counted in the totals, not indexed
            row_words = (w0,) if index.words == 1 else (w0, w1, w2, w3)
            if None in row_words:
                continue  # a malformed row must not stop every later refresh
            ids, words, slots = by_kind.setdefault(kind, ([], [], []))
            ids.append(hash_id)
            words.append(row_words)
            slots.append(slot)
        # Slot tables before index rows: a published row never points at a slot a reader cannot resolve.
        if new_codes:
            self.owner_codes.append(np.array(new_codes, np.int32))
        for kind, (ids, words, slots) in by_kind.items():
            self.hash_ids[kind].append(np.array(ids, np.int64))
            self.indexes[kind].add(np.array(words, dtype=np.int64).view(np.uint64), np.array(slots, np.int32))
        self.totals = self.totals.plus(_Totals.of(rows))

    def trim(self) -> None:
        for index in self.indexes.values():
            index.trim()
        for column in self.hash_ids.values():
            column.trim()

    def publish(self) -> _State:
        return _State(
            indexes={kind: index.snapshot() for kind, index in self.indexes.items()},
            hash_ids={kind: column.view() for kind, column in self.hash_ids.items()},
            image_ids=self.image_ids,
            work_ids=self.work_ids,
            owner_ids=self.owner_ids,
            owner_codes=self.owner_codes.values(),
            owner_code=dict(self.owner_code),
            totals=self.totals,
        )


class Library:
    """Every reference hash of one database in memory, kept in step with `image_hash` by `refresh`.

    New rows are picked up incrementally above a watermark on `ImageHash.id`. Ids are not a commit order (on
    PostgreSQL a transaction can commit a lower id after a higher one was loaded) and rows get deleted (an image
    removed, re-hashed), so each refresh also compares a few totals of the table with those of what is held
    (`_Totals`); any mismatch the new rows do not explain means a full reload. Hashes are never updated in place
    (re-hashing deletes and inserts).

    `refresh` takes a lock (one loader at a time); searches read the last published state without locking.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._builder = _Builder()
        self._state = self._builder.publish()
        self._checked_at = float("-inf")
        self._verified_at = float("-inf")
        self.full_reloads = 0

    def __len__(self) -> int:
        return self._state.totals.count

    @property
    def watermark(self) -> int:
        return self._state.totals.max_id

    @property
    def nbytes(self) -> int:
        state = self._state
        return sum(i.nbytes for i in state.indexes.values()) + sum(c.nbytes for c in state.hash_ids.values()) + state.owner_codes.nbytes

    def refresh(self, session: Session, *, force: bool = False) -> bool:
        """Bring the library up to date unless it was checked less than a second ago; True if it changed.

        `force=True` is for a search that must see what this process just wrote (an upload or a re-hash, then its
        match): it also runs the full verification at once.
        """
        if not force and time.monotonic() - self._checked_at < REFRESH_INTERVAL_S:
            return False
        with self._lock:
            if not force and time.monotonic() - self._checked_at < REFRESH_INTERVAL_S:
                return False  # another thread refreshed while this one waited for the lock
            changed = self._sync(session, verify=force or time.monotonic() - self._verified_at >= VERIFY_INTERVAL_S)
            self._checked_at = time.monotonic()
            return changed

    def _sync(self, session: Session, *, verify: bool) -> bool:
        # Compared with the builder, not the published state: a load that failed half-way left rows in the builder
        # that this refresh then publishes.
        builder = self._builder
        held = builder.totals
        if not verify:
            # Two statements, not one: SQLite answers each alone from the b-tree, together they need a scan.
            count = session.execute(select(func.count()).select_from(_HASH)).scalar_one()
            max_id = session.execute(select(func.coalesce(func.max(_HASH.c.id), 0))).scalar_one()
            if (int(count), int(max_id)) == (held.count, held.max_id):
                return self._publish_pending()
        now = _Totals(
            *(
                int(v)
                for v in session.execute(
                    select(
                        func.count(),
                        func.coalesce(func.max(_HASH.c.id), 0),
                        func.coalesce(func.sum(_HASH.c.id), 0),
                        func.coalesce(func.sum(_HASH.c.w0.op("&")(LOW_BITS)), 0),
                    )
                ).one()
            )
        )
        self._verified_at = time.monotonic()
        if now == held:
            return self._publish_pending()
        if now.count >= held.count and now.max_id > held.max_id:
            seen = self._load(session, builder, after=held.max_id, upto=now.max_id)
            self._state = builder.publish()
            # The totals taken before loading must be what was held plus the new rows up to that max id; otherwise
            # rows vanished, were replaced, or appeared below the old watermark (committed late).
            if held.plus(seen) == now:
                return True
        fresh = _Builder()
        self._load(session, fresh, after=0, upto=None)
        fresh.trim()
        self._builder = fresh
        self._state = fresh.publish()
        self.full_reloads += 1
        return True

    def _publish_pending(self) -> bool:
        if self._state.totals != self._builder.totals:
            self._state = self._builder.publish()
            return True
        return False

    def _load(self, session: Session, builder: _Builder, *, after: int, upto: int | None) -> _Totals:
        """Append every row above `after` in id order; returns the totals of the loaded rows with id ≤ upto."""
        seen = _Totals()
        h, w = _HASH.c, _IMAGE.c
        # Table columns, not ORM attributes: the rows are plain tuples, and skipping ORM result handling halves the
        # time of a million-row load.
        base = (
            select(h.id, h.kind, h.w0, h.w1, h.w2, h.w3, w.id, w.work_id, w.owner_id)
            .join_from(_HASH, _IMAGE, w.id == h.image_id)
            .order_by(h.id)
            .limit(LOAD_BATCH)
        )
        while True:
            rows = session.execute(base.where(h.id > after)).all()
            if not rows:
                break
            builder.add_rows(rows)
            after = int(rows[-1][0])
            if upto is not None:
                seen = seen.plus(_Totals.of([r for r in rows if r[0] <= upto]))
            if len(rows) < LOAD_BATCH:
                break
        return seen

    def owner_mask(self, owner_id: str) -> np.ndarray:
        return self._owner_mask(self._state, owner_id)

    @staticmethod
    def _owner_mask(state: _State, owner_id: str) -> np.ndarray:
        code = state.owner_code.get(owner_id)
        if code is None:
            return np.zeros(state.owner_codes.size, np.bool_)
        mask: np.ndarray = state.owner_codes == code
        return mask

    def search(
        self, session: Session, records: Sequence[HashRecord], *, radius: Mapping[str, int], k: int, owner_id: str | None = None
    ) -> list[Candidate]:
        """Refresh (at most once a second), then `search_loaded`."""
        self.refresh(session)
        return self.search_loaded(records, radius=radius, k=k, owner_id=owner_id)

    def search_loaded(
        self, records: Sequence[HashRecord], *, radius: Mapping[str, int], k: int, owner_id: str | None = None
    ) -> list[Candidate]:
        """The k best images for the query hashes, kinds merged; kinds missing from `radius` are not searched.

        `query_index` is the position in `records`. Every image within radius is ranked per kind (not only the
        k best by slot), so ties at the k-th place are broken by image id, as `sql_candidates` breaks them.
        """
        state = self._state
        allowed = self._owner_mask(state, owner_id) if owner_id is not None else None
        found: list[Candidate] = []
        for kind, index in state.indexes.items():
            if kind not in radius:
                continue
            positions = [i for i, r in enumerate(records) if r.kind == kind]
            if not positions:
                continue
            queries = pack([records[i].bits for i in positions], index.bits)
            hits = index.best_per_image(queries, radius=radius[kind], k=len(state.image_ids), allowed=allowed)
            if not hits:
                continue
            hash_ids = state.hash_ids[kind].take(np.array([h.row for h in hits], np.int64))
            for hit, hash_id in zip(hits, hash_ids.tolist(), strict=True):
                slot = hit.image_slot
                found.append(
                    Candidate(
                        image_id=state.image_ids[slot],
                        work_id=state.work_ids[slot],
                        owner_id=state.owner_ids[slot],
                        kind=kind,
                        distance=hit.distance,
                        query_index=positions[hit.query_index],
                        hash_id=hash_id,
                        row=hit.row,
                    )
                )
        return _merge(found, k)


_LIBRARIES: dict[str, Library] = {}
_LIBRARIES_LOCK = threading.Lock()


def get_library(database_url: str | None = None) -> Library:
    """The process's library for a database (default: the configured one)."""
    url = database_url or get_settings().database_url
    with _LIBRARIES_LOCK:
        library = _LIBRARIES.get(url)
        if library is None:
            library = _LIBRARIES[url] = Library()
        return library


def dispose_libraries() -> None:
    """Forget every library (tests that reset a database under the same URL; a forked worker)."""
    with _LIBRARIES_LOCK:
        _LIBRARIES.clear()


# ---------------------------------------------------------------------------------------------------- PostgreSQL


class SqlSearchUnsupported(RuntimeError):
    """`sql_candidates` needs PostgreSQL ≥ 14 (bit_count); SQLite deployments use the in-memory Library."""


def _distance_sql(words: int) -> str:
    return " + ".join(f"bit_count((h.w{j} # q.q{j})::bit(64))" for j in range(words))


def sql_candidates(
    session: Session, records: Sequence[HashRecord], *, radius: Mapping[str, int], k: int, owner_id: str | None = None
) -> list[Candidate]:
    """The same answer as `Library.search`, ranked by PostgreSQL itself: no memory, one full scan per kind.

    For deployments with several servers or a cold start, where no process holds the library. Per kind the best
    pair per image is taken with DISTINCT ON (ties: query index, then hash id, as in memory), the k best images
    by (distance, image id) are returned and the kinds merged; that per-kind cut cannot lose an image of the
    merged top k, since an image ahead of it in one kind is ahead of it overall.
    """
    if session.get_bind().dialect.name != "postgresql":
        raise SqlSearchUnsupported("sql_candidates ranks with PostgreSQL's bit_count(); on SQLite use get_library().search")
    found: list[Candidate] = []
    if k <= 0:
        return found
    for kind, bits in KIND_BITS.items():
        if kind not in radius:
            continue
        positions = [i for i, r in enumerate(records) if r.kind == kind]
        if not positions:
            continue
        words = WORDS[bits]
        matrix = pack([records[i].bits for i in positions], bits).view(np.int64)
        params: dict[str, Any] = {"kind": kind, "radius": int(radius[kind]), "k": int(k), "qi": positions}
        columns = ", ".join(f"CAST(:q{j} AS bigint[])" for j in range(words))
        for j in range(words):
            params[f"q{j}"] = [int(v) for v in matrix[:, j]]
        owner_clause = ""
        if owner_id is not None:
            owner_clause = "AND wi.owner_id = :owner_id"
            params["owner_id"] = owner_id
        distance = _distance_sql(words)
        sql = f"""
            SELECT image_id, work_id, owner_id, hash_id, qi, distance FROM (
                SELECT DISTINCT ON (h.image_id)
                       h.image_id, wi.work_id, wi.owner_id, h.id AS hash_id, q.qi, {distance} AS distance
                FROM unnest(CAST(:qi AS integer[]), {columns}) AS q(qi, {", ".join(f"q{j}" for j in range(words))})
                CROSS JOIN image_hash h
                JOIN work_image wi ON wi.id = h.image_id
                WHERE h.kind = :kind AND {distance} <= :radius {owner_clause}
                ORDER BY h.image_id, distance, q.qi, h.id
            ) best
            ORDER BY distance, image_id COLLATE "C"
            LIMIT :k
        """
        for image_id, work_id, owner, hash_id, qi, dist in session.execute(text(sql), params):
            found.append(
                Candidate(
                    image_id=image_id,
                    work_id=work_id,
                    owner_id=owner,
                    kind=kind,
                    distance=int(dist),
                    query_index=int(qi),
                    hash_id=int(hash_id),
                )
            )
    return _merge(found, k)
