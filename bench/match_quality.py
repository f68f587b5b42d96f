"""Match quality: recall at zero false positives, per edit type, for ipclaims and for plain pHash and PDQ.

The evaluation set is built offline by bench/evaldata.py from images that ship in packages (scikit-image data, the
Debian wallpaper packages) plus seeded synthetic distractors; unrelated images outnumber references, and every
distractor is also shown edited (crops, captions, logos, screenshots) so a matcher keyed on the edit rather than the
picture shows up as a false positive.

ipclaims is measured through its real path: a throw-away SQLite database migrated as in production, references
registered with `matching.service.index_reference`, each query answered by `matching.service.find_matches` (index
candidates, then local-feature verification). The library holds every reference of both splits and the other
split's distractor sources as extra works, so candidates are drawn from more than the queries' own references.
A query counts as recalled when its first answer is `match` on its own source; any `match` on a distractor query,
or on the wrong work, is a false positive.

Baselines, in the same run: `imagehash.phash` (64 bits) and PDQ (`pdqhash`, 256 bits), each nearest reference by
whole-image hash distance, at their conventional thresholds (pHash ≤ 10, PDQ ≤ 31) and at their best single
threshold (the largest with no false positive on this split's distractors — an optimistic figure for them).

Thresholds of ipclaims are chosen on the `tune` split; `test` is the held-apart figure.

`--fillers N` adds N more unrelated works (crops, turns and tones of the other split's distractor pictures) so the
index has to find each copy's source among thousands of works, not dozens.

Run: python bench/match_quality.py [--split test|tune|both] [--workers 2] [--show-misses] [--fillers 2000]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from sqlalchemy import select

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT))

import evaldata  # noqa: E402

DATA = evaldata.DATA
PHASH_CONVENTIONAL = 10
PDQ_CONVENTIONAL = 31


# ------------------------------------------------------------------------------------------------ library


def _setup_env(workdir: Path) -> None:
    os.environ["IPCLAIMS_DATABASE_URL"] = f"sqlite:///{workdir / 'bench.db'}"
    os.environ["IPCLAIMS_DATA_DIR"] = str(workdir / "data")
    os.environ["IPCLAIMS_ENV"] = "test"
    from ipclaims import config, db

    config.get_settings.cache_clear()
    db.dispose_engines()


def library_sources(manifest: dict[str, Any], split: str) -> list[dict[str, Any]]:
    """Every reference of both splits, plus the other split's distractor sources as extra works (never this
    split's: its distractor queries must be unrelated to everything in the library)."""
    other = "test" if split == "tune" else "tune"
    extra = set(manifest["splits"][other]["distractor_sources"])
    return [s for s in manifest["sources"] if s["eligible"] and (s["role"] == "reference" or s["id"] in extra)]


def build_library(sources: list[dict[str, Any]], workdir: Path) -> dict[str, str]:
    """Register each source as a work with one image; returns work id → source id."""
    from ipclaims.auth.service import create_account
    from ipclaims.db import session_scope
    from ipclaims.matching import imageio, service
    from ipclaims.migrations import upgrade
    from ipclaims.models import Role, Work, WorkImage, WorkKind

    _setup_env(workdir)
    upgrade()
    work_of: dict[str, str] = {}
    with session_scope() as session:
        owner = create_account(session, name="bench holder", role=Role.RIGHTS_HOLDER).account
        for src in sources:
            data = (DATA / src["path"]).read_bytes()
            decoded = imageio.open_for_matching(data)
            work = Work(owner_id=owner.id, title=src["id"], kind=WorkKind.COPYRIGHT)
            session.add(work)
            session.flush()
            image = WorkImage(
                work_id=work.id,
                owner_id=owner.id,
                sha256=decoded.sha256,
                media_type=decoded.mime_type,
                width=decoded.width,
                height=decoded.height,
                size_bytes=len(data),
                path=src["path"],
            )
            session.add(image)
            session.flush()
            service.index_reference(session, image, decoded)
            work_of[work.id] = src["id"]
    return work_of


def _filler(item: tuple[str, int]) -> tuple[str, Any, tuple[int, int], str]:
    """An unrelated reference made from another split's distractor: a random crop, turn and tone of it."""
    from PIL import ImageEnhance

    from ipclaims.matching import imageio, pipeline

    path, seed = item
    rng = np.random.default_rng(seed)
    with Image.open(DATA / path) as im:
        im = im.convert("RGB")
    area = rng.uniform(0.3, 0.9)
    im = evaldata.crop(im, rng, area, False, 0.3)
    im = im.rotate(float(rng.uniform(-8, 8)), Image.Resampling.BICUBIC)
    im = ImageEnhance.Color(ImageEnhance.Brightness(im).enhance(rng.uniform(0.7, 1.3))).enhance(rng.uniform(0.5, 1.5))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=85)
    decoded = imageio.open_for_matching(buf.getvalue())
    return f"filler-{seed}", pipeline.reference_signature(decoded.image), (decoded.width, decoded.height), decoded.sha256


