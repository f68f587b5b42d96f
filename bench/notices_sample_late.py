"""The eighth to thirtieth blind draws of github/dmca notices, each a fresh held-apart part
(bench/notices_labels_8.jsonl to _30.jsonl), drawn on 2026-12-06 and 2026-12-07 (sets 8-12 in the sixth session, 13-18 in
the seventh, 19-24 in the eighth, 25-30 in the ninth).

Each draw was made after every earlier set's held figure had been read once and its disagreements read (released for
tuning): only a set nobody has read the reader's output on can still give a held-apart figure. Set 8 was drawn alone,
sets 9 and 10 together, then sets 11 and 12, 13 and 14, 15 and 16, 17 and 18, 19 and 20, 21 and 22, 23 and 24, 25 and
26, 27 and 28, 29 and 30 together (each pair read once, after both were labelled). Every draw has
the shape of the fourth to seventh (`notices_sample_e.shaped`: 4 takedowns a year 2012-2025 as `random<N>`, 10 counter
notices as `counter<N>`, 24 free-form takedowns as `freeform<N>`), from held paths no earlier draw took and no earlier
labels file holds, none in the shared notices-excluded.txt (by sha256), no retraction or reversal by name; one
`random.Random(seed)` a set (SEEDS). Seeded and deterministic over a given snapshot of github/dmca (HEAD of the clone
passed with --dmca). The held counter notices run out at the seventeenth draw, which takes the one left; the
eighteenth and later have none. The held takedowns of the early years run out at the twenty-eighth: it and later draws
take what a year has left (69 and 68 notices, not 72).

From the thirty-first draw (2026-12-07, tenth session) the shape is `late_shaped`: the early years and the counter
notices are spent, so each set is 5 takedowns a year 2016-2025 (`random<N>`) and 24 free-form takedowns
(`freeform<N>`, any year 2012-2025), from held paths no earlier draw took (the thirtieth's `earlier` and its draw and
labels, then each later set's), one `random.Random(seed)` a set. Sets 37 and 38 (eleventh session) were drawn in this
shape before any of that session's rules. Sets 39-44 (twelfth session) and 45-46 (thirteenth, seeds `session16-held`
and `-b`, drawn before the session changed anything) likewise, 47-48 (fourteenth, `session17-held`, `-b`) and
49-50 (fifteenth, `session18-held`, `-b`).

A drawn file found on reading not to be a notice is listed in DROPPED and left out of the labels, not replaced: the
set drawn with it (or after it) was drawn from what this one left, and a replacement would change that draw after it
was labelled.

Run: python bench/notices_sample_late.py --dmca /path/to/github-dmca --set N   (N = 8..50; prints "group path" lines)
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

import notice_labels as nl  # noqa: E402
import notices_sample  # noqa: E402
import notices_sample_e  # noqa: E402
import notices_sample_h  # noqa: E402

SEEDS = {
    8: "session9-held",
    9: "session9-held-b",
    10: "session9-held-c",
    11: "session9-held-d",
    12: "session9-held-e",
    13: "session10-held",
    14: "session10-held-b",
    15: "session10-held-c",
    16: "session10-held-d",
    17: "session10-held-e",
    18: "session10-held-f",
    19: "session11-held",
    20: "session11-held-b",
    21: "session11-held-c",
    22: "session11-held-d",
    23: "session11-held-e",
    24: "session11-held-f",
    25: "session12-held",
    26: "session12-held-b",
    27: "session12-held-c",
    28: "session12-held-d",
    29: "session12-held-e",
    30: "session12-held-f",
    31: "session13-held",
    32: "session13-held-b",
    33: "session13-held-c",
    34: "session13-held-d",
    35: "session13-held-e",
    36: "session13-held-f",
    37: "session14-held",
    38: "session14-held-b",
    39: "session15-held",
    40: "session15-held-b",
    41: "session15-held-c",
    42: "session15-held-d",
    43: "session15-held-e",
    44: "session15-held-f",
    45: "session16-held",
    46: "session16-held-b",
    47: "session17-held",
    48: "session17-held-b",
    49: "session18-held",
    50: "session18-held-b",
}
FIRST_LATE = 31
LATE_PER_YEAR = 5
LABEL_FILES = {
    8: nl.LABELS_8,
    9: nl.LABELS_9,
    10: nl.LABELS_10,
    11: nl.LABELS_11,
    12: nl.LABELS_12,
    13: nl.LABELS_13,
    14: nl.LABELS_14,
    15: nl.LABELS_15,
    16: nl.LABELS_16,
    17: nl.LABELS_17,
    18: nl.LABELS_18,
    19: nl.LABELS_19,
    20: nl.LABELS_20,
    21: nl.LABELS_21,
    22: nl.LABELS_22,
    23: nl.LABELS_23,
    24: nl.LABELS_24,
    25: nl.LABELS_25,
    26: nl.LABELS_26,
    27: nl.LABELS_27,
    28: nl.LABELS_28,
    29: nl.LABELS_29,
    30: nl.LABELS_30,
    31: nl.LABELS_31,
    32: nl.LABELS_32,
    33: nl.LABELS_33,
    34: nl.LABELS_34,
    35: nl.LABELS_35,
    36: nl.LABELS_36,
    37: nl.LABELS_37,
    38: nl.LABELS_38,
    39: nl.LABELS_39,
    40: nl.LABELS_40,
    41: nl.LABELS_41,
    42: nl.LABELS_42,
    43: nl.LABELS_43,
    44: nl.LABELS_44,
    45: nl.LABELS_45,
    46: nl.LABELS_46,
    47: nl.LABELS_47,
    48: nl.LABELS_48,
    49: nl.LABELS_49,
    50: nl.LABELS_50,
}
# Drawn, found on reading not to be a notice, and dropped (path → why).
DROPPED: dict[int, dict[str, str]] = {
    9: {"2020/09/2020-09-04-acanio-noticeoflegalaction.md": "the platform's note that a lawsuit followed a counter notice"}
}


def earlier(root: Path, n: int, _memo: dict[tuple[Path, int], set[str]] | None = None) -> set[str]:
    """Every path an earlier draw took or an earlier labels file holds, as when set `n` was drawn (sets 1 to n-1)."""
    memo = {} if _memo is None else _memo
    if (root, n) not in memo:
        if n == min(SEEDS):
            seen = notices_sample_e.after(
                root, notices_sample_h.earlier(root), "session7-held-b", "7", notices_sample_h.NOT_NOTICES, nl.LABELS_7
            )
        else:
            # the earlier set's labels file may not exist yet: set 10 (12) was drawn before set 9 (11) was labelled
            labels = LABEL_FILES[n - 1]
            before = earlier(root, n - 1, memo)
            drawn = {p for p, _ in notices_sample_e.shaped(root, before, SEEDS[n - 1], str(n - 1), {})}
            seen = before | drawn | ({row.path for row in nl.load(labels)} if labels.exists() else set())
        memo[(root, n)] = seen
    return memo[(root, n)]


def late_shaped(root: Path, seen: set[str], seed: str, suffix: str) -> list[tuple[str, str]]:
    """The shape from the thirty-first draw: `random<suffix>` 5 held takedowns a year 2016-2025, then
    `freeform<suffix>` 24 free-form held takedowns of any year, from paths not in `seen`."""
    ok = notices_sample.candidates(root, seen, keep=lambda p: nl.split_of(p) == "held")
    take = [p for p in ok if not notices_sample.is_counter(p)]
    rng = random.Random(seed)
    drawn = notices_sample.Draw()
    for y in range(2016, 2026):
        pool = [q for q in take if q[:5] == f"{y}/"]
        drawn.add(f"random{suffix}", rng.sample(pool, min(LATE_PER_YEAR, len(pool))), pool)
    rest = [q for q in take if q not in drawn.used]
    texts = notices_sample._texts(root, rest)
    free = [q for q in rest if texts[q].strip() and not notices_sample.FORM.search(texts[q])]
    drawn.add(f"freeform{suffix}", rng.sample(free, 24), free)
    return drawn.final({})


def earlier_late(root: Path, n: int, _memo: dict[tuple[Path, int], set[str]] | None = None) -> set[str]:
    """As `earlier`, for the late shape's sets (31 on)."""
    memo = {} if _memo is None else _memo
    if (root, n) not in memo:
        labels = LABEL_FILES[n - 1]
        if n - 1 < FIRST_LATE:
            before = earlier(root, n - 1)
            drawn = {p for p, _ in notices_sample_e.shaped(root, before, SEEDS[n - 1], str(n - 1), {})}
        else:
            before = earlier_late(root, n - 1, memo)
            drawn = {p for p, _ in late_shaped(root, before, SEEDS[n - 1], str(n - 1))}
        memo[(root, n)] = before | drawn | ({row.path for row in nl.load(labels)} if labels.exists() else set())
    return memo[(root, n)]


def draw(root: Path, n: int) -> list[tuple[str, str]]:
    if n >= FIRST_LATE:
        return late_shaped(root, earlier_late(root, n), SEEDS[n], str(n))
    return notices_sample_e.shaped(root, earlier(root, n), SEEDS[n], str(n), {})


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dmca", type=Path, required=True, help="bare clone of github/dmca (or a checkout's .git)")
    ap.add_argument("--set", type=int, required=True, choices=sorted(SEEDS))
    args = ap.parse_args()
    for path, group in draw(args.dmca, args.set):
        print(group, path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
