"""Notice reader quality on real github/dmca notices: element agreement and gaps caught, per split.

The labels (bench/notices_labels.jsonl, the second, blind set bench/notices_labels_2.jsonl, the third to
fiftieth, blind, held-only sets bench/notices_labels_3.jsonl to _50.jsonl, two training draws of tune notices
_train1.jsonl and _train2.jsonl, all described in bench/notices_labels.md; each held figure was read once and its
set then released for tuning, so a new held figure needs a new blind set) hold paths and element statuses only;
the texts are read from a local clone of github/dmca given with --dmca (a bare git directory or a normal checkout).
Each text goes to `ipclaims.notices.read_notice(text, kind=...)` and its judgements are compared with the labels:

- element agreement: share of (notice, element) pairs read with exactly the labelled status;
- gaps caught: share of `missing`/`deficient` labels read with exactly that status;
- the same two for a reader that says `present` to everything (the baseline: high agreement, nothing caught);
- a confusion table per element (label → reading; `absent` when the reader gave no judgement for the code);
- every disagreement (path, code, label, reading).

`--split` defaults to `tune`: the held part is for the final figure, not for reading disagreements while tuning.
`--check` validates the labels files only (codes per kind, statuses, the split rule, no excluded path); no clone needed.

Run: python bench/notices.py --dmca /path/to/github-dmca [--split tune|held|all] [--quiet]
     python bench/notices.py --check
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT))

import notice_labels as nl  # noqa: E402

from ipclaims.notices import read_notice  # noqa: E402

STATUS_ORDER = ("present", "missing", "deficient", "absent")


class Corpus:
    """Texts of github/dmca by path, from a bare git directory (HEAD) or a checked-out working tree."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.bare = not (root / ".git").exists() and (root / "HEAD").is_file() and (root / "objects").is_dir()
        if not self.bare and not root.is_dir():
            raise SystemExit(f"--dmca {root}: not a directory")

    def read_many(self, paths: Sequence[str]) -> dict[str, str]:
        if not self.bare:
            return {p: (self.root / p).read_text(encoding="utf-8", errors="replace") for p in paths}
        spec = "".join(f"HEAD:{p}\n" for p in paths).encode("utf-8")
        out = subprocess.run(
            ["git", "--git-dir", str(self.root), "cat-file", "--batch"], input=spec, capture_output=True, check=True
        ).stdout
        texts: dict[str, str] = {}
        pos = 0
        for p in paths:
            end = out.index(b"\n", pos)
            header = out[pos:end].split()
            if len(header) < 3 or header[1] != b"blob":
                raise SystemExit(f"{p}: not found in {self.root} ({out[pos:end].decode(errors='replace')})")
            size = int(header[2])
            texts[p] = out[end + 1 : end + 1 + size].decode("utf-8", errors="replace")
            pos = end + 1 + size + 1
        return texts


def read_all(rows: Sequence[nl.Labelled], corpus: Corpus) -> dict[str, dict[str, str]]:
    texts = corpus.read_many([r.path for r in rows])
    readings: dict[str, dict[str, str]] = {}
    for row in rows:
        reading = read_notice(texts[row.path], kind=row.kind)
        readings[row.path] = {j.code: j.status for j in reading.judgements}
    return readings


def report(name: str, rows: Sequence[nl.Labelled], readings: Mapping[str, Mapping[str, str]], quiet: bool) -> None:
    s = nl.score(rows, readings)
    print(f"== {name}: {s.notices} notices, {s.elements} elements, {s.gaps} labelled missing/deficient")
    print(
        f"   reader:       agreement {s.agreement:5.1f}%   gaps caught {s.caught:5.1f}%   "
        f"present read as a gap {s.false_alarms}/{s.present}"
    )
    print(f"   all-present:  agreement {s.baseline_agreement:5.1f}%   gaps caught   0.0%")
    print("   confusion (label → reading counts):")
    for code, table in s.confusion.items():
        cells = []
        for label in STATUS_ORDER[:3]:
            row = [f"{got[0]}{table[(label, got)]}" for got in STATUS_ORDER if table[(label, got)]]
            if row:
                cells.append(f"{label[0]}→" + ",".join(row))
        print(f"     {code:30s} " + "  ".join(cells))
    if not quiet:
        print("   disagreements:")
        for path, code, label, got in s.disagreements:
            print(f"     {path}  {code}: label {label}, read {got}")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dmca", type=Path, help="local clone of github/dmca (bare git dir or checkout)")
    ap.add_argument("--split", choices=("tune", "held", "all"), default="tune")
    ap.add_argument(
        "--labels",
        type=Path,
        action="append",
        help="labels file (repeatable; default: bench/notices_labels.jsonl, _2 to _50.jsonl and _train1/_train2.jsonl)",
    )
    ap.add_argument("--check", action="store_true", help="validate the labels file and exit")
    ap.add_argument("--quiet", action="store_true", help="figures and confusion only, no per-notice lines")
    args = ap.parse_args(argv)

    files = args.labels or list(nl.LABEL_FILES)
    problems = [f"{f.name}: {p}" for f in files for p in nl.check(f)]
    seen: dict[str, str] = {}
    for f in files:
        for row in nl.load(f):
            if row.path in seen:
                problems.append(f"{row.path} is labelled in both {seen[row.path]} and {f.name}")
            seen[row.path] = f.name
    rows = [row for f in files for row in nl.load(f)]
    if args.check or problems:
        for p in problems:
            print(p, file=sys.stderr)
        counts = nl.status_counts(rows)
        kinds = {k: sum(1 for r in rows if r.kind == k) for k in nl.KINDS}
        print(f"{len(rows)} notices {kinds}; " + ", ".join(f"{k[0]} {k[1]} {v}" for k, v in sorted(counts.items())))
        print("labels file OK" if not problems else f"{len(problems)} problem(s)")
        return 1 if problems else 0
    if args.dmca is None:
        ap.error("--dmca is required unless --check")

    splits = nl.SPLITS if args.split == "all" else (args.split,)
    chosen = [r for r in rows if r.split in splits]
    readings = read_all(chosen, Corpus(args.dmca))
    for split in splits:
        part = [r for r in chosen if r.split == split]
        report(split, part, readings, args.quiet)
        for kind in nl.KINDS:
            sub = [r for r in part if r.kind == kind]
            if sub:
                report(f"{split} / {kind}", sub, readings, quiet=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