def add_fillers(manifest: dict[str, Any], split: str, count: int, workers: int) -> int:
    """`count` extra works, each a variant of the other split's distractor sources (never this split's images)."""
    from ipclaims.db import session_scope
    from ipclaims.matching import service
    from ipclaims.models import Account, Work, WorkImage, WorkKind

    other = "test" if split == "tune" else "tune"
    pool_paths = [s["path"] for s in manifest["sources"] if s["role"] == "distractor" and s["split"] == other]
    items = [(pool_paths[i % len(pool_paths)], 1_000_000 + i) for i in range(count)]
    with ProcessPoolExecutor(workers) as pool, session_scope() as session:
        owner = session.scalars(select(Account)).first()
        assert owner is not None
        for name, signature, (w, h), sha in pool.map(_filler, items, chunksize=8):
            work = Work(owner_id=owner.id, title=name, kind=WorkKind.COPYRIGHT)
            session.add(work)
            session.flush()
            image = WorkImage(
                work_id=work.id,
                owner_id=owner.id,
                sha256=sha,
                media_type="image/jpeg",
                width=w,
                height=h,
                size_bytes=0,
                path=f"fillers/{name}.jpg",
            )
            session.add(image)
            session.flush()
            service.store_signature(session, image, signature)
    return count


def _worker_init(workdir: str) -> None:
    _setup_env(Path(workdir))


def _ipclaims_answer(path: str) -> tuple[str, dict[str, Any] | None, float]:
    from ipclaims.config import get_settings
    from ipclaims.db import session_scope
    from ipclaims.matching import imageio, service

    t0 = time.perf_counter()
    decoded = imageio.open_for_matching((DATA / path).read_bytes())
    with session_scope(write=False) as session:
        found = service.find_matches(session, decoded, get_settings(), owner_id=None, limit=3)
    best = found[0].model_dump() if found else None
    return path, best, time.perf_counter() - t0


# ------------------------------------------------------------------------------------------------ baselines


def _baseline_hashes(path: str) -> tuple[str, bytes, bytes]:
    import imagehash
    import pdqhash

    with Image.open(DATA / path) as im:
        rgb = im.convert("RGB")
    ph = bytes.fromhex(str(imagehash.phash(rgb)))
    vec, _quality = pdqhash.compute(np.ascontiguousarray(np.asarray(rgb)))
    return path, ph, np.packbits(np.asarray(vec, dtype=np.uint8)).tobytes()


def _nearest(query: bytes, refs: dict[str, bytes]) -> tuple[str, int]:
    q = int.from_bytes(query, "big")
    best = min(refs.items(), key=lambda kv: ((q ^ int.from_bytes(kv[1], "big")).bit_count(), kv[0]))
    return best[0], (q ^ int.from_bytes(best[1], "big")).bit_count()


def _baseline_outcomes(queries: list[dict[str, Any]], refs: dict[str, bytes], hashes: dict[str, bytes], threshold: int) -> dict[str, str]:
    """query path → "hit" | "miss" | "fp" at `threshold`."""
    out = {}
    for q in queries:
        ref, d = _nearest(hashes[q["path"]], refs)
        if d > threshold:
            out[q["path"]] = "miss"
        elif q["expected"] is None or ref != q["expected"]:
            out[q["path"]] = "fp"
        else:
            out[q["path"]] = "hit"
    return out


def _best_threshold(queries: list[dict[str, Any]], refs: dict[str, bytes], hashes: dict[str, bytes], bits: int) -> int:
    best = -1
    for t in range(bits + 1):
        outcome = _baseline_outcomes(queries, refs, hashes, t)
        if any(v == "fp" for v in outcome.values()):
            break
        best = t
    return best


