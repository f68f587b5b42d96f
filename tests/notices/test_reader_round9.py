"""Table tests for the ninth round's work rules (issue 20), in short synthetic texts of our own: every reported file a
licence file a product reads to unlock itself; notes on the sender's protocol; the material claimed as an internal
secret or a security risk, with no copyright in it claimed; proprietary intellectual property or material in general.
Each deficient case stands beside the ordinary notice it must not catch."""

from __future__ import annotations

import pytest

from tests.notices.synthetic import form, judged, letter

CLOSE = "Regards,\nMira Okafor\nmira@quillworks.example"
ORIGINAL = "Quillmail is a mail component we sell at https://quillworks.example/quillmail, unlocked by a licence file."
LICENCE_URLS = (
    "https://github.com/someone/shop/blob/main/bin/QuillmailLicense.xml\n"
    "https://github.com/someone/shop/blob/main/QuillmailLicense.xml\n"
    "https://github.com/other/crm/blob/master/lib/quillmail.lic"
)
LICENCE_FILES = [
    # every reported file is a licence file: the key to the work, not a copy of it
    (form(ORIGINAL, LICENCE_URLS), "deficient"),
    (form(ORIGINAL, "https://github.com/someone/app/blob/main/config/licenses.licx"), "deficient"),
    # one reported file is the component itself: a copy of the work is reported too
    (form(ORIGINAL, LICENCE_URLS + "\nhttps://github.com/someone/shop/blob/main/lib/Quillmail.dll"), "present"),
    # an open-source licence text names terms, it unlocks nothing
    (form(ORIGINAL, "https://github.com/someone/shop/blob/main/LICENSE.txt"), "present"),
    (form(ORIGINAL, "https://github.com/someone/shop/blob/main/LICENSE"), "present"),
    # the sender says it wrote what was copied: a work described, whatever the files are called
    (form("We wrote the Quillmail component; this file is copied from our code.", LICENCE_URLS), "present"),
    # a licence file on the sender's own site is no reported file: the platform's files are what count
    (
        form(ORIGINAL, "https://github.com/someone/shop/blob/main/src/Mailer.cs\nhttps://quillworks.example/QuillmailLicense.xml"),
        "present",
    ),
]


@pytest.mark.parametrize(("text", "status"), LICENCE_FILES)
def test_reported_licence_files_are_keys_not_the_work(text: str, status: str) -> None:
    got, evidence = judged(text, "work_identification")
    assert got == status, evidence


def test_the_licence_file_judgement_quotes_the_urls() -> None:
    got, evidence = judged(form(ORIGINAL, LICENCE_URLS), "work_identification")
    assert got == "deficient"
    assert "QuillmailLicense.xml" in evidence and "quillworks.example/quillmail," not in evidence


PROTOCOL = [
    # the reported pages document how the sender's service talks: no copy of a work
    (
        letter(
            "The reported gist contains protocol documentation based on our messaging app Chatterbox, and infringes our "
            "copyrighted source code. https://gist.github.com/someone/0a1b2c3d",
            CLOSE,
        ),
        "deficient",
    ),
    (
        letter("These pages are notes on the Chatterbox unofficial API: https://gist.github.com/someone/0a1b2c3d", CLOSE),
        "deficient",
    ),
    # ... unless the sender says it made what was copied
    (
        letter(
            "We developed the Chatterbox client; the reported gist copies our code and its protocol documentation. "
            "https://gist.github.com/someone/0a1b2c3d",
            CLOSE,
        ),
        "present",
    ),
    # a protocol as the subject of the sender's own book is a work named
    (
        letter(
            'Our book "Protocols in Practice" is copied at https://github.com/someone/books/blob/main/protocols.pdf.',
            CLOSE,
        ),
        "present",
    ),
]


@pytest.mark.parametrize(("text", "status"), PROTOCOL)
def test_notes_on_the_senders_protocol_are_no_work(text: str, status: str) -> None:
    got, evidence = judged(text, "work_identification")
    assert got == status, evidence


BANK = (
    "We are the security provider of Tern Bank. The following links involve Tern Bank's internal service interfaces "
    "and internal code information. {claim} Please delete this code as soon as possible.\n\n"
    "https://github.com/someone/demo/blob/main/App/TernBankModel.swift#L11"
)
SECURITY = [
    # the material is claimed as a secret that endangers the bank, not as a work
    (letter(BANK.format(claim="These are Tern Bank's internal secrets and pose security risks to it and its users."), CLOSE), "deficient"),
    (letter(BANK.format(claim="This information is private and poses a security risk to the bank."), CLOSE), "deficient"),
    # copyright in the code claimed beside the risk: the bank's own code, shown through its copy
    (
        letter(
            BANK.format(claim="The code poses a security risk to the bank. This copyright belongs to Tern Bank."),
            CLOSE,
        ),
        "present",
    ),
    (
        letter(
            BANK.format(claim="The copyrights of these systems are owned by the bank, and they pose a security risk."),
            CLOSE,
        ),
        "present",
    ),
    # a work said to be copied, whatever the risk
    (
        letter(
            "Our team developed the Tern Bank app; the reported repository copies it and poses a security risk to our "
            "users. https://github.com/someone/demo",
            CLOSE,
        ),
        "present",
    ),
]


