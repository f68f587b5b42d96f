"""The hash index against brute force, the library's refresh against the database, and the SQL ranking against both."""

from __future__ import annotations

import os
import random
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ipclaims.matching import library as index
from ipclaims.matching.hashing import KIND_BITS, PDQ, PHASH, HashRecord
from ipclaims.matching.index import (
    HashIndex,
    bytes_to_signed,
    pack,
    signed_to_bytes,
    signed_to_words,
    unpack,
    words_to_signed,
)
from ipclaims.matching.library import Candidate, Library, SqlSearchUnsupported, sql_candidates
from ipclaims.models import ImageHash, Work, WorkImage, WorkKind
from tests.conftest import IS_PG, Actor

# ------------------------------------------------------------------------------------------------ conversions


def test_pack_and_signed_words_round_trip_including_the_top_bit() -> None:
    rng = random.Random(7)
    for bits in (64, 256):
        size = bits // 8
        hashes = [b"\x80" + bytes(size - 1), b"\xff" * size, bytes(size), b"\x7f" + b"\xff" * (size - 1)]
        hashes += [bytes([rng.choice([0x80, 0xC3, 0xFF])]) + rng.randbytes(size - 1) for _ in range(50)]
        hashes += [rng.randbytes(size) for _ in range(50)]
        matrix = pack(hashes, bits)
        assert matrix.dtype == np.uint64 and matrix.shape == (len(hashes), bits // 64)
        assert unpack(matrix) == hashes
        for h, row in zip(hashes, matrix, strict=True):
            assert [int(w) for w in row] == [int.from_bytes(h[i : i + 8], "big") for i in range(0, size, 8)]
            signed = words_to_signed(row)
            expected = [int.from_bytes(h[i : i + 8], "big", signed=True) for i in range(0, size, 8)]
            assert list(signed) == expected + [None] * (4 - len(expected))
            assert bytes_to_signed(h) == signed
            assert np.array_equal(signed_to_words(signed), row)
            assert signed_to_bytes(signed) == h
    assert words_to_signed(pack([b"\x80" + bytes(7)], 64)[0]) == (-(2**63), None, None, None)
    assert words_to_signed(pack([b"\xff" * 8], 64)[0]) == (-1, None, None, None)


def test_conversions_refuse_malformed_input() -> None:
    with pytest.raises(ValueError):
        pack([bytes(8), bytes(7)], 64)
    with pytest.raises(ValueError):
        pack([bytes(16)], 128)
    with pytest.raises(ValueError):
        signed_to_words([1, None, 3, None])
    with pytest.raises(ValueError):
        signed_to_words([1, 2])


# ------------------------------------------------------------------------------------------------ HashIndex


def _flip(rng: np.random.Generator, rows: np.ndarray, flips: int) -> np.ndarray:
    out = rows.copy()
    for _ in range(flips):
        word = rng.integers(0, rows.shape[1], rows.shape[0])
        bit = rng.integers(0, 64, rows.shape[0]).astype(np.uint64)
        out[np.arange(rows.shape[0]), word] ^= np.uint64(1) << bit
    return out


@dataclass
class Dataset:
    bits: int
    hashes: np.ndarray
    slots: np.ndarray
    queries: np.ndarray
    distances: np.ndarray  # (q, n) brute force, Python int.bit_count over the XOR


def _dataset(bits: int, seed: int) -> Dataset:
    """Clusters of near-duplicates (ties and small distances), exact duplicates across images, random rows, the exact
    complement of a query (distance = bits), and queries that sit on stored rows."""
    rng = np.random.default_rng(seed)
    words = bits // 64
    n = 2600
    centres = rng.integers(0, 2**64, size=(40, words), dtype=np.uint64)
    hashes = _flip(rng, centres[rng.integers(0, 40, n)], 3)
    hashes[-300:] = rng.integers(0, 2**64, size=(300, words), dtype=np.uint64)
    hashes[100:120] = hashes[10]  # one hash stored twenty times, in different images
    hashes[7] = ~centres[0]
    slots = rng.integers(0, 260, n).astype(np.int32)
    queries = np.concatenate(
        [
            centres[:4],
            hashes[[10, 11, 2000]],
            _flip(rng, centres[4:7], 5),
            rng.integers(0, 2**64, size=(2, words), dtype=np.uint64),
            centres[:1],
        ]
    )
    stored = [int.from_bytes(b, "big") for b in unpack(hashes)]
    asked = [int.from_bytes(b, "big") for b in unpack(queries)]
    distances = np.array([[(q ^ h).bit_count() for h in stored] for q in asked])
    return Dataset(bits, hashes, slots, queries, distances)


@pytest.fixture(scope="module", params=[64, 256])
def dataset(request: pytest.FixtureRequest) -> Dataset:
    return _dataset(request.param, seed=request.param)


def _built(data: Dataset, chunk_rows: int | None = 256) -> HashIndex:
    idx = HashIndex(data.bits, chunk_rows=chunk_rows)
    start = 0
    for size in (1, 700, 0, 33, 1000, 866):  # uneven batches: growth inside a chunk and across chunk borders
        idx.add(data.hashes[start : start + size], data.slots[start : start + size])
        start += size
    assert start == len(data.hashes) == len(idx)
    return idx


def _brute_best(data: Dataset, allowed: np.ndarray | None) -> dict[int, tuple[int, int, int]]:
    """Per allowed image slot, the smallest (distance, query index, row) over every pair."""
    best: dict[int, tuple[int, int, int]] = {}
    for qi in range(len(data.queries)):
        for row in range(len(data.hashes)):
            slot = int(data.slots[row])
            if allowed is None or (slot < len(allowed) and allowed[slot]):
                key = (int(data.distances[qi, row]), qi, row)
                if slot not in best or key < best[slot]:
                    best[slot] = key
    return best


def _within(best: dict[int, tuple[int, int, int]], radius: int, k: int) -> list[tuple[int, int, int, int]]:
    # The best pair of an image is its closest one, so it is within the radius exactly when any of its pairs is.
    return sorted((d, slot, qi, row) for slot, (d, qi, row) in best.items() if d <= radius)[:k]


def test_best_per_image_agrees_with_brute_force(dataset: Dataset) -> None:
    idx = _built(dataset)
    rng = np.random.default_rng(3)
    masks = [None, rng.random(260) < 0.4, np.zeros(260, np.bool_), rng.random(200) < 0.7]  # the last one is short
    expected = [_brute_best(dataset, allowed) for allowed in masks]
    radii = sorted({0, 1, 3, 6, 12, 25, dataset.bits // 2, dataset.bits - 1, dataset.bits, dataset.bits + 5})
    for radius in radii:
        for k in (1, 2, 10, 1000):
            for allowed, best in zip(masks, expected, strict=True):
                hits = idx.best_per_image(dataset.queries, radius=radius, k=k, allowed=allowed)
                got = [(h.distance, h.image_slot, h.query_index, h.row) for h in hits]
                assert got == _within(best, radius, k), (radius, k)


def test_best_per_image_is_the_same_whatever_the_chunk_size(dataset: Dataset) -> None:
    reference = _built(dataset, chunk_rows=None).best_per_image(dataset.queries, radius=20, k=50)
    for chunk_rows in (1, 7, 1000):
        assert _built(dataset, chunk_rows).best_per_image(dataset.queries, radius=20, k=50) == reference


def test_knn_agrees_with_brute_force(dataset: Dataset) -> None:
    idx = _built(dataset)
    n = len(dataset.hashes)
    for qi in range(len(dataset.queries)):
        for k in (1, 3, 10, 25, 300, n, n + 5):
            distances, rows = idx.knn(dataset.queries[qi], k)
            expected = sorted((int(d), row) for row, d in enumerate(dataset.distances[qi]))[:k]
            assert list(zip(distances.tolist(), rows.tolist(), strict=True)) == expected, (qi, k)


def test_complement_of_a_256_bit_hash_is_distance_256_not_a_wrapped_zero() -> None:
    rng = np.random.default_rng(11)
    query = rng.integers(0, 2**64, size=(1, 4), dtype=np.uint64)
    stored = np.concatenate([~query, ~query, query])
    stored[1, 0] ^= np.uint64(1)  # 255 bits away
    idx = HashIndex(256)
    idx.add(stored, np.array([0, 1, 2], np.int32))
    distances, rows = idx.knn(query[0], 3)
    assert distances.tolist() == [0, 255, 256] and rows.tolist() == [2, 1, 0]
    assert [(h.image_slot, h.distance) for h in idx.best_per_image(query, radius=256, k=5)] == [(2, 0), (1, 255), (0, 256)]
    assert [h.image_slot for h in idx.best_per_image(query, radius=255, k=5)] == [2, 1]
    assert [h.image_slot for h in idx.best_per_image(query, radius=254, k=5)] == [2]


def test_empty_index_and_degenerate_arguments() -> None:
    idx = HashIndex(64)
    q = pack([bytes(8)], 64)
    assert idx.best_per_image(q, radius=64, k=10) == []
    distances, rows = idx.knn(q[0], 5)
    assert distances.size == rows.size == 0
    idx.add(q, np.array([0], np.int32))
    assert idx.best_per_image(q, radius=-1, k=10) == []
    assert idx.best_per_image(q, radius=3, k=0) == []
    assert idx.best_per_image(np.empty((0, 1), np.uint64), radius=3, k=3) == []
    with pytest.raises(ValueError):
        idx.add(q.view(np.int64), np.array([0]))
    with pytest.raises(ValueError):
        idx.add(q, np.array([0, 1]))
    with pytest.raises(ValueError):
        idx.add(q, np.array([-1]))
    with pytest.raises(ValueError):
        idx.best_per_image(pack([bytes(32)], 256), radius=3, k=3)


def test_storage_keeps_rows_across_growth_and_snapshots_do_not_see_later_rows() -> None:
    rng = np.random.default_rng(5)
    idx = HashIndex(256, chunk_rows=100)
    added: list[np.ndarray] = []
    slots: list[np.ndarray] = []
    for size in rng.integers(0, 90, 30):
        words = rng.integers(0, 2**64, size=(int(size), 4), dtype=np.uint64)
        added.append(words)
        slots.append(rng.integers(0, 1000, int(size)).astype(np.int32))
        idx.add(words, slots[-1])
    frozen = idx.snapshot()
    all_words, all_slots = np.concatenate(added), np.concatenate(slots)
    every = np.arange(len(all_words))
    assert np.array_equal(idx.rows(every), all_words) and np.array_equal(idx.slots(every), all_slots)
    extra = rng.integers(0, 2**64, size=(250, 4), dtype=np.uint64)
    idx.add(extra, np.full(250, 5000, np.int32))
    assert len(frozen) == len(all_words) and len(idx) == len(all_words) + 250
    assert all(h.image_slot != 5000 for h in frozen.best_per_image(extra, radius=256, k=10_000))
    assert {h.image_slot for h in idx.best_per_image(extra, radius=0, k=10_000)} == {5000}
    assert np.array_equal(frozen.rows(every), all_words)


def test_memory_of_a_million_64_bit_hashes_stays_within_twice_the_hashes() -> None:
    rng = np.random.default_rng(0)
    n = 1_000_000
    idx = HashIndex(64)
    for start in range(0, n, 50_000):  # the library loads in batches of this size
        idx.add(rng.integers(0, 2**64, size=(50_000, 1), dtype=np.uint64), np.full(50_000, start // 35, np.int32))
    packed = n * 8
    assert packed * 1.5 <= idx.nbytes <= 2 * packed  # 8 bytes of hash + 4 of slot per row, plus the slack
    idx.trim()
    assert idx.nbytes == n * 12


# ------------------------------------------------------------------------------------------------ Library


@pytest.fixture
def owners(make_account: Callable[..., Actor]) -> tuple[str, str]:
    return make_account(name="Owner A").id, make_account(name="Owner B").id


@pytest.fixture
def library() -> Iterator[Library]:
    yield Library()
    index.dispose_libraries()


def add_image(
    session: Session, owner_id: str, records: Sequence[HashRecord], *, ids: Sequence[int] | None = None, work: Work | None = None
) -> WorkImage:
    if work is None:
        work = Work(owner_id=owner_id, title="Reference", kind=WorkKind.COPYRIGHT)
        session.add(work)
        session.flush()
    image = WorkImage(
        work_id=work.id,
        owner_id=owner_id,
        sha256=os.urandom(32).hex(),
        media_type="image/png",
        width=64,
        height=64,
        size_bytes=100,
        path="refs/x.png",
    )
    session.add(image)
    session.flush()
    for i, record in enumerate(records):
        w0, w1, w2, w3 = bytes_to_signed(record.bits)
        row = ImageHash(image_id=image.id, kind=record.kind, region=list(record.region), w0=w0, w1=w1, w2=w2, w3=w3)
        if ids is not None:
            row.id = ids[i]
        session.add(row)
    session.flush()
    return image


def _ph(value: int) -> HashRecord:
    return HashRecord(PHASH, value.to_bytes(8, "big"))


def _pdq(value: int) -> HashRecord:
    return HashRecord(PDQ, value.to_bytes(32, "big"))


def test_refresh_loads_searches_and_follows_inserts_incrementally(session: Session, owners: tuple[str, str], library: Library) -> None:
    a, _ = owners
    first = add_image(session, a, [_ph(0xFFFF_0000_FFFF_0000), _ph(0x8000_0000_0000_0001), _pdq(2**256 - 1)])
    assert library.refresh(session, force=True)
    assert len(library) == 3 and library.full_reloads == 0
    found = library.search(session, [_ph(0x8000_0000_0000_0003)], radius={PHASH: 4}, k=5)
    assert [(c.image_id, c.work_id, c.owner_id, c.kind, c.distance, c.query_index) for c in found] == [
        (first.id, first.work_id, a, PHASH, 1, 0)
    ]
    hash_ids = dict(session.execute(select(ImageHash.w0, ImageHash.id).where(ImageHash.image_id == first.id)).tuples().all())
    assert found[0].hash_id == hash_ids[bytes_to_signed((0x8000_0000_0000_0001).to_bytes(8, "big"))[0]]
    exact = library.search_loaded([_pdq(2**256 - 1)], radius={PDQ: 0}, k=5)
    assert [(c.image_id, c.kind, c.distance) for c in exact] == [(first.id, PDQ, 0)]

    watermark = library.watermark
    second = add_image(session, a, [_ph(0x8000_0000_0000_0002)])
    assert library.refresh(session, force=True)
    assert library.watermark > watermark and len(library) == 4 and library.full_reloads == 0  # incremental
    found = library.search(session, [_ph(0x8000_0000_0000_0003)], radius={PHASH: 4}, k=5)
    assert [(c.image_id, c.distance) for c in sorted(found, key=lambda c: c.image_id)] == sorted([(first.id, 1), (second.id, 1)])
    assert not library.refresh(session, force=True)  # nothing new: no reload either
    assert library.full_reloads == 0


def test_refresh_is_throttled_unless_forced(
    session: Session, owners: tuple[str, str], library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index, "REFRESH_INTERVAL_S", 3600.0)
    add_image(session, owners[0], [_ph(1)])
    assert library.refresh(session)  # the first refresh always runs
    add_image(session, owners[0], [_ph(2)])
    assert not library.refresh(session) and len(library) == 1
    assert len(library.search(session, [_ph(2)], radius={PHASH: 0}, k=5)) == 0
    assert library.refresh(session, force=True) and len(library) == 2
    monkeypatch.setattr(index, "REFRESH_INTERVAL_S", 0.0)
    add_image(session, owners[0], [_ph(3)])
    assert len(library.search(session, [_ph(3)], radius={PHASH: 0}, k=5)) == 1


def test_deleted_and_rehashed_rows_force_a_full_reload(session: Session, owners: tuple[str, str], library: Library) -> None:
    a, _ = owners
    keep = add_image(session, a, [_ph(0xAAAA), _ph(0xBBBB)])
    gone = add_image(session, a, [_ph(0xCCCC), _ph(0xDDDD)])
    library.refresh(session, force=True)
    assert {c.image_id for c in library.search_loaded([_ph(0xCCCC), _ph(0xAAAA)], radius={PHASH: 0}, k=5)} == {keep.id, gone.id}

    session.execute(delete(ImageHash).where(ImageHash.image_id == gone.id))
    session.execute(delete(WorkImage).where(WorkImage.id == gone.id))
    assert library.refresh(session, force=True) and library.full_reloads == 1
    assert len(library) == 2
    assert [c.image_id for c in library.search_loaded([_ph(0xCCCC), _ph(0xAAAA)], radius={PHASH: 0}, k=5)] == [keep.id]

    # Re-hashing deletes an image's rows and inserts as many new ones: same count, higher max id.
    session.execute(delete(ImageHash).where(ImageHash.image_id == keep.id))
    for value in (0x1111, 0x2222):
        w0, *_ = bytes_to_signed(value.to_bytes(8, "big"))
        session.add(ImageHash(image_id=keep.id, kind=PHASH, w0=w0))
    session.flush()
    assert library.refresh(session, force=True) and library.full_reloads == 2
    assert library.search_loaded([_ph(0xAAAA)], radius={PHASH: 0}, k=5) == []
    assert [c.image_id for c in library.search_loaded([_ph(0x2222)], radius={PHASH: 0}, k=5)] == [keep.id]


def _replace_hash(session: Session, hash_id: int, image: WorkImage, value: int) -> None:
    session.execute(delete(ImageHash).where(ImageHash.id == hash_id))
    session.add(ImageHash(id=hash_id, image_id=image.id, kind=PHASH, w0=bytes_to_signed(value.to_bytes(8, "big"))[0]))
    session.flush()


def test_same_ids_with_new_bits_are_caught_by_verification(
    session: Session, owners: tuple[str, str], library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite gives a new row max(id) + 1, so re-hashing the newest image reuses its ids: count and max id stay the
    # same. Only the verification (a forced refresh, or the periodic one) sees the change.
    monkeypatch.setattr(index, "REFRESH_INTERVAL_S", 0.0)
    monkeypatch.setattr(index, "VERIFY_INTERVAL_S", 3600.0)
    a, _ = owners
    add_image(session, a, [_ph(0x1)], ids=[10])
    assert library.refresh(session)  # the first refresh verifies
    image = add_image(session, a, [_ph(0x2)], ids=[11])
    assert library.refresh(session) and len(library) == 2 and library.full_reloads == 0  # the cheap check sees it

    _replace_hash(session, 11, image, 0x3)
    assert not library.refresh(session)  # between verifications count and max id are trusted
    assert library.refresh(session, force=True) and library.full_reloads == 1
    assert [c.image_id for c in library.search_loaded([_ph(0x3)], radius={PHASH: 0}, k=5)] == [image.id]

    monkeypatch.setattr(index, "VERIFY_INTERVAL_S", 0.0)
    _replace_hash(session, 11, image, 0x4)
    assert library.refresh(session) and library.full_reloads == 2
    assert library.search_loaded([_ph(0x3)], radius={PHASH: 0}, k=5) == []


def test_a_row_committed_below_the_watermark_is_not_missed(session: Session, owners: tuple[str, str], library: Library) -> None:
    # PostgreSQL hands out ids at INSERT time, so a transaction can commit id 50 after id 100 was already loaded.
    a, _ = owners
    high = add_image(session, a, [_ph(0x100)], ids=[100])
    library.refresh(session, force=True)
    assert library.watermark == 100
    late = add_image(session, a, [_ph(0x50)], ids=[50])
    assert library.refresh(session, force=True) and library.full_reloads == 1
    found = library.search_loaded([_ph(0x50), _ph(0x100)], radius={PHASH: 0}, k=5)
    assert {c.image_id for c in found} == {high.id, late.id}


def test_owner_scoping_returns_only_that_owners_images(session: Session, owners: tuple[str, str], library: Library) -> None:
    a, b = owners
    mine = add_image(session, a, [_ph(0xF0F0), _ph(0x0F0F)])
    theirs = add_image(session, b, [_ph(0xF0F0)])
    closer = add_image(session, b, [_ph(0xF0F1)])
    library.refresh(session, force=True)
    assert library.owner_mask(a).tolist() == [True, False, False]
    assert library.owner_mask(b).tolist() == [False, True, True]
    assert not library.owner_mask("nobody").any()
    query = [_ph(0xF0F1)]
    assert [c.image_id for c in library.search_loaded(query, radius={PHASH: 5}, k=5, owner_id=a)] == [mine.id]
    assert [c.image_id for c in library.search_loaded(query, radius={PHASH: 5}, k=5, owner_id=b)] == [closer.id, theirs.id]
    assert library.search_loaded(query, radius={PHASH: 5}, k=5, owner_id="nobody") == []
    everyone = library.search_loaded(query, radius={PHASH: 5}, k=5)
    assert everyone[0].image_id == closer.id and {c.image_id for c in everyone[1:]} == {mine.id, theirs.id}


def test_kinds_merge_per_image_by_distance_relative_to_hash_length(session: Session, owners: tuple[str, str], library: Library) -> None:
    a, _ = owners
    image = add_image(session, a, [_ph(0), _pdq(0)])
    library.refresh(session, force=True)
    query = [_ph(0b111111), _pdq(0b1111111111)]  # pHash 6/64 = 0.094 against PDQ 10/256 = 0.039
    found = library.search_loaded(query, radius={PHASH: 10, PDQ: 40}, k=5)
    assert [(c.image_id, c.kind, c.distance, c.query_index) for c in found] == [(image.id, PDQ, 10, 1)]
    assert found[0].relative_distance == 10 / 256
    only_phash = library.search_loaded(query, radius={PHASH: 10}, k=5)
    assert [(c.kind, c.distance, c.query_index) for c in only_phash] == [(PHASH, 6, 0)]


def test_searches_run_while_the_library_refreshes(session: Session, owners: tuple[str, str], library: Library) -> None:
    a, _ = owners
    known = {add_image(session, a, [_ph(i), _ph(i << 20)]).id for i in range(1, 20)}
    library.refresh(session, force=True)
    stop = threading.Event()
    errors: list[BaseException] = []
    seen: set[str] = set()

    def search() -> None:
        try:
            while not stop.is_set():
                for c in library.search_loaded([_ph(5), _ph(5 << 20)], radius={PHASH: 64}, k=1000, owner_id=a):
                    seen.add(c.image_id)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=search) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for i in range(20, 60):
            known.add(add_image(session, a, [_ph(i)] * 3).id)
            library.refresh(session, force=True)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not errors and seen <= known
    assert len(library.search_loaded([_ph(5)], radius={PHASH: 64}, k=1000)) == len(known)


def test_get_library_is_one_library_per_database_url(env: dict[str, str], library: Library) -> None:
    configured = index.get_library()
    assert index.get_library() is configured is index.get_library(env["IPCLAIMS_DATABASE_URL"])
    assert index.get_library("sqlite:///elsewhere.db") is not configured
    index.dispose_libraries()
    assert index.get_library() is not configured


def test_signed_words_survive_the_database(session: Session, owners: tuple[str, str], library: Library) -> None:
    extremes = [b"\x80" + bytes(7), b"\xff" * 8, b"\x7f" + b"\xff" * 7, bytes(8)]
    wide = [b"\x80" + bytes(31), b"\xff" * 32, bytes(range(32))]
    image = add_image(session, owners[0], [HashRecord(PHASH, h) for h in extremes] + [HashRecord(PDQ, h) for h in wide])
    session.expire_all()
    stored = session.execute(
        select(ImageHash.kind, ImageHash.w0, ImageHash.w1, ImageHash.w2, ImageHash.w3)
        .where(ImageHash.image_id == image.id)
        .order_by(ImageHash.id)
    ).all()
    assert [signed_to_bytes(tuple(row[1:])) for row in stored] == extremes + wide
    library.refresh(session, force=True)
    for h in extremes:
        assert [(c.image_id, c.distance) for c in library.search_loaded([HashRecord(PHASH, h)], radius={PHASH: 0}, k=3)] == [(image.id, 0)]
    for h in wide:
        assert [(c.image_id, c.distance) for c in library.search_loaded([HashRecord(PDQ, h)], radius={PDQ: 0}, k=3)] == [(image.id, 0)]


# ------------------------------------------------------------------------------------------------ in memory vs SQL


@dataclass
class Stored:
    hash_id: int
    image_id: str
    work_id: str
    owner_id: str
    record: HashRecord


def _library_fixture(session: Session, owners: tuple[str, str]) -> tuple[list[Stored], list[HashRecord]]:
    rng = random.Random(42)

    def near(value: int, bits: int, flips: int) -> int:
        for _ in range(flips):
            value ^= 1 << rng.randrange(bits)
        return value

    centres = {PHASH: [rng.getrandbits(64) for _ in range(6)], PDQ: [rng.getrandbits(256) for _ in range(4)]}
    shared = _ph(centres[PHASH][0])  # the very same hash in several images: ties broken by image id
    images: list[WorkImage] = []
    for i in range(30):
        records = [_ph(near(rng.choice(centres[PHASH]), 64, rng.randrange(0, 12))) for _ in range(rng.randrange(1, 9))]
        records += [_pdq(near(rng.choice(centres[PDQ]), 256, rng.randrange(0, 60))) for _ in range(rng.randrange(0, 3))]
        if i % 7 == 0:
            records.append(shared)
        images.append(add_image(session, owners[i % 2], records))
    by_image = {image.id: image for image in images}
    rows = session.execute(
        select(ImageHash.id, ImageHash.image_id, ImageHash.kind, ImageHash.w0, ImageHash.w1, ImageHash.w2, ImageHash.w3).order_by(
            ImageHash.id
        )
    ).all()
    stored = [
        Stored(
            hash_id, image_id, by_image[image_id].work_id, by_image[image_id].owner_id, HashRecord(kind, signed_to_bytes((w0, w1, w2, w3)))
        )
        for hash_id, image_id, kind, w0, w1, w2, w3 in rows
    ]
    queries = [
        _ph(near(centres[PHASH][0], 64, 2)),
        _ph(near(centres[PHASH][1], 64, 4)),
        shared,
        _pdq(near(centres[PDQ][0], 256, 20)),
        _ph(centres[PHASH][2]),
        _pdq(centres[PDQ][1]),
        shared,
    ]
    return stored, queries


def _brute_candidates(
    stored: list[Stored], records: list[HashRecord], radius: dict[str, int], k: int, owner_id: str | None
) -> list[Candidate]:
    found = []
    for s in stored:
        if s.record.kind not in radius or (owner_id is not None and s.owner_id != owner_id):
            continue
        for qi, q in enumerate(records):
            if q.kind == s.record.kind:
                d = (int.from_bytes(q.bits, "big") ^ int.from_bytes(s.record.bits, "big")).bit_count()
                if d <= radius[q.kind]:
                    found.append(Candidate(s.image_id, s.work_id, s.owner_id, q.kind, d, qi, s.hash_id))
    best: dict[str, Candidate] = {}
    order = list(KIND_BITS)
    for c in found:
        key = (c.relative_distance, order.index(c.kind), c.query_index, c.hash_id)
        held = best.get(c.image_id)
        if held is None or key < (held.relative_distance, order.index(held.kind), held.query_index, held.hash_id):
            best[c.image_id] = c
    return sorted(best.values(), key=lambda c: (c.relative_distance, c.image_id))[:k]


def _plain(candidates: list[Candidate]) -> list[tuple[object, ...]]:
    return [(c.image_id, c.work_id, c.owner_id, c.kind, c.distance, c.query_index, c.hash_id) for c in candidates]


SEARCHES = [
    ({PHASH: 0}, 10),
    ({PHASH: 6}, 3),
    ({PHASH: 12}, 100),
    ({PHASH: 64}, 5),
    ({PDQ: 40}, 10),
    ({PDQ: 256}, 100),
    ({PHASH: 10, PDQ: 30}, 4),
    ({PHASH: 10, PDQ: 60}, 100),
    ({PHASH: 3, PDQ: 256}, 1),
]


def test_library_search_agrees_with_brute_force(session: Session, owners: tuple[str, str], library: Library) -> None:
    stored, queries = _library_fixture(session, owners)
    library.refresh(session, force=True)
    for radius, k in SEARCHES:
        for owner in (None, *owners):
            expected = _plain(_brute_candidates(stored, queries, radius, k, owner))
            assert _plain(library.search_loaded(queries, radius=radius, k=k, owner_id=owner)) == expected, (radius, k)
    assert any(library.search_loaded(queries, radius=radius, k=k) for radius, k in SEARCHES)


@pytest.mark.postgres_only
@pytest.mark.skipif(not IS_PG, reason="needs PostgreSQL: set IPCLAIMS_TEST_DATABASE_URL")
def test_sql_candidates_agree_with_library_search(session: Session, owners: tuple[str, str], library: Library) -> None:
    stored, queries = _library_fixture(session, owners)
    library.refresh(session, force=True)
    compared = 0
    for radius, k in SEARCHES:
        for owner in (None, *owners):
            in_memory = library.search_loaded(queries, radius=radius, k=k, owner_id=owner)
            in_sql = sql_candidates(session, queries, radius=radius, k=k, owner_id=owner)
            assert _plain(in_sql) == _plain(in_memory) == _plain(_brute_candidates(stored, queries, radius, k, owner))
            assert all(c.row is None for c in in_sql) and all(c.row is not None for c in in_memory)
            compared += len(in_sql)
    assert compared > 50
    assert sql_candidates(session, queries, radius={PHASH: 64}, k=0) == []


@pytest.mark.skipif(IS_PG, reason="SQLite refusal; PostgreSQL runs test_sql_candidates_agree_with_library_search")
def test_sql_candidates_refuse_sqlite_clearly(session: Session) -> None:
    with pytest.raises(SqlSearchUnsupported, match="PostgreSQL"):
        sql_candidates(session, [_ph(1)], radius={PHASH: 3}, k=5)
