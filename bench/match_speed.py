"""Matching speed: hashing a 2 MP JPEG, and querying a million reference hashes, each against a baseline in the run.

Run from the repository root with the virtualenv (needs the `bench` extras: faiss-cpu, scikit-image):

    python bench/match_speed.py                         # every part, defaults below
    python bench/match_speed.py --parts 2 --hashes 1000000 --queries 100 --no-pdq

Part 1, hash time per image: ipclaims' path (`imageio.open_for_matching(bytes)` then `hashing.phash`) against
`imagehash.phash(Image.open(path))` on the same files, both including the file read. Files: bench/data/speed/*.jpg
(written by bench/evaldata.py) or, when those are absent, at least 12 JPEGs of 1920×1088 at quality 90 synthesised
from scikit-image's bundled photographs (upscaled with Lanczos, mild noise). Reports ms per image, the speed ratio
(goal ≥ 4×) and the files whose pHash bits differ from imagehash's (goal 0). Extra rows show what decoding at a
smaller JPEG draft scale would buy and cost (`min_long_side`), for the record.

Part 2, one query over N random reference hashes (default 1 000 000; 64-bit pHash, and 256-bit PDQ unless
--no-pdq): `HashIndex.knn` (k = 10) and `HashIndex.best_per_image` (radius 10 for pHash, 31 for PDQ, k = 10, with
~35 hashes per image as the library holds them) against `faiss.IndexBinaryFlat.search(q, 10)`, and `range_search`
for the radius variant, with FAISS on one thread and on its default thread count. Half of the queries are stored
hashes with a few bits flipped (so the radius finds something), half are random. The methods take turns on every
query, so load from other processes falls on all of them alike; medians over queries and passes. Also the memory
held: `HashIndex.nbytes` (hashes, image slots and spare capacity) against the packed hashes alone and FAISS's
code array. Goals: ipclaims / FAISS ≤ 1.5× in time, index ≤ 2× the packed hashes in memory.

Timings are printed, never asserted: the machine (2 cores here) is shared.
"""

from __future__ import annotations

import argparse
import glob
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ipclaims.matching import hashing, imageio  # noqa: E402
from ipclaims.matching.index import HashIndex  # noqa: E402

SPEED_DIR = ROOT / "bench" / "data" / "speed"
HASH_RATIO_GOAL = 4.0
QUERY_RATIO_GOAL = 1.5
MEMORY_RATIO_GOAL = 2.0
RADIUS = {64: 10, 256: 31}  # pHash candidate radius; PDQ: Meta's recommended match threshold
HASHES_PER_IMAGE = 35
UPLOAD_HASHES = 8


