"""Dense verification for pictures local features cannot speak for: stripes, skies, soft gradients, tiny copies.

ORB needs corners; a striped or blurred picture has few, and a thumbnail-sized copy has few at any scale. For those,
the perceptual-hash hit itself gives a coarse alignment (this box of the query looks like that region of the
reference); dense alignment refines it (OpenCV's ECC, affine, coarse to fine) and then asks whether the two agree
pixel for pixel — in brightness *and* in edge structure, both zero-mean normalised so brightness, contrast and
colour edits do not matter. Two unrelated smooth pictures can correlate in brightness; they do not share edges,
and a reference with no edge structure at all is never confirmed this way.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Final

import cv2
import numpy as np
from PIL import Image

__all__ = ["THUMB_SIDE", "DenseParams", "DenseResult", "decode_thumb", "dense_verify", "encode_thumb", "thumbnail"]

THUMB_SIDE: Final = 192
PATCH: Final = 96

Box = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class DenseParams:
    min_intensity: float = 0.93  # zero-mean NCC of the aligned grey patches
    min_structure: float = 0.80  # zero-mean NCC of their gradient magnitudes
    min_reference_structure: float = 6.0  # mean gradient magnitude of the reference patch (grey levels per pixel)
    min_overlap: float = 0.7  # share of the reference patch still covered by the warped query
    max_scale_change: float = 0.35  # |log| of the area change ECC may add to the hash alignment
    max_shift: float = 0.2  # translation ECC may add, as a fraction of the patch


@dataclass(frozen=True, slots=True)
class DenseResult:
    ok: bool
    intensity: float
    structure: float
    reason: str
    query_box: Box | None = None  # where the reference region lies in the query, fractions


def thumbnail(gray: Image.Image) -> np.ndarray:
    im = gray if gray.mode == "L" else gray.convert("L")
    f = THUMB_SIDE / max(im.size)
    if f < 1:
        im = im.resize((max(8, round(im.width * f)), max(8, round(im.height * f))), Image.Resampling.BOX)
    return np.asarray(im)


def encode_thumb(thumb: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(thumb).save(buf, "PNG", optimize=False, compress_level=6)
    return buf.getvalue()


def decode_thumb(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data), formats=["PNG"]) as im:
        return np.asarray(im.convert("L"))


def _patch(gray: np.ndarray, box: Box, size: tuple[int, int], mirrored: bool = False) -> np.ndarray:
    h, w = gray.shape
    x, y, bw, bh = box
    x0, y0 = x * w, y * h
    x1, y1 = (x + bw) * w, (y + bh) * h
    # An affine resample of the float box: no rounding of small boxes to whole pixels.
    sx, sy = size[0] / max(1e-6, x1 - x0), size[1] / max(1e-6, y1 - y0)
    M = np.array([[sx, 0, -x0 * sx], [0, sy, -y0 * sy]], dtype=np.float32)
    src = gray
    if sx < 0.5 or sy < 0.5:  # shrinking a lot: pre-blur so the patch is an average, not a sample
        k = int(max(1 / sx, 1 / sy)) | 1
        src = cv2.GaussianBlur(gray, (k, k), 0)
    out = cv2.warpAffine(src, M, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return out[:, ::-1].copy() if mirrored else out


def _gradient(p: np.ndarray) -> np.ndarray:
    gx = cv2.Sobel(p, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(p, cv2.CV_32F, 0, 1, ksize=3)
    return cv2.magnitude(gx, gy)


def _ncc(a: np.ndarray, b: np.ndarray, mask: np.ndarray) -> float:
    a, b = a[mask].astype(np.float64), b[mask].astype(np.float64)
    if a.size < 16:
        return 0.0
    a -= a.mean()
    b -= b.mean()
    denom = np.sqrt((a * a).sum() * (b * b).sum())
    return float((a * b).sum() / denom) if denom > 1e-9 else 0.0


def dense_verify(
    query: np.ndarray,
    reference: np.ndarray,
    query_box: Box,
    reference_box: Box,
    *,
    mirrored: bool = False,
    params: DenseParams | None = None,
) -> DenseResult:
    """Does `reference_box` of the reference thumbnail reappear at (about) `query_box` of the query grey image?"""
    p = params or DenseParams()
    rh, rw = reference.shape
    aspect = (reference_box[2] * rw) / max(1e-6, reference_box[3] * rh)
    size = (PATCH, max(16, round(PATCH / aspect))) if aspect >= 1 else (max(16, round(PATCH * aspect)), PATCH)
    ref = _patch(reference, reference_box, size).astype(np.float32)
    ref_grad = _gradient(cv2.GaussianBlur(ref, (3, 3), 0))
    if float(ref_grad.mean()) < p.min_reference_structure:
        return DenseResult(False, 0.0, 0.0, "reference region has no edge structure to confirm")
    qry = _patch(query, query_box, size, mirrored).astype(np.float32)
    best: DenseResult | None = None
    # The richest motion model that converges to a plausible warp wins; a picture with structure in one direction
    # only (stripes) leaves an affine ECC unconstrained along the other, where translation alone still converges,
    # and the hash pair's own alignment (identity) is the last resort.
    for motion in (cv2.MOTION_AFFINE, cv2.MOTION_TRANSLATION, None):
        warp = _align(ref, qry, size, motion)
        if warp is None or _implausible(warp, size, p):
            continue
        result = _compare(ref, ref_grad, qry, warp, size, query_box, mirrored, p)
        if result.ok:
            return result
        if best is None or result.structure > best.structure:
            best = result
    return best or DenseResult(False, 0.0, 0.0, "dense alignment did not converge")


def _align(ref: np.ndarray, qry: np.ndarray, size: tuple[int, int], motion: int | None) -> np.ndarray | None:
    warp = np.eye(2, 3, dtype=np.float32)
    if motion is None:
        return warp
    criteria = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 60, 1e-5)
    try:
        # Coarse to fine: half size first (converges from further away), then full size from that warp.
        half = (max(8, size[0] // 2), max(8, size[1] // 2))
        _, warp = cv2.findTransformECC(
            cv2.resize(ref, half),
            cv2.resize(qry, half),
            warp,  # type: ignore[call-overload]
            motion,
            criteria,
            None,
            3,
        )
        warp = warp.copy()
        warp[0, 2] *= size[0] / half[0]
        warp[1, 2] *= size[1] / half[1]
        _, warp = cv2.findTransformECC(ref, qry, warp, motion, criteria, None, 3)  # type: ignore[call-overload]
    except cv2.error:
        return None
    return np.asarray(warp, dtype=np.float32)


def _implausible(warp: np.ndarray, size: tuple[int, int], p: DenseParams) -> bool:
    A = warp[:, :2].astype(np.float64)
    det = float(np.linalg.det(A))
    if det <= 0 or abs(np.log(det)) > p.max_scale_change:
        return True
    return bool(np.hypot(warp[0, 2] / size[0], warp[1, 2] / size[1]) > p.max_shift + abs(1 - np.sqrt(det)))


def _compare(
    ref: np.ndarray,
    ref_grad: np.ndarray,
    qry: np.ndarray,
    warp: np.ndarray,
    size: tuple[int, int],
    query_box: Box,
    mirrored: bool,
    p: DenseParams,
) -> DenseResult:
    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    aligned = cv2.warpAffine(qry, warp, size, flags=flags, borderMode=cv2.BORDER_REPLICATE)
    valid = cv2.warpAffine(np.ones_like(qry), warp, size, flags=flags, borderMode=cv2.BORDER_CONSTANT) > 0.99
    valid = cv2.erode(valid.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    box = _query_box(warp, size, query_box, mirrored)
    if valid.mean() < p.min_overlap:
        return DenseResult(False, 0.0, 0.0, "aligned copy covers too little of the reference region", box)
    intensity = _ncc(ref, aligned, valid)
    structure = _ncc(ref_grad, _gradient(cv2.GaussianBlur(aligned, (3, 3), 0)), valid)
    if intensity < p.min_intensity:
        return DenseResult(False, intensity, structure, f"aligned pixels differ (correlation {intensity:.2f})", box)
    if structure < p.min_structure:
        return DenseResult(False, intensity, structure, f"edges differ (correlation {structure:.2f})", box)
    return DenseResult(True, intensity, structure, "ok", box)


def _query_box(warp: np.ndarray, size: tuple[int, int], query_box: Box, mirrored: bool) -> Box:
    """The reference patch's frame mapped through the warp into query fractions."""
    w, h = size
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    mapped = corners @ warp[:, :2].T + warp[:, 2]
    x0, y0 = mapped.min(axis=0) / (w, h)
    x1, y1 = mapped.max(axis=0) / (w, h)
    if mirrored:
        x0, x1 = 1 - x1, 1 - x0
    qx, qy, qw, qh = query_box
    bx0, by0 = qx + max(0.0, float(x0)) * qw, qy + max(0.0, float(y0)) * qh
    bx1, by1 = qx + min(1.0, float(x1)) * qw, qy + min(1.0, float(y1)) * qh
    return (bx0, by0, max(0.0, bx1 - bx0), max(0.0, by1 - by0))
