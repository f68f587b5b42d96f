"""Perceptual hashes of whole images and of their regions.

A global hash only survives edits that keep the whole frame (rescale, re-encode, colour). A copy that is cropped,
letterboxed or shown inside a screenshot is a different frame, so each reference is hashed many times — whole, with
uniform borders trimmed, and over a grid of sub-regions at several scales — while a query is hashed only a few times
(whole, trimmed, mirrored, and the content rectangle of a screenshot if one is found). A query crop then lands close
to the reference region it was cut from.

Hashes are big-endian packed bit strings (`bytes`), 8 bytes for pHash and 32 for PDQ, so they pack into uint64 words
for `index.HashIndex`. Region boxes are fractions of the image (x, y, w, h) so they do not depend on the resolution
the hash was computed at.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

import cv2
import numpy as np
import pdqhash
import scipy.fftpack
from PIL import Image

__all__ = [
    "FULL",
    "KIND_BITS",
    "PDQ",
    "PHASH",
    "Box",
    "HashRecord",
    "content_boxes",
    "hamming",
    "pdq",
    "phash",
    "phash_from_gray32",
    "query_hashes",
    "reference_hashes",
    "reference_regions",
    "trim_box",
]

PHASH: Final = "phash"
PDQ: Final = "pdq"
KIND_BITS: Final[dict[str, int]] = {PHASH: 64, PDQ: 256}

Box = tuple[float, float, float, float]  # x, y, w, h as fractions of the image
FULL: Final[Box] = (0.0, 0.0, 1.0, 1.0)

# Side fractions of the reference sub-regions. A crop keeping a fraction a of the area has sides ≈ √a of the
# original (0.95, 0.87, 0.71 for 90/75/50 %); pHash tolerates a misalignment of a few percent of the side, so the
# 3×3 / 4×4 position grids below put a region within reach of any crop of those sizes, wherever it was cut.
# Long sides of the two grey working copies: boxes are found at 512 px; regions are hashed from 192 px, where a
# 32×32 Lanczos reduction of a region costs a tenth of doing it from 512 px and gives the same bits near enough.
HASH_SIDE: Final = 512
REGION_SIDE: Final = 192
# Extra query hashes: corner windows of this side (a reference region size, see REGION_SCALES) and small turns.
CORNER_WINDOW: Final = 0.7
ROTATIONS: Final = (-4.0, 4.0)
# Grey-level standard deviation under which a region is not hashed (see `_informative`).
MIN_REGION_STD: Final = 3.0
REGION_SCALES: Final[tuple[tuple[float, int], ...]] = ((0.9, 3), (0.8, 3), (0.7, 4), (0.6, 4))


@dataclass(frozen=True, slots=True)
class HashRecord:
    """One hash of one region. `mirrored` marks a query hash computed on the left-right flipped picture."""

    kind: str
    bits: bytes
    region: Box = FULL
    mirrored: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KIND_BITS:
            raise ValueError(f"unknown hash kind {self.kind!r}")
        if len(self.bits) * 8 != KIND_BITS[self.kind]:
            raise ValueError(f"{self.kind} hash must be {KIND_BITS[self.kind] // 8} bytes, got {len(self.bits)}")


def hamming(a: bytes, b: bytes) -> int:
    return (int.from_bytes(a, "big") ^ int.from_bytes(b, "big")).bit_count()


# ---------------------------------------------------------------------------------------------------- pHash


def phash_from_gray32(pixels: np.ndarray) -> bytes:
    """pHash of a 32×32 grey image, bit for bit the algorithm of `imagehash.phash` (same DCT routine, same median)."""
    dct = scipy.fftpack.dct(scipy.fftpack.dct(pixels, axis=0), axis=1)
    low = dct[:8, :8]
    return np.packbits(low > np.median(low)).tobytes()


def _gray32(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L").resize((32, 32), Image.Resampling.LANCZOS))


def phash(image: Image.Image) -> bytes:
    """Same bits as `imagehash.phash(image)` (its hex string is `phash(image).hex()`).

    The speed comes from what the caller decodes: `imageio.open_for_matching` hands over a JPEG already reduced by
    the decoder, so the Lanczos reduction runs over ~1/16 of the pixels.
    """
    return phash_from_gray32(_gray32(image))


# ---------------------------------------------------------------------------------------------------- PDQ


def pdq(image: Image.Image) -> tuple[bytes, int]:
    """PDQ hash (256 bits) and its quality (0–100; Meta's guidance: below ~50 the hash is unreliable)."""
    rgb = np.ascontiguousarray(np.asarray(image.convert("RGB")))
    vector, quality = pdqhash.compute(rgb)
    return np.packbits(np.asarray(vector, dtype=np.uint8)).tobytes(), int(quality)


# ---------------------------------------------------------------------------------------------------- borders


def trim_box(gray: np.ndarray, *, tolerance: int = 12, min_keep: float = 0.2) -> tuple[int, int, int, int]:
    """Pixel box (x0, y0, x1, y1) left after peeling uniform borders (padding, letterbox bars, frames) off each side.

    A side is peeled row by row while ≥ 97 % of the row is within `tolerance` of that side's own border colour (JPEG
    ringing spoils the last few percent); up to three rings of different colours (a frame with a mat inside it).
    Returns the whole image when the remainder would be under `min_keep` of the area — a mostly flat picture is not
    "all border".
    """
    h, w = gray.shape
    x0, y0, x1, y1 = 0, 0, w, h
    g = gray.astype(np.int16)
    for _ in range(3):
        changed = False
        for side in ("top", "bottom", "left", "right"):
            if x1 - x0 < 8 or y1 - y0 < 8:
                break
            if side in ("top", "bottom"):
                rows = g[y0:y1, x0:x1]
                edge = rows[0] if side == "top" else rows[-1]
                colour = int(np.median(edge))
                frac = (np.abs(rows - colour) <= tolerance).mean(axis=1)
                seq = frac if side == "top" else frac[::-1]
            else:
                cols = g[y0:y1, x0:x1]
                edge = cols[:, 0] if side == "left" else cols[:, -1]
                colour = int(np.median(edge))
                frac = (np.abs(cols - colour) <= tolerance).mean(axis=0)
                seq = frac if side == "left" else frac[::-1]
            n = int(np.argmin(seq >= 0.97)) if not np.all(seq >= 0.97) else len(seq)
            if n == 0:
                continue
            changed = True
            if side == "top":
                y0 += n
            elif side == "bottom":
                y1 -= n
            elif side == "left":
                x0 += n
            else:
                x1 -= n
        if not changed:
            break
    if (x1 - x0) * (y1 - y0) < min_keep * w * h or x1 <= x0 or y1 <= y0:
        return 0, 0, w, h
    return x0, y0, x1, y1


def content_boxes(gray: np.ndarray, *, tolerance: int = 18) -> list[tuple[int, int, int, int]]:
    """Candidate picture rectangles inside a screenshot or a composite: where a copy sits inside other content.

    Three cheap proposals, none trusted on its own (a wrong box costs one more index look-up; only verification
    decides):
    - the longest band of "busy" rows, then of busy columns in it: a picture spanning a phone screen's width;
    - solid regions that differ from the dominant border colour (app chrome, a web page): the busy mask is opened
      with a kernel wider than text strokes, so captions and icons vanish and pictures stay, and each large, nearly
      rectangular component is a box;
    - axis-aligned quadrilateral contours of the edge map: an inset with a frame over another picture.
    Boxes are returned largest first, at most eight.
    """
    h, w = gray.shape
    if h < 32 or w < 32:
        return []
    ring = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    values, counts = np.unique(ring // 4, return_counts=True)
    bg = int(values[np.argmax(counts)]) * 4 + 2
    busy = np.abs(gray.astype(np.int16) - bg) > tolerance
    boxes = _band_boxes(busy, h, w) + _component_boxes(busy, h, w) + _quad_boxes(gray, h, w)
    out: list[tuple[int, int, int, int]] = []
    for box in sorted(boxes, key=lambda b: -(b[2] - b[0]) * (b[3] - b[1])):
        if all(_iou(box, kept) < 0.85 for kept in out):
            out.append(box)
    return out[:8]


def _band_boxes(busy: np.ndarray, h: int, w: int) -> list[tuple[int, int, int, int]]:
    row_run = _longest_run(busy.mean(axis=1) >= 0.6, gap=max(2, h // 200))
    if row_run is None or (row_run[1] - row_run[0]) < 0.12 * h:
        return []
    r0, r1 = row_run
    boxes = []
    col_run = _longest_run(busy[r0:r1].mean(axis=0) >= 0.6, gap=max(2, w // 200))
    if col_run is not None and (col_run[1] - col_run[0]) >= 0.12 * w and (col_run[1] - col_run[0]) < w * 0.97:
        boxes.append((col_run[0], r0, col_run[1], r1))
    if (r1 - r0) < h * 0.97:
        boxes.append((0, r0, w, r1))
    return boxes


def _component_boxes(busy: np.ndarray, h: int, w: int) -> list[tuple[int, int, int, int]]:
    k = max(5, round(min(h, w) / 60)) | 1  # wider than a text stroke at this scale, narrower than any picture
    solid = cv2.morphologyEx(busy.astype(np.uint8), cv2.MORPH_OPEN, np.ones((k, k), np.uint8))
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(solid, connectivity=4)
    boxes = []
    for x, y, bw, bh, area in stats[1:n].tolist():
        if bw * bh < 0.04 * w * h or bw * bh > 0.95 * w * h or min(bw, bh) < 24:
            continue
        if area >= 0.6 * bw * bh:
            boxes.append((x, y, x + bw, y + bh))
    return boxes


def _quad_boxes(gray: np.ndarray, h: int, w: int) -> list[tuple[int, int, int, int]]:
    """Rectangles framed by straight edges on all four sides: an inset over another picture, a photo on a page.

    Edges are reduced to their long horizontal and vertical runs (morphological opening with a line kernel), so
    texture inside pictures mostly drops out and frames stay; two horizontal segments that overlap, joined at both
    ends of the overlap by vertical segments, make a box.
    """
    edges = cv2.Canny(cv2.GaussianBlur(gray, (3, 3), 0), 40, 120)
    edges = cv2.dilate(edges, np.ones((3, 3), np.uint8))
    run = max(16, min(h, w) // 10)
    horizontal = _segments(cv2.morphologyEx(edges, cv2.MORPH_OPEN, np.ones((1, run), np.uint8)), axis=0, run=run)
    vertical = _segments(cv2.morphologyEx(edges, cv2.MORPH_OPEN, np.ones((run, 1), np.uint8)), axis=1, run=run)
    boxes = []
    for i, (ax0, ax1, ay) in enumerate(horizontal):
        for bx0, bx1, by in horizontal[i + 1 :]:
            top, bottom = min(ay, by), max(ay, by)
            x0, x1 = max(ax0, bx0), min(ax1, bx1)
            if bottom - top < 24 or x1 - x0 < max(24, 0.6 * min(ax1 - ax0, bx1 - bx0)):
                continue
            if _joined(vertical, x0, top, bottom) and _joined(vertical, x1, top, bottom):
                box = (x0 + 3, top + 3, x1 - 2, bottom - 2)
                if 0.02 * w * h <= (box[2] - box[0]) * (box[3] - box[1]) <= 0.9 * w * h:
                    boxes.append(box)
    return boxes


def _segments(lines: np.ndarray, *, axis: int, run: int) -> list[tuple[int, int, int]]:
    """Long straight runs as (start, end, position): x0, x1, y for horizontal lines; y0, y1, x for vertical."""
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    out = []
    for x, y, bw, bh, _area in stats[1:n].tolist():
        if axis == 0 and bw >= 1.5 * run:
            out.append((x, x + bw - 1, y + bh // 2))
        elif axis == 1 and bh >= 1.5 * run:
            out.append((y, y + bh - 1, x + bw // 2))
    out.sort(key=lambda seg: seg[0] - seg[1])  # longest first
    return out[:30]


def _joined(vertical: list[tuple[int, int, int]], x: int, top: int, bottom: int) -> bool:
    return any(abs(vx - x) <= 6 and min(y1, bottom) - max(y0, top) >= 0.6 * (bottom - top) for y0, y1, vx in vertical)


def _iou(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union else 0.0


def _longest_run(flags: np.ndarray, *, gap: int) -> tuple[int, int] | None:
    """Longest [start, end) run of True, bridging runs of False no longer than `gap` (a dark line inside a photo)."""
    best: tuple[int, int] | None = None
    start = -1
    last_true = -1
    for i, f in enumerate(flags.tolist()):
        if f:
            if start < 0 or i - last_true - 1 > gap:
                start = i
            last_true = i
            if best is None or (last_true + 1 - start) > (best[1] - best[0]):
                best = (start, last_true + 1)
    return best


# ---------------------------------------------------------------------------------------------------- records


def reference_regions(scales: Sequence[tuple[float, int]] = REGION_SCALES) -> list[Box]:
    """The fixed grid of sub-regions hashed for every reference, as fractions of the (trimmed) picture."""
    regions: list[Box] = []
    for side, steps in scales:
        slack = 1.0 - side
        positions = [slack * i / (steps - 1) for i in range(steps)] if steps > 1 else [slack / 2]
        for y in positions:
            for x in positions:
                regions.append((round(x, 4), round(y, 4), side, side))
    return regions


def _crop_gray32(gray: Image.Image, box: tuple[int, int, int, int]) -> np.ndarray:
    return np.asarray(gray.resize((32, 32), Image.Resampling.LANCZOS, box=box))


def _informative(g32: np.ndarray) -> bool:
    """Whether a 32×32 region has enough contrast for its pHash to mean anything. The hash of a flat patch (app
    chrome, a white margin, a clear sky) is the sign pattern of JPEG noise around its median: it lands close to every
    other flat patch's hash, so in a large library such hashes crowd real candidates out of the top k."""
    return float(np.std(g32)) >= MIN_REGION_STD


def _central(box: Box, side: float = 0.8) -> Box:
    x, y, w, h = box
    return (x + w * (1 - side) / 2, y + h * (1 - side) / 2, w * side, h * side)


def _rotated32(small: Image.Image, box: Box, angle: float) -> np.ndarray:
    x, y, w, h = box
    sw, sh = small.size
    part = small.crop((round(x * sw), round(y * sh), round((x + w) * sw), round((y + h) * sh)))
    fill = int(np.median(np.asarray(part)))
    turned = part.rotate(angle, Image.Resampling.BILINEAR, fillcolor=fill)
    return _region32(turned, _central((0.0, 0.0, 1.0, 1.0)))


def _region32(small: Image.Image, region: Box) -> np.ndarray:
    """32×32 grey of a fractional region of `small` (float box: no rounding to the small copy's pixel grid)."""
    x, y, w, h = region
    sw, sh = small.size
    return np.asarray(small.resize((32, 32), Image.Resampling.LANCZOS, box=(x * sw, y * sh, (x + w) * sw, (y + h) * sh)))


def _frac(box: tuple[int, int, int, int], w: int, h: int) -> Box:
    x0, y0, x1, y1 = box
    return (x0 / w, y0 / h, (x1 - x0) / w, (y1 - y0) / h)


def working_gray(image: Image.Image, side: int = HASH_SIDE) -> Image.Image:
    """The grey picture that regions are hashed and boxes proposed on: long side ≤ `side` (regions are reduced to
    32×32 anyway; doing it from here is ~10× cheaper than from a megapixel decode, and the whole-image pHash is
    still taken from the full decode, bit for bit as imagehash)."""
    gray = image.convert("L")
    factor = max(gray.size) / side
    if factor > 1:
        gray = gray.resize((max(8, round(gray.width / factor)), max(8, round(gray.height / factor))), Image.Resampling.BOX)
    return gray


def reference_hashes(image: Image.Image, *, with_pdq: bool = False) -> list[HashRecord]:
    """Every hash stored for one reference image: whole, trimmed, and the region grid over the trimmed picture."""
    out: list[HashRecord] = [HashRecord(PHASH, phash(image), FULL)]
    gray = working_gray(image)
    small = working_gray(gray, REGION_SIDE)
    w, h = gray.size
    tb = trim_box(np.asarray(gray))
    trimmed = _frac(tb, w, h)
    regions = [trimmed] if tb != (0, 0, w, h) else []
    tx, ty, tw, th = trimmed
    regions += [(tx + rx * tw, ty + ry * th, rw * tw, rh * th) for rx, ry, rw, rh in reference_regions()]
    for region in regions:
        g32 = _region32(small, region)
        if _informative(g32):
            out.append(HashRecord(PHASH, phash_from_gray32(g32), region))
    if with_pdq:
        bits, _ = pdq(image)
        out.append(HashRecord(PDQ, bits, FULL))
    return out


def query_boxes(gray: Image.Image, tb: tuple[int, int, int, int] | None = None) -> list[tuple[int, int, int, int]]:
    """Pixel boxes of `gray` to hash for a query: whole, borders trimmed (`tb`, computed when not given), then
    picture boxes (screenshots, insets)."""
    w, h = gray.size
    arr = np.asarray(gray)
    boxes: list[tuple[int, int, int, int]] = [(0, 0, w, h)]
    tb = trim_box(arr) if tb is None else tb
    if tb not in boxes:
        boxes.append(tb)
    for cb in content_boxes(arr):
        if all(_iou(cb, b) < 0.9 for b in boxes):
            boxes.append(cb)
    return boxes


def query_hashes(image: Image.Image, *, with_pdq: bool = False) -> list[HashRecord]:
    """The few hashes of a query: whole, trimmed, picture boxes, each also mirrored (flipped copies)."""
    gray = working_gray(image)
    small = working_gray(gray, REGION_SIDE)
    w, h = gray.size
    whole = _gray32(image)
    out: list[HashRecord] = [
        HashRecord(PHASH, phash_from_gray32(whole), FULL),
        HashRecord(PHASH, phash_from_gray32(np.ascontiguousarray(whole[:, ::-1])), FULL, mirrored=True),
    ]
    tb = trim_box(np.asarray(gray))
    for box in query_boxes(gray, tb)[1:]:
        region = _frac(box, w, h)
        g32 = _region32(small, region)
        if _informative(g32):
            out.append(HashRecord(PHASH, phash_from_gray32(g32), region))
            out.append(HashRecord(PHASH, phash_from_gray32(np.ascontiguousarray(g32[:, ::-1])), region, mirrored=True))
    # The picture with one corner covered (a sticker, a streamer's camera): a window clear of that corner equals the
    # reference region at the same place, which the reference grid holds at this size.
    for rx, ry in ((0.0, 0.0), (1 - CORNER_WINDOW, 0.0), (0.0, 1 - CORNER_WINDOW), (1 - CORNER_WINDOW, 1 - CORNER_WINDOW)):
        region = (rx, ry, CORNER_WINDOW, CORNER_WINDOW)
        g32 = _region32(small, region)
        if _informative(g32):
            out.append(HashRecord(PHASH, phash_from_gray32(g32), region))
    # A copy turned by a few degrees: turned back, its centre equals the reference's central region.
    trimmed = _frac(tb, w, h)
    for angle in ROTATIONS:
        g32 = _rotated32(small, trimmed, angle)
        if _informative(g32):
            out.append(HashRecord(PHASH, phash_from_gray32(g32), _central(trimmed)))
    if with_pdq:
        out.append(HashRecord(PDQ, pdq(image)[0], FULL))
    return out


def unique(records: Iterable[HashRecord]) -> list[HashRecord]:
    seen: set[tuple[str, bytes, bool]] = set()
    out = []
    for r in records:
        key = (r.kind, r.bits, r.mirrored)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out
