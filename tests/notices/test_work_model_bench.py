"""bench/notices_work_model.py, the recorded experiment of a model of `work_identification`'s words: what it reads
and that its trainer learns what separates the labels (its figures need the github/dmca clone; these do not)."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import notices_work_model as wm

from ipclaims.notices.doc import Doc


def test_terms_are_the_senders_words_pairs_and_url_path_words() -> None:
    counts = wm.terms(Doc("Our courses are copied at https://github.com/someone/course-downloader today."))
    assert counts["our courses"] == 1 and counts["url"] == 1 and counts["u_downloader"] == 1
    assert "github" not in counts


def test_the_publishers_processing_note_is_not_read() -> None:
    note = (
        "One or more repositories in this DMCA takedown notice has been processed in accordance with GitHub's "
        "prohibition on sharing unauthorized product licensing keys.\n\n---\n\nOur app is copied here."
    )
    counts = wm.terms(Doc(note))
    assert "prohibition" not in counts and counts["our app"] == 1


def test_the_trainer_learns_the_words_that_separate_the_labels_and_the_model_file_reads_back(tmp_path: Path) -> None:
    gap = [Counter({"downloader": 2, "service": 1, f"noise{i}": 1}) for i in range(20)]
    work = [Counter({"novel": 1, "chapter": 2, f"noise{i}": 1}) for i in range(20)]
    docs = gap + work
    y = np.array([True] * 20 + [False] * 20)
    vocab, idf = wm.vocabulary(docs)
    w, b = wm.fit(wm.matrix(docs, vocab, idf), y)
    probs = wm.predict(wm.matrix(docs, vocab, idf), w, b)
    assert probs[:20].min() > 0.5 > probs[20:].max()
    saved = {"intercept": b, "terms": {t: [float(i), float(c)] for t, i, c in zip(vocab, idf, w, strict=True)}}
    model = wm.Model.from_json(json.dumps(saved))
    assert model.probability("Our service has a downloader.") > 0.5 > model.probability("My novel, chapter one.")
