"""Training draws for the model of `work_identification` (bench/notices_work_model.py): tune-split notices only.

Drawn on 2026-12-07 (twelfth session) from the unlabelled tune-split takedowns (not excluded, not a counter notice by
name, not a retraction or reversal, in no labels file, none of sets 39-40), with one `random.Random(SEED)`:
half from the notices the model then shipped (ipclaims/notices/work_model.json as trained on sets 1-38) gave a
probability of at least UNCERTAIN (where a label teaches it most: its likely gaps and its doubts), half at random from
the rest; shuffled together and cut into batches of BATCH, so a labeller cannot tell which half a notice came from.
Labelled once each (one blind labeller a batch, as the first set was), for training only: they are tune rows and
never a held figure. The labels files record the paths drawn; this script re-draws them only with that model file.

Run: python bench/notices_sample_train.py --dmca CLONE --batches N   (prints "batch path" lines)
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT))

import notice_labels as nl  # noqa: E402
import notices_sample  # noqa: E402
from notices import Corpus  # noqa: E402

from ipclaims.notices import workmodel  # noqa: E402
from ipclaims.notices.doc import Doc  # noqa: E402

SEED = "session15-train"
UNCERTAIN = 0.25
BATCH = 60


def draw(root: Path, batches: int) -> list[tuple[int, str]]:
    labelled = {r.path for f in (*nl.LABEL_FILES, nl.LABELS_39, nl.LABELS_40) if f.exists() for r in nl.load(f)}
    paths = [p for p in notices_sample.candidates(root, labelled, keep=lambda p: nl.split_of(p) == "tune") if not notices_sample.is_counter(p)]
    texts = Corpus(root).read_many(paths)
    score = {p: workmodel.probability(Doc(texts[p])) for p in paths if texts[p].strip()}
    likely = sorted(p for p, s in score.items() if s >= UNCERTAIN)
    rest = sorted(p for p, s in score.items() if s < UNCERTAIN)
    rng = random.Random(SEED)
    half = batches * BATCH // 2
    chosen = rng.sample(likely, min(half, len(likely)))
    chosen += rng.sample(rest, batches * BATCH - len(chosen))
    rng.shuffle(chosen)
    return [(i // BATCH + 1, p) for i, p in enumerate(chosen)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dmca", type=Path, required=True)
    ap.add_argument("--batches", type=int, default=8)
    args = ap.parse_args()
    for batch, path in draw(args.dmca, args.batches):
        print(batch, path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