# ------------------------------------------------------------------------------------------------ tables


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *cells: object) -> None:
        self.rows.append([c if isinstance(c, str) else _fmt(c) for c in cells])

    def render(self) -> str:
        widths = [max(len(r[i]) for r in [self.headers, *self.rows]) for i in range(len(self.headers))]
        line = "  ".join("-" * w for w in widths)
        out = [self.title, line, "  ".join(h.ljust(w) for h, w in zip(self.headers, widths, strict=True)), line]
        for r in self.rows:
            out.append("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))))
        out.append(line)
        out.extend(self.notes)
        return "\n".join(out)


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def _median_ms(samples: Sequence[float]) -> float:
    return statistics.median(samples) * 1e3


# ------------------------------------------------------------------------------------------------ part 1


def _synthesise(target: Path, count: int, seed: int = 1) -> list[Path]:
    """1920×1088 quality-90 JPEGs from scikit-image's bundled photographs: a centred crop to 16:9 (or a shifted one
    for the second round), Lanczos upscale, Gaussian noise σ = 2 so the JPEG is photo-like rather than smooth."""
    import skimage.data
    from PIL import Image

    sources = []
    for name in (
        "astronaut",
        "coffee",
        "chelsea",
        "rocket",
        "hubble_deep_field",
        "immunohistochemistry",
        "retina",
        "camera",
        "moon",
        "coins",
        "page",
        "text",
        "clock",
        "horse",
        "logo",
        "colorwheel",
    ):
        try:
            pixels = getattr(skimage.data, name)()
        except Exception:  # a data set that must be downloaded, and no network
            continue
        pixels = np.asarray(pixels)
        if pixels.dtype != np.uint8:
            pixels = (np.clip(pixels.astype(np.float64) / max(float(pixels.max()), 1.0), 0, 1) * 255).astype(np.uint8)
        if pixels.ndim == 2:
            pixels = np.stack([pixels] * 3, axis=-1)
        sources.append((name, Image.fromarray(pixels[..., :3]).convert("RGB")))
    if not sources:
        raise SystemExit("no scikit-image sample photographs available to synthesise benchmark JPEGs")
    rng = np.random.default_rng(seed)
    paths: list[Path] = []
    round_ = 0
    while len(paths) < count:
        for name, image in sources:
            if len(paths) >= count:
                break
            w, h = image.size
            cw, ch = (w, round(w * 1088 / 1920)) if w * 1088 / 1920 <= h else (round(h * 1920 / 1088), h)
            x0 = (w - cw) // 2 if round_ == 0 else int(rng.integers(0, w - cw + 1))
            y0 = (h - ch) // 2 if round_ == 0 else int(rng.integers(0, h - ch + 1))
            big = image.resize((1920, 1088), Image.Resampling.LANCZOS, box=(x0, y0, x0 + cw, y0 + ch))
            if round_ % 2:
                big = big.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
            noisy = np.asarray(big, dtype=np.float64) + rng.normal(0, 2.0, (1088, 1920, 3))
            path = target / f"{name}-{round_}.jpg"
            Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).save(path, quality=90)
            paths.append(path)
        round_ += 1
    return paths


def _speed_files(folder: Path, tmp: Path, minimum: int) -> tuple[list[Path], str]:
    found = [Path(p) for p in sorted(glob.glob(str(folder / "*.jpg")))]
    if found:
        return found, f"{len(found)} files from {folder}"
    return _synthesise(tmp, minimum), f"{minimum} files synthesised from scikit-image photographs (none in {folder})"


def hash_speed(args: argparse.Namespace) -> list[Table]:
    import imagehash
    from PIL import Image

    with tempfile.TemporaryDirectory(prefix="match-speed-") as tmp:
        files, origin = _speed_files(args.speed_dir, Path(tmp), args.files)
        sizes = {Image.open(p).size for p in files}
        reference = [str(imagehash.phash(Image.open(p))) for p in files]

        def ours(min_long_side: int | None = None) -> Callable[[Path], str]:
            kwargs = {} if min_long_side is None else {"min_long_side": min_long_side}
            return lambda p: hashing.phash(imageio.open_for_matching(p.read_bytes(), **kwargs).image).hex()

        methods: dict[str, Callable[[Path], str]] = {
            "imagehash.phash(Image.open(path))": lambda p: str(imagehash.phash(Image.open(p))),
            "ipclaims open_for_matching + phash": ours(),
        }
        variants = {f"  same, min_long_side={side}": ours(side) for side in (1088, 480, 240)}
        methods.update(variants)
        samples: dict[str, list[float]] = {name: [] for name in methods}
        hashes: dict[str, list[str]] = {name: [] for name in methods}
        for rep in range(args.hash_repeat):
            for p in files:
                for name, fn in methods.items():  # interleaved: a burst of load elsewhere hits every method
                    t0 = time.perf_counter()
                    h = fn(p)
                    samples[name].append(time.perf_counter() - t0)
                    if rep == 0:
                        hashes[name].append(h)
        decoded = {imageio.open_for_matching(files[0].read_bytes()).image.size}
    base = _median_ms(samples["imagehash.phash(Image.open(path))"])
    table = Table(
        f"Part 1 — pHash per image ({origin}; sizes {', '.join(f'{w}×{h}' for w, h in sorted(sizes))}; "
        f"median of {args.hash_repeat} passes)",
        ["method", "ms/image", "speed vs imagehash", "files differing", "max Hamming"],
    )
    for name in methods:
        distances = [(int(a, 16) ^ int(b, 16)).bit_count() for a, b in zip(hashes[name], reference, strict=True)]
        ms = _median_ms(samples[name])
        table.add(name, ms, f"{base / ms:.2f}×", f"{sum(d > 0 for d in distances)}/{len(files)}", max(distances))
    fast = _median_ms(samples["ipclaims open_for_matching + phash"])
    table.notes.append(
        f"goal: ≥ {HASH_RATIO_GOAL:.0f}× and 0 files differing; ipclaims' default path: {base / fast:.2f}×, "
        f"decoded at {', '.join(f'{w}×{h}' for w, h in decoded)} for {files[0].name}"
    )
    table.notes.append(
        "  (indented rows: not what ipclaims runs; another JPEG draft scale, to show its speed and its bit cost:"
        " 1088 keeps the full decode, the only way to imagehash's exact bits)"
    )
    return [table]


