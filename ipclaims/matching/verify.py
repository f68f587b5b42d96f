"""Local-feature verification: does the query contain (a part of) the reference, under one plausible geometry?

Hash distance says two pictures look alike; it cannot say that one was made from the other. Verification finds
keypoint correspondences (ORB descriptors, Lowe's ratio test) and asks whether enough of them agree on a single
homography that a real edit could produce (RANSAC, then sanity checks: no reflection, no collapse, bounded scale,
aspect and shear, near-affine perspective, a convex projected frame). Chance correspondences between unrelated pictures
do not agree on one geometry, which is what makes `match` safe to stake a takedown on.

Reference features are extracted once, serialised (`serialize_features`) and stored; a query is extracted once per
request and compared with a handful of candidates.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

import cv2
import numpy as np
from PIL import Image
from scipy.spatial import cKDTree

__all__ = [
    "FEATURE_MAX_SIDE",
    "Features",
    "Verification",
    "VerifyParams",
    "deserialize_features",
    "extract_features",
    "serialize_features",
    "verify",
]

FEATURE_MAX_SIDE: Final = 1024
_MAGIC: Final = b"IPF1"


@dataclass(frozen=True, slots=True)
class Features:
    """Keypoints (x, y in pixels of an image of `width`×`height`) and their 256-bit ORB descriptors."""

    width: int
    height: int
    points: np.ndarray  # (n, 2) float32
    descriptors: np.ndarray  # (n, 32) uint8
    sizes: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))  # (n,) float32 keypoint diameter

    def __len__(self) -> int:
        return int(self.points.shape[0])


@dataclass(frozen=True, slots=True)
class VerifyParams:
    """Acceptance thresholds; chosen on the tune split (bench/match_quality.py) and kept with a margin."""

    ratio: float = 0.8  # Lowe's ratio test
    min_inliers: int = 16
    min_inlier_ratio: float = 0.25  # inliers / ratio-test survivors
    min_reference_coverage: float = 0.08  # inlier hull area / reference area (a shared logo covers less)
    ransac_threshold: float = 0.012  # reprojection error, fraction of the query's long side
    max_scale: float = 12.0
    max_anisotropy: float = 1.8  # aspect-ratio change (non-uniform stretch) accepted
    max_shear_deg: float = 20.0
    max_perspective: float = 0.25  # |h31·w| + |h32·h|: how far from affine across the frame
    # Guided re-matching: with the geometry found, every reference keypoint is looked for where it should be. On the
    # tune split every true copy confirmed ≥ 153 keypoints and ≥ 10 % of those predicted inside the query, while a
    # chance alignment of unrelated pictures (geometry checks relaxed to let it through) confirmed 34 and 2 %.
    min_support: int = 40
    min_support_ratio: float = 0.04
    support_radius: float = 0.01  # fraction of the query's long side
    support_max_distance: int = 64  # Hamming bits of 256 for a descriptor to count as the same point


@dataclass(frozen=True, slots=True)
class Verification:
    ok: bool
    inliers: int
    matches: int
    inlier_ratio: float
    coverage: float  # share of the reference covered by the inlier hull
    reason: str  # "ok" or why not
    homography: np.ndarray | None = None  # reference pixels -> query pixels (of the feature images)
    query_box: tuple[float, float, float, float] | None = None  # x, y, w, h as fractions of the query
    reference_box: tuple[float, float, float, float] | None = None  # x, y, w, h as fractions of the reference
    support: int = 0  # reference keypoints the geometry maps onto a query keypoint with a similar descriptor
    support_ratio: float = 0.0  # support / reference keypoints the geometry maps inside the query


# ------------------------------------------------------------------------------------------------- extraction


def _orb(n: int) -> cv2.ORB:
    # fastThreshold 7 (default 20) keeps keypoints on smooth wallpapers and skies; edgeThreshold/patchSize 31 default.
    return cv2.ORB.create(nfeatures=n, scaleFactor=1.25, nlevels=10, edgeThreshold=19, patchSize=19, fastThreshold=7)


# Below this, a level of ORB's 10-level, ×1.25 pyramid rounds to zero pixels and OpenCV raises (uploads are refused
# below imageio.MIN_SIDE; this guards every other caller).
MIN_FEATURE_SIDE = 8


def _working_gray(image: Image.Image | np.ndarray, max_side: int) -> tuple[np.ndarray, float]:
    if isinstance(image, np.ndarray):
        gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
        h, w = gray.shape
        f = min(1.0, max_side / max(w, h))
        if f < 1.0:
            gray = cv2.resize(gray, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA)
        return np.ascontiguousarray(gray), f
    im = image if image.mode == "L" else image.convert("L")
    f = min(1.0, max_side / max(im.size))
    if f < 1.0:
        im = im.resize((max(1, round(im.width * f)), max(1, round(im.height * f))), Image.Resampling.BOX)
    return np.asarray(im), f


def extract_features(
    image: Image.Image | np.ndarray, *, max_side: int = FEATURE_MAX_SIDE, n_features: int = 1500, grid: int = 6
) -> Features:
    """ORB keypoints spread over the frame: detect many, keep the strongest per cell of a grid×grid partition.

    ORB's own top-N by Harris score piles keypoints onto the most textured corner; a crop that cuts that corner away
    would then share few keypoints with the reference. Coordinates are in pixels of `image` as given.
    """
    gray, f = _working_gray(image, max_side)
    h, w = gray.shape
    if min(h, w) < MIN_FEATURE_SIDE:  # ORB's pyramid cannot be built; nothing there to verify with anyway
        return Features(round(w / f), round(h / f), np.zeros((0, 2), np.float32), np.zeros((0, 32), np.uint8))
    kps = _orb(n_features * 3).detect(gray, None)
    if kps:
        kps = _spread(kps, w, h, n_features, grid)
    kps, desc = _orb(n_features).compute(gray, kps)
    if desc is None or not kps:
        return Features(round(w / f), round(h / f), np.zeros((0, 2), np.float32), np.zeros((0, 32), np.uint8))
    pts = np.array([kp.pt for kp in kps], dtype=np.float32) / f
    sizes = np.array([kp.size for kp in kps], dtype=np.float32) / f
    return Features(round(w / f), round(h / f), pts, np.ascontiguousarray(desc, dtype=np.uint8), sizes)


def _spread(kps: Sequence[cv2.KeyPoint], w: int, h: int, n: int, grid: int) -> list[cv2.KeyPoint]:
    cells: dict[tuple[int, int], list[cv2.KeyPoint]] = {}
    for kp in kps:
        key = (min(grid - 1, int(kp.pt[0] * grid / w)), min(grid - 1, int(kp.pt[1] * grid / h)))
        cells.setdefault(key, []).append(kp)
    per_cell = max(1, n // (grid * grid))
    kept: list[cv2.KeyPoint] = []
    rest: list[cv2.KeyPoint] = []
    for bucket in cells.values():
        bucket.sort(key=lambda k: -k.response)
        kept.extend(bucket[:per_cell])
        rest.extend(bucket[per_cell:])
    if len(kept) < n:  # cells without texture leave room: fill with the strongest of the rest
        rest.sort(key=lambda k: -k.response)
        kept.extend(rest[: n - len(kept)])
    return kept


# ------------------------------------------------------------------------------------------------- storage


def serialize_features(features: Features) -> bytes:
    """Compact bytes for storage: header, float16-free float32 points/sizes, raw descriptors (≈ 44 B per keypoint)."""
    n = len(features)
    header = struct.pack("<4sIII", _MAGIC, features.width, features.height, n)
    return b"".join(
        [
            header,
            np.ascontiguousarray(features.points, dtype="<f4").tobytes(),
            np.ascontiguousarray(features.sizes if len(features.sizes) == n else np.zeros(n), dtype="<f4").tobytes(),
            np.ascontiguousarray(features.descriptors, dtype=np.uint8).tobytes(),
        ]
    )


def deserialize_features(data: bytes) -> Features:
    if len(data) < 16 or data[:4] != _MAGIC:
        raise ValueError("not a serialised feature set")
    _, width, height, n = struct.unpack_from("<4sIII", data, 0)
    expected = 16 + n * 8 + n * 4 + n * 32
    if len(data) != expected:
        raise ValueError(f"feature blob has {len(data)} bytes, expected {expected}")
    off = 16
    pts = np.frombuffer(data, dtype="<f4", count=n * 2, offset=off).reshape(n, 2).astype(np.float32)
    off += n * 8
    sizes = np.frombuffer(data, dtype="<f4", count=n, offset=off).astype(np.float32)
    off += n * 4
    desc = np.frombuffer(data, dtype=np.uint8, count=n * 32, offset=off).reshape(n, 32).copy()
    return Features(width, height, pts, desc, sizes)


# ------------------------------------------------------------------------------------------------- verification

_MATCHER = cv2.BFMatcher(cv2.NORM_HAMMING)


def _fail(reason: str, matches: int = 0, inliers: int = 0, ratio: float = 0.0, coverage: float = 0.0) -> Verification:
    return Verification(False, inliers, matches, ratio, coverage, reason)


def verify(query: Features, reference: Features, params: VerifyParams | None = None) -> Verification:
    """Geometric verification of `reference` inside `query`."""
    p = params or VerifyParams()
    if len(query) < 8 or len(reference) < 8:
        return _fail("too few keypoints")
    knn = _MATCHER.knnMatch(query.descriptors, reference.descriptors, k=2)
    good = [m[0] for m in knn if len(m) == 2 and m[0].distance < p.ratio * m[1].distance]
    if len(good) < max(8, p.min_inliers):
        return _fail("too few correspondences", len(good))
    q_pts = query.points[[m.queryIdx for m in good]]
    r_pts = reference.points[[m.trainIdx for m in good]]
    thr = p.ransac_threshold * max(query.width, query.height)
    # Affine (6 dof), not a full homography: reposts are scaled, cropped, turned and stretched, not photographed at an
    # angle, and two fewer degrees of freedom leave chance correspondences less room to agree.
    A, mask = cv2.estimateAffine2D(r_pts, q_pts, method=cv2.RANSAC, ransacReprojThreshold=thr, maxIters=2000, confidence=0.999)
    H = None if A is None else np.vstack([A, [0.0, 0.0, 1.0]])
    if H is None or mask is None:
        return _fail("no consistent geometry", len(good))
    inl = mask.ravel().astype(bool)
    n_in = int(inl.sum())
    ratio = n_in / len(good)
    if n_in < p.min_inliers:
        return _fail("too few inliers", len(good), n_in, ratio)
    why = _implausible(H, reference.width, reference.height, p)
    if why:
        return _fail(why, len(good), n_in, ratio)
    ref_in = r_pts[inl]
    coverage = _hull_area(ref_in) / max(1.0, _hull_area(reference.points))
    if ratio < p.min_inlier_ratio:
        return _fail("low inlier ratio", len(good), n_in, ratio, coverage)
    if coverage < p.min_reference_coverage:
        return _fail("inliers cover too little of the reference", len(good), n_in, ratio, coverage)
    q_box = _projected_box(H, reference.width, reference.height, query.width, query.height)
    try:
        H_inv = np.linalg.inv(H)
    except np.linalg.LinAlgError:
        return _fail("singular geometry", len(good), n_in, ratio, coverage)
    r_box = _projected_box(H_inv, query.width, query.height, reference.width, reference.height)
    if q_box is None or r_box is None:
        return _fail("projected frame outside the picture", len(good), n_in, ratio, coverage)
    support, support_ratio = _support(H, query, reference, p)
    if support < p.min_support or support_ratio < p.min_support_ratio:
        return Verification(
            False,
            n_in,
            len(good),
            ratio,
            coverage,
            f"the geometry is not confirmed where it predicts keypoints ({support} found, {support_ratio:.0%})",
            H,
            q_box,
            r_box,
            support,
            support_ratio,
        )
    return Verification(True, n_in, len(good), ratio, coverage, "ok", H, q_box, r_box, support, support_ratio)


def _support(H: np.ndarray, query: Features, reference: Features, p: VerifyParams) -> tuple[int, float]:
    """Guided matching: project every reference keypoint through the geometry and count those with a query
    keypoint nearby whose descriptor is close. A chance alignment of a few dozen ratio-test survivors predicts
    keypoints that are not there; a real copy confirms many more than RANSAC itself used."""
    proj = cv2.perspectiveTransform(reference.points.reshape(-1, 1, 2).astype(np.float32), H).reshape(-1, 2)
    inside = (proj[:, 0] >= 0) & (proj[:, 0] < query.width) & (proj[:, 1] >= 0) & (proj[:, 1] < query.height)
    n_inside = int(inside.sum())
    if n_inside == 0 or len(query) == 0:
        return 0, 0.0
    tree = cKDTree(query.points)
    radius = p.support_radius * max(query.width, query.height)
    k = min(4, len(query))
    _, idx = tree.query(proj[inside], k=k, distance_upper_bound=radius)
    idx = np.asarray(idx).reshape(n_inside, k)
    found = idx < len(query)
    safe = np.where(found, idx, 0)
    ref_desc = reference.descriptors[inside]
    dist = np.bitwise_count(ref_desc[:, None, :] ^ query.descriptors[safe]).sum(axis=2, dtype=np.int32)
    dist = np.where(found, dist, 10_000)
    support = int((dist.min(axis=1) <= p.support_max_distance).sum())
    return support, support / n_inside


def _implausible(H: np.ndarray, w: int, h: int, p: VerifyParams) -> str:
    if not np.all(np.isfinite(H)) or abs(H[2, 2]) < 1e-12:
        return "degenerate homography"
    H = H / H[2, 2]
    persp = abs(H[2, 0]) * w + abs(H[2, 1]) * h
    if persp > p.max_perspective:
        return "too much perspective"
    A = H[:2, :2]
    det = float(np.linalg.det(A))
    if det <= 0:
        return "reflected or collapsed"  # a mirrored copy is verified against the flipped query instead
    sv = np.linalg.svd(A, compute_uv=False)
    scale = float(np.sqrt(det))
    if not (1.0 / p.max_scale <= scale <= p.max_scale):
        return "implausible scale"
    # Anisotropy from the axis-aligned stretch (what "aspect change" edits do) and the shear between the axes.
    sx, sy = float(np.hypot(A[0, 0], A[1, 0])), float(np.hypot(A[0, 1], A[1, 1]))
    if max(sx, sy) / max(1e-9, min(sx, sy)) > p.max_anisotropy or sv[0] / max(1e-9, sv[1]) > p.max_anisotropy * 1.2:
        return "implausible stretch"
    cos_angle = float(np.dot(A[:, 0], A[:, 1]) / max(1e-9, sx * sy))
    if abs(90.0 - np.degrees(np.arccos(np.clip(cos_angle, -1, 1)))) > p.max_shear_deg:
        return "implausible shear"
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32).reshape(-1, 1, 2)
    quad = cv2.perspectiveTransform(corners, H).reshape(-1, 2)
    if not _convex(quad):
        return "projected frame not convex"
    return ""


def _convex(quad: np.ndarray) -> bool:
    signs = []
    for i in range(4):
        a, b, c = quad[i], quad[(i + 1) % 4], quad[(i + 2) % 4]
        signs.append(np.sign((b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0])))
    return all(s > 0 for s in signs) or all(s < 0 for s in signs)


def _hull_area(pts: np.ndarray) -> float:
    if len(pts) < 3:
        return 0.0
    return float(cv2.contourArea(cv2.convexHull(pts.reshape(-1, 1, 2).astype(np.float32))))


def _projected_box(H: np.ndarray, w: int, h: int, out_w: int, out_h: int) -> tuple[float, float, float, float] | None:
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32).reshape(-1, 1, 2)
    quad = cv2.perspectiveTransform(corners, H).reshape(-1, 2)
    x0 = float(np.clip(quad[:, 0].min(), 0, out_w))
    x1 = float(np.clip(quad[:, 0].max(), 0, out_w))
    y0 = float(np.clip(quad[:, 1].min(), 0, out_h))
    y1 = float(np.clip(quad[:, 1].max(), 0, out_h))
    if x1 - x0 < 1 or y1 - y0 < 1:
        return None
    return (x0 / out_w, y0 / out_h, (x1 - x0) / out_w, (y1 - y0) / out_h)
