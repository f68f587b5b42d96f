"""A fifth, blind draw of github/dmca notices, for a fresh held-apart part (bench/notices_labels_5.jsonl).

Drawn on 2026-12-06 (fourth session) after the fourth set's held figure had been read once and its notices released
for tuning: only a set nobody has read the reader's output on can still give a held-apart figure. Seeded and
deterministic over a given snapshot of github/dmca (HEAD of the clone passed with --dmca). Candidates: files under
2012/-2025/, not drawn by any earlier draw script (bench/notices_sample.py, _a.py to _e.py), not in any earlier labels
file, not in the shared notices-excluded.txt (by sha256, bench/notices_excluded.sha256), not a retraction or reversal
by name, and only paths the split rule puts in `held`. Groups, one `random.Random("session6-held")` used in this
order (the same shape as _e.py):

- `random5`: 4 takedowns per year 2012-2025 (`sample` per year in order; fewer when the year has fewer left);
  takedowns are files whose name contains neither `counternotice` nor `counter-notice` (case-insensitive);
- `counter5`: 10 counter notices (name contains `counternotice` or `counter-notice`, any case), whatever the form;
- `freeform5`: 24 free-form takedowns 2012-2025 (no web-form question, FORM of bench/notices_sample.py), not drawn
  above — a purposive group: nearly every notice with a gap is a free-form letter (bench/notices_labels.md).

A drawn file found on reading not to be a notice (listed in NOT_NOTICES with the reason) is replaced by
`random.Random("replace-" + path).choice` from the same pool (same year for `random5`), never a path already drawn;
the replacement is printed with group `<group>-replacement`.

Run: python bench/notices_sample_f.py --dmca /path/to/github-dmca   (prints "group path" lines)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

import notice_labels as nl  # noqa: E402
import notices_sample  # noqa: E402
import notices_sample_e  # noqa: E402

# Drawn files that on reading turned out not to be notices (path → why); filled in while labelling.
NOT_NOTICES: dict[str, str] = {}


def earlier(root: Path) -> set[str]:
    """Every path an earlier draw took or an earlier labels file holds, as when this draw was made."""
    seen = notices_sample_e.earlier(root) | {row.path for row in nl.load(nl.LABELS_4)}
    # When this draw was made, the fourth draw script also excluded its own labels file (a defect fixed since) and so
    # printed 90 other paths; they were excluded here too, and stay so, for this draw to come out the same.
    seen |= {p for p, _ in notices_sample_e.shaped(root, seen, "session5-held", "4", notices_sample_e.NOT_NOTICES)}
    return seen


def draw(root: Path) -> list[tuple[str, str]]:
    return notices_sample_e.shaped(root, earlier(root), "session6-held", "5", NOT_NOTICES)


def main() -> int:
    return notices_sample.print_draw(draw, __doc__)


if __name__ == "__main__":
    raise SystemExit(main())