# ------------------------------------------------------------------------------------------------ part 2


def _layout(n: int, rng: np.random.Generator) -> np.ndarray:
    """Image slots as the library holds them: each image's 30–40 hashes contiguous (loaded in id order)."""
    per_image = rng.integers(HASHES_PER_IMAGE - 5, HASHES_PER_IMAGE + 6, n // (HASHES_PER_IMAGE - 5) + 1)
    return np.repeat(np.arange(per_image.size, dtype=np.int32), per_image)[:n]


def _queries(stored: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    words = stored.shape[1]
    near = stored[rng.integers(0, stored.shape[0], count // 2)].copy()
    for i in range(near.shape[0]):
        for _ in range(int(rng.integers(0, 9))):
            near[i, rng.integers(0, words)] ^= np.uint64(1) << np.uint64(rng.integers(0, 64))
    far = rng.integers(0, 2**64, size=(count - near.shape[0], words), dtype=np.uint64)
    q = np.concatenate([near, far])
    return q[rng.permutation(q.shape[0])]


def _to_faiss(matrix: np.ndarray) -> np.ndarray:
    """FAISS binary codes are the hash bytes in order: the big-endian bytes of each word."""
    return np.ascontiguousarray(matrix.astype(">u8")).view(np.uint8).reshape(matrix.shape[0], -1)


def _interleaved(methods: dict[str, Callable[[int], object]], calls: Sequence[int]) -> dict[str, list[float]]:
    """Every method on query i before any moves on, in an order rotated per call, so load elsewhere is shared."""
    samples: dict[str, list[float]] = {name: [] for name in methods}
    names = list(methods)
    for n, i in enumerate(calls):
        shift = n % len(names)
        for name in names[shift:] + names[:shift]:
            t0 = time.perf_counter()
            methods[name](i)
            samples[name].append(time.perf_counter() - t0)
    return samples


def query_speed_for(args: argparse.Namespace, bits: int) -> Table:
    import faiss

    rng = np.random.default_rng(bits)
    n, words = args.hashes, bits // 64
    radius = RADIUS[bits]
    stored = rng.integers(0, 2**64, size=(n, words), dtype=np.uint64)
    slots = _layout(n, rng)
    queries = _queries(stored, args.queries, rng)

    index = HashIndex(bits)
    for start in range(0, n, 50_000):  # as Library.refresh loads: batches of 50k rows
        index.add(stored[start : start + 50_000], slots[start : start + 50_000])
    held, packed = index.nbytes, stored.nbytes

    default_threads = faiss.omp_get_max_threads()
    flat = faiss.IndexBinaryFlat(bits)
    flat.add(_to_faiss(stored))
    faiss_bytes = flat.ntotal * flat.code_size  # its code array: the packed hashes, nothing else
    fq = _to_faiss(queries)

    one = queries[:, None, :]
    # An upload is hashed a few times (whole, trimmed, screenshot content, each mirrored): one search of 8 hashes.
    upload = [(i + np.arange(UPLOAD_HASHES)) % queries.shape[0] for i in range(queries.shape[0])]
    single: dict[str, Callable[[int], object]] = {
        "ipclaims HashIndex.knn(q, 10)": lambda i: index.knn(queries[i], 10),
        f"ipclaims best_per_image(r={radius}, k=10)": lambda i: index.best_per_image(one[i], radius=radius, k=10),
        "FAISS search(q, 10), 1 thread": lambda i: flat.search(fq[i : i + 1], 10),
        f"FAISS range_search(r={radius}), 1 thread": lambda i: flat.range_search(fq[i : i + 1], radius + 1),
    }
    uploads: dict[str, Callable[[int], object]] = {
        f"ipclaims best_per_image, {UPLOAD_HASHES} hashes": lambda i: index.best_per_image(queries[upload[i]], radius=radius, k=10),
        f"FAISS range_search, {UPLOAD_HASHES} hashes, 1 thread": lambda i: flat.range_search(fq[upload[i]], radius + 1),
    }
    threaded: dict[str, Callable[[int], object]] = {
        f"FAISS search(q, 10), {default_threads} threads": lambda i: flat.search(fq[i : i + 1], 10),
        f"FAISS range_search(r={radius}), {default_threads} threads": lambda i: flat.range_search(fq[i : i + 1], radius + 1),
        f"FAISS range_search, {UPLOAD_HASHES} hashes, {default_threads} threads": lambda i: flat.range_search(fq[upload[i]], radius + 1),
    }
    every = list(range(queries.shape[0]))
    few = every[: max(50, queries.shape[0] // 2)]
    # FAISS's threaded runs go in a block of their own: OpenMP workers spin for a while after each parallel region,
    # and on two cores they would steal the CPU from whatever single-threaded method ran next.
    faiss.omp_set_num_threads(1)
    samples = _interleaved(single, every * args.repeat)
    samples |= _interleaved(uploads, few)
    faiss.omp_set_num_threads(default_threads)
    samples |= _interleaved(threaded, every)
    names = list(single) + list(uploads) + list(threaded)

    # Same answers: knn distances equal FAISS's (rows may differ among ties); range hits equal best_per_image's
    # images. FAISS range_search is strict (distance < radius), hence radius + 1 above.
    knn_mismatch = range_mismatch = 0
    for i in range(queries.shape[0]):
        ours, _ = index.knn(queries[i], 10)
        theirs, _ = flat.search(fq[i : i + 1], 10)
        knn_mismatch += not np.array_equal(ours, theirs[0])
        lims, _, rows = flat.range_search(fq[i : i + 1], radius + 1)
        images = {h.image_slot for h in index.best_per_image(one[i], radius=radius, k=1 << 30)}
        range_mismatch += images != set(slots[rows[lims[0] : lims[1]]].tolist())

    base1 = _median_ms(samples["FAISS search(q, 10), 1 thread"])
    base_t = _median_ms(samples[f"FAISS search(q, 10), {default_threads} threads"])
    range1 = _median_ms(samples[f"FAISS range_search(r={radius}), 1 thread"])
    table = Table(
        f"Part 2 — {bits}-bit queries over {n:,} hashes (~{HASHES_PER_IMAGE}/image, {slots[-1] + 1:,} images); "
        f"medians: single-thread rows {len(every) * args.repeat} calls ({len(every)} queries × {args.repeat} passes), "
        f"{UPLOAD_HASHES}-hash rows {len(few)}, {default_threads}-thread rows {len(every)}",
        ["method", "ms/call", "÷ FAISS search 1 thr", f"÷ FAISS search {default_threads} thr", "÷ FAISS range_search 1 thr"],
    )
    upload1 = _median_ms(samples[f"FAISS range_search, {UPLOAD_HASHES} hashes, 1 thread"])
    upload_t = _median_ms(samples[f"FAISS range_search, {UPLOAD_HASHES} hashes, {default_threads} threads"])
    for name in names:
        ms = _median_ms(samples[name])
        if f"{UPLOAD_HASHES} hashes" in name:  # compared with FAISS over the same 8 hashes
            table.add(name, ms, "", "", f"{ms / upload1:.2f}× (÷ {default_threads} thr: {ms / upload_t:.2f}×)")
        else:
            table.add(name, ms, f"{ms / base1:.2f}×", f"{ms / base_t:.2f}×", f"{ms / range1:.2f}×")
    table.notes.append(
        f"goal: ipclaims ÷ FAISS ≤ {QUERY_RATIO_GOAL}×; answers: knn distances differ from FAISS on "
        f"{knn_mismatch}/{queries.shape[0]} queries, radius images differ on {range_mismatch}/{queries.shape[0]}"
    )
    table.notes.append(
        f"memory: packed hashes {packed / 1e6:.1f} MB; HashIndex.nbytes {held / 1e6:.1f} MB = {held / packed:.2f}× "
        f"(goal ≤ {MEMORY_RATIO_GOAL:.0f}×; hashes + int32 image slots + spare capacity); "
        f"FAISS codes {faiss_bytes / 1e6:.1f} MB = {faiss_bytes / packed:.2f}× (no image slots: FAISS knows rows only)"
    )
    return table


def query_speed(args: argparse.Namespace) -> list[Table]:
    return [query_speed_for(args, bits) for bits in ((64, 256) if args.pdq else (64,))]


# ------------------------------------------------------------------------------------------------ part 3


def end_to_end(args: argparse.Namespace) -> list[Table]:
    """Item content upload → verdict over HTTP (bench/match_e2e.py), against a bare upload-and-pHash app."""
    sys.path.insert(0, str(ROOT / "bench"))
    from match_e2e import end_to_end as run

    r = run(works=args.e2e_works, queries=args.e2e_queries)
    table = Table(
        f"Part 3 — end to end over HTTP: {r['uploads']} item-content uploads (mean {r['upload_mb']:.2f} MB) "
        f"against {r['works']} reference works, one client, `ipclaims serve` on SQLite",
        ["request", "p50 ms", "p99 ms", "÷ bare p50"],
    )
    table.add("reference image upload (store, hash, features)", r["register_p50"], r["register_p99"], "")
    table.add("item content upload → item with verdict", r["content_p50"], r["content_p99"], f"{r['ratio_p50']:.2f}×")
    table.add("bare app: receive + imagehash.phash", r["bare_p50"], r["bare_p99"], "1.00×")
    table.notes.append(f"first verdicts: {', '.join(f'{k} {v}' for k, v in sorted(r['verdicts'].items()))}")
    return [table]


PARTS: dict[str, Callable[[argparse.Namespace], list[Table]]] = {"1": hash_speed, "2": query_speed, "3": end_to_end}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--parts", default=",".join(PARTS), help="comma-separated parts to run (default: all)")
    parser.add_argument("--speed-dir", type=Path, default=SPEED_DIR.relative_to(ROOT), help="JPEGs for part 1")
    parser.add_argument("--files", type=int, default=12, help="JPEGs to synthesise when --speed-dir has none")
    parser.add_argument("--hash-repeat", type=int, default=3, help="passes over the files in part 1")
    parser.add_argument("--hashes", type=int, default=1_000_000, help="reference hashes in part 2")
    parser.add_argument("--queries", type=int, default=100, help="query hashes in part 2 (≥ 50)")
    parser.add_argument("--repeat", type=int, default=3, help="passes over the queries in part 2")
    parser.add_argument("--no-pdq", dest="pdq", action="store_false", help="skip the 256-bit PDQ variant of part 2")
    parser.add_argument("--e2e-works", type=int, default=40, help="reference works registered in part 3")
    parser.add_argument("--e2e-queries", type=int, default=120, help="item-content uploads in part 3")
    args = parser.parse_args(argv)
    wanted = [p.strip() for p in args.parts.split(",") if p.strip()]
    unknown = [p for p in wanted if p not in PARTS]
    if unknown:
        parser.error(f"unknown part(s) {', '.join(unknown)}; known: {', '.join(PARTS)}")
    for part in wanted:
        for table in PARTS[part](args):
            print(table.render(), end="\n\n", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
