"""Table tests for the gap rules of the generalising round of 2026-12-06 (issue 20), each from synthetic text in our
own words: a notice whose material is keys, cracks, secrets or collected records names no copyright work; a sender
saying it made the work names one; two bare redacted lines signing off the body are a name and title, not contact."""

from __future__ import annotations

import pytest

from ipclaims.notices import read_notice

STATEMENTS = (
    "I have a good faith belief that this use is not authorized by the copyright owner, its agent, or the law.\n\n"
    "I swear, under penalty of perjury, that the information in this notice is accurate and that I am authorized to act "
    "on behalf of the owner.\n\n"
)
LOCATION = "The material is at https://github.com/someone/stuff/blob/main/notes.txt and must go.\n\n"
CLOSING = "Write to me at legal@quillworks.example.com.\n\nSincerely,\nMara Quill\n"


def takedown(body: str, closing: str = CLOSING) -> str:
    return "Dear GitHub,\n\n" + body + "\n\n" + LOCATION + STATEMENTS + closing


def judged(text: str, code: str) -> tuple[str, str]:
    judgement = read_notice(text, kind="claim").judgement(code)
    quoted = " ".join(span.quote for span in judgement.evidence)
    for span in judgement.evidence:
        assert text[span.start : span.end] == span.quote
    return judgement.status, quoted


WORK = [
    # keys, cracks and activation codes: the sender's product is named, but what was put up is no copy of it
    (
        "Our company sells the Quillworks editor. Serial keys for the editor are posted in the file below. "
        "Please also remove the keygen that produces further serial keys.",
        "deficient",
        "Serial keys",
    ),
    (
        "The Quillworks suite is proprietary software of our company. The files below hold a crack that removes the trial "
        "limit. They also explain how to reset the trial so that the crack keeps working.",
        "deficient",
        "crack",
    ),
    # secrets and collected records, even when the word "code" appears beside them
    (
        "A former contractor uploaded confidential internal code of ours. It holds database passwords and payment details "
        "of our bank customers. The configuration information in it is not public.",
        "deficient",
        "passwords",
    ),
    (
        "The repository republishes customer records gathered by our firm. It lists 40 000 customer records with their addresses.",
        "deficient",
        "records",
    ),
    # the sender says it made the work: present, whatever the work holds
    (
        "We developed the Quillworks editor ourselves. The file below copies our source code, including two licence keys "
        "from our tests. It also holds our database passwords.",
        "present",
        "",
    ),
    # a title that happens to hold one of the words is no description of the material
    ('The file below is a pirated copy of our book "Cracking the Password Riddle".', "present", ""),
    # one passing mention does not turn a copied work into a secret
    ("The file below copies our manual for the Quillworks editor, including the page about licence keys.", "present", ""),
    # "created by" the sender outweighs calling the code business information
    (
        "The code is the intellectual property and proprietary business information created by Quillworks Ltd.",
        "present",
        "",
    ),
]


@pytest.mark.parametrize(("body", "want", "quoted"), WORK)
def test_work_is_no_secret_key_or_record(body: str, want: str, quoted: str) -> None:
    status, evidence = judged(takedown(body), "work_identification")
    assert status == want
    assert quoted.lower() in evidence.lower()


CONTACT = [
    # two bare redacted lines right after a sentence of the body: the (quoted) writer's name and title signing off
    (
        "Our client wrote to us about it:\n\nFrom: [private]\nI found our project code on GitHub and I think it should "
        "not be public at all.\n\n[private]\n\n[private]\n\nPlease act on this.",
        "Best regards,\nMara Quill\nQuillworks\n",
        "missing",
    ),
    # the same two lines heading the letter (a letterhead) are its sender's details
    ("We found our project code on GitHub and it should not be public at all.", "Best regards,\nMara Quill\nQuillworks\n", "missing"),
    # three redacted lines in a row are a block of details wherever they are
    (
        "We found our project code on GitHub and it should not be public at all.\n\n[private]\n[private]\n[private]\n\nPlease act on this.",
        "Best regards,\nMara Quill\nQuillworks\n",
        "present",
    ),
]


@pytest.mark.parametrize(("body", "closing", "want"), CONTACT)
def test_redacted_lines_signing_off_are_no_contact(body: str, closing: str, want: str) -> None:
    status, _ = judged(takedown(body, closing), "contact_information")
    assert status == want


def test_a_redacted_letterhead_pair_is_contact() -> None:
    text = "[private]\n[private]\n\n" + takedown("We found our project code on GitHub.", "Best regards,\nMara Quill\n")
    assert judged(text, "contact_information")[0] == "present"


SIGNATURE = [
    ("Thank you.\n\ns/ [private]\nQuillworks\n", "present"),
    ("Thank you.\n\ns/ Mara Quill\n", "present"),
    ("Thank you.\n\nSee attached for signature.\n", "present"),
    ("Thank you.\n\n9. Signed copy attached\n", "present"),
    # a path or a plural before a slash is no `s/` mark; nothing else closes this one
    ("Thank you, the files are in docs/ and tools/ on the branch.\n", "missing"),
]


@pytest.mark.parametrize(("closing", "want"), SIGNATURE)
def test_short_signing_marks(closing: str, want: str) -> None:
    text = "Dear GitHub,\n\nOur manual for the Quillworks editor was copied.\n\n" + LOCATION + STATEMENTS + closing
    assert judged(text, "signature")[0] == want


