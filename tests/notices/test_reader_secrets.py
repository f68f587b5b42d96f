"""Table tests for the secrets rule of the fourth round (issue 20), synthetic text in our own words: a web-form notice
whose "original work" is only leaked internal addresses, passwords and "sensitive information" names no copyright
work, even when the form's "original work" URL points at a specific file; "sensitive" beside the sender's source code
qualifies the code and does not make it a secret."""

from __future__ import annotations

import pytest

from ipclaims.notices import read_notice

FORM = (
    "**Please provide a detailed description of the original copyrighted work that has allegedly been infringed.**\n\n"
    "{work}\n\n"
    "**If the original work referenced above is available online, please provide a URL.**\n\n"
    "https://github.com/harbourline/payments-core/blob/main/settings.yml\n\n"
    "**Please provide a URL to the infringing material.**\n\nhttps://github.com/someone/dump/blob/main/settings.yml\n\n"
    "**Is the work licensed under an open source license?**\n\nNo\n\n"
    "**I have a good faith belief that use of the copyrighted materials described above on the infringing web pages is "
    "not authorized by the copyright owner, or its agent, or the law.**\n\n"
    "**I swear, under penalty of perjury, that the information in this notification is accurate and that I am the "
    "copyright owner, or am authorized to act on behalf of the owner.**\n\n"
    "**So that we can get back to you, please provide either your telephone number or physical address.**\n\n"
    "[private]\n\n**Please type your full name for your signature.**\n\n[private]\n"
)

CASES = [
    (
        "Last spring a user posted the internal network address, service endpoints and database passwords of Harbourline "
        "Payments. Our staff confirmed that this is the company's sensitive information.",
        "deficient: secrets",
    ),
    (
        "A former employee posted the internal source code of Harbourline Payments, which is sensitive information of "
        "the company. Our staff confirmed that the code is ours.",
        "present",
    ),
    ("A user posted the sensitive information of our company, copied from our internal wiki pages.", "present"),
]


@pytest.mark.parametrize(("work", "want"), CASES)
def test_sensitive_information_alone_is_no_work(work: str, want: str) -> None:
    text = FORM.format(work=work)
    judgement = read_notice(text, kind="claim").judgement("work_identification")
    status, _, reason = want.partition(": ")
    assert judgement.status == status
    assert reason in judgement.note  # judged as a secret, not only as information in general
    for span in judgement.evidence:
        assert text[span.start : span.end] == span.quote


CONFIDENTIAL_BESIDE_CODE = (
    "**Please describe the nature of your copyright ownership or authorization to act on the owner's behalf.**\n\n"
    "I handle such requests at Harbourline. Harbourline intellectual property, including confidential data, must not "
    "leave the internal network.\n\n"
    "**Please provide a detailed description of the original copyrighted work that has allegedly been infringed.**\n\n"
    "{work}\n\n"
    "**What files should be taken down?**\n\nhttps://github.com/someone/dump/blob/main/src/Ledger.cs\n\n"
    "**Is the work licensed under an open source license?**\n\nNo\n\n"
    "**Please type your full legal name below to sign this request.**\n\n[private]\n"
)


@pytest.mark.parametrize(
    ("work", "want"),
    [
        # the form's answer describes a kind of work: present, whatever another answer says of confidential data
        ("Harbourline application source code, as legacy .NET libraries, was reused in a trading tool.", "present"),
        # the answer itself names only information: still no work
        ("Harbourline internal information and confidential data were found in the upload.", "deficient"),
    ],
)
def test_the_forms_work_answer_outweighs_confidential_data_elsewhere(work: str, want: str) -> None:
    text = CONFIDENTIAL_BESIDE_CODE.format(work=work)
    assert read_notice(text, kind="claim").judgement("work_identification").status == want
