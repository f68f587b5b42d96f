"""Training draws for the model of `work_identification` (bench/notices_work_model.py): tune-split notices only.

Drawn on 2026-12-07 (twelfth session) from the unlabelled tune-split takedowns (not excluded, not a counter notice by
name, not a retraction or reversal, in no labels file, none of sets 39-40), with one `random.Random(SEEDS[n])` a
draw (the second drawn after the first was labelled, from what it left): half from the notices to which the model
then shipped (ipclaims/notices/work_model.json as committed in c3055a6, trained on sets 1-38) gave a probability of
at least UNCERTAIN (where a label teaches it most: its likely gaps and its doubts), half at random from the rest;
shuffled together and cut into batches of BATCH, so a labeller cannot tell which half a notice came from. Labelled
once each (one blind labeller a batch, as the first set was), for training only: they are tune rows and never a held
figure. The labels files (notices_labels_train1.jsonl, _train2.jsonl) record the paths drawn; this script re-draws
them only with that model file and, for the second, the first's labels file.

Run: python bench/notices_sample_train.py --dmca CLONE --draw 1|2 [--batches 8]   (prints "batch path" lines)
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT))

import notice_labels as nl  # noqa: E402
import notices_sample  # noqa: E402
from notices import Corpus  # noqa: E402
from notices_work_model import Model  # noqa: E402

# The model that drew both: the file this repository held at that commit (its history must be in the checkout).
DRAWN_BY = "c3055a6:ipclaims/notices/work_model.json"
SEEDS = {1: "session15-train", 2: "session15-train-b"}
UNCERTAIN = 0.25
BATCH = 60


def draw(root: Path, batches: int, n: int) -> list[tuple[int, str]]:
    # every labelled path when the draw was made: not this draw's own labels, nor a later draw's
    later = {nl.LABELS_TRAIN_1, nl.LABELS_TRAIN_2} if n == 1 else {nl.LABELS_TRAIN_2}
    files = [f for f in (*nl.LABEL_FILES, nl.LABELS_39, nl.LABELS_40, nl.LABELS_TRAIN_2) if f not in later]
    labelled = {r.path for f in files if f.exists() for r in nl.load(f)}
    tune = notices_sample.candidates(root, labelled, keep=lambda p: nl.split_of(p) == "tune")
    paths = [p for p in tune if not notices_sample.is_counter(p)]
    texts = Corpus(root).read_many(paths)
    shown = subprocess.run(["git", "-C", str(ROOT.parent), "show", DRAWN_BY], capture_output=True, text=True)
    if shown.returncode != 0:
        raise SystemExit(f"git show {DRAWN_BY}: {shown.stderr.strip()} (a full clone of this repository is needed)")
    model = Model.from_json(shown.stdout)
    score = {p: model.probability(texts[p]) for p in paths if texts[p].strip()}
    likely = sorted(p for p, s in score.items() if s >= UNCERTAIN)
    rest = sorted(p for p, s in score.items() if s < UNCERTAIN)
    rng = random.Random(SEEDS[n])
    half = batches * BATCH // 2
    chosen = rng.sample(likely, min(half, len(likely)))
    chosen += rng.sample(rest, batches * BATCH - len(chosen))
    rng.shuffle(chosen)
    return [(i // BATCH + 1, p) for i, p in enumerate(chosen)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dmca", type=Path, required=True)
    ap.add_argument("--batches", type=int, default=8)
    ap.add_argument("--draw", type=int, choices=sorted(SEEDS), required=True)
    args = ap.parse_args()
    for batch, path in draw(args.dmca, args.batches, args.draw):
        print(batch, path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
