"""Table tests for the eighth round's rules (issue 20), in short synthetic texts of our own: a mail signature's
delimiter with the signer's redacted name under it; redacted lines under the addressee or a heading naming the copy;
one-letter channel labels and street lines closing a notice; the lines under a labelled signature; an oath that
swears only to the notice's accuracy; a conviction as the good-faith belief; the old filing guide's contact prompt;
a signature said to be attached; "not only" and other words about the courts in a counter notice; and the ordinary
notices a fresh-eyes review of these rules found misjudged by their first versions."""

from __future__ import annotations

import pytest

from ipclaims.notices import read_notice
from tests.notices.synthetic import GOOD_FAITH, SWORN, judged, letter
from tests.notices.test_counter_elements import counter

BODY = "Our Quillworks handbook, which we wrote, is copied at https://github.com/someone/handbook/blob/main/book.md."

DELIMITER = [
    # "-- " then the signer's redacted name alone: the name signs, it is no contact line
    (letter(BODY, "Yours faithfully,\n--\n[private]"), "missing"),
    (letter(BODY, "Kind regards,\n-- \n[private]"), "missing"),
    # ... while a name and two more redacted lines below the delimiter are the sender's details
    (letter(BODY, "Kind regards,\n--\n[private]\n[private]\n[private]"), "present"),
    (letter(BODY, "Kind regards,\n--\nMira Okafor\nmira@quillworks.example"), "present"),
]


@pytest.mark.parametrize(("text", "status"), DELIMITER)
def test_a_redacted_name_under_the_signature_delimiter_signs(text: str, status: str) -> None:
    got, evidence = judged(text, "contact_information")
    assert got == status, evidence


def test_the_delimiter_signature_quotes_the_name_line() -> None:
    got, evidence = judged(letter(BODY, "Yours faithfully,\n--\n[private]"), "signature")
    assert got == "present"
    assert "[private]" in evidence


HEAD = "Quillworks Ltd.\n\nGitHub DMCA Agent\n\n[private]\n\n[private]\n\n4 May 2024\n\nDear Sir or Madam,\n\n"
CLOSE = "Yours faithfully\n[private]\n"
LISTED = "The repository is an unlicensed release of the following:\n[private]\n[private]\n[private]\n\n"
OTHER_BLOCKS = [
    # redacted lines under the addressee (the platform's address) and under a heading about the works: not the sender's
    (f"{HEAD}{BODY}\n\n{LISTED}{GOOD_FAITH}\n\n{SWORN}\n\nYours faithfully\n[private]\n", "missing"),
    # ... but under a heading about who sends it, or with a labelled line, they are
    (
        f"{HEAD}{BODY}\n\nSubmitted by:\n[private]\n[private]\n[private]\n\n{GOOD_FAITH}\n\n{SWORN}\n\nYours faithfully\n[private]\n",
        "present",
    ),
    (f"{HEAD}{BODY}\n\n{LISTED}Email: [private]\n\n{GOOD_FAITH}\n\n{SWORN}\n\nYours faithfully\n[private]\n", "present"),
    # a block of two redacted lines after the repository's URL line (which names the platform) is still the sender's
    (
        f"Hello,\n\n{BODY}\n\nhttps://github.com/someone/handbook\n[private]\n[private]\n\n{GOOD_FAITH}\n\n{SWORN}\n\n"
        "Yours faithfully\n[private]\n",
        "present",
    ),
]


@pytest.mark.parametrize(("text", "status"), OTHER_BLOCKS)
def test_redacted_lines_under_the_addressee_or_a_works_heading(text: str, status: str) -> None:
    got, evidence = judged(text, "contact_information")
    assert got == status, evidence


CLOSING_CHANNELS = [
    # a mail signature's one-letter labels ("P", "W") close the notice: channels, not a signer's name
    (
        letter(
            BODY,
            (
                "I may be contacted at:\nName of rights owner: Quillworks Ltd.\nName and title of representative: [private]\n"
                "Address: 12 Harbour Row\nEmail: [private]\nTelephone: [private]\n12 Harbour Row, Suite 4\nSpringfield, ST 20001\n"
                "P [private]\nW quillworks.example"
            ),
        ),
        "deficient",
    ),
    # ... a redacted name alone on the last line still signs
    (letter(BODY, "Quillworks Ltd.\n12 Harbour Row\n[private]"), "present"),
]


@pytest.mark.parametrize(("text", "status"), CLOSING_CHANNELS)
def test_one_letter_channel_labels_are_no_signature(text: str, status: str) -> None:
    got, evidence = judged(text, "signature")
    assert got == status, evidence


