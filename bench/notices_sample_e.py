"""A fourth, blind draw of github/dmca notices, for a fresh held-apart part (bench/notices_labels_4.jsonl).

Drawn on 2026-12-06 after the first three sets' held parts had all been read: every earlier held figure had been
seen, so only this set can still give a held-apart figure. Seeded and deterministic over a given snapshot of
github/dmca (HEAD of the clone passed with --dmca). Candidates: files under 2012/-2025/, not drawn by any earlier
draw script (bench/notices_sample.py, _a.py to _d.py), not in any earlier labels file, not in the shared
notices-excluded.txt (by sha256, bench/notices_excluded.sha256), not a retraction or reversal by name, and only paths
the split rule puts in `held`. Groups, one `random.Random("session5-held")` used in this order:

- `random4`: 4 takedowns per year 2012-2025 (`sample` per year in order; fewer when the year has fewer left);
  takedowns are files whose name contains neither `counternotice` nor `counter-notice` (case-insensitive);
- `counter4`: 10 counter notices (name contains `counternotice` or `counter-notice`, any case), whatever the form;
- `freeform4`: 24 free-form takedowns 2012-2025 (no web-form question, FORM of bench/notices_sample.py), not drawn
  above — a purposive group: nearly every notice with a gap is a free-form letter (bench/notices_labels.md).

A drawn file found on reading not to be a notice (listed in NOT_NOTICES with the reason) is replaced by
`random.Random("replace-" + path).choice` from the same pool (same year for `random4`), never a path already drawn;
the replacement is printed with group `<group>-replacement`.

Run: python bench/notices_sample_e.py --dmca /path/to/github-dmca   (prints "group path" lines)
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

import notice_labels as nl  # noqa: E402
import notices_sample  # noqa: E402
import notices_sample_d  # noqa: E402
from notices_sample import FORM, _texts  # noqa: E402

# Drawn files that on reading turned out not to be notices (path → why); filled in while labelling.
NOT_NOTICES: dict[str, str] = {}
PER_YEAR = 4


def earlier(root: Path) -> set[str]:
    """Every path an earlier draw took or an earlier labels file holds."""
    seen = notices_sample_d.earlier(root)
    seen |= {p for p, _ in notices_sample_d.draw(root)}
    # the labels files that existed when this draw was made (not this set's own, nor later ones: the draw must not
    # exclude what it drew)
    seen |= {row.path for f in (nl.LABELS, nl.LABELS_2, nl.LABELS_3) for row in nl.load(f)}
    return seen


def draw(root: Path) -> list[tuple[str, str]]:
    return shaped(root, earlier(root), "session5-held", "4", NOT_NOTICES)


def after(root: Path, seen: set[str], seed: str, suffix: str, not_notices: dict[str, str], labels: Path) -> set[str]:
    """What the next draw excludes: `seen`, the paths this shape drew from it with `seed`, and what their labels file
    holds (the sixth and seventh draws, bench/notices_sample_g.py and _h.py, each exclude the draw before them so)."""
    drawn = {p for p, _ in shaped(root, seen, seed, suffix, not_notices)}
    return seen | drawn | {row.path for row in nl.load(labels)}


def shaped(root: Path, seen: set[str], seed: str, suffix: str, not_notices: dict[str, str]) -> list[tuple[str, str]]:
    """This draw's shape (also the fifth's, bench/notices_sample_f.py): `random<suffix>`, `counter<suffix>` and
    `freeform<suffix>` from held paths not in `seen`, one `random.Random(seed)` used in that order."""
    ok = notices_sample.candidates(root, seen, keep=lambda p: nl.split_of(p) == "held")
    take = [p for p in ok if not notices_sample.is_counter(p)]
    counters = [p for p in ok if notices_sample.is_counter(p)]
    rng = random.Random(seed)
    drawn = notices_sample.Draw()
    for y in range(2012, 2026):
        pool = [q for q in take if q[:5] == f"{y}/"]
        drawn.add(f"random{suffix}", rng.sample(pool, min(PER_YEAR, len(pool))), pool)
    # the held counter notices run out by the seventeenth draw: it takes what is left (earlier draws had ten or more)
    drawn.add(f"counter{suffix}", rng.sample(counters, min(10, len(counters))), counters)
    rest = [q for q in take if q not in drawn.used]
    texts = _texts(root, rest)
    free = [q for q in rest if texts[q].strip() and not FORM.search(texts[q])]
    drawn.add(f"freeform{suffix}", rng.sample(free, 24), free)
    return drawn.final(not_notices)


def main() -> int:
    return notices_sample.print_draw(draw, __doc__)


if __name__ == "__main__":
    raise SystemExit(main())
