"""Table tests for the fifth round's rules (issue 20), each a general reading of NOTICES.md in short synthetic texts of
our own: what the form's answer on the original work describes (information, or keys that unlock a work, rather than a
work), reported file names that say the material is a key generator or a crack, a company's contact block standing
where a signature would be, and a closing block's redacted title line."""

from __future__ import annotations

import pytest

from ipclaims.notices import read_notice
from ipclaims.notices.signing import is_org
from tests.notices.synthetic import GOOD_FAITH, SWORN, form, judged, letter

WORK = [
    # the form's answer on the original work describes information about a system, not a work: deficient
    (
        form(
            "The file holds information relating to the Larkspur portal's website code, sensitive details that must not be public.",
            "https://github.com/someone/tools/blob/main/settings.yml",
        ),
        "deficient",
        "information relating to",
    ),
    (
        form(
            "Confidential customer data of Orchard Mutual was committed by mistake.",
            "https://github.com/someone/dump/blob/main/export.csv",
        ),
        "deficient",
        "Confidential customer data",
    ),
    # ... but an answer naming the sender's code, or a title, is a work described, whatever it says of secrecy
    (
        form(
            "Our proprietary source code for the Larkspur portal, which also holds sensitive information.",
            "https://github.com/someone/larkspur/blob/main/app.py",
        ),
        "present",
        "source code",
    ),
    (
        form(
            'Confidential information in the novel "The Salt Orchard", which we publish.',
            "https://github.com/someone/books/blob/main/salt.pdf",
        ),
        "present",
        "Salt Orchard",
    ),
    # keys that unlock the work are the material, not a copy of it: deficient
    (
        form(
            "Our consoles protect the Skyforge games with technical measures.",
            "https://github.com/someone/keys/blob/main/device.keys",
            "**How is the accused project designed to circumvent your technological protection measures?**\n\n"
            "The repository hands out decryption keys taken from the console. The console keys let anyone play the games "
            "on other devices.\n\n",
        ),
        "deficient",
        "decryption keys",
    ),
    # the reported repositories' own names say they are key generators, and the letter calls one a cracking program
    (
        letter(
            "We distribute the Bellwether Audio suite. The following link is a cracking program for it.\n"
            "https://github.com/someone/Bellwether_Keygen\nhttps://github.com/other/bellwether-2020",
            "Regards,\nTomas Varga\ntomas@bellwether.example.com",
        ),
        "deficient",
        "cracking program",
    ),
    # a repository merely named like a key generator, with a copied work said to be the sender's: present
    (
        letter(
            "The repository below is a copy of our Bellwether Audio manual that we wrote.\nhttps://github.com/someone/keygen-notes",
            "Regards,\nTomas Varga\ntomas@bellwether.example.com",
        ),
        "present",
        "",
    ),
]


@pytest.mark.parametrize(("text", "status", "quote"), WORK)
def test_work_identification_by_what_the_material_is(text: str, status: str, quote: str) -> None:
    got, evidence = judged(text, "work_identification")
    assert got == status, evidence
    assert quote in evidence


BODY = "Our Quillworks handbook, which we wrote, is copied at https://github.com/someone/handbook/blob/main/book.md."

SIGNATURE = [
    # a company heading its contact lines, no person signing: deficient (a company name as the only signature)
    (
        letter(
            BODY,
            "If you need more, write to us at:\n\nQuillworks Publishing Co., Ltd.\n12 Harbour Road, Leith, Edinburgh EH6 6LX\n"
            "legal@quillworks.example.com\n\nPlease treat this request as urgent, since the copies keep spreading.",
        ),
        "deficient",
        "Quillworks Publishing Co., Ltd.",
    ),
    (
        letter(BODY, "------\n鸿羽软件有限公司\n电话: [private]\n传真: [private]\n邮箱: [private]\n地址: [private]"),
        "deficient",
        "鸿羽软件有限公司",
    ),
    # with nothing at all closing the letter it stays missing
    (letter(BODY, "Please act quickly on this request, as the copies spread every day."), "missing", ""),
    # a person signing above the company's block: present
    (
        letter(BODY, "Sincerely,\nMarta Lindqvist\nQuillworks Publishing Co., Ltd.\nlegal@quillworks.example.com"),
        "present",
        "Marta Lindqvist",
    ),
]


@pytest.mark.parametrize(("text", "status", "quote"), SIGNATURE)
def test_signature_of_a_company_contact_block(text: str, status: str, quote: str) -> None:
    got, evidence = judged(text, "signature")
    assert got == status, evidence
    assert quote in evidence


