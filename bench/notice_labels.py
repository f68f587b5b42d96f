"""The labelled github/dmca notices (bench/notices_labels.jsonl): loading, validation, the split rule and scoring.

Pure and dependency-free beyond `ipclaims.legal` (the element codes), so the labels file can be checked without a
clone of github/dmca and without the notice reader (tests/notices/test_labels_file.py). bench/notices.py runs the
reader over the texts and scores it with `score`.

Split rule, fixed before any tuning: the last hex digit of sha256(path) 0-7 → `tune`, 8-f → `held`.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ipclaims.legal import counter_element_codes, element_codes

HERE = Path(__file__).resolve().parent
LABELS = HERE / "notices_labels.jsonl"
# The second set, drawn and labelled blind on 2026-12-06 (bench/notices_sample_{a,b,c}.py), its held part never read
# by anyone tuning the reader before it was scored.
LABELS_2 = HERE / "notices_labels_2.jsonl"
# The third set, held part only, drawn and labelled blind on 2026-12-06 (bench/notices_sample_d.py): no one had read
# the reader's output on any of its notices when it was labelled.
LABELS_3 = HERE / "notices_labels_3.jsonl"
# The fourth set, held part only, drawn and labelled blind on 2026-12-06 (bench/notices_sample_e.py) after the
# held parts of the first three had been read while tuning: from then on the only held-apart figure.
LABELS_4 = HERE / "notices_labels_4.jsonl"
LABELS_5 = HERE / "notices_labels_5.jsonl"
# The sixth set, held part only, drawn and labelled blind on 2026-12-06 (bench/notices_sample_g.py).
LABELS_6 = HERE / "notices_labels_6.jsonl"
# The seventh set, held part only, drawn and labelled blind on 2026-12-06 (bench/notices_sample_h.py).
LABELS_7 = HERE / "notices_labels_7.jsonl"
# The eighth to twelfth sets, held part only, drawn and labelled blind on 2026-12-06 (bench/notices_sample_late.py):
# set 8 alone, sets 9 and 10 together, sets 11 and 12 together.
LABELS_8 = HERE / "notices_labels_8.jsonl"
LABELS_9 = HERE / "notices_labels_9.jsonl"
LABELS_10 = HERE / "notices_labels_10.jsonl"
LABELS_11 = HERE / "notices_labels_11.jsonl"
LABELS_12 = HERE / "notices_labels_12.jsonl"
LABELS_13 = HERE / "notices_labels_13.jsonl"
LABELS_14 = HERE / "notices_labels_14.jsonl"
LABELS_15 = HERE / "notices_labels_15.jsonl"
LABELS_16 = HERE / "notices_labels_16.jsonl"
LABELS_17 = HERE / "notices_labels_17.jsonl"
LABELS_18 = HERE / "notices_labels_18.jsonl"
# The nineteenth and twentieth, drawn together in the eighth session (2026-12-06).
LABELS_19 = HERE / "notices_labels_19.jsonl"
LABELS_20 = HERE / "notices_labels_20.jsonl"
# The twenty-first and twenty-second, drawn together after sets 19 and 20 were read (the same session).
LABELS_21 = HERE / "notices_labels_21.jsonl"
LABELS_22 = HERE / "notices_labels_22.jsonl"
# The twenty-third and twenty-fourth, drawn together after sets 21 and 22 were read, for the session's final reader.
LABELS_23 = HERE / "notices_labels_23.jsonl"
LABELS_24 = HERE / "notices_labels_24.jsonl"
# The twenty-fifth and twenty-sixth, drawn together in the ninth session (2026-12-07), read by the eighth's final reader.
LABELS_25 = HERE / "notices_labels_25.jsonl"
LABELS_26 = HERE / "notices_labels_26.jsonl"
# The twenty-seventh and twenty-eighth, drawn together before sets 25 and 26 were read (the same session).
LABELS_27 = HERE / "notices_labels_27.jsonl"
LABELS_28 = HERE / "notices_labels_28.jsonl"
# The twenty-ninth and thirtieth, drawn together after sets 27 and 28 were read, for the session's final reader.
LABELS_29 = HERE / "notices_labels_29.jsonl"
LABELS_30 = HERE / "notices_labels_30.jsonl"
# From the thirty-first on, the late shape (bench/notices_sample_late.late_shaped: 2016-2025 takedowns and free-form
# letters): 31 and 32 drawn together and read by the reader before the tenth session's rules, 33-36 drawn together
# after that and read once by the round-11 reader.
LABELS_31 = HERE / "notices_labels_31.jsonl"
LABELS_32 = HERE / "notices_labels_32.jsonl"
LABELS_33 = HERE / "notices_labels_33.jsonl"
LABELS_34 = HERE / "notices_labels_34.jsonl"
LABELS_35 = HERE / "notices_labels_35.jsonl"
LABELS_36 = HERE / "notices_labels_36.jsonl"
LABELS_37 = HERE / "notices_labels_37.jsonl"
LABELS_38 = HERE / "notices_labels_38.jsonl"
LABELS_39 = HERE / "notices_labels_39.jsonl"
LABELS_40 = HERE / "notices_labels_40.jsonl"
LABELS_41 = HERE / "notices_labels_41.jsonl"
LABELS_42 = HERE / "notices_labels_42.jsonl"
LABELS_43 = HERE / "notices_labels_43.jsonl"
LABELS_44 = HERE / "notices_labels_44.jsonl"
LABELS_45 = HERE / "notices_labels_45.jsonl"
LABELS_46 = HERE / "notices_labels_46.jsonl"
LABELS_47 = HERE / "notices_labels_47.jsonl"
LABELS_48 = HERE / "notices_labels_48.jsonl"
LABELS_49 = HERE / "notices_labels_49.jsonl"
LABELS_50 = HERE / "notices_labels_50.jsonl"
# Training rows for a model of work_identification (bench/notices_sample_train.py): tune-split notices drawn half by
# that model's doubt, half at random, labelled once each, blind (2026-12-07, twelfth session). Never a held figure.
LABELS_TRAIN_1 = HERE / "notices_labels_train1.jsonl"
LABELS_TRAIN_2 = HERE / "notices_labels_train2.jsonl"
LABEL_FILES = (
    LABELS,
    LABELS_2,
    LABELS_3,
    LABELS_4,
    LABELS_5,
    LABELS_6,
    LABELS_7,
    LABELS_8,
    LABELS_9,
    LABELS_10,
    LABELS_11,
    LABELS_12,
    LABELS_13,
    LABELS_14,
    LABELS_15,
    LABELS_16,
    LABELS_17,
    LABELS_18,
    LABELS_19,
    LABELS_20,
    LABELS_21,
    LABELS_22,
    LABELS_23,
    LABELS_24,
    LABELS_25,
    LABELS_26,
    LABELS_27,
    LABELS_28,
    LABELS_29,
    LABELS_30,
    LABELS_31,
    LABELS_32,
    LABELS_33,
    LABELS_34,
    LABELS_35,
    LABELS_36,
    LABELS_37,
    LABELS_38,
    LABELS_39,
    LABELS_40,
    LABELS_41,
    LABELS_42,
    LABELS_43,
    LABELS_44,
    LABELS_45,
    LABELS_46,
    LABELS_47,
    LABELS_48,
    LABELS_49,
    LABELS_50,
    LABELS_TRAIN_1,
    LABELS_TRAIN_2,
)
# sha256 of every path in the shared notices-excluded.txt (the paths themselves stay outside the repository).
EXCLUDED_HASHES = HERE / "notices_excluded.sha256"
SHARED_EXCLUDED = Path("/work/shared/notices-excluded.txt")

REGIME = "US_DMCA"
KINDS = ("claim", "counter_notice")
STATUSES = ("present", "missing", "deficient")
SPLITS = ("tune", "held")
MAX_NOTE_CHARS = 240


def codes_for(kind: str) -> tuple[str, ...]:
    return counter_element_codes(REGIME) if kind == "counter_notice" else element_codes(REGIME)


def split_of(path: str) -> str:
    """The fixed rule: last hex digit of sha256(path) below 8 → tune, else held."""
    return "tune" if int(hashlib.sha256(path.encode("utf-8")).hexdigest()[-1], 16) < 8 else "held"


def path_hash(path: str) -> str:
    return hashlib.sha256(path.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Labelled:
    path: str
    kind: str
    split: str
    labels: Mapping[str, str]
    notes: Mapping[str, str]


def load(path: Path = LABELS) -> list[Labelled]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        obj = json.loads(line)
        rows.append(Labelled(obj["path"], obj["kind"], obj["split"], obj["labels"], obj.get("notes", {})))
    return rows


def excluded_hashes(hash_file: Path = EXCLUDED_HASHES) -> set[str]:
    return {ln.strip() for ln in hash_file.read_text(encoding="ascii").splitlines() if ln.strip()}


def check_lines(lines: Iterable[str], excluded: set[str]) -> list[str]:
    """Every problem in a labels file's lines (empty when it is valid); `excluded` holds sha256 of excluded paths."""
    problems: list[str] = []
    seen: set[str] = set()
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"line {n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{where}: not JSON ({exc.msg})")
            continue
        if not isinstance(obj, dict):
            problems.append(f"{where}: not a JSON object")
            continue
        extra = set(obj) - {"path", "kind", "regime", "split", "labels", "notes"}
        if extra:
            problems.append(f"{where}: unexpected keys {sorted(extra)}")
        path = obj.get("path")
        if not isinstance(path, str) or not path or path.startswith("/") or ".." in path.split("/"):
            problems.append(f"{where}: bad path {path!r}")
            continue
        where = f"line {n} ({path})"
        if path in seen:
            problems.append(f"{where}: duplicate path")
        seen.add(path)
        if path_hash(path) in excluded:
            problems.append(f"{where}: path is in notices-excluded.txt")
        kind = obj.get("kind")
        if kind not in KINDS:
            problems.append(f"{where}: kind {kind!r} not one of {KINDS}")
            continue
        if obj.get("regime") != REGIME:
            problems.append(f"{where}: regime {obj.get('regime')!r} is not {REGIME}")
        if obj.get("split") != split_of(path):
            problems.append(f"{where}: split {obj.get('split')!r} but the rule gives {split_of(path)!r}")
        labels = obj.get("labels")
        codes = codes_for(kind)
        if not isinstance(labels, dict) or set(labels) != set(codes):
            got = sorted(labels) if isinstance(labels, dict) else labels
            problems.append(f"{where}: labels must be exactly {list(codes)} for a {kind}, got {got}")
        else:
            for code, status in labels.items():
                if status not in STATUSES:
                    problems.append(f"{where}: {code} status {status!r} not one of {STATUSES}")
        notes = obj.get("notes", {})
        if not isinstance(notes, dict):
            problems.append(f"{where}: notes must be an object")
            continue
        for code, why in notes.items():
            if code not in codes:
                problems.append(f"{where}: note for unknown code {code!r}")
            if not isinstance(why, str) or not why.strip() or len(why) > MAX_NOTE_CHARS:
                problems.append(f"{where}: note for {code} must be one short line")
    return problems