@pytest.mark.parametrize(("text", "status"), SECURITY)
def test_an_internal_secret_or_security_risk_is_no_work(text: str, status: str) -> None:
    got, evidence = judged(text, "work_identification")
    assert got == status, evidence


PROPRIETARY = [
    # proprietary intellectual property or material in general: no work named
    (
        letter(
            "The repository https://github.com/someone/tool violates the copyright protections of proprietary "
            "intellectual property solely owned by Acme Planning, Inc.",
            CLOSE,
        ),
        "deficient",
    ),
    (
        letter(
            "We found that proprietary material belonging to the company is available at https://github.com/someone/tool.",
            CLOSE,
        ),
        "deficient",
    ),
    # proprietary software of the sender, said to be copied: a work described
    (
        letter(
            "The repository https://github.com/someone/tool is a copy of our proprietary Acme Planner software.",
            CLOSE,
        ),
        "present",
    ),
    (
        letter(
            "The files at https://github.com/someone/tool/blob/main/plan.py reproduce the source code of our proprietary "
            "intellectual property, the Acme Planner.",
            CLOSE,
        ),
        "present",
    ),
]


@pytest.mark.parametrize(("text", "status"), PROPRIETARY)
def test_proprietary_property_in_general_is_no_work(text: str, status: str) -> None:
    got, evidence = judged(text, "work_identification")
    assert got == status, evidence


C = "Regards,\nAnn Lee\nann@x.example"
G = "https://github.com/someone/repo/blob/main/"
REVIEWED = [
    # a fresh-eyes review's texts: the sender's own notes, books and courses about a protocol are works
    (
        letter(
            "Our protocol documentation for the Relay API, published at https://relay.example/docs/protocol, is "
            f"reproduced verbatim at {G}PROTOCOL.md",
            C,
        ),
        "present",
    ),
    (
        letter(
            "Our lecture notes on the TCP protocol, from the Networking 101 course at "
            f"https://uni.example/net101, are posted in full at {G}net101.pdf",
            C,
        ),
        "present",
    ),
    (
        form(
            'Our handbook of protocol notes, "Field Notes on the Modbus Protocol", sold at https://books.example/modbus.', f"{G}modbus.pdf"
        ),
        "present",
    ),
    (
        letter(
            'The repository is a mirror of our paid course "Network Protocols". Its chapter notes on the HTTP '
            f"protocol are copied word for word: {G}ch3.md",
            C,
        ),
        "present",
    ),
    # ... while someone's notes on the sender's protocol or private API, in other words, are not
    (
        letter("These gists document the Chatterbox protocol and its unofficial API: https://gist.github.com/someone/0a1b2c3d", C),
        "deficient",
    ),
    (
        letter("The reported gist is a write-up of the private API our app Chatterbox uses: https://gist.github.com/someone/0a1b2c3d", C),
        "deficient",
    ),
    # a risk sentence beside the sender's own code, product or named work: the work is described
    (
        letter(
            f"The repository {G}src contains our internal source code for the Tern Pay app. Its publication poses "
            "a security risk to our customers.",
            C,
        ),
        "present",
    ),
    (
        form(
            "Tern Pay, our Android banking app (https://ternbank.example/app). Publishing it poses a serious security risk to our users.",
            f"{G}TernPay.java",
        ),
        "present",
    ),
    (letter(f'Our app "Tern Pay" v3.2 was leaked at {G}TernPay.java and this poses a security risk to the bank.', C), "present"),
    (
        letter(f"The leaked files at {G}core are our proprietary software, Tern Core. They pose a security risk to our clients.", C),
        "present",
    ),
    (
        form(
            "Source code of the Tern Pay app, the bank's internal project (https://git.ternbank.example/pay). "
            "These are the bank's internal secrets.",
            f"{G}Pay.swift",
        ),
        "present",
    ),
    # no risk is no risk claimed
    (
        letter(
            f"The repository {G}app holds Tern Bank interface code; it poses no security risk, but it infringes.",
            CLOSE,
        ),
        "present",
    ),
    # ... and the risk or the secret said in other words, with nothing of the sender's named
    (
        letter(
            "We are the security provider of Tern Bank. The following links expose Tern Bank's internal service "
            f"interfaces and are a security risk to the bank and its users. {G}App/Model.swift",
            C,
        ),
        "deficient",
    ),
    (
        letter(
            "We are the security provider of Tern Bank. These are internal secrets of Tern Bank and endanger its "
            f"users. {G}App/Model.swift",
            C,
        ),
        "deficient",
    ),
    # proprietary material of a named course is that course
    (letter(f"Proprietary materials from the Acme Sales Academy training course are posted at {G}academy/.", C), "present"),
    (
        letter(
            "The repository https://github.com/someone/tool publishes proprietary material of Acme Planning, Inc. without permission.", C
        ),
        "deficient",
    ),
]


