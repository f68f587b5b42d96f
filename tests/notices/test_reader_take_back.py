"""Review fix (issue 20): free text that takes a statement back wins over it (NOTICES.md: the free-text take-back wins
over the form), for the takedown's good-faith and accuracy/authority statements as for a counter notice's mistake
statement: "I withdraw my statement that the use is not authorized", "I cannot say under penalty of perjury", "I do
not swear". Short synthetic texts of our own, beside what takes nothing back."""

from __future__ import annotations

import pytest

from ipclaims.notices import read_notice
from tests.notices.synthetic import GOOD_FAITH, SWORN, judged

CLOSE = "Regards,\nTomas Reyes\ntomas@reyes-studio.example"

BODY = 'I wrote the novel "Lowland Tide". A full copy is posted at https://github.com/copycat-dev/lowland/blob/main/book.pdf.'


@pytest.mark.parametrize(
    ("ps", "code", "status"),
    [
        ("P.S. I withdraw my statement that the use is not authorized.", "good_faith_statement", "deficient"),
        ("P.S. I no longer believe that the use is unauthorized; I may have licensed it.", "good_faith_statement", "deficient"),
        ("P.S. I cannot say that the use is not authorized.", "good_faith_statement", "deficient"),
        ("P.S. I do not have a good faith belief about this.", "good_faith_statement", "deficient"),
        (
            "P.S. On reflection I cannot say under penalty of perjury that this notice is accurate.",
            "accuracy_authority_statement",
            "deficient",
        ),
        ("P.S. I do not swear to any of the above.", "accuracy_authority_statement", "deficient"),
        ("P.S. I retract the sworn statement above.", "accuracy_authority_statement", "deficient"),
        # what takes nothing back
        ("P.S. I withdraw my previous notice about this book; this one replaces it.", "good_faith_statement", "present"),
        ("P.S. I withdraw my previous notice about this book; this one replaces it.", "accuracy_authority_statement", "present"),
        ("P.S. I can't believe they posted it without my permission.", "good_faith_statement", "present"),
        ("P.S. I cannot say how many people downloaded the unauthorized copy.", "good_faith_statement", "present"),
        ("P.S. I do not believe the use is authorized in any way.", "good_faith_statement", "present"),
        # words quoted inside the sender's sentence are not the sender's
        (
            'P.S. A colleague suggested I write "I withdraw my statement that the use is not authorized" but I will not.',
            "good_faith_statement",
            "present",
        ),
        (
            'P.S. The uploader asked me to write "I retract the sworn statement above"; I decline.',
            "accuracy_authority_statement",
            "present",
        ),
        # the sender's own words after a quotation still count
        (
            'P.S. As the uploader put it, "fair use". I withdraw my statement that the use is not authorized.',
            "good_faith_statement",
            "deficient",
        ),
    ],
)
def test_free_text_taking_a_statement_back_wins(ps: str, code: str, status: str) -> None:
    text = f"Hello,\n\n{BODY}\n\n{GOOD_FAITH}\n\n{SWORN}\n\n{CLOSE}\n\n{ps}\n"
    assert judged(text, code)[0] == status


def test_a_take_back_quotes_itself_and_clears_the_statement_field() -> None:
    text = f"Hello,\n\n{BODY}\n\n{GOOD_FAITH}\n\n{SWORN}\n\n{CLOSE}\n\nP.S. I withdraw my statement that the use is not authorized.\n"
    reading = read_notice(text, kind="claim")
    assert [s.quote for s in reading.judgement("good_faith_statement").evidence] == [
        "I withdraw my statement that the use is not authorized."
    ]
    assert reading.fields["statements"]["good_faith"] is False
    assert reading.fields["statements"]["authority_under_penalty_of_perjury"] is True


def test_a_counter_notice_withdrawing_its_mistake_statement_is_deficient() -> None:
    text = (
        "Counter notice.\n\nThe material at https://github.com/reyes-studio/tidewater was removed. I swear under penalty of "
        "perjury that I have a good faith belief that the material was removed as a result of mistake.\n\n"
        "P.S. I withdraw my statement that the removal was a mistake.\n\nTomas Reyes\n"
    )
    reading = read_notice(text, kind="counter_notice")
    assert reading.judgement("mistake_statement").status == "deficient"
