"""The model of `work_identification` (ipclaims/notices/workmodel.py): what it reads, what it may overrule, what it
says when it does, and that the shipped model is the one bench/notices_work_model.py describes."""

from __future__ import annotations

import json
import math
from collections import Counter

import pytest

from ipclaims.notices import read_notice, workmodel
from ipclaims.notices.doc import Doc
from ipclaims.notices.judges import Judgement
from ipclaims.notices.material import WORK_DESCRIBED, WORK_NAMED
from ipclaims.notices.text import span

STATEMENTS = (
    "I have a good faith belief that use of the material in the manner complained of is not authorized by the copyright "
    "owner, its agent, or the law.\nI swear, under penalty of perjury, that the information in this notification is "
    "accurate and that I am authorized to act on behalf of the owner.\n\nRegards,\nJana Novak\njana@tonwelle.example\n"
)
SERVICE = (
    "We are Tonwelle, a music streaming service with millions of licensed tracks for our subscribers. The repository "
    "below decrypts the encrypted music files of our app and lets users download tracks from our service without a "
    "subscription. Our service: https://tonwelle.example\n\nhttps://github.com/someone/tonwelle-decrypt\n\n" + STATEMENTS
)
NOVEL = (
    'I am the author of the novel "The Salt Orchard", published in 2019. The repository below holds the full text of '
    "its first three chapters, copied without my permission.\n"
    "https://github.com/someone/books/blob/main/salt-orchard.txt\n\n" + STATEMENTS
)
PUBLISHER_NOTE = (
    "One or more repositories in this DMCA takedown notice has been processed in accordance with GitHub's prohibition "
    "on sharing unauthorized product licensing keys.\n\n---\n\n"
)


def test_terms_are_words_pairs_and_url_path_words_of_the_senders_text() -> None:
    counts = workmodel.terms(Doc("Our courses are copied at https://github.com/someone/course-downloader today."))
    assert counts["courses"] == 1 and counts["our courses"] == 1 and counts["url"] == 1
    assert counts["u_someone"] == 1 and counts["u_course"] == 1 and counts["u_downloader"] == 1
    assert "github" not in counts  # the URL's words are read only from its path, as u_ words


def test_the_publishers_note_is_not_read() -> None:
    """github/dmca's note on how it processed a notice is no part of what a sender writes (and never reaches an
    inbox): the model neither learns from it nor reads it."""
    counts = workmodel.terms(Doc(PUBLISHER_NOTE + "Our app is copied here."))
    assert "licensing" not in counts and "prohibition" not in counts
    assert counts["our app"] == 1


def test_the_shipped_model_is_the_trainers_and_reads_a_service_in_general_as_the_likelier_gap() -> None:
    data = json.loads(workmodel.MODEL_FILE.read_text(encoding="utf-8"))
    assert "notices_labels_38.jsonl" in data["trained_on"]["labels_files"]
    assert data["trained_on"]["deficient"] > 200
    assert 0.4 <= data["high"] <= 0.9 and data["high"] == data["cv"]["high"]
    assert all(idf >= 1.0 for idf, _ in data["terms"].values())
    assert workmodel.probability(Doc(SERVICE)) > 4 * workmodel.probability(Doc(NOVEL))


class _Toy:
    """A stand-in model with a known vocabulary: 'downloader' weighs towards a gap, 'novel' towards a work."""

    def __init__(self, high: float = 0.6) -> None:
        self.model = workmodel.Model(
            idf={"downloader": 2.0, "novel": 2.0, "service": 1.5, "our": 1.0},
            coef={"downloader": 6.0, "service": 3.0, "novel": -6.0},
            intercept=-1.0,
            high=high,
        )


@pytest.fixture
def toy(monkeypatch: pytest.MonkeyPatch) -> workmodel.Model:
    model = _Toy().model
    monkeypatch.setattr(workmodel, "model", lambda: model)
    return model


def test_the_probability_is_logistic_over_normalised_tf_idf(toy: workmodel.Model) -> None:
    counts = Counter({"downloader": 2, "our": 1, "unknown": 5})
    raw = {"downloader": (1 + math.log(2)) * 2.0, "our": 1.0}
    norm = math.sqrt(sum(v * v for v in raw.values()))
    z = -1.0 + 6.0 * raw["downloader"] / norm
    assert toy.probability(counts) == pytest.approx(1 / (1 + math.exp(-z)))


TEXT = "Our service is copied by a downloader at https://github.com/someone/grab.\nJana Novak\njana@example.org"


def _present(note: str) -> Judgement:
    return Judgement("work_identification", "present", (span(TEXT, 0, 10),), note)


def test_a_weak_present_is_overruled_with_the_sentences_that_weighed(toy: workmodel.Model) -> None:
    doc = Doc(TEXT)
    got = workmodel.second_reading(doc, _present("the sender's own work, shown through its copy (weak)"))
    assert got.status == "deficient"
    assert got.note.startswith("no copyright work of the sender's is identified") and "model of labelled notices" in got.note
    assert "rules" not in got.note  # a party may read it: what was judged, never the rules' working
    assert [TEXT[e.start : e.end] for e in got.evidence] == [e.quote for e in got.evidence]
    assert any("downloader" in e.quote for e in got.evidence)


@pytest.mark.parametrize("note", [WORK_NAMED, WORK_DESCRIBED])
def test_a_work_found_by_its_own_words_is_never_overruled(toy: workmodel.Model, note: str) -> None:
    judged = _present(note)
    assert workmodel.second_reading(Doc(TEXT), judged) is judged


@pytest.mark.parametrize("status", ["deficient", "missing"])
def test_the_rules_gaps_are_kept(toy: workmodel.Model, status: str) -> None:
    judged = Judgement("work_identification", status, (), "the rules' reason")  # type: ignore[arg-type]
    assert workmodel.second_reading(Doc(TEXT), judged) is judged


def test_below_the_threshold_the_rules_stand(monkeypatch: pytest.MonkeyPatch) -> None:
    model = _Toy(high=0.9999).model
    monkeypatch.setattr(workmodel, "model", lambda: model)
    judged = _present("the notice labels the work it identifies")
    assert workmodel.second_reading(Doc(TEXT), judged) is judged


def test_the_reader_applies_it_to_takedowns_and_its_fields_follow(toy: workmodel.Model) -> None:
    reading = read_notice(TEXT, kind="claim")
    work = {j.code: j for j in reading.judgements}["work_identification"]
    assert work.status == "deficient" and "model of labelled notices" in work.note
    assert all(reading.text[e.start : e.end] == e.quote for e in work.evidence)
