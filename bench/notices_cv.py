"""Two-fold check: does a rule made from one half's disagreements help the other half?

The tune notices (every labels file, `split == "tune"`; held rows are dropped before any text is read) are cut in two
folds by a hash independent of the split rule and of the draws: fold A when the last hex digit of
sha256("cv:" + path) is even, else B. The protocol: read only fold A's disagreements while making a rule, then score
fold B before and after it (`--fold B`); B's change is the estimate of how the rule generalises.

`--split all` folds every labelled notice, tune and held, the same way: for use once the held parts have all been
scored and read (2026-12-06: sets 1-3), when only a fresh, unread set can give a held figure.

Run: python bench/notices_cv.py --dmca CLONE [--fold A|B|both] [--split tune|all] [--quiet]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import notice_labels as nl
from notices import Corpus, read_all, report


def fold_of(path: str) -> str:
    return "A" if int(hashlib.sha256(("cv:" + path).encode("utf-8")).hexdigest()[-1], 16) % 2 == 0 else "B"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dmca", type=Path, required=True)
    ap.add_argument("--fold", choices=("A", "B", "both"), default="both")
    ap.add_argument("--split", choices=("tune", "all"), default="tune")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    rows = [row for f in nl.LABEL_FILES for row in nl.load(f) if args.split == "all" or row.split == "tune"]
    folds = ("A", "B") if args.fold == "both" else (args.fold,)
    chosen = [r for r in rows if fold_of(r.path) in folds]
    readings = read_all(chosen, Corpus(args.dmca))
    for fold in folds:
        report(f"{args.split} fold {fold}", [r for r in chosen if fold_of(r.path) == fold], readings, args.quiet)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