@pytest.mark.parametrize(
    ("line", "org"),
    [
        ("Quillworks Publishing Co., Ltd.", True),
        ("Harbour Light Software Development and Services Company Ltd.", True),
        ("鸿羽软件有限公司", True),
        ("We will see you in court about this matter soon.", False),
    ],
)
def test_company_lines(line: str, org: bool) -> None:
    assert is_org(line) is org


CONTACT = [
    # a bare redacted name, then a redacted title beside the company: name and title, no channel → missing
    (letter(BODY, "Yours faithfully,\n\n[private]\n[private] - Quillworks Publishing"), "missing"),
    # a name line that carries its title, then one more redacted line: that line is a detail → present (weak)
    (letter(BODY, "Yours faithfully,\n\n[private], Rights Manager\n[private]"), "present"),
    # a heading announcing the sender's own details, then the redacted value → present
    (letter(BODY, "My personal info:\n\n[private]\n\nRegards [private]"), "present"),
]


@pytest.mark.parametrize(("text", "status"), CONTACT)
def test_contact_in_the_closing_block(text: str, status: str) -> None:
    got, evidence = judged(text, "contact_information")
    assert got == status, evidence


COUNTER_MISTAKE = (
    "I swear, under penalty of perjury, that I have a good-faith belief that the material was removed as a result of a "
    "mistake or misidentification."
)
COUNTER_CONSENT = (
    "I consent to the jurisdiction of Federal District Court for the judicial district in which my address is located, "
    "and I will accept service of process from the person who provided the notification."
)
COUNTER_FIELD = "**Please provide your telephone number and physical address.**\n\n[private]\n[private]\n\n"

SUBSCRIBER = [
    # details in the form's field, under a sentence forbidding the address to reach the other side: deficient
    (
        f"The repository https://github.com/someone/tool is mine.\n\n{COUNTER_MISTAKE}\n\n{COUNTER_CONSENT}\n\n"
        f"On no account may my home address be passed to the complainant.\n\n{COUNTER_FIELD}Ana Reis\n",
        "deficient",
    ),
    # the same field without the refusal: present
    (
        f"The repository https://github.com/someone/tool is mine.\n\n{COUNTER_MISTAKE}\n\n{COUNTER_CONSENT}\n\n{COUNTER_FIELD}Ana Reis\n",
        "present",
    ),
]


@pytest.mark.parametrize(("text", "status"), SUBSCRIBER)
def test_subscriber_contact_withheld_from_the_other_side(text: str, status: str) -> None:
    judgement = read_notice(text, kind="counter_notice").judgement("subscriber_contact")
    assert judgement.status == status, judgement.note


ACCURACY = [
    # accuracy sworn, then the rights to the work held in a plain sentence after the oath: holding the rights is no
    # authority statement left unsworn (it only makes a sworn one), so the oath stands: present
    (
        letter(
            BODY,
            "I affirm, under penalty of perjury, that the information in this notice is accurate. We hold full rights to "
            "every page of the handbook.\n\nRegards,\nMarta Lindqvist\nmarta@quillworks.example.com",
        ).replace(SWORN, ""),
        "present",
    ),
    # the right claimed inside the sworn sentence: present
    (
        letter(
            BODY,
            "I affirm, under penalty of perjury, that the information in this notice is accurate and that we hold full "
            "rights to the handbook.\n\nRegards,\nMarta Lindqvist\nmarta@quillworks.example.com",
        ).replace(SWORN, ""),
        "present",
    ),
]


@pytest.mark.parametrize(("text", "status"), ACCURACY)
def test_accuracy_sworn_with_the_right_claimed_after_the_oath(text: str, status: str) -> None:
    got, evidence = judged(text, "accuracy_authority_statement")
    assert got == status, evidence


