"""How the labelled github/dmca notices were drawn (bench/notices_labels.md): reproduces the list of paths.

Seeded and deterministic over a given snapshot of github/dmca (HEAD of the clone passed with --dmca). Paths listed
in the shared notices-excluded.txt (compared by sha256, bench/notices_excluded.sha256) are dropped before any text
is read. Groups:

- `random`: 6 takedowns per year 2012-2025 (`random.Random(20)`, one `sample` per year in order); a draw that is a
  retraction or reversal is replaced by `random.Random("replace-" + path).choice` from the same year;
- `counter`: 30 files whose name contains `counternotice`, same generator; reversals replaced likewise;
- purposive (`random.Random("purposive-20")`, in this order): 22 `freeform` takedowns from 2017-2025 without the web
  form's first question, 12 `agent` notices naming a notice-sending service, 12 `nonnative` notices with CJK text or
  "Co., Ltd", 20 `freeform-early` takedowns from 2012-2016 without the web form, 12 `counter-freeform` counter
  notices not sent through the counter-notice form;
- `tune-extra` (`random.Random("reader-extra")`): one more takedown a year 2012-2025, random, only from those the
  split rule puts in `tune`, labelled after the rules were frozen; `tune-extra-freeform`
  (`random.Random("reader-extra-freeform")`): one free-form takedown a year the same way.

Run: python bench/notices_sample.py --dmca /path/to/github-dmca   (prints "group path" lines)
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

import notice_labels as nl  # noqa: E402

FORM = re.compile(r"Are you the copyright (owner|holder)", re.I)
COUNTER_FORM = re.compile(r"Are you the owner of the content|What files were taken down")
CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")
AGENTS = (
    "MarkMonitor", "OpSec", "Irdeto", "Red Points", "Muso", "Link-Busters", "Entura", "Corsearch", "Cyveillance",
    "Attributor", "IP Arrow", "DMCA Force", "Remove Your Media", "Rightsify", "Copyright Agent", "BrandShield",
    "Incopro", "Web Sheriff", "Vobile", "Friend MTS", "Pirate Monitor", "Anti-Piracy", "antipiracy",
)  # fmt: skip


def _git(root: Path, *args: str, data: bytes | None = None) -> bytes:
    return subprocess.run(["git", "--git-dir", str(root), *args], input=data, capture_output=True, check=True).stdout


def _texts(root: Path, paths: list[str]) -> dict[str, str]:
    out = _git(root, "cat-file", "--batch", data="".join(f"HEAD:{p}\n" for p in paths).encode())
    texts, pos = {}, 0
    for p in paths:
        end = out.index(b"\n", pos)
        size = int(out[pos:end].split()[2])
        texts[p] = out[end + 1 : end + 1 + size].decode("utf-8", "replace")
        pos = end + 1 + size + 1
    return texts


def candidates(root: Path, seen: set[str], keep: Callable[[str], bool] = lambda _p: True) -> list[str]:
    """The sorted paths under 2012/-2025/ a new draw may take: not excluded (by sha256), not in `seen`, not a
    retraction or reversal by name, and kept by `keep` (a draw's own rule: a split, a parity of the hash)."""
    excluded = nl.excluded_hashes()
    names = _git(root, "ls-tree", "-r", "--name-only", "HEAD").decode().splitlines()
    return sorted(
        p
        for p in names
        if re.match(r"^20(1[2-9]|2[0-5])/", p) and nl.path_hash(p) not in excluded and p not in seen and not is_withdrawal(p) and keep(p)
    )


def is_withdrawal(path: str) -> bool:
    """A retraction or reversal, by its file name: not a notice to label."""
    return "retraction" in path.lower() or "reversal" in path.lower()


def is_counter(path: str) -> bool:
    """A counter notice, by its file name."""
    return "counternotice" in path.lower() or "counter-notice" in path.lower()


@dataclass
class Draw:
    """A draw being made: the (path, group) pairs in order, every path taken, and the pool each was taken from."""

    out: list[tuple[str, str]] = field(default_factory=list)
    used: set[str] = field(default_factory=set)
    pools: dict[str, list[str]] = field(default_factory=dict)

    def add(self, group: str, picks: list[str], pool: list[str]) -> None:
        for p in picks:
            self.out.append((p, group))
            self.used.add(p)
            self.pools[p] = pool

    def final(self, not_notices: dict[str, str]) -> list[tuple[str, str]]:
        return replace_non_notices(self.out, self.pools, self.used, not_notices)


def replace_non_notices(
    out: list[tuple[str, str]], pools: dict[str, list[str]], used: set[str], not_notices: dict[str, str]
) -> list[tuple[str, str]]:
    """The draw with each path a labeller found not to be a notice (`not_notices`) replaced by
    `random.Random("replace-" + path).choice` from the pool it was drawn from, never a path already drawn; the
    replacement's group is `<group>-replacement`. `used` gains the replacements."""
    final = []
    for p, group in out:
        if p not in not_notices:
            final.append((p, group))
            continue
        pick = random.Random("replace-" + p).choice([q for q in pools[p] if q not in used and q not in not_notices])
        used.add(pick)
        final.append((pick, group + "-replacement"))
    return final


def draw(root: Path) -> list[tuple[str, str]]:
    excluded = nl.excluded_hashes()
    names = _git(root, "ls-tree", "-r", "--name-only", "HEAD").decode().splitlines()
    ok = [p for p in names if re.match(r"^20(1[2-9]|2[0-5])/", p) and nl.path_hash(p) not in excluded]

    def bad(p: str) -> bool:
        return "retraction" in p.lower() or "reversal" in p.lower()

    take = [p for p in ok if not any(w in p for w in ("counternotice", "retraction", "reversal", "counter-notice"))]
    rng = random.Random(20)
    out = [(p, "random") for y in range(2012, 2026) for p in rng.sample(sorted(q for q in take if q[:5] == f"{y}/"), 6)]
    counters = sorted(p for p in ok if "counternotice" in p)
    out += [(p, "counter") for p in rng.sample(counters, 30)]
    chosen = {p for p, _ in out}
    final = []
    for p, group in out:
        if not bad(p):
            final.append((p, group))
            continue
        if group == "random":
            pool = [q for q in take if q[:4] == p[:4] and not bad(q) and "counter" not in q.lower()]
        else:
            pool = [q for q in counters if not bad(q)]
        pick = random.Random("replace-" + p).choice(sorted(q for q in pool if q not in chosen))
        chosen.add(pick)
        final.append((pick, group + "-replacement"))

    cands = [p for p in ok if p not in chosen and not any(w in p.lower() for w in ("counter", "retract", "reversal"))]
    texts = _texts(root, cands)
    free = sorted(p for p in cands if p[:4] >= "2017" and not FORM.search(texts[p]))
    agent = sorted(p for p in cands if any(a.lower() in texts[p].lower() for a in AGENTS))
    nonnative = sorted(p for p in cands if CJK.search(texts[p]) or "Co., Ltd" in texts[p])
    early = sorted(p for p in cands if p[:4] <= "2016" and not FORM.search(texts[p]))
    prng = random.Random("purposive-20")
    picked: set[str] = set()
    for group, pool, k in (("freeform", free, 22), ("agent", agent, 12), ("nonnative", nonnative, 12)):
        for p in prng.sample([q for q in pool if q not in picked], k):
            picked.add(p)
            final.append((p, group))
    for p in prng.sample([q for q in early if q not in picked], 20):
        final.append((p, "freeform-early"))
    more = sorted(p for p in counters if p not in chosen and not bad(p))
    more_texts = _texts(root, more)
    free_counters = [p for p in more if not COUNTER_FORM.search(more_texts[p])]
    final += [(p, "counter-freeform") for p in prng.sample(free_counters, 12)]
    # Added after the reader's rules were frozen and the held part read once (2026-12-05): one more takedown a year,
    # random, kept only when the split rule puts it in `tune` (the held part stays as it was).
    have = {p for p, _ in final}
    xrng = random.Random("reader-extra")
    for y in range(2012, 2026):
        pool = sorted(q for q in take if q[:5] == f"{y}/" and q not in have and not bad(q) and "counter" not in q.lower())
        xrng.shuffle(pool)
        final += [(p, "tune-extra") for p in pool if nl.split_of(p) == "tune"][:1]
    # Then one free-form takedown a year (no web-form question), the same way.
    have = {p for p, _ in final}
    frng = random.Random("reader-extra-freeform")
    for y in range(2012, 2026):
        pool = sorted(q for q in take if q[:5] == f"{y}/" and q not in have and not bad(q) and "counter" not in q.lower())
        frng.shuffle(pool)
        pool = [q for q in pool if nl.split_of(q) == "tune"][:40]
        pool_texts = _texts(root, pool)
        final += [(p, "tune-extra-freeform") for p in pool if not FORM.search(pool_texts[p])][:1]
    return final


def print_draw(draw: Callable[[Path], list[tuple[str, str]]], description: str | None) -> int:
    """The command line of every draw script: `--dmca CLONE`, then one "group path" line per drawn notice."""
    ap = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dmca", type=Path, required=True, help="bare clone of github/dmca (or a checkout's .git)")
    args = ap.parse_args()
    for path, group in draw(args.dmca):
        print(group, path)
    return 0


def main() -> int:
    return print_draw(draw, __doc__)


if __name__ == "__main__":
    raise SystemExit(main())