# ------------------------------------------------------------------------------------------------ report


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    sep = "  ".join("-" * w for w in widths)
    body = ["  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))) for r in rows]
    return "\n".join([line, sep, *body])


def _pct(hits: int, n: int) -> str:
    return f"{100 * hits / n:5.1f}%" if n else "   — "


def report(split: str, queries: list[dict[str, Any]], outcomes: dict[str, dict[str, str]], extra: str) -> str:
    methods = list(outcomes)
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    edits: dict[str, list[dict[str, Any]]] = defaultdict(list)
    positives = [q for q in queries if q["expected"] is not None]
    for q in positives:
        groups[q["group"]].append(q)
        edits[q["edit"]].append(q)

    def row(name: str, qs: Iterable[dict[str, Any]]) -> list[str]:
        qs = list(qs)
        return [name, str(len(qs))] + [_pct(sum(outcomes[m][q["path"]] == "hit" for q in qs), len(qs)) for m in methods]

    header = ["edit group", "n", *methods]
    rows = [row(g, groups[g]) for g in sorted(groups)]
    rows.append(row("OVERALL", positives))
    fp_row = ["false positives", str(len(queries))] + [str(sum(outcomes[m][q["path"]] == "fp" for q in queries)) for m in methods]
    rows.append(fp_row)
    n_dis = len(queries) - len(positives)
    title = f"\n=== split {split}: recall of the `match` answer, {len(positives)} edited copies, {n_dis} distractor queries"
    return "\n".join([title, extra, _table(rows, header)])


def per_edit(queries: list[dict[str, Any]], outcomes: dict[str, str]) -> str:
    edits: dict[str, list[str]] = defaultdict(list)
    for q in queries:
        if q["expected"] is not None:
            edits[q["edit"]].append(outcomes[q["path"]])
    rows = [[e, str(len(v)), _pct(v.count("hit"), len(v)), str(v.count("fp"))] for e, v in sorted(edits.items())]
    return _table(rows, ["edit", "n", "ipclaims", "wrong work"])


# ------------------------------------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--split", choices=["tune", "test", "both"], default="both")
    ap.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--show-misses", action="store_true")
    ap.add_argument("--per-edit", action="store_true", help="also print ipclaims' recall per individual edit")
    ap.add_argument("--json", type=Path, help="write every answer to this file")
    ap.add_argument(
        "--fillers", type=int, default=0, help="extra unrelated works (variants of the other split's distractors), to load the index"
    )
    args = ap.parse_args(argv)

    manifest = evaldata.load()
    splits = ["tune", "test"] if args.split == "both" else [args.split]
    sources = {s["id"]: s for s in manifest["sources"]}
    all_answers: dict[str, Any] = {}
    for split in splits:
        with tempfile.TemporaryDirectory(prefix="ipclaims-matchq-") as tmp:
            workdir = Path(tmp)
            t0 = time.perf_counter()
            work_of = build_library(library_sources(manifest, split), workdir)
            if args.fillers:
                add_fillers(manifest, split, args.fillers, args.workers)
            n_works = len(work_of) + args.fillers
            print(f"\nlibrary for {split}: {n_works} works ({args.fillers} of them fillers) indexed in {time.perf_counter() - t0:.1f} s")
            queries = [q for q in manifest["queries"] if q["split"] == split]
            fillers = set(manifest["splits"][split]["distractor_sources"])
            paths = [q["path"] for q in queries]
            t1 = time.perf_counter()
            with ProcessPoolExecutor(args.workers, initializer=_worker_init, initargs=(str(workdir),)) as pool:
                answers = {p: (best, dt) for p, best, dt in pool.map(_ipclaims_answer, paths, chunksize=4)}
                base = {p: (ph, pq) for p, ph, pq in pool.map(_baseline_hashes, paths, chunksize=8)}
            elapsed = time.perf_counter() - t1
            latencies = np.array([dt for _, dt in answers.values()]) * 1000
            ipc: dict[str, str] = {}
            misses = []
            for q in queries:
                best, _ = answers[q["path"]]
                got = work_of.get(best["work_id"]) if best and best["verdict"] == "match" else None
                if got is None:
                    ipc[q["path"]] = "miss"
                    if q["expected"] is not None:
                        misses.append((q, best))
                elif got in fillers:
                    raise AssertionError(f"{got} is one of this split's distractors but is in the library")
                elif q["expected"] is None or got != q["expected"]:
                    ipc[q["path"]] = "fp"
                    misses.append((q, best))
                else:
                    ipc[q["path"]] = "hit"
            refs = manifest["splits"][split]["references"]
            ref_ph = {}
            ref_pq = {}
            for sid in refs:
                _, ph, pq = _baseline_hashes(sources[sid]["path"])
                ref_ph[sid], ref_pq[sid] = ph, pq
            ph_h = {p: v[0] for p, v in base.items()}
            pq_h = {p: v[1] for p, v in base.items()}
            ph_best = _best_threshold(queries, ref_ph, ph_h, 64)
            pq_best = _best_threshold(queries, ref_pq, pq_h, 256)
            outcomes = {
                "ipclaims": ipc,
                f"pHash≤{ph_best}(best)": _baseline_outcomes(queries, ref_ph, ph_h, ph_best),
                f"pHash≤{PHASH_CONVENTIONAL}": _baseline_outcomes(queries, ref_ph, ph_h, PHASH_CONVENTIONAL),
                f"PDQ≤{pq_best}(best)": _baseline_outcomes(queries, ref_pq, pq_h, pq_best),
                f"PDQ≤{PDQ_CONVENTIONAL}": _baseline_outcomes(queries, ref_pq, pq_h, PDQ_CONVENTIONAL),
            }
            extra = (
                f"ipclaims: {len(queries)} queries in {elapsed:.1f} s with {args.workers} workers; per query p50 "
                f"{np.percentile(latencies, 50):.0f} ms, p99 {np.percentile(latencies, 99):.0f} ms "
                f"(decode + hash + index + verification). Baselines search only this split's {len(refs)} "
                f"references, ipclaims its whole library of {n_works} works."
            )
            print(report(split, queries, outcomes, extra))
            if args.per_edit:
                print(per_edit(queries, ipc))
            if args.show_misses:
                for q, best in misses:
                    got = work_of.get(best["work_id"]) if best else None
                    print(
                        f"  {ipc[q['path']]:4} {q['edit']:24} {q['source']:40} -> {got} "
                        f"{best['verdict'] if best else '-'} {best['reason'] if best else ''}"
                    )
            all_answers[split] = {p: a for p, (a, _) in answers.items()}
    if args.json:
        args.json.write_text(json.dumps(all_answers, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