COUNTER_BASE = (
    "This is a counter notice about my repository, which was disabled last week.\n\n{material}\n\n"
    "I swear, under penalty of perjury, that I have a good faith belief that the material was removed as a result of "
    "mistake or misidentification.\n\n"
    "I consent to the jurisdiction of the Federal District Court for the judicial district in which my address is located.\n\n"
    "I will accept service of process from the person who provided the notification or an agent of such person.\n\n"
    "Address: 4 Birch Lane, Tromsø 9008, Norway\nPhone: +47 912 34 567\n\nRegards,\nIngrid Solberg\n"
)

COUNTER_MATERIAL = [
    # a page off the platform where the work was first released is its origin, not the material that was removed
    ("The code was released under the GPL on my forum, as per this web page: https://forum.example.org/t/tiles.55/", "missing"),
    # the same page with the removed repository named as owner/name
    ("What was taken down:\nquietfox/tilemap-tools\n\nIt was released on my forum: https://forum.example.org/t/tiles.55/", "present"),
    # an off-platform address of the removed material itself still identifies it
    ("The removed page was https://code.example.net/quietfox/tilemap-tools/issues/3", "present"),
]


@pytest.mark.parametrize(("material", "want"), COUNTER_MATERIAL)
def test_counter_material_is_on_the_platform_not_at_its_origin(material: str, want: str) -> None:
    reading = read_notice(COUNTER_BASE.format(material=material), kind="counter_notice")
    assert reading.judgement("material_identification").status == want


GOOD_FAITH = "I have a good faith belief that this use is not authorized by the copyright owner, its agent, or the law.\n\n"
WORK_AND_PLACE = "Dear GitHub,\n\nOur manual for the Quillworks editor was copied.\n\n" + LOCATION

CLOSING_CONTACT = [
    # a pointer to the signature, then a closing word, then one redacted line: that line is the signer's name
    ("My contact details are in the signature below.\n\nSincerely,\n[private]\n", "missing"),
    # the redacted value straight under the pointer fills the slot, whatever closes the letter afterwards
    ("My name, address, and telephone number are as follows:\n\n[private]\n\nSincerely,\n[private]\n", "present"),
]


@pytest.mark.parametrize(("closing", "want"), CLOSING_CONTACT)
def test_a_closing_word_ends_the_contact_slot(closing: str, want: str) -> None:
    text = WORK_AND_PLACE + STATEMENTS + closing
    assert judged(text, "contact_information")[0] == want


OATHS = [
    # accuracy sworn, authority only in a later sentence outside the oath
    (
        "We certify, under penalty of perjury, that the information in this notice is correct. "
        "We also have the authority to act on behalf of Quillworks Ltd.",
        "deficient",
    ),
    # both under the oath
    (
        "We certify, under penalty of perjury, that the information in this notice is correct and that we are authorized "
        "to act on behalf of Quillworks Ltd.",
        "present",
    ),
    # authority between the oath and its closing words is sworn too
    (
        "We hereby swear that the information in this notice is accurate. We are authorized agents of the owner. "
        "If any of it is false, we accept the penalty of perjury.",
        "present",
    ),
    # the sworn sentence says the principal holds the right: authority sworn in other words
    (
        "I swear, under penalty of perjury, that the information in this notice is accurate and that Quillworks Ltd holds "
        "the exclusive right at issue. I write on behalf of Quillworks Ltd.",
        "present",
    ),
]


@pytest.mark.parametrize(("oath", "want"), OATHS)
def test_the_oath_must_reach_the_authority(oath: str, want: str) -> None:
    text = WORK_AND_PLACE + GOOD_FAITH + oath + "\n\n" + CLOSING
    assert judged(text, "accuracy_authority_statement")[0] == want


def test_leaked_source_code_is_a_work_described_whatever_else_leaked_with_it() -> None:
    """NOTICES.md: the work is present when it is named, described or linked; the sender's own source code, leaked
    by an employee, is described even when the same notice says keys and customer data leaked with it."""
    text = (
        "Our repository https://github.com/acme-copy/core contains our proprietary source code, which was leaked by a "
        "former employee. The leaked files also include our API keys and database passwords. The repository exposes "
        "internal server information and customer data.\n\n"
        "I have a good faith belief that this use is not authorized by the copyright owner, its agent, or the law.\n"
    )
    judged = {j.code: j.status for j in read_notice(text, kind="claim").judgements}
    assert judged["work_identification"] == "present"


def test_a_sed_substitution_is_no_signature() -> None:
    text = "Fix: s/Foo/Bar/ in the config.\n\nOur code at https://github.com/a/b is copied to https://github.com/c/d\n"
    judged = {j.code: j.status for j in read_notice(text, kind="claim").judgements}
    assert judged["signature"] == "missing"


def test_an_s_signature_followed_by_a_slash_on_its_line_still_signs() -> None:
    text = "Our code at https://github.com/a/b is copied to https://github.com/c/d\n\n/s/ Ada Rights for Copyright/IP Owner Rights Co\n"
    judged = {j.code: j.status for j in read_notice(text, kind="claim").judgements}
    assert judged["signature"] == "present"
