"""A twelfth, blind draw of github/dmca notices, for a fresh held-apart part (bench/notices_labels_12.jsonl).

Drawn on 2026-12-06 (sixth session) after the ninth and tenth sets' held figures had been read once and their
disagreements then read (released for tuning); the eleventh and twelfth sets were drawn together, to be read once: only a set nobody
has read the reader's output on can still give a held-apart figure. Seeded and
deterministic over a given snapshot of github/dmca (HEAD of the clone passed with --dmca). Candidates: held paths not
drawn by any earlier draw script (bench/notices_sample.py, _a.py to _l.py), not in any earlier labels file, not in the
shared notices-excluded.txt (by sha256), not a retraction or reversal by name. The shape of _e.py to _g.py
(`notices_sample_e.shaped`), one `random.Random("session9-held-e")`: `random12` (4 takedowns per year 2012-2025),
`counter12` (10 counter notices), `freeform12` (24 free-form takedowns).

A drawn file found on reading not to be a notice (listed in NOT_NOTICES with the reason) is replaced by
`random.Random("replace-" + path).choice` from the same pool (same year for `random12`), never a path already drawn;
the replacement is printed with group `<group>-replacement`.

Run: python bench/notices_sample_m.py --dmca /path/to/github-dmca   (prints "group path" lines)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

import notice_labels as nl  # noqa: E402
import notices_sample  # noqa: E402
import notices_sample_e  # noqa: E402
import notices_sample_l  # noqa: E402

# Drawn files that on reading turned out not to be notices (path → why); filled in while labelling.
NOT_NOTICES: dict[str, str] = {}


def earlier(root: Path) -> set[str]:
    """Every path an earlier draw took or an earlier labels file holds, as when this draw was made (sets 1-11)."""
    return notices_sample_e.after(root, notices_sample_l.earlier(root), "session9-held-d", "11", notices_sample_l.NOT_NOTICES, nl.LABELS_11)


def draw(root: Path) -> list[tuple[str, str]]:
    return notices_sample_e.shaped(root, earlier(root), "session9-held-e", "12", NOT_NOTICES)


def main() -> int:
    return notices_sample.print_draw(draw, __doc__)


if __name__ == "__main__":
    raise SystemExit(main())