SIGNED_SLOTS = [
    # a labelled name slot holding a redacted name, the company after it: a person signs → present
    (
        letter(BODY, "Signed,\n\nName: [private], Quillworks Publishing Co., Inc.\nPhone: [private]\nEmail: legal@quillworks.example.com"),
        "present",
    ),
    # a party's labelled signature slot ("applicant's signature"), redacted → present
    (letter(BODY, "Complaint unit:\n\nQuillworks Publishing Co., Ltd.\n\napplicant's signature: [private]"), "present"),
    # a bracketed signing mark opening the last line, the name after it → present
    (letter(BODY, "(signed) [private]"), "present"),
    (letter(BODY, "[Signed] Marta Lindqvist"), "present"),
    # a sworn declaration opened by the declarant's name, no closing: the name signs it → present
    (
        f"Hello,\n\nI, Marta Lindqvist of Quillworks, certify under penalty of perjury that I act for the owner.\n\n{BODY}\n\n"
        f"{GOOD_FAITH}\n\nPlease remove https://github.com/someone/handbook.\n",
        "present",
    ),
    # a name dropped in passing, with no oath and no closing, signs nothing
    (f"Hello,\n\nI, Marta Lindqvist, found this today.\n\n{BODY}\n\n{GOOD_FAITH}\n", "deficient"),
    # the same slot left with only the company in it → deficient
    (letter(BODY, "applicant's signature: Quillworks Publishing Co., Ltd."), "deficient"),
]


@pytest.mark.parametrize(("text", "status"), SIGNED_SLOTS)
def test_signature_in_a_labelled_slot(text: str, status: str) -> None:
    got, evidence = judged(text, "signature")
    assert got == status, evidence


# Review of the round (issue 20): ordinary complete notices the round's new rules misjudged.

_FIXES_BODY = "The repository https://github.com/someone/lantern-clone copies our game Lantern Keep."

SIGN_WORDS_IN_PROSE = [
    # a wrapped line opening "It's significant ...": no signature label, the name under the closing signs
    (
        letter(
            _FIXES_BODY + "\nIt's significant that the copy keeps the credits of Birchwood Games\nLtd in its readme.",
            "Sincerely,\nMira Holt",
        ),
        "present",
    ),
    # "<company>'s signature typeface": a product, not a party's signature slot
    (
        letter(
            "The font file is\nBirchwood's signature typeface, Fenland Sans, sold by Birchwood Type Studio\nand copied here.",
            "Best regards,\nMira Holt",
        ),
        "present",
    ),
    # an open bracket starting "(signed ..." is a remark, not the closed "(signed)" mark
    (letter(_FIXES_BODY + "\n(signed licence agreement with Birchwood Media available on request)", "Kind regards,\nMira Holt"), "present"),
    # the closed mark still labels the signature
    (letter(_FIXES_BODY, "(signed) Mira Holt"), "present"),
]


@pytest.mark.parametrize(("text", "status"), SIGN_WORDS_IN_PROSE)
def test_sign_words_in_prose_are_no_signature_label(text: str, status: str) -> None:
    got, evidence = judged(text, "signature")
    assert got == status, evidence
    assert "Mira Holt" in evidence


CRACK_OF_A_NAMED_WORK = [
    # a crack that is a full copy of the named, linked game, keys included: a described work
    (
        letter(
            "Birchwood Games owns the copyright in the game Lantern Keep (https://store.example/lantern-keep). The file "
            "https://github.com/someone/games/blob/main/LanternKeep-crack.zip is a full copy of the game with its licence "
            "check removed; it also includes serial keys.",
            "Sincerely,\nMira Holt",
        ),
        "present",
    ),
    # 'crack' modifying another word in a repository name ("crack-detection") says nothing of keys
    (
        letter(
            "The repository https://github.com/someone/crack-detection copies our set of bridge inspection photographs, "
            "published at https://birchwood.example/photos. The photographs also show confidential customer data.",
            "Sincerely,\nMira Holt",
        ),
        "present",
    ),
    # a component folder named 'activators' is no key tool
    (
        letter(
            "The file https://github.com/someone/ui/blob/main/src/activators/Menu.tsx is a copy of our commercial UI "
            "library Fenland UI (https://fenland-ui.example). It even keeps our license key check.",
            "Sincerely,\nMira Holt",
        ),
        "present",
    ),
    # a bare key generator, its repository named for it, no work copied: still deficient
    (
        letter(
            "The repository https://github.com/someone/Fenland-Keygen distributes a key generator that produces license "
            "keys for our editor.",
            "Sincerely,\nMira Holt",
        ),
        "deficient",
    ),
]


@pytest.mark.parametrize(("text", "status"), CRACK_OF_A_NAMED_WORK)
def test_a_crack_or_copy_of_a_named_work_is_a_work(text: str, status: str) -> None:
    got, evidence = judged(text, "work_identification")
    assert got == status, evidence


_COUNTER_HEAD = (
    "Hello,\n\nMy repository https://github.com/mholt/tools was disabled by mistake.\n\n"
    "I swear, under penalty of perjury, that I have a good faith belief that the material was removed as a result of "
    "mistake or misidentification.\n\nI consent to the jurisdiction of the Federal District Court for the judicial "
    "district in which my address is located, and I will accept service of process from the person who provided the "
    "notification.\n\n"
)

