"""Sentences of an email written one sentence a line: the evidence each statement is judged on must be its own
sentence, not the one above it (a hard-wrapped or line-per-sentence message has no space after the full stop)."""

from __future__ import annotations

import pytest

from ipclaims.notices import read_notice
from ipclaims.notices.text import sentences

GOOD_FAITH = "I have a good faith belief that this use is not authorized by the copyright owner, its agent, or the law."
ACCURACY = "The information in this notification is accurate, and under penalty of perjury, I am authorized to act for the owner."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("First sentence.\nSecond sentence.", ["First sentence.", "Second sentence."]),
        ('He wrote.\n"Quoted start" follows.', ["He wrote.", '"Quoted start" follows.']),
        ("Is it?\nYes it is!", ["Is it?", "Yes it is!"]),
        # A line broken inside a sentence is one sentence; so is a line ending in a full stop before lower case.
        ("This sentence goes on\nacross two lines.", ["This sentence goes on\nacross two lines."]),
        ("See section 5.\nbelow for more.", ["See section 5.\nbelow for more."]),
    ],
)
def test_a_full_stop_at_the_end_of_a_line_ends_the_sentence_before_a_capital(text: str, expected: list[str]) -> None:
    assert [s.text for s in sentences(text)] == expected


def test_each_statement_on_its_own_line_is_quoted_as_its_own_evidence() -> None:
    text = (
        "My photograph is copied at https://platform.example/u/copycat/posts/1 from https://lumen.example/photos/1\n\n"
        f"{GOOD_FAITH}\n{ACCURACY}\n\nDana Reyes\n12 Quay Street, Portland, OR 97201\ndana@lumen.example\n/s/ Dana Reyes\n"
    )
    judged = {j.code: j for j in read_notice(text, kind="claim").judgements}
    assert [e.quote for e in judged["good_faith_statement"].evidence] == [GOOD_FAITH]
    assert judged["accuracy_authority_statement"].status == "present"
    assert ACCURACY in [e.quote for e in judged["accuracy_authority_statement"].evidence]
    assert GOOD_FAITH not in [e.quote for e in judged["accuracy_authority_statement"].evidence]


@pytest.mark.parametrize(
    ("statements", "status"),
    [
        # good faith, then the notice affirmed accurate and complete: the belief in two steps
        (f"{GOOD_FAITH}\nThe information and allegations in this notice are accurate and complete.\n", "present"),
        ("I have a bona fide belief that the information and allegations in this notice are accurate and complete.\n", "present"),
        # Art. 16(2)(d) asks for accurate AND complete: good faith with the notice only sworn accurate falls short
        (f"{GOOD_FAITH}\n{ACCURACY}\n", "deficient"),
        ("I have a bona fide belief that the information in this notice is accurate.\n", "deficient"),
        ("I act in good faith; this notice is complete.\n", "deficient"),
        # "inaccurate" and "incorrect" are not "accurate": a complete notice said not to be wrong is no belief in it
        ("I have a bona fide belief that nothing in this complete notice is inaccurate or incorrect.\n", "deficient"),
        (f"{GOOD_FAITH}\n", "deficient"),  # good faith about the use only
        ("Is the information in this notice accurate?\nWe have a good faith belief that the use is not allowed.\n", "deficient"),
        ("", "missing"),
    ],
)
def test_a_dsa_bona_fide_statement_may_take_two_sentences(statements: str, status: str) -> None:
    text = (
        "Our photograph https://lumen.example/photos/1 is copied at https://platform.example/u/copycat/posts/1 without a licence; "
        "the copy is the whole image.\n\n" + statements + "\nDana Reyes, 12 Quay Street, Portland, OR 97201\n/s/ Dana Reyes\n"
    )
    judged = {j.code: j for j in read_notice(text, kind="claim", regime="EU_DSA").judgements}
    assert judged["bona_fide_statement"].status == status


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a company's name ending in its abbreviation, over its city: one block, not two sentences
        ("Quillworks Inc.\nSan Francisco, CA 94105", ["Quillworks Inc.\nSan Francisco, CA 94105"]),
        ("Harbour Mapping Co., Ltd.\nShenzhen, China", ["Harbour Mapping Co., Ltd.\nShenzhen, China"]),
        ("Bank of Lanterns Corp.\nPortland", ["Bank of Lanterns Corp.\nPortland"]),
        # a sentence that ends in the abbreviation still ends there
        ("We are Quillworks Ltd.\nThe code is ours.", ["We are Quillworks Ltd.", "The code is ours."]),
        ("The code belongs to our company, Quillworks Software Ltd.\nPlease remove it.", None),
        # other full stops at a line end still end the sentence
        ("Signed by Tim Reyler Jr.\nNext we ask you to act.", ["Signed by Tim Reyler Jr.", "Next we ask you to act."]),
    ],
)
def test_a_line_ending_in_a_company_abbreviation_ends_no_sentence(text: str, expected: list[str] | None) -> None:
    if expected is None:
        expected = text.split("\n")
    assert [s.text for s in sentences(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a citation's abbreviation before its number goes on
        (
            "We notify you under Art. 16 of Regulation (EU) 2022/2065 about our map tiles. Please act.",
            ["We notify you under Art. 16 of Regulation (EU) 2022/2065 about our map tiles.", "Please act."],
        ),
        ("This notice follows Sec. 512 of the Act. Thank you.", ["This notice follows Sec. 512 of the Act.", "Thank you."]),
        ("See 17 U.S.C. 512(c)(3) and 17 U.S.C. Section 1201. Thanks.", ["See 17 U.S.C. 512(c)(3) and 17 U.S.C. Section 1201.", "Thanks."]),
        ("Our tiles are registered (U.S. Reg. No. 5550123). Remove them.", None),
        ("Our guide is registered as No. TX 9-000-111 since 2020. Remove it.", None),
        ("Die Karte ist nach § 2 Abs. 1 Nr. 7 UrhG geschützt, vgl. para. 3 und Reg. (EU) 2019/790. Bitte entfernen.", None),
        # "cf.", "e.g." and "i.e." go on before a name as well
        ("Our engine is copied, e.g. Harbour Tiles, i.e. The Quay Pack. Please act.", None),
        ("Compare the two, cf. Quay Maps v2. Please act.", ["Compare the two, cf. Quay Maps v2.", "Please act."]),
        # real sentence ends stay: an answer "No.", the country at a sentence's end
        ("Did we license it? No. The copy is unlicensed.", ["Did we license it?", "No.", "The copy is unlicensed."]),
        ("We sell the maps in the U.S. The copy is unlicensed.", ["We sell the maps in the U.S.", "The copy is unlicensed."]),
    ],
)
def test_an_abbreviation_before_its_number_or_a_name_ends_no_sentence(text: str, expected: list[str] | None) -> None:
    if expected is None:
        head, tail = text.rsplit(". ", 1)
        expected = [head + ".", tail]
    assert [s.text for s in sentences(text)] == expected


def test_a_statement_citing_a_section_is_quoted_whole() -> None:
    text = (
        "My photograph is copied at https://platform.example/u/copycat/posts/1 from https://lumen.example/photos/1\n\n"
        f"As Sec. 512 asks, {GOOD_FAITH[0].lower()}{GOOD_FAITH[1:]}\n{ACCURACY}\n\nDana Reyes\ndana@lumen.example\n"
    )
    judged = read_notice(text, kind="claim").judgement("good_faith_statement")
    assert judged.status == "present"
    assert [e.quote for e in judged.evidence] == [f"As Sec. 512 asks, {GOOD_FAITH[0].lower()}{GOOD_FAITH[1:]}"]
