"""A second reading of `work_identification`: a linear model of the notice's words, trained on labelled notices.

The rules in material.py read the work's sentences for what NOTICES.md names (a title, a link to the original, a copy
of a named work; a service in general, keys, confidential data, a mark). Their misses on notices nobody had tuned
them on were the same families session after session, each in new words: a catalogue reached by a downloader, a key
for a named program, an internal report, a file format. A model of the words of the labelled takedowns
(bench/notices_labels*.jsonl) weighs all of a notice's words at once. It only adds a gap the rules missed, and only
where their `present` rests on a weak reading (the work shown through its copy, a label, a link, the form's answer),
never where they found the work named or described in so many words:

- the rules said `present` by such a reading and the model's probability of a gap is at least HIGH: `deficient`;
- otherwise the rules' judgement stands (`missing` and `deficient` are theirs alone).

The judgement's note says it was read by the model, and its evidence is the sentences whose words weighed most
towards a gap, so a specialist sees what it was judged on. HIGH is chosen by bench/notices_work_model.py from the
labels' cross-validation (by set: each fold read by a model that never saw it) by a rule fixed in advance.

The model (work_model.json, beside this file) is term frequency-inverse document frequency over words, word pairs
and the words of the notice's URLs, L2-normalised, with logistic regression; `bench/notices_work_model.py` trains
it from the labels and a local clone of github/dmca, prints its cross-validated figures and writes the file. Nothing
is fetched at run time; reading costs one pass over at most MAX_CHARS characters.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ipclaims.notices.doc import Doc
from ipclaims.notices.judges import Judgement
from ipclaims.notices.material import WORK_DESCRIBED, WORK_NAMED
from ipclaims.notices.text import Sentence, spans

MODEL_FILE = Path(__file__).with_name("work_model.json")
MAX_CHARS = 100_000  # the sender's words read by the model (training read the same)
_URL = re.compile(r"https?://\S+")
_TOKEN = re.compile(r"\b\w\w+\b")
_URL_WORD = re.compile(r"[a-z]{3,}")
_EVIDENCE_SENTENCES = 2
# The publisher's own notes on how it processed a notice (github/dmca prints them between `---` rules: "processed in
# accordance with GitHub's prohibition on sharing unauthorized product licensing keys", "GitHub processed the takedown
# notice against the entire network"): not the sender's words, and never in a notice as it reaches the inbox, so the
# model neither learns from them nor reads them.
_PUBLISHER_LINE = re.compile(
    r"^.*(?:github (?:did not find|determined that|processed the|may process)|in accordance with github.s prohibition|"
    r"github.s acceptable use policies|^note: because the (?:parent repository|reported network)).*$",
    re.MULTILINE,
)


def terms(doc: Doc) -> Counter[str]:
    """The words the model reads: lower-cased words and word pairs of the sender's text (a URL is the word `url`),
    and `u_` + each word of three or more letters in a URL's path."""
    low = _PUBLISHER_LINE.sub(" ", doc.lower[doc.start : doc.start + MAX_CHARS])
    words = _TOKEN.findall(_URL.sub(" url ", low))
    counts = Counter(words)
    counts.update(f"{a} {b}" for a, b in itertools.pairwise(words))
    for url in _URL.findall(low):
        counts.update("u_" + w for w in _URL_WORD.findall(url.split("://", 1)[1].split("/", 1)[-1]))
    return counts


@dataclass(frozen=True)
class Model:
    idf: dict[str, float]
    coef: dict[str, float]
    intercept: float
    high: float

    def weights(self, counts: Counter[str]) -> dict[str, float]:
        """Each known term's L2-normalised tf-idf value (sublinear tf: 1 + ln count)."""
        raw = {t: (1.0 + math.log(n)) * self.idf[t] for t, n in counts.items() if t in self.idf}
        norm = math.sqrt(sum(v * v for v in raw.values())) or 1.0
        return {t: v / norm for t, v in raw.items()}

    def probability(self, counts: Counter[str]) -> float:
        z = self.intercept + sum(v * self.coef.get(t, 0.0) for t, v in self.weights(counts).items())
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


@lru_cache(maxsize=1)
def model() -> Model:
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    terms_ = data["terms"]
    return Model(
        idf={t: float(v[0]) for t, v in terms_.items()},
        coef={t: float(v[1]) for t, v in terms_.items() if v[1]},
        intercept=float(data["intercept"]),
        high=float(data["high"]),
    )


def probability(doc: Doc) -> float:
    """The model's probability that the notice identifies no copyright work of the sender's (labelled deficient)."""
    return model().probability(terms(doc))


def _weighed(doc: Doc, towards_gap: bool) -> list[Sentence]:
    """The sender's sentences whose words weigh most towards the model's status (at most two, in text order)."""
    m = model()
    sign = 1.0 if towards_gap else -1.0
    scored: list[tuple[float, int, Sentence]] = []
    limit = doc.start + MAX_CHARS
    for i, s in enumerate(doc.sentences):
        if s.end <= doc.start or s.start >= limit or _PUBLISHER_LINE.search(s.lower):
            continue
        words = _TOKEN.findall(_URL.sub(" url ", s.lower))
        seen = set(words) | {f"{a} {b}" for a, b in itertools.pairwise(words)}
        # its three heaviest terms: a long sentence (a signature block run together) does not win by length alone
        score = sum(sorted((sign * m.coef.get(t, 0.0) * m.idf.get(t, 0.0) for t in seen), reverse=True)[:3])
        if score > 0:
            scored.append((score, i, s))
    best = sorted(scored, key=lambda x: (-x[0], x[1]))[:_EVIDENCE_SENTENCES]
    return [s for _, _, s in sorted(best, key=lambda x: x[1])]


def second_reading(doc: Doc, rules: Judgement) -> Judgement:
    """The rules' `work_identification` judgement, or `deficient` where they read a work present only by its copy,
    a label, a link or the form's answer and the model is confident no copyright work is identified."""
    if rules.status != "present" or rules.note in (WORK_NAMED, WORK_DESCRIBED):
        return rules
    m = model()
    p = m.probability(terms(doc))
    if p < m.high:
        return rules
    found = _weighed(doc, towards_gap=True)
    if not found:
        return rules
    # a party may read this note (the claim's elements, its letters): it says what was judged and how, not the rules' own
    note = (
        "no copyright work of the sender's is identified: the notice's words weigh as a claim on a service, data, keys, "
        f"a mark or property in general (read by the model of labelled notices, probability {p:.2f})"
    )
    return Judgement(rules.code, "deficient", spans(doc.text, [(s.start, s.end) for s in found]), note)
