"""A third, blind draw of github/dmca notices, for a fresh held-apart part (bench/notices_labels_3.jsonl).

Seeded and deterministic over a given snapshot of github/dmca (HEAD of the clone passed with --dmca). Candidates:
files under 2012/-2025/, not drawn by bench/notices_sample.py nor by bench/notices_sample_a.py, _b.py or _c.py, not
labelled in bench/notices_labels.jsonl or bench/notices_labels_2.jsonl, not in the shared notices-excluded.txt (by
sha256, bench/notices_excluded.sha256), not a retraction or reversal by name, and only paths that the split rule puts
in `held` (both parities of the second-to-last digit: the earlier draws are excluded by name). Groups, one
`random.Random("session4-held")` used in this order:

- `random3`: 4 takedowns per year 2012-2025 (`sample` per year in order; 2012 and 2013 have few
  candidates left, 12 and 41, so 3 each);
  takedowns are files whose name contains neither `counternotice` nor `counter-notice` (case-insensitive);
- `counter3`: 8 counter notices (name contains `counternotice` or `counter-notice`, any case), whatever the form;
- `freeform3`: 8 free-form takedowns 2012-2025 (no web-form question, FORM of bench/notices_sample.py), not drawn above.

A drawn file found on reading not to be a notice (listed in NOT_NOTICES with the reason) is replaced by
`random.Random("replace-" + path).choice` from the same pool (same year for `random3`), never a path already drawn;
the replacement is printed with group `<group>-replacement`.

Run: python bench/notices_sample_d.py --dmca /path/to/github-dmca   (prints "group path" lines)
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

import notice_labels as nl  # noqa: E402
import notices_sample  # noqa: E402
import notices_sample_a  # noqa: E402
import notices_sample_b  # noqa: E402
import notices_sample_c  # noqa: E402
from notices_sample import FORM, _texts  # noqa: E402

# Drawn files that on reading turned out not to be notices (path → why); filled in while labelling.
NOT_NOTICES: dict[str, str] = {}
PER_YEAR = {2012: 3, 2013: 3}


def earlier(root: Path) -> set[str]:
    """Every path an earlier draw took or an earlier labels file holds."""
    seen = {p for p, _ in notices_sample.draw(root)}
    seen |= {p for p, _ in notices_sample_a.draw(root)}
    seen |= {p for _, p in notices_sample_b.draw(root)}  # this one yields (group, path)
    seen |= {p for p, _ in notices_sample_c.draw(root)}
    seen |= {row.path for f in (nl.LABELS, nl.LABELS_2) for row in nl.load(f)}
    return seen


def draw(root: Path) -> list[tuple[str, str]]:
    ok = notices_sample.candidates(root, earlier(root), keep=lambda p: nl.split_of(p) == "held")
    take = [p for p in ok if not notices_sample.is_counter(p)]
    counters = [p for p in ok if notices_sample.is_counter(p)]
    rng = random.Random("session4-held")
    drawn = notices_sample.Draw()
    for y in range(2012, 2026):
        pool = [q for q in take if q[:5] == f"{y}/"]
        drawn.add("random3", rng.sample(pool, min(PER_YEAR.get(y, 4), len(pool))), pool)
    drawn.add("counter3", rng.sample(counters, 8), counters)
    rest = [q for q in take if q not in drawn.used]
    texts = _texts(root, rest)
    free = [q for q in rest if texts[q].strip() and not FORM.search(texts[q])]
    drawn.add("freeform3", rng.sample(free, 8), free)
    return drawn.final(NOT_NOTICES)


def main() -> int:
    return notices_sample.print_draw(draw, __doc__)


if __name__ == "__main__":
    raise SystemExit(main())
