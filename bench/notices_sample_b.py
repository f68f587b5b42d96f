"""A second, blind purposive draw of github/dmca notices (bench/notices_labels_b.jsonl): reproduces the list of paths.

Deterministic over a given snapshot of github/dmca (HEAD of the clone passed with --dmca). Candidates: files under
2012/ to 2025/, not drawn by bench/notices_sample.py, not in the shared notices-excluded.txt (by sha256), not a
retraction or reversal, and only paths whose sha256 hex digit before the last is odd (another labeller draws the
even ones, so the two draws cannot overlap). With `random.Random("session3-purposive")`, in this order:

- `freeform2`: 3 free-form takedowns a year 2012-2025 (no web-form question, FORM of bench/notices_sample.py);
- `agent2`: 8 takedowns naming a notice-sending service (AGENTS);
- `nonnative2`: 6 takedowns with CJK text or "Co., Ltd";
- `counter-freeform2`: 8 counter notices not sent through the counter-notice form (COUNTER_FORM).

No path twice. "Not already labelled" means not drawn by bench/notices_sample.py (the first 220 paths). One `counter-freeform2` file
(2015-07-30-TMSSoftware-Meus-Projetos-Counternotice.md) is a takedown despite its name and is labelled as one.
A drawn file that turns out not to be a notice (empty, a retraction in disguise) would be replaced with
`random.Random("session3-replace-" + path).choice` from the rest of its group's pool (see REPLACED).

Run: python bench/notices_sample_b.py --dmca /path/to/github-dmca   (prints "group path" lines)
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

import notice_labels as nl  # noqa: E402
import notices_sample as ns  # noqa: E402

COUNTER = re.compile(r"counter[-_ ]?notice", re.I)
# Drawn paths found on reading not to be a notice at all (group -> paths); each is replaced deterministically.
REPLACED: dict[str, tuple[str, ...]] = {}


def _odd(path: str) -> bool:
    return int(nl.path_hash(path)[-2], 16) % 2 == 1


def draw(root: Path) -> list[tuple[str, str]]:
    excluded = nl.excluded_hashes()
    labelled = {p for p, _ in ns.draw(root)}
    names = ns._git(root, "ls-tree", "-r", "--name-only", "HEAD").decode().splitlines()
    cands = sorted(
        p
        for p in names
        if re.match(r"^20(1[2-9]|2[0-5])/", p)
        and p not in labelled
        and nl.path_hash(p) not in excluded
        and not any(w in p.lower() for w in ("retraction", "reversal", "retract"))
        and _odd(p)
    )
    texts = ns._texts(root, cands)
    takedowns = [p for p in cands if not COUNTER.search(p) and "counter" not in p.lower()]
    counters = [p for p in cands if COUNTER.search(p)]
    free = [p for p in takedowns if texts[p].strip() and not ns.FORM.search(texts[p])]
    agent = [p for p in takedowns if any(a.lower() in texts[p].lower() for a in ns.AGENTS)]
    nonnative = [p for p in takedowns if ns.CJK.search(texts[p]) or "Co., Ltd" in texts[p]]
    free_counters = [p for p in counters if texts[p].strip() and not ns.COUNTER_FORM.search(texts[p])]

    rng = random.Random("session3-purposive")
    picked: set[str] = set()
    out: list[tuple[str, str]] = []

    def take(group: str, pool: list[str], k: int) -> None:
        avail = [q for q in pool if q not in picked]
        drawn = rng.sample(avail, k)
        for p in drawn:
            bad = REPLACED.get(group, ())
            if p in bad:
                rest = sorted(q for q in avail if q not in picked and q not in bad and q not in drawn)
                p = random.Random("session3-replace-" + p).choice(rest)
                group_name = group + "-replacement"
            else:
                group_name = group
            picked.add(p)
            out.append((group_name, p))

    for y in range(2012, 2026):
        take("freeform2", [q for q in free if q[:5] == f"{y}/"], 3)
    take("agent2", agent, 8)
    take("nonnative2", nonnative, 6)
    take("counter-freeform2", free_counters, 8)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dmca", type=Path, required=True, help="bare clone of github/dmca (or a checkout's .git)")
    args = ap.parse_args()
    for group, path in draw(args.dmca):
        print(group, path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
