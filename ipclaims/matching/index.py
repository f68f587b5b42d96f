"""In-memory Hamming search over packed perceptual hashes (pure NumPy; `library.py` keeps it in step with the
database, and holds the PostgreSQL fallback that ranks in SQL).

Every reference image contributes a few dozen hashes (whole, trimmed, a grid of regions), so a library of 30 000
images is about a million 64-bit hashes: 8 MB, scanned in full for each query hash in about a millisecond with XOR
and popcount. That is within reach of FAISS's exact binary index (bench/match_speed.py measures both) without
making FAISS a runtime dependency, and a scan answers the question matching actually asks — the best distance *per image*,
only among one owner's images — which a k-nearest-rows index does not.

Layout: rows live in fixed-size chunks of 64k rows, word-major inside a chunk (each of the 1 or 4 uint64 words of
a hash is a contiguous column), so XOR and popcount run over contiguous memory, a chunk stays in cache while every
query hash is compared with it, and growth never copies more than one chunk. Only the last chunk has spare capacity
(it doubles up to the chunk size), which keeps the slack under one chunk.

Database words: `ImageHash.w0..w3` are the big-endian 64-bit words of the hash read as two's-complement signed
integers (BIGINT has no unsigned type); `words_to_signed` / `signed_to_words` convert exactly.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

__all__ = [
    "HashIndex",
    "Hit",
    "bytes_to_signed",
    "pack",
    "signed_to_bytes",
    "signed_to_words",
    "unpack",
    "words_to_signed",
]

WORDS: Final[dict[int, int]] = {64: 1, 256: 4}
# Rows per chunk: the per-query temporaries (512 kB of XOR, 64 kB of counts per word) stay within L2 while the chunk is
# compared with every query hash. Measured with bench/match_speed.py: 32k–128k rows are within noise of each other,
# smaller chunks pay Python's per-call overhead, larger ones spill the temporaries out of L2.
CHUNK_ROWS: Final = 1 << 16
MIN_CAPACITY: Final = 1024
# Survivors of the radius filter are reduced to one per image once this many pile up, so a query that matches
# everything (a huge radius, a flat image hashed to all zeros) cannot grow the candidate arrays without bound.
REDUCE_AT: Final = 1 << 20


# ---------------------------------------------------------------------------------------------------- conversions


def _words_for(bits: int) -> int:
    try:
        return WORDS[bits]
    except KeyError:
        raise ValueError(f"hash length must be 64 or 256 bits, got {bits}") from None


def pack(bits_list: Sequence[bytes], bits: int) -> np.ndarray:
    """(n, bits // 64) uint64 matrix; word j of a row is bytes 8j..8j+7 of the hash read big-endian."""
    words = _words_for(bits)
    size = bits // 8
    for b in bits_list:
        if len(b) != size:
            raise ValueError(f"a {bits}-bit hash is {size} bytes, got {len(b)}")
    return np.frombuffer(b"".join(bits_list), dtype=">u8").astype(np.uint64).reshape(len(bits_list), words)


def unpack(matrix: np.ndarray) -> list[bytes]:
    raw = np.ascontiguousarray(matrix, dtype=">u8")
    size = raw.shape[1] * 8
    data = raw.tobytes()
    return [data[i : i + size] for i in range(0, len(data), size)]


SignedWords = tuple[int, int | None, int | None, int | None]


def words_to_signed(row: np.ndarray | Sequence[int]) -> SignedWords:
    """One packed row (1 or 4 uint64 words) as the ImageHash (w0, w1, w2, w3) columns; unused words are None."""
    arr = np.asarray(row, dtype=np.uint64).reshape(-1)
    if arr.size == 1:
        return int(arr.view(np.int64)[0]), None, None, None
    if arr.size == 4:
        w0, w1, w2, w3 = (int(v) for v in arr.view(np.int64))
        return w0, w1, w2, w3
    raise ValueError(f"a hash row has 1 or 4 words, got {arr.size}")


def signed_to_words(signed: Sequence[int | None]) -> np.ndarray:
    """The inverse of `words_to_signed`: (w0, w1, w2, w3) with trailing Nones → a uint64 row of 1 or 4 words."""
    values = list(signed)
    while values and values[-1] is None:
        values.pop()
    if len(values) not in (1, 4) or any(v is None for v in values):
        raise ValueError(f"expected w0 alone or w0..w3, got {signed!r}")
    return np.array(values, dtype=np.int64).view(np.uint64)


def bytes_to_signed(bits: bytes) -> SignedWords:
    return words_to_signed(pack([bits], len(bits) * 8)[0])


def signed_to_bytes(signed: Sequence[int | None]) -> bytes:
    return unpack(signed_to_words(signed)[None, :])[0]


# ---------------------------------------------------------------------------------------------------- storage


class _Column:
    """Append-only column in fixed-size chunks, each of shape `prefix + (capacity,)`.

    A single writer appends while readers scan: rows below the length a reader saw are never written again, and a
    chunk that grows is copied into a new array, so a reader holding the old one still sees its rows intact.
    """

    def __init__(self, dtype: Any, prefix: tuple[int, ...], chunk_rows: int) -> None:
        self.dtype = np.dtype(dtype)
        self.prefix = prefix
        self.chunk_rows = chunk_rows
        self.chunks: list[np.ndarray] = []
        self.length = 0

    def append(self, values: np.ndarray) -> None:
        """`values` has shape prefix + (n,); the new length is published after the data is in place."""
        n = values.shape[-1]
        done = 0
        length = self.length
        while done < n:
            offset = length % self.chunk_rows
            if offset == 0 and length // self.chunk_rows == len(self.chunks):
                capacity = min(self.chunk_rows, max(MIN_CAPACITY, _next_pow2(n - done)))
                self.chunks.append(np.empty((*self.prefix, capacity), self.dtype))
            chunk = self.chunks[-1]
            wanted = min(self.chunk_rows, offset + n - done)
            if chunk.shape[-1] < wanted:
                capacity = min(self.chunk_rows, max(2 * chunk.shape[-1], _next_pow2(wanted)))
                grown = np.empty((*self.prefix, capacity), self.dtype)
                grown[..., :offset] = chunk[..., :offset]
                self.chunks[-1] = chunk = grown
            take = wanted - offset
            chunk[..., offset:wanted] = values[..., done : done + take]
            done += take
            length += take
        self.length = length

    def trim(self) -> None:
        """Drop the spare capacity of the last chunk (after a bulk load nothing may be added for a long time)."""
        if self.chunks:
            fill = self.length - (len(self.chunks) - 1) * self.chunk_rows
            if fill < self.chunks[-1].shape[-1]:
                self.chunks[-1] = self.chunks[-1][..., :fill].copy()

    def view(self) -> _Column:
        frozen = _Column(self.dtype, self.prefix, self.chunk_rows)
        frozen.length = self.length  # read before the chunk list: a racing append only adds rows beyond it
        frozen.chunks = list(self.chunks)
        return frozen

    def iter_chunks(self) -> Iterator[tuple[int, np.ndarray]]:
        for i, chunk in enumerate(self.chunks):
            start = i * self.chunk_rows
            fill = min(self.chunk_rows, self.length - start)
            if fill <= 0:
                return
            yield start, chunk[..., :fill]

    def take(self, rows: np.ndarray) -> np.ndarray:
        rows = np.asarray(rows, dtype=np.int64)
        out = np.empty((*self.prefix, rows.size), self.dtype)
        which, offset = np.divmod(rows, self.chunk_rows)
        for c in np.unique(which):
            sel = which == c
            out[..., sel] = self.chunks[int(c)][..., offset[sel]]
        return out

    def values(self) -> np.ndarray:
        parts = [chunk for _, chunk in self.iter_chunks()]
        return np.concatenate(parts, axis=-1) if parts else np.empty((*self.prefix, 0), self.dtype)

    @property
    def nbytes(self) -> int:
        return sum(chunk.nbytes for chunk in self.chunks)


def _next_pow2(n: int) -> int:
    return 1 << max(0, n - 1).bit_length()


# ---------------------------------------------------------------------------------------------------- the index


@dataclass(frozen=True, slots=True)
class Hit:
    image_slot: int
    distance: int
    query_index: int
    row: int


class _Scratch:
    """Buffers one chunk long, so a scan allocates nothing per chunk.

    Reused across calls from a small pool: fresh arrays of this size come straight from mmap, and faulting their
    pages in again on every query costs about a tenth of a 1M-row scan. A pool rather than one set per thread, so
    a threadpool of 40 does not keep 40 sets (~1 MB each) alive; concurrent searches each borrow their own.
    """

    def __init__(self, words: int, rows: int) -> None:
        self.xor = np.empty(rows, np.uint64)
        self.counts = [np.empty(rows, np.uint8) for _ in range(words)]
        self.mask = np.empty(rows, np.bool_)


_SCRATCH_POOL: dict[tuple[int, int], list[_Scratch]] = {}
_SCRATCH_LOCK = threading.Lock()
_SCRATCH_KEPT = 4  # per shape; more concurrent searches than cores gain nothing from keeping theirs


@contextmanager
def _borrowed(words: int, rows: int) -> Iterator[_Scratch]:
    with _SCRATCH_LOCK:
        free = _SCRATCH_POOL.setdefault((words, rows), [])
        scratch = free.pop() if free else None
    if scratch is None:
        scratch = _Scratch(words, rows)
    try:
        yield scratch
    finally:
        with _SCRATCH_LOCK:
            if len(free) < _SCRATCH_KEPT:
                free.append(scratch)


class HashIndex:
    """Hashes of one kind (64 or 256 bits) with the dense slot of the image each belongs to; exact Hamming scans.

    Distances are computed as uint8. For 64 bits that is exact; for 256 bits the sum saturates at 255, so the one
    distance that does not fit (256, an exact complement) shares the 255 bucket and every survivor in that bucket is
    recomputed exactly before it is compared or returned.

    One writer (`add`) may run concurrently with any number of searches; `snapshot()` pins the current rows.
    """

    def __init__(self, bits: int, *, chunk_rows: int | None = None) -> None:
        self.bits = bits
        self.words = _words_for(bits)
        rows = chunk_rows if chunk_rows is not None else CHUNK_ROWS
        if rows < 1:
            raise ValueError("chunk_rows must be positive")
        self.chunk_rows = rows
        self._hashes = _Column(np.uint64, (self.words,), rows)
        self._slots = _Column(np.int32, (), rows)
        self._ceiling = 64 if bits == 64 else 255  # largest value the uint8 distance can report

    def __len__(self) -> int:
        return self._slots.length

    @property
    def nbytes(self) -> int:
        return self._hashes.nbytes + self._slots.nbytes

    def add(self, words: np.ndarray, image_slots: np.ndarray) -> None:
        words = np.asarray(words)
        slots = np.asarray(image_slots)
        if words.dtype != np.uint64 or words.ndim != 2 or words.shape[1] != self.words:
            raise ValueError(f"expected an (n, {self.words}) uint64 matrix, got {words.dtype} {words.shape}")
        if slots.shape != (words.shape[0],):
            raise ValueError(f"need one image slot per row: {slots.shape} for {words.shape[0]} rows")
        if slots.size and (slots.min() < 0 or slots.max() > np.iinfo(np.int32).max):
            raise ValueError("image slots must be non-negative int32 values")
        # Hashes first, slots second: a reader's length comes from the slots column, so it never sees a row whose
        # hash is not written yet.
        self._hashes.append(np.ascontiguousarray(words.T))
        self._slots.append(slots.astype(np.int32, copy=False))

    def trim(self) -> None:
        self._hashes.trim()
        self._slots.trim()

    def snapshot(self) -> HashIndex:
        frozen = HashIndex.__new__(HashIndex)
        frozen.bits, frozen.words, frozen.chunk_rows, frozen._ceiling = self.bits, self.words, self.chunk_rows, self._ceiling
        frozen._slots = self._slots.view()
        frozen._hashes = self._hashes.view()
        frozen._hashes.length = frozen._slots.length
        return frozen

    def rows(self, rows: np.ndarray) -> np.ndarray:
        """The packed hashes of the given rows, (n, words)."""
        return self._hashes.take(rows).T.copy()

    def slots(self, rows: np.ndarray) -> np.ndarray:
        return self._slots.take(rows)

    # -------------------------------------------------------------------------------------------- scanning

    def _chunks(self) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
        length = self._slots.length  # first: both chunk lists below hold at least this many rows
        hash_chunks = list(self._hashes.chunks)
        slot_chunks = list(self._slots.chunks)
        for i, (words, slots) in enumerate(zip(hash_chunks, slot_chunks, strict=False)):
            start = i * self.chunk_rows
            fill = min(self.chunk_rows, length - start)
            if fill <= 0:
                return
            yield start, words[:, :fill], slots[:fill]

    def _distances(self, words: np.ndarray, query: np.ndarray, scratch: _Scratch, bound: int) -> np.ndarray | None:
        """uint8 distances of a chunk's rows to the query; None when no row can be within `bound`.

        For 256 bits the first two words are a lower bound: when every row already differs in more than `bound` of
        those 128 bits the other two words are skipped. With a match radius (PDQ's 31) that prunes nearly every
        chunk that holds no match, and halves the scan.
        """
        n = words.shape[-1]
        x = scratch.xor[:n]
        c = [counts[:n] for counts in scratch.counts]
        for j in range(min(self.words, 2)):
            np.bitwise_xor(words[j], query[j], out=x)
            np.bitwise_count(x, out=c[j])
        if self.words == 1:
            return c[0]
        a = np.add(c[0], c[1], out=c[0])  # each ≤ 64: no overflow
        if int(a.min()) > bound:
            return None
        for j in (2, 3):
            np.bitwise_xor(words[j], query[j], out=x)
            np.bitwise_count(x, out=c[j])
        b = np.add(c[2], c[3], out=c[2])
        room = np.invert(a, out=c[1])  # 255 - a
        np.minimum(b, room, out=b)
        return np.add(a, b, out=a)  # a + b, saturated at 255

    def _survivors(
        self, words: np.ndarray, d: np.ndarray | None, query: np.ndarray, limit: int, scratch: _Scratch
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """Rows of the chunk with exact distance ≤ limit, and those distances (int32); None when there are none."""
        bound = min(limit, self._ceiling)
        if d is None or bound < 0 or int(d.min()) > bound:
            return None
        idx = np.flatnonzero(np.less_equal(d, bound, out=scratch.mask[: d.size]))
        dist = d[idx].astype(np.int32)
        if bound == 255:  # the saturated bucket may hold 255 or 256
            high = np.flatnonzero(dist == 255)
            if high.size:
                exact = np.bitwise_count(words[:, idx[high]] ^ query[:, None]).sum(axis=0, dtype=np.int32)
                dist[high] = exact
                keep = dist <= limit
                idx, dist = idx[keep], dist[keep]
        return (idx, dist) if idx.size else None

    def _kth(self, d: np.ndarray, k: int, scratch: _Scratch) -> int:
        """The k-th smallest exact distance bound from a chunk's uint8 distances (bits when it is in the top bucket)."""
        mask = scratch.mask[: d.size]
        lo, hi = int(d.min()), self._ceiling  # count(d <= hi) = all ≥ k
        while lo < hi:
            mid = (lo + hi) // 2
            if np.count_nonzero(np.less_equal(d, mid, out=mask)) >= k:
                hi = mid
            else:
                lo = mid + 1
        return self.bits if lo >= self._ceiling else lo

    def _check_queries(self, queries: np.ndarray) -> np.ndarray:
        q = np.asarray(queries)
        if q.ndim == 1:
            q = q[None, :]
        if q.dtype != np.uint64 or q.ndim != 2 or q.shape[1] != self.words:
            raise ValueError(f"queries must be (q, {self.words}) uint64, got {q.dtype} {q.shape}")
        return q

    def best_per_image(self, queries: np.ndarray, *, radius: int, k: int, allowed: np.ndarray | None = None) -> list[Hit]:
        """The k images with the smallest distance between any query hash and any of their hashes, within radius.

        For each image the best pair is kept (ties: lowest query index, then lowest row); the result is sorted by
        (distance, image_slot). `allowed[slot]` restricts the images (owner scoping); slots beyond its length are
        not allowed.
        """
        q = self._check_queries(queries)
        if k <= 0 or radius < 0 or q.shape[0] == 0 or len(self) == 0:
            return []
        mask = None if allowed is None else np.asarray(allowed, dtype=np.bool_)
        with _borrowed(self.words, self.chunk_rows) as scratch:
            return self._best_per_image(q, radius, k, mask, scratch)

    def _best_per_image(self, q: np.ndarray, radius: int, k: int, allowed: np.ndarray | None, scratch: _Scratch) -> list[Hit]:
        parts: list[tuple[np.ndarray, ...]] = []
        pending = 0
        reduce_at = REDUCE_AT
        for start, words, slots in self._chunks():
            for qi in range(q.shape[0]):
                d = self._distances(words, q[qi], scratch, radius)
                found = self._survivors(words, d, q[qi], radius, scratch)
                if found is None:
                    continue
                idx, dist = found
                slot = slots[idx]
                if allowed is not None:
                    ok = slot < allowed.size
                    ok[ok] = allowed[slot[ok]]
                    idx, dist, slot = idx[ok], dist[ok], slot[ok]
                    if not idx.size:
                        continue
                parts.append((dist, np.full(idx.size, qi, np.int32), idx + start, slot))
                pending += idx.size
                if pending >= reduce_at:
                    parts = [_best_per_slot(parts)]
                    pending = parts[0][0].size
                    reduce_at = max(REDUCE_AT, 2 * pending)
        if not parts:
            return []
        dist, qidx, rows, slot = _best_per_slot(parts)
        order = np.lexsort((slot, dist))[:k]
        return [
            Hit(int(s), int(d), int(qi), int(r)) for d, qi, r, s in zip(dist[order], qidx[order], rows[order], slot[order], strict=True)
        ]

    def knn(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The k nearest rows (like FAISS IndexBinaryFlat): distances and rows, sorted by (distance, row)."""
        q = self._check_queries(query)
        if q.shape[0] != 1:
            raise ValueError("knn takes one query hash")
        if k <= 0:
            return np.empty(0, np.int32), np.empty(0, np.int64)
        with _borrowed(self.words, self.chunk_rows) as scratch:
            return self._knn(q[0], k, scratch)

    def _knn(self, q0: np.ndarray, k: int, scratch: _Scratch) -> tuple[np.ndarray, np.ndarray]:
        best_d = np.empty(0, np.int32)
        best_r = np.empty(0, np.int64)
        limit = self.bits
        for start, words, _slots in self._chunks():
            d = self._distances(words, q0, scratch, limit)
            if d is None:
                continue
            if best_d.size < k and d.size >= k:
                # The k-th smallest distance of this chunk alone bounds the final answer: at least k rows are that
                # close. A bisection over counts finds it in a few passes without sorting the chunk.
                limit = min(limit, self._kth(d, k, scratch))
            found = self._survivors(words, d, q0, limit, scratch)
            if found is None:
                continue
            idx, dist = found
            best_d = np.concatenate([best_d, dist])
            best_r = np.concatenate([best_r, idx.astype(np.int64) + start])
            if best_d.size >= k:
                order = np.argsort(best_d, kind="stable")[:k]  # rows are ascending already: ties keep the lower row
                best_d, best_r = best_d[order], best_r[order]
                # A later (higher) row only gets in by being strictly closer than the current k-th.
                limit = int(best_d[-1]) - 1
                if limit < 0:
                    break
        if best_d.size < k:  # fewer rows than k: never cut above
            order = np.argsort(best_d, kind="stable")
            best_d, best_r = best_d[order], best_r[order]
        return best_d, best_r


def _best_per_slot(parts: list[tuple[np.ndarray, ...]]) -> tuple[np.ndarray, ...]:
    dist, qidx, rows, slot = (np.concatenate(cols) for cols in zip(*parts, strict=True))
    order = np.lexsort((rows, qidx, dist, slot))
    s = slot[order]
    first = np.ones(s.size, np.bool_)
    first[1:] = s[1:] != s[:-1]
    keep = order[first]
    return dist[keep], qidx[keep], rows[keep], slot[keep]
