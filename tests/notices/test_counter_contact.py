"""Table tests for the subscriber's contact in a counter notice (issue 20, fourth round), synthetic text in our own
words: "I live in:" labels an address; the consent sentence's "the district in which my address is located" points at
no contact details; a redacted line between the mistake statement and the consent fills the statute's slot."""

from __future__ import annotations

import pytest

from ipclaims.notices import read_notice

MISTAKE = (
    "I swear, under penalty of perjury, that I have a good-faith belief that the material was removed or disabled as a "
    "result of a mistake or misidentification of the material to be removed or disabled."
)
CONSENT = (
    "I consent to the jurisdiction of Federal District Court for the judicial district in which my address is located, "
    "and I will accept service of process from the person who provided the DMCA notification."
)
CONSENT_CA = (
    "I consent to the jurisdiction of Federal District Court for the judicial district of California, and I will accept "
    "service of process from the person who provided the notification."
)
OPENING = "Hello,\n\nThe removed repository is https://github.com/someone/tool and it is my own work.\n\n"

CASES = [
    # an address labelled in words, and a mobile number, both redacted
    (
        f"my name is [private]\nI live in:\n[private]\nmobile: [private]\n\n{OPENING}{MISTAKE}\n\n{CONSENT}\n\nThanks\n[private]\n",
        "present",
    ),
    # the only redacted values come after the consent: a name and a signature, no details
    (f"{OPENING}{MISTAKE}\n\n{CONSENT}\n\n[private]\n\nRespectfully,\n[private]\n", "missing"),
    # a redacted block sits between the mistake statement and the consent, where the statute lists the details
    (f"{OPENING}{MISTAKE}\n\n[private]\n\n{CONSENT_CA}\n\nRegards, [private]\n", "present"),
    # the consent sentence that also asks for the details (a quoted statutory item) still points at them
    (
        f"{OPENING}{MISTAKE}\n\n> Your name, address, and telephone number, and that you consent to the jurisdiction of "
        "the Federal District Court.\n\n[private]\n\nI consent to the jurisdiction of Federal District Court.\n",
        "present",
    ),
]


@pytest.mark.parametrize(("text", "want"), CASES)
def test_subscriber_contact(text: str, want: str) -> None:
    judgement = read_notice(text, kind="counter_notice").judgement("subscriber_contact")
    assert judgement.status == want
    for span in judgement.evidence:
        assert text[span.start : span.end] == span.quote
