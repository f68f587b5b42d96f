"""Table tests for how a notice is signed and where its sender's details sit (issue 20, fourth round), each from
synthetic text in our own words: a dash before the closing name, a closing word and the name on the line that ends the
body, a redacted name opening the closing block, a statement that the message carries a digital signature, a contact
heading without a colon, "I am NAME," naming the sender only in the opening, and lines ended by lone carriage returns."""

from __future__ import annotations

import pytest

from ipclaims.notices import read_notice

BODY = (
    "Dear GitHub,\n\nThe repository https://github.com/someone/copied-tool copies our Lanternfish mapping library.\n\n"
    "I have a good faith belief that this use is not authorized by the copyright owner, its agent, or the law.\n\n"
    "I swear, under penalty of perjury, that the information in this notice is accurate and that I am authorized to act "
    "on behalf of the owner.\n\n"
)


def status(text: str, code: str, kind: str = "claim") -> str:
    judgement = read_notice(text, kind=kind).judgement(code)
    for span in judgement.evidence:
        assert text[span.start : span.end] == span.quote
    return judgement.status


SIGNATURES = [
    # a dash before the closing name, as many mails sign
    ("You can write to me at ops@lanternfish.example.org.\n\n-[private]\n", "present"),
    ("You can write to me at ops@lanternfish.example.org.\n\n— Tomas Reyler\n", "present"),
    # the closing word and the name on the last line of the body
    ("Mail me at ops@lanternfish.example.org. Thank you for your help.  Sincerely,  [private]\n", "present"),
    ("Mail me at ops@lanternfish.example.org. Kind regards, Tomas Reyler\n", "present"),
    # a redacted name opens the closing block, the company and its address follow
    ("[private]\n\nLanternfish Mapping\n12 Harbour Road\nPortsmouth, NH 03801\nphone: [private]\n", "present"),
    # the message says it is signed digitally; the signature itself was stripped on publication
    ("Mail me at ops@lanternfish.example.org.\n\nThis message is signed using PGP as my digital signature.\n", "present"),
    # the publisher's placeholder for a handwritten signature under the company's name
    ("Mail me at ops@lanternfish.example.org.\n\nTruthfully,\nLanternfish Mapping Ltd.\n[Signed]\n", "present"),
    ("Mail me at ops@lanternfish.example.org.\n\nTruthfully,\nLanternfish Mapping Ltd.\n", "deficient"),
    # a signature heading that says what it signs for, the redacted name under its title line
    (
        "Mail me at ops@lanternfish.example.org.\n\nDIGITAL SIGNATURE FOR COPYRIGHT CLAIM\nAuthorised agent for Lanternfish "
        "Mapping.\n[private]\n",
        "present",
    ),
    # the only redacted value sits under a contact heading without a colon: a contact line, nothing signs
    ("Contact info\n[private]\n", "deficient"),
    ("My contact details\n[private]\n", "deficient"),
]


@pytest.mark.parametrize(("closing", "want"), SIGNATURES)
def test_closing_signs(closing: str, want: str) -> None:
    assert status(BODY + closing, "signature") == want


def test_a_dash_list_item_mid_body_does_not_sign() -> None:
    files = "- the file util.c\n- the file main.c\n\nMail: ops@lanternfish.example.org\n"
    text = BODY.replace("copies our", "copies (see below) our") + files
    assert status(text, "signature") == "missing"


COUNTER = (
    "This is my counter notification.\n\n1. I am [private], the author of the removed material.\n\n"
    "2. The material was at https://github.com/someone/copied-tool\n\n"
    "3. I state under penalty of perjury that I have a good faith belief that the material was removed as a result of "
    "a mistake or misidentification.\n\n4. My contact info:\n\n[private]\n\n"
    "I consent to the jurisdiction of Federal District Court for the judicial district in which my address is located, "
    "and I will accept service of process from the person who provided notification.\n"
)


def test_sender_named_only_in_the_opening_is_a_deficient_signature() -> None:
    assert status(COUNTER, "signature", kind="counter_notice") == "deficient"


def test_lone_carriage_returns_end_lines() -> None:
    text = (BODY + "Mail me at ops@lanternfish.example.org.\n\nSincerely,\n\n[private]\n").replace("\n", "\r")
    assert status(text, "signature") == "present"
    assert status(text, "contact_information") == "present"


CONTACT = [
    # "I can be reached at [private]": the pointer and the redacted channel in one sentence
    ("I can be reached at the number on this page, or at [private].\n\nThanks for your help,\n[private]\nLanternfish Ltd.\n", "present"),
    # "(signed)" before the redacted name is no title: the name and one more redacted line are a name and title
    ("Please remove the files soon.\n\n(signed) [private]\n[private]\n", "missing"),
    # a real title on the name line leaves the next redacted line to the details
    ("Please remove the files soon.\n\n[private], Counsel\n[private]\n", "present"),
]


@pytest.mark.parametrize(("closing", "want"), CONTACT)
def test_closing_contact(closing: str, want: str) -> None:
    assert status(BODY + closing, "contact_information") == want


def test_a_redacted_value_announced_by_the_last_sentence_does_not_sign() -> None:
    """ "... at the following email address." over "[private]" gives the redacted address, not a signer's name: an
    unsigned notice stays unsigned (it read present, '[private]' as the name)."""
    text = (
        "The repository https://github.com/thief/copy is a copy of my work at https://github.com/me/orig .\n\n"
        "I have a good faith belief that use of the material in the manner complained of is not authorized by the "
        "copyright owner, its agent, or the law.\n\n"
        "I swear, under penalty of perjury, that the information in this notification is accurate and that I am the "
        "copyright owner.\n\n"
        "You can contact me about this matter at the following email address.\n[private]\n\n"
        "Please note that this repository has been forked many times\nand the forks also carry my code without its "
        "licence\nso each of them should be disabled as well\n"
    )
    reading = read_notice(text, regime="US_DMCA", kind="claim")
    assert reading.judgement("signature").status == "missing"
