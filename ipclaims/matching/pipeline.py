"""What is computed per image and how a candidate is judged (pure: no database, no HTTP).

A reference keeps its hashes (whole, trimmed, region grid), its local features and a grey thumbnail. A query keeps
its hashes and its local features, and those of its mirror image, computed only when needed. The verdict:

- `match`: local features agree on one plausible geometry, confirmed where it predicts more keypoints
  (`verify.verify`), or — for a picture with too few corners — a dense alignment seeded by the hash pair agrees in
  pixels and edges (`dense.dense_verify`). This is what a specialist may stake a takedown on, so hash similarity
  alone never gives it;
- `possible`: neither confirms, but the perceptual hashes are close — worth a human look;
- `none`: neither.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

import numpy as np
from PIL import Image, ImageOps

from ipclaims.matching import dense, hashing, verify
from ipclaims.matching.dense import DenseParams
from ipclaims.matching.hashing import Box, HashRecord
from ipclaims.matching.verify import Features, Verification, VerifyParams

__all__ = [
    "CANDIDATE_RADIUS",
    "HASH_VERSION",
    "POSSIBLE_FRACTION",
    "Evidence",
    "Judgement",
    "QuerySignature",
    "ReferenceSignature",
    "judge",
    "query_signature",
    "reference_signature",
]

# Bump when hashes or features change: the worker re-indexes every image stored under an older version.
HASH_VERSION: Final = 2  # 2: flat regions are no longer hashed

# Index look-up radius per hash kind: loose on purpose, since verification decides. On the tune split no confirmed
# copy's best hash pair was more than 18 bits of 64 away (99 % within 16); 22 leaves a margin, and a tighter
# radius would lose the crops and screenshots that land 15–20 bits away.
CANDIDATE_RADIUS: Final[dict[str, int]] = {hashing.PHASH: 22, hashing.PDQ: 80}
# Hash distance (fraction of the bits) under which an unverified candidate is still shown as `possible`.
POSSIBLE_FRACTION: Final = 10 / 64
# Hash distance under which dense alignment is tried when local features cannot confirm: the hash pair must already
# be a near alignment for ECC to converge from it.
DENSE_FRACTION: Final = 14 / 64

PARAMS: Final = VerifyParams()
DENSE: Final = DenseParams()


@dataclass(frozen=True, slots=True)
class ReferenceSignature:
    hashes: list[HashRecord]
    features: Features
    thumb: np.ndarray  # grey, long side ≤ dense.THUMB_SIDE


@dataclass(slots=True)
class QuerySignature:
    image: Image.Image
    hashes: list[HashRecord]
    features: Features
    _gray: np.ndarray | None = field(default=None, repr=False)
    _mirrored: Features | None = field(default=None, repr=False)

    @property
    def mirrored(self) -> Features:
        if self._mirrored is None:
            self._mirrored = verify.extract_features(ImageOps.mirror(self.image))
        return self._mirrored

    @property
    def gray(self) -> np.ndarray:
        if self._gray is None:
            self._gray = np.asarray(hashing.working_gray(self.image))
        return self._gray


@dataclass(frozen=True, slots=True)
class Evidence:
    """The hash pair that made a reference a candidate: which box of the query looked like which of its regions."""

    distance: int
    bits: int
    query_box: Box
    reference_box: Box
    mirrored: bool


@dataclass(frozen=True, slots=True)
class Judgement:
    verdict: str
    score: float
    method: str
    inliers: int
    reason: str
    mirrored: bool = False
    region: Box | None = None  # x, y, w, h as fractions of the query


def reference_signature(image: Image.Image) -> ReferenceSignature:
    return ReferenceSignature(hashing.reference_hashes(image), verify.extract_features(image), dense.thumbnail(image))


def query_signature(image: Image.Image) -> QuerySignature:
    return QuerySignature(image, hashing.unique(hashing.query_hashes(image)), verify.extract_features(image))


def judge(
    query: QuerySignature,
    reference: Features,
    thumb: np.ndarray | None,
    evidence: Evidence | None,
    *,
    params: VerifyParams = PARAMS,
    dense_params: DenseParams = DENSE,
) -> Judgement:
    """Local features first (either orientation); then, for a hash-close candidate they cannot confirm, dense
    alignment seeded by the hash pair; then `possible` on hash distance alone."""
    prefer_mirror = evidence is not None and evidence.mirrored
    first = verify.verify(query.mirrored if prefer_mirror else query.features, reference, params)
    result, mirrored = first, prefer_mirror
    # The other orientation costs a second verification; the hash pair says which one is likely (on the tune split
    # it was right for all but 2 of 993 copies), so the other is tried only for a close candidate or a named work.
    if not first.ok and (evidence is None or evidence.distance <= DENSE_FRACTION * evidence.bits):
        second = verify.verify(query.features if prefer_mirror else query.mirrored, reference, params)
        if second.ok or second.inliers > first.inliers:
            result, mirrored = second, not prefer_mirror
    if result.ok:
        return Judgement(
            "match",
            _match_score(result),
            "orb-ransac" + ("-mirrored" if mirrored else ""),
            result.inliers,
            "local features agree on one geometry",
            mirrored,
            _unmirror(result.query_box) if mirrored else result.query_box,
        )
    if evidence is None:
        return Judgement("none", round(min(0.25, 0.01 * result.inliers), 3), "orb-ransac", result.inliers, result.reason)
    close = evidence.distance <= DENSE_FRACTION * evidence.bits
    if close and thumb is not None:
        d = dense.dense_verify(
            query.gray, thumb, evidence.query_box, evidence.reference_box, mirrored=evidence.mirrored, params=dense_params
        )
        if d.ok:
            score = round(0.7 + 0.3 * min(1.0, (d.structure - dense_params.min_structure) / 0.15), 3)
            return Judgement(
                "match",
                score,
                "dense-ecc" + ("-mirrored" if evidence.mirrored else ""),
                result.inliers,
                f"aligned pixels and edges agree (correlations {d.intensity:.2f} and {d.structure:.2f})",
                evidence.mirrored,
                d.query_box,
            )
        why = f"{result.reason}; {d.reason}"
    else:
        why = result.reason
    if evidence.distance <= POSSIBLE_FRACTION * evidence.bits:
        closeness = 1.0 - evidence.distance / (POSSIBLE_FRACTION * evidence.bits)
        return Judgement(
            "possible",
            round(0.3 + 0.35 * closeness, 3),
            "phash" if evidence.bits == 64 else "pdq",
            result.inliers,
            f"perceptual hashes {evidence.distance}/{evidence.bits} bits apart; not confirmed: {why}",
            evidence.mirrored,
            evidence.query_box,
        )
    return Judgement("none", round(min(0.25, 0.01 * result.inliers), 3), "orb-ransac", result.inliers, why)


def _match_score(v: Verification) -> float:
    """0.7 at the acceptance floor, approaching 1 with more agreeing correspondences and more of the reference seen."""
    strength = min(1.0, v.inliers / 120) * 0.6 + min(1.0, v.coverage / 0.6) * 0.4
    return round(0.7 + 0.3 * strength, 3)


def _unmirror(box: Box | None) -> Box | None:
    if box is None:
        return None
    x, y, w, h = box
    return (1.0 - x - w, y, w, h)