LABELLED_SIGNATURE = [
    # "Electronic signature: [private]" signs; a name and a title printed under it are no contact details
    (letter(BODY, "Electronic signature: [private]\n\n[private]\n\n[private]"), "missing"),
    (letter(BODY, "Signature: [private]\n[private]\n[private]"), "missing"),
    # ... three lines under it are more than a name and a title
    (letter(BODY, "Signature: [private]\n[private]\n[private]\n[private]"), "present"),
    # ... and a bare redacted name with two lines under it (name, title, details) still gives the details
    (letter(BODY, "Regards,\n[private]\n[private]\n[private]"), "present"),
]


@pytest.mark.parametrize(("text", "status"), LABELLED_SIGNATURE)
def test_lines_under_a_labelled_signature(text: str, status: str) -> None:
    got, evidence = judged(text, "contact_information")
    assert got == status, evidence


OWNER = BODY
ACCURACY_ONLY = "I certify, under penalty of perjury, that the information in this notice is accurate."
ACCURACY = [
    # the oath reaches only the accuracy; the authority sits inside the good-faith belief before it
    (
        f"Hello,\n\n{OWNER}\n\nI am authorized to act for Quillworks Ltd., and I have a good faith belief that this use is not "
        f"authorized by the owner, its agent, or the law. {ACCURACY_ONLY}\n\nRegards,\nMira Okafor",
        "deficient",
    ),
    # ... or two sentences away from it
    (
        f"Hello,\n\n{OWNER}\n\nI confirm I am an authorized representative of the company. {GOOD_FAITH} Under penalty of "
        "perjury, I certify that the information in this notice is accurate.\n\nRegards,\nMira Okafor",
        "deficient",
    ),
    # sworn with it: authority in the sentence right before the oath, or an oath over the whole notice
    (
        f"Hello,\n\n{OWNER}\n\n{GOOD_FAITH} I am authorized to act for Quillworks Ltd. {ACCURACY_ONLY}\n\nRegards,\nMira Okafor",
        "present",
    ),
    (
        f"Hello,\n\n{OWNER}\n\nThe information in this notice is accurate, and I am authorized to act for Quillworks Ltd.\n\n"
        f"{GOOD_FAITH}\n\nI declare under penalty of perjury that this notification is true and correct.\n\nRegards,\nMira Okafor",
        "present",
    ),
    (letter(OWNER, "Regards,\nMira Okafor"), "present"),
    # an oath that signs the whole message reaches the declaration of authority above it
    (
        f"Hello,\n\n{OWNER}\n\nI hereby state that Quillworks Ltd. owns the rights above and that we are authorized to act on "
        f"its behalf.\n\n{GOOD_FAITH}\n\nI, Mira Okafor, hereby digitally sign this e-mail message under penalty of perjury, "
        "with the further statement under penalty of perjury that the information in the notice is accurate.\n\nRegards,\nMira Okafor",
        "present",
    ),
]


@pytest.mark.parametrize(("text", "status"), ACCURACY)
def test_the_oath_must_reach_the_authority(text: str, status: str) -> None:
    got, evidence = judged(text, "accuracy_authority_statement")
    assert got == status, evidence


def _belief_letter(belief: str) -> str:
    return f"Hello,\n\n{OWNER}\n\n{belief}\n\n{SWORN}\n\nRegards,\nMira Okafor"


BELIEFS = [
    # a firm belief in other words, covering all three prongs, with a stray "in good faith" elsewhere in the letter
    (
        "Please take any other steps that in good faith can end this. I am convinced that the material described above is "
        "not used with the permission of the owner, its agent or under applicable law.",
        "present",
    ),
    # ... but conviction that leaves out the law is not the statement
    ("I am convinced that the material described above is not used with the permission of the owner.", "deficient"),
]


@pytest.mark.parametrize(("belief", "status"), BELIEFS)
def test_a_conviction_is_a_belief(belief: str, status: str) -> None:
    got, evidence = judged(_belief_letter(belief), "good_faith_statement")
    assert got == status, evidence


OLD_GUIDE = (
    # hard-wrapped, the prompt glued to the body's last sentence as a pasted form leaves it
    "Hello,\n\n{body}\nEach day the copy stays up we lose sales.Provide information on which GitHub may contact you, including your "
    "email address, name,\ntelephone number and physical address.\n\n{answer}\n\n{gf}\n\n{sworn}\n\nRegards,\n[private]\n"
)


