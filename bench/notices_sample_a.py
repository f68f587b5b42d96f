"""A fresh, blind draw of github/dmca notices to extend the labelled set (bench/notices_labels_a.jsonl).

Seeded and deterministic over a given snapshot of github/dmca (HEAD of the clone passed with --dmca). Candidates:
files under 2012/-2025/, not drawn by bench/notices_sample.py (the first 220), not in the shared notices-excluded.txt (by
sha256, bench/notices_excluded.sha256), not a retraction or reversal by name, and only paths whose sha256 hex has an
**even** second-to-last digit (another labeller draws the odd ones, so the two draws cannot overlap). Groups, one
`random.Random("session3-random")` used in this order:

- `random2`: 4 takedowns per year 2012-2025 (`sample` per year in order); takedowns are files whose name contains
  neither `counternotice` nor `counter-notice` (case-insensitive);
- `counter2`: 10 files whose name contains `counternotice` or `counter-notice` (case-insensitive).

A drawn file found on reading not to be a notice (listed in NOT_NOTICES with the reason) is replaced by
`random.Random("replace-" + path).choice` from the same pool (same year for `random2`), never a path already drawn;
the replacement is printed with group `<group>-replacement`.

Run: python bench/notices_sample_a.py --dmca /path/to/github-dmca   (prints "group path" lines)
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

import notice_labels as nl  # noqa: E402
import notices_sample  # noqa: E402

# Drawn files that on reading turned out not to be notices (path → why); filled in while labelling.
NOT_NOTICES: dict[str, str] = {}


def even_digit(path: str) -> bool:
    """The paths this draw (and _c.py) may take: the second-to-last hex digit of sha256(path) even."""
    return int(nl.path_hash(path)[-2], 16) % 2 == 0


def draw(root: Path) -> list[tuple[str, str]]:
    labelled = {p for p, _ in notices_sample.draw(root)}
    ok = notices_sample.candidates(root, labelled, keep=even_digit)
    take = [p for p in ok if not notices_sample.is_counter(p)]
    counters = [p for p in ok if notices_sample.is_counter(p)]
    rng = random.Random("session3-random")
    pools: dict[str, list[str]] = {}
    out: list[tuple[str, str]] = []
    for y in range(2012, 2026):
        year = [q for q in take if q[:5] == f"{y}/"]
        out += [(p, "random2") for p in rng.sample(year, 4)]
        pools |= dict.fromkeys(year, year)
    out += [(p, "counter2") for p in rng.sample(counters, 10)]
    pools |= dict.fromkeys(counters, counters)
    return notices_sample.replace_non_notices(out, pools, {p for p, _ in out}, NOT_NOTICES)


def main() -> int:
    return notices_sample.print_draw(draw, __doc__)


if __name__ == "__main__":
    raise SystemExit(main())