@pytest.mark.parametrize(("text", "status"), REVIEWED)
def test_the_reviews_texts(text: str, status: str) -> None:
    got, evidence = judged(text, "work_identification")
    assert got == status, evidence


def _plain(body: str, statements: str, closing: str = CLOSE) -> str:
    return f"Hello,\n\n{body}\n\n{statements}\n\n{closing}\n"


OWN_WORK = "Our Quillworks handbook, which we wrote, is copied at https://github.com/someone/handbook/blob/main/book.md."
SWORN_ONLY = (
    "I swear, under penalty of perjury, that the information in this notice is accurate and that I am authorized to act for the owner."
)
CONFIRMED = [
    # the owner confirms (more than believes) that the use is authorised by nobody: owner, agent and law covered
    (
        _plain(OWN_WORK, f"I hereby confirm that this material is not authorized by the owner, its agent, or the law. {SWORN_ONLY}"),
        "present",
    ),
    (_plain(OWN_WORK, f"We certify that the use is not authorised by the copyright owner, its agent or the law. {SWORN_ONLY}"), "present"),
    # a confirmation of something else is no belief about authorisation
    (_plain(OWN_WORK, f"I hereby confirm that I am the owner of the handbook. {SWORN_ONLY}"), "missing"),
    # a confirmation covering the owner alone is as deficient as such a belief
    (_plain(OWN_WORK, f"I confirm that this use is not authorized by the copyright owner. {SWORN_ONLY}"), "deficient"),
]


@pytest.mark.parametrize(("text", "status"), CONFIRMED)
def test_a_confirmation_that_nobody_authorised_the_use_is_the_belief(text: str, status: str) -> None:
    got, evidence = judged(text, "good_faith_statement")
    assert got == status, evidence


ADDRESSEE = "GitHub, Inc.\n\nAttn: DMCA Agent\n\n88 Colin P Kelly Jr St\n\nSan Francisco, CA 94107\n\nDear GitHub,\n\n"
STATEMENTS = "I have a good faith belief that this use is not authorized by the copyright owner, its agent, or the law. " + SWORN_ONLY
RECIPIENT_LINES = [
    # the platform's address written one line a paragraph is where the notice went: the sender gave no channel
    (f"{ADDRESSEE}{OWN_WORK}\n\n{STATEMENTS}\n\nThank you,\n\n[private]\n", "missing"),
    # ... and the sender's own address, one line a paragraph under its name, is still the sender's
    (
        f"{ADDRESSEE}{OWN_WORK}\n\n{STATEMENTS}\n\nThank you,\n\nMira Okafor\n\nQuillworks Ltd.\n\n12 Harbour Road\n\nBristol BS1 4QA\n",
        "present",
    ),
]


@pytest.mark.parametrize(("text", "status"), RECIPIENT_LINES)
def test_the_platforms_address_one_line_a_paragraph_is_no_contact(text: str, status: str) -> None:
    got, evidence = judged(text, "contact_information")
    assert got == status, evidence


SECOND_REVIEW = [
    # a second review's texts: "confirm" that is no statement about authorisation
    (
        _plain(
            OWN_WORK,
            f"We confirm receipt of your email saying the fork is not authorized by the owner, its agent, or the law. {SWORN_ONLY}",
        ),
        "good_faith_statement",
        "missing",
    ),
    (
        _plain(
            OWN_WORK, f"If we confirm that the fork is not licensed by the owner, its agent, or the law, we will write again. {SWORN_ONLY}"
        ),
        "good_faith_statement",
        "missing",
    ),
    (
        _plain(OWN_WORK, f"Nor can I confirm that this use is not authorized by the owner, its agent, or the law. {SWORN_ONLY}"),
        "good_faith_statement",
        "missing",
    ),
    # the sender's own address in its closing, below a line naming an agent or the platform, is the sender's
    (
        _plain(OWN_WORK, STATEMENTS, "Regards,\n\nAnn Lee\n\nDMCA agent for Acme Corp\n\n12 Main Street\n\nSpringfield, IL 62704"),
        "contact_information",
        "present",
    ),
    (
        _plain(OWN_WORK, STATEMENTS, "Thank you, GitHub, Inc.!\n\nAnn Lee\n12 Main Street\nSpringfield, IL 62704"),
        "contact_information",
        "present",
    ),
    # ... and so is a sender's block under "From:" in a letter's head, below the platform's address
    (
        "GitHub, Inc.\nAttn: DMCA Agent\n88 Colin P. Kelly Jr. Street\nSan Francisco, CA 94107\n\nFrom:\nAnn Lee\n12 Main Street\n"
        f"Springfield, IL 62704\n\n{OWN_WORK}\n\n{STATEMENTS}\n\nRegards,\nAnn Lee\n",
        "contact_information",
        "present",
    ),
]


@pytest.mark.parametrize(("text", "code", "status"), SECOND_REVIEW)
def test_the_second_reviews_texts(text: str, code: str, status: str) -> None:
    got, evidence = judged(text, code)
    assert got == status, evidence