@pytest.mark.parametrize(
    ("answer", "status"), [("[private]", "present"), ("[private]\nQuillworks Ltd.\n[private]", "present"), ("", "missing")]
)
def test_the_old_guides_contact_prompt(answer: str, status: str) -> None:
    text = OLD_GUIDE.format(
        body=OWNER, answer=answer, gf=GOOD_FAITH, sworn=ACCURACY_ONLY.replace("accurate.", "accurate and I am the owner.")
    )
    got, evidence = judged(text, "contact_information")
    assert got == status, evidence


@pytest.mark.parametrize("marker", ["[signature attached]", "Attached is my signature!", "(Signature attached)"])
def test_a_signature_said_to_be_attached(marker: str) -> None:
    # the signed page the publisher did not show, closing the notice under the company's details and the oath
    text = (
        f"Hello,\n\n{OWNER}\n\n{GOOD_FAITH}\n\nQuillworks Ltd.\n[private]\n12 Harbour Row, Port Ellis\nadmin@quillworks.example\n"
        f"{SWORN}\nPlease act on this request promptly.\n{marker}\n"
    )
    got, evidence = judged(text, "signature")
    assert got == "present", evidence


@pytest.mark.parametrize(
    ("free_text", "status"),
    [
        # the emphatic "not only" restricts no court
        ("If you take this to court I will seek damages not only for misrepresentation but for costs too.", "present"),
        # ... while "only" the courts of another country does
        ("I accept only the courts of Norway for any dispute.", "deficient"),
    ],
)
def test_not_only_restricts_no_court(free_text: str, status: str) -> None:
    reading = read_notice(counter(intro=free_text), kind="counter_notice")
    judgement = reading.judgement("jurisdiction_consent")
    assert judgement.status == status, [s.quote for s in judgement.evidence]


# A fresh-eyes review of this round's rules found these ordinary notices misjudged by a first version of them.
REVIEWED_CONTACT = [
    (letter(OWNER, "Please send any response about the removed files to:\n[private]\n[private]\n\nRegards,\nMira Okafor"), "present"),
    (letter(OWNER, "I can be found at the following:\n[private]\n[private]\n\nRegards,\nMira Okafor"), "present"),
    (
        f"Sender:\nMira Okafor\nGitHub user: mira-ok\n[private]\n[private]\n\nDear GitHub,\n\n{OWNER}\n\n{GOOD_FAITH}\n\n{SWORN}\n",
        "present",
    ),
    (letter(OWNER, "Signature: Mira Okafor\n[private]\n[private]"), "present"),
    (letter(OWNER, "Electronic signature: /s/ Mira Okafor\n\n[private]\n\n[private]"), "present"),
]


@pytest.mark.parametrize(("text", "status"), REVIEWED_CONTACT)
def test_reviewed_contact_blocks(text: str, status: str) -> None:
    got, evidence = judged(text, "contact_information")
    assert got == status, evidence


@pytest.mark.parametrize("block", ["M Rossi\nT 020 7946 0000\nE [private]", "P Singh\nE [private]", "T Nguyen\nW quillworks.example"])
def test_an_initial_is_no_channel_label(block: str) -> None:
    got, evidence = judged(f"Hello,\n\n{OWNER}\n\n{GOOD_FAITH}\n\n{SWORN}\n\n{block}\n", "signature")
    assert got == "present", evidence


CLAIM = "I am the owner of the copyright in the Quillworks handbook."


@pytest.mark.parametrize(
    "oath",
    [
        "I declare under penalty of perjury that this notice is accurate and complete.",
        "Under penalty of perjury, I confirm that all statements in this notice are accurate.",
        "I swear under penalty of perjury that the statements made herein are true and accurate.",
        "I swear under penalty of perjury that the information in this notice is accurate and that I am permitted to act for the owner.",
        "Under penalty of perjury, I state the information in this notice is accurate. I submit it as the copyright owner.",
    ],
)
def test_oaths_that_reach_the_authority(oath: str) -> None:
    text = f"Hello,\n\n{CLAIM}\n\n{OWNER}\n\n{GOOD_FAITH}\n\n{oath}\n\nRegards,\nMira Okafor"
    got, evidence = judged(text, "accuracy_authority_statement")
    assert got == "present", evidence


@pytest.mark.parametrize(
    ("free_text", "status"),
    [
        ("I reject the jurisdiction of any U.S. court, not only the federal courts.", "deficient"),
        (
            "Any dispute belongs before the courts of Norway, and not only for reasons of cost: I will answer to no other court.",
            "deficient",
        ),
        ("I accept not only the jurisdiction of the federal court but also service of process.", "present"),
    ],
)
def test_reviewed_jurisdiction(free_text: str, status: str) -> None:
    judgement = read_notice(counter(intro=free_text), kind="counter_notice").judgement("jurisdiction_consent")
    assert judgement.status == status, [s.quote for s in judgement.evidence]
