"""A fresh, blind draw of github/dmca notices for the tuning part (bench/notices_labels_c.jsonl).

Seeded and deterministic over a given snapshot of github/dmca (HEAD of the clone passed with --dmca). Candidates:
files under 2012/-2025/, not drawn by bench/notices_sample.py (the first 220) nor by bench/notices_sample_a.py, not in the shared
notices-excluded.txt (by sha256), not a retraction or reversal by name, only paths whose sha256 hex has an **even**
second-to-last digit (another labeller draws the odd ones) and that the split rule puts in `tune`. Groups, one
`random.Random("session3-freeform-tune")` used in this order:

- `freeform-tune`: 5 free-form takedowns per year 2012-2025 (no web-form question), in year order (2012 has only 2
  candidates left, so both are taken: 67 in all);
- `agent-tune`: 6 takedowns naming a notice-sending service (AGENTS);
- `counter-freeform-tune`: 6 counter notices (name contains `counternotice` or `counter-notice`, any case) not sent
  through the counter-notice form.

No path is drawn twice. A drawn file found on reading not to be a notice (listed in NOT_NOTICES with the reason) is
replaced by `random.Random("replace-" + path).choice` from the same pool (same year for `freeform-tune`), never a path
already drawn; the replacement is printed with group `<group>-replacement`.

Run: python bench/notices_sample_c.py --dmca /path/to/github-dmca   (prints "group path" lines)
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
from notices_sample import AGENTS, COUNTER_FORM, FORM, _texts  # noqa: E402

# Drawn files that on reading turned out not to be notices (path → why); filled in while labelling.
NOT_NOTICES: dict[str, str] = {
    "2021/09/2021-09-10-AVP-legal-action.pdf": "a PDF of court papers (binary), not a notice's text",
    "2021/09/2021-09-29-take-two-legal-action/2021-09-29-take-two-legal-action.md": (
        "a cover e-mail forwarding notice of a lawsuit, not a takedown notice"
    ),
}


def draw(root: Path) -> list[tuple[str, str]]:
    seen = {p for p, _ in notices_sample.draw(root)} | {p for p, _ in notices_sample_a.draw(root)}
    ok = notices_sample.candidates(root, seen, keep=lambda p: notices_sample_a.even_digit(p) and nl.split_of(p) == "tune")
    texts = _texts(root, ok)
    take = [p for p in ok if not notices_sample.is_counter(p)]
    free = [p for p in take if not FORM.search(texts[p])]
    agent = [p for p in take if any(a.lower() in texts[p].lower() for a in AGENTS)]
    counters = [p for p in ok if notices_sample.is_counter(p) and not COUNTER_FORM.search(texts[p])]
    rng = random.Random("session3-freeform-tune")
    drawn = notices_sample.Draw()
    for y in range(2012, 2026):
        pool = [q for q in free if q[:5] == f"{y}/"]
        drawn.add("freeform-tune", rng.sample(pool, min(5, len(pool))), pool)
    for group, pool, k in (("agent-tune", agent, 6), ("counter-freeform-tune", counters, 6)):
        drawn.add(group, rng.sample([q for q in pool if q not in drawn.used], k), pool)
    return drawn.final(NOT_NOTICES)


def main() -> int:
    return notices_sample.print_draw(draw, __doc__)


if __name__ == "__main__":
    raise SystemExit(main())