CONTACT_WITH_A_CARVE_OUT = [
    # full address and phone given; not to be shared except with the complainant: present
    (
        _COUNTER_HEAD + "Address: 4 Mill Lane, Springfield, IL 62701\nPhone: +1 217 555 0144\n\n"
        "In no event should my phone number be shared with anyone except the complainant.\n\n/s/ Mira Holt\n",
        "present",
    ),
    # the same wish, but neither address nor phone appears: the refusal stands
    (_COUNTER_HEAD + "Under no circumstances will I give my address or phone number.\n\n/s/ Mira Holt\n", "deficient"),
]


@pytest.mark.parametrize(("text", "status"), CONTACT_WITH_A_CARVE_OUT)
def test_subscriber_contact_kept_for_the_complainant(text: str, status: str) -> None:
    judgement = read_notice(text, kind="counter_notice").judgement("subscriber_contact")
    assert judgement.status == status, judgement.note


RIGHT_TO_ACT = [
    # oath on accuracy and ownership, then "I have the right to ask for ...": no authority claim left unsworn
    (
        "Hello,\n\nMy photograph is copied at https://github.com/someone/site/blob/main/img/pier.jpg.\n\n"
        + GOOD_FAITH
        + "\n\nUnder penalty of perjury, I confirm the above is accurate and that the work is mine. I have the right to "
        "ask for its removal under the DMCA.\n\nRegards,\nMira Holt\nmira@holt.example\n",
        "present",
    ),
]


@pytest.mark.parametrize(("text", "status"), RIGHT_TO_ACT)
def test_the_right_to_ask_is_no_authority_claim(text: str, status: str) -> None:
    got, evidence = judged(text, "accuracy_authority_statement")
    assert got == status, evidence


INFORMATION_ABOUT_A_WORK = [
    # "information about" a named course: the course is the work
    (
        form(
            "Information about our paid online course Fenland Rust Basics, sold on Udemy.",
            "https://github.com/someone/course/tree/main/videos",
        ),
        "present",
    ),
    # information about the site's servers: no work named
    (form("Information relating to our website's servers.", "https://github.com/someone/x/blob/main/servers.yml"), "deficient"),
]


@pytest.mark.parametrize(("text", "status"), INFORMATION_ABOUT_A_WORK)
def test_information_about_a_named_work(text: str, status: str) -> None:
    got, evidence = judged(text, "work_identification")
    assert got == status, evidence


def test_information_evidence_quotes_the_sentence_judged() -> None:
    history = (
        "The file was uploaded by a former contractor without our knowledge in March of last year, and it has been public "
        "since then; it was indexed by search engines, mirrored by other accounts we reported separately, and discussed "
        "on forums, which is how our team learned of it when a customer wrote to our support desk asking whether it was "
        "genuine and whether we had released it on purpose or it had leaked, which we had not. "
    )
    text = form(history + "It holds confidential information relating to our servers.", "https://github.com/someone/x/blob/main/srv.yml")
    got, evidence = judged(text, "work_identification")
    assert got == "deficient"
    assert evidence == "It holds confidential information relating to our servers."


PERSON_ABOVE_THE_COMPANY = [
    # a person signs right above the company's contact block: that line is the signature
    (
        letter(
            _FIXES_BODY,
            "Mira Holt\nHead of Legal, Birchwood Photo Ltd\n4 Quay Street, Bristol\nPhone: +44 117 496 0000\nEmail: mira@birchwood.example",
        ),
        "present",
        "Mira Holt",
    ),
    # no person above the company heading its contact lines: still only a company's block
    (
        letter(_FIXES_BODY, "Birchwood Photo Ltd\n4 Quay Street, Bristol\nPhone: +44 117 496 0000\nEmail: legal@birchwood.example"),
        "deficient",
        "Birchwood Photo Ltd",
    ),
]


@pytest.mark.parametrize(("text", "status", "quote"), PERSON_ABOVE_THE_COMPANY)
def test_a_person_above_the_company_block_signs(text: str, status: str, quote: str) -> None:
    got, evidence = judged(text, "signature")
    assert (got, evidence) == (status, quote)


def test_details_kept_from_the_uploader_point_at_nothing() -> None:
    text = letter(_FIXES_BODY, "Please do not pass my details on to the uploader.\n\n[private]")
    assert judged(text, "contact_information")[0] == "missing"