def check(path: Path = LABELS, hash_file: Path = EXCLUDED_HASHES) -> list[str]:
    problems = check_lines(path.read_text(encoding="utf-8").splitlines(), excluded_hashes(hash_file))
    if SHARED_EXCLUDED.is_file():
        shared = {path_hash(p.strip()) for p in SHARED_EXCLUDED.read_text(encoding="utf-8").splitlines() if p.strip()}
        if shared != excluded_hashes(hash_file):
            problems.append(f"{hash_file.name} does not match {SHARED_EXCLUDED}")
    return problems


# ------------------------------------------------------------------------------------------------ scoring


@dataclass
class Score:
    """Agreement of a reader with the labels over one split."""

    notices: int = 0
    elements: int = 0
    agreed: int = 0
    gaps: int = 0  # labels missing or deficient
    gaps_caught: int = 0  # of those, read with exactly the labelled status
    present: int = 0
    false_alarms: int = 0  # labelled present, read otherwise
    confusion: dict[str, Counter[tuple[str, str]]] = field(default_factory=dict)
    disagreements: list[tuple[str, str, str, str]] = field(default_factory=list)

    @property
    def agreement(self) -> float:
        return 100.0 * self.agreed / self.elements if self.elements else 0.0

    @property
    def caught(self) -> float:
        return 100.0 * self.gaps_caught / self.gaps if self.gaps else 0.0

    @property
    def baseline_agreement(self) -> float:
        """An all-`present` reader: agrees exactly on the present labels, catches nothing."""
        return 100.0 * self.present / self.elements if self.elements else 0.0


def score(rows: Sequence[Labelled], readings: Mapping[str, Mapping[str, str]]) -> Score:
    """`readings`: path → {code: status} from the reader; a code it did not judge counts as `absent`."""
    s = Score()
    for row in rows:
        s.notices += 1
        read = readings.get(row.path, {})
        for code in codes_for(row.kind):
            label = row.labels[code]
            got = read.get(code, "absent")
            s.elements += 1
            s.confusion.setdefault(code, Counter())[(label, got)] += 1
            if label == "present":
                s.present += 1
                if got != "present":
                    s.false_alarms += 1
            else:
                s.gaps += 1
                if got == label:
                    s.gaps_caught += 1
            if got == label:
                s.agreed += 1
            else:
                s.disagreements.append((row.path, code, label, got))
    return s


def status_counts(rows: Iterable[Labelled]) -> Counter[tuple[str, str]]:
    """(split, status) → count of element labels."""
    return Counter((row.split, status) for row in rows for status in row.labels.values())
