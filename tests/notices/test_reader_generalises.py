"""Table tests for the reader's rules as rewritten to judge by meaning (NOTICES.md), not by the wording of particular
notices: each case is a short synthetic text in our own words; the status is asserted and the evidence is checked to
quote the words the judgement rests on."""

from __future__ import annotations

import pytest

from ipclaims.notices import read_notice
from tests.notices.synthetic import GOOD_FAITH, SWORN, judged

FORM_Q_GOOD_FAITH = (
    "**I have a good faith belief that use of the copyrighted materials described above on the infringing web pages "
    "is not authorized by the copyright owner, or its agent, or the law.**"
)
FORM_Q_SWORN = (
    "**I swear, under penalty of perjury, that the information in this notification is accurate and that I am the "
    "copyright owner, or am authorized to act on behalf of the owner, of an exclusive right that is allegedly infringed.**"
)
FORM_Q_CONTACT = "**So that we can get back to you, please provide either your telephone number or physical address.**"
FORM_TAIL = (
    f"{FORM_Q_GOOD_FAITH}\n\n{FORM_Q_SWORN}\n\n{FORM_Q_CONTACT}\n\n[private]\n\n"
    "**Please type your full legal name below to sign this request.**\n\n[private]\n"
)


def letter(body: str, closing: str = "Sincerely,\nMarta Lindqvist\nmarta@quillworks.example.org") -> str:
    return f"Hello,\n\n{body}\n\n{GOOD_FAITH}\n\n{SWORN}\n\n{closing}\n"


def form(original: str, reported: str, tail: str = FORM_TAIL) -> str:
    return (
        "**Are you the copyright holder or authorized to act on the copyright owner's behalf?**\n\nYes.\n\n"
        "**Please provide a detailed description of the original copyrighted work that has allegedly been infringed. "
        f"If possible, include a URL to where it is posted online.**\n\n{original}\n\n"
        "**What files should be taken down? Please provide URLs for each file, or if the entire repository, the "
        f"repository's URL.**\n\n{reported}\n\n{tail}"
    )


WORK = [
    # the sender's code or documents, shown only by the copy: present (weak)
    (
        form(
            "This repository holds proprietary Fernhill Bank code and design documents that an ex-contractor uploaded.",
            "https://github.com/someone/fern-core",
        ),
        "present",
        "Fernhill Bank code",
    ),
    (
        letter("Please remove https://github.com/someone/tallyhub: every single file in it belongs to Tallyhub Ltd."),
        "present",
        "belongs to Tallyhub",
    ),
    (
        letter("The slides and exercise solutions at https://github.com/someone/course-notes are mine: I am the sole author of them."),
        "present",
        "sole author",
    ),
    # information or data as such, no work: deficient
    (
        form(
            "The page holds confidential customer information of Orrin Logistics.",
            "https://github.com/someone/orrin-dump/blob/main/export.csv",
        ),
        "deficient",
        "confidential customer information",
    ),
    (
        letter(
            "The files in https://github.com/someone/vault contain sensitive internal information of Pellam Group "
            "and were published without our consent."
        ),
        "deficient",
        "sensitive internal information",
    ),
    # a service or catalogue in general, reached by a tool: deficient
    (
        letter(
            "Brightstream is a subscription video streaming service. The repository https://github.com/someone/bs-grab "
            "is a downloader that lets users save our streams without paying."
        ),
        "deficient",
        "subscription video streaming service",
    ),
    # ...but a tool that ships a copy of the sender's work is a copied work: present
    (
        letter(
            "Brightstream is a subscription video streaming service. The repository https://github.com/someone/bs-grab "
            "is a downloader that contains our player's source code, copied from our app."
        ),
        "present",
        "",
    ),
    # a hedged copy ("likely copies") identifies nothing
    (
        letter(
            "The add-on at https://github.com/someone/lesson-saver allows downloading of our copyrighted lessons. "
            "Its code likely copies our player code."
        ),
        "deficient",
        "downloading of our copyrighted lessons",
    ),
    # a labelled work line: a title is present, a product line in general is deficient
    (
        letter(
            "Title of the copyrighted work: The Salt Atlas (novel)\nInfringing URL: https://github.com/someone/books/blob/main/atlas.pdf"
        ),
        "present",
        "The Salt Atlas",
    ),
    (
        letter("Title of the copyrighted work: Korvel Systems Software (various)\nInfringing URL: https://github.com/someone/kv-tools"),
        "deficient",
        "(various)",
    ),
    # a letter's defined term in quotes is a party's label, not a work's title
    (
        letter(
            'Ardent Finance Ltd (hereinafter referred to as "ARDENT") holds the copyright. The repository '
            "https://github.com/someone/ardent-forms/blob/main/form.html holds sensitive information of ARDENT."
        ),
        "deficient",
        "sensitive information",
    ),
]


@pytest.mark.parametrize(("text", "want", "quoted"), WORK)
def test_work_identification_by_what_is_claimed(text: str, want: str, quoted: str) -> None:
    status, evidence = judged(text, "work_identification")
    assert status == want, evidence
    assert quoted in evidence


LOCATION = [
    # the infringing URL put in the original-work answer, the files answer pointing back to it
    (
        form(
            "Our app's full source was copied into https://github.com/someone/orbit-app by a former employee.",
            "Please see the URL above, the entire repository.",
        ),
        "present",
        "https://github.com/someone/orbit-app",
    ),
    # repositories named owner/name, one a line, or "owner/name on GitHub", with no URL
    (
        form("Our plugin Quayside, which I wrote.", "someuser/quayside-copy\nother-user/quayside-mirror"),
        "present",
        "someuser/quayside-copy",
    ),
    (
        letter("Our plugin Quayside was copied into someuser/quayside-copy on GitHub; it is a private repository so I cannot link it."),
        "present",
        "someuser/quayside-copy",
    ),
    # "and/or" is no repository; a whole site off the platform stays deficient
    (
        letter("Our font Harrow Sans is used and/or sold without a licence by https://harrow-fonts-free.example.com/"),
        "deficient",
        "https://harrow-fonts-free.example.com/",
    ),
]


@pytest.mark.parametrize(("text", "want", "quoted"), LOCATION)
def test_material_location_wherever_the_sender_put_it(text: str, want: str, quoted: str) -> None:
    status, evidence = judged(text, "material_location")
    assert status == want, evidence
    assert quoted in evidence


def test_a_list_of_the_originals_urls_keeps_its_role_item_by_item() -> None:
    text = letter(
        "We make the typeface Harrow Sans. It is sold through authorized distributors such as:\n"
        "- https://fonts-one.example.com/harrow-sans\n"
        "- https://fonts-two.example.com/typefaces/harrow\n\n"
        "The font is used without a licence by https://copycat.example.net/"
    )
    status, evidence = judged(text, "material_location")
    assert status == "deficient"
    assert "copycat.example.net" in evidence and "fonts-two" not in evidence


COPIED = "Our game Quarry Nights is copied at https://github.com/someone/quarry/tree/main/src."
CONTACT = [
    # a form that asks twice: the first question unanswered, the second answered
    (
        form(
            "Our game Quarry Nights.",
            "https://github.com/someone/quarry/tree/main/assets",
            tail=FORM_TAIL.replace(
                f"{FORM_Q_CONTACT}\n\n[private]\n\n", f"{FORM_Q_CONTACT}\n\n**Please provide a telephone number.**\n\n[private]\n\n"
            ),
        ),
        "present",
        "[private]",
    ),
    # the signer's redacted name, the company line, then a redacted line: the company fills the title slot
    (letter(COPIED, "Regards,\n[private]\nQuarry Games Ltd\n[private]"), "present", "[private]"),
    # a redacted name and one redacted line under it (a title): no channel
    (letter(COPIED, "Regards,\n[private]\n[private]"), "missing", ""),
    # the same with no closing word and blank lines between: still a name and a title, then the company's website
    (letter(COPIED, "[private]\n\n[private]\n\nQuarry Games\nPlease visit: www.quarry-games.example.com"), "missing", ""),
    # the numbered item of the statutory list that holds the sender's details, emptied by the publisher
    (
        "1. https://github.com/someone/quarry copies our game Quarry Nights.\n2. Our game is at https://quarry.example.com\n"
        f"3. [private]\n4. {GOOD_FAITH}\n5. {SWORN}\n6. [private]\n",
        "present",
        "3. [private]",
    ),
]


@pytest.mark.parametrize(("text", "want", "quoted"), CONTACT)
def test_contact_from_the_layout_of_the_notice(text: str, want: str, quoted: str) -> None:
    status, evidence = judged(text, "contact_information")
    assert status == want, evidence
    assert quoted in evidence


SIGNATURE = [
    # any short closing that ends in "regards"
    (f"{COPIED}\n\nThanks & Best regards,\n[private] | [private] | Quarry Games Ltd", "present", "[private] | [private]"),
    (f"1. {COPIED}\n2. I sign this notice electronically. Signed, [private]", "present", "Signed, [private]"),
    (
        "Our game Quarry Nights is copied at https://github.com/someone/quarry.\n\n--------\nQuarry Games Co., Ltd.\n[private]\n"
        "Phone: [private]\nHome page: https://quarry-games.example.co.jp",
        "present",
        "[private]",
    ),
    (
        "My name is Oskar Brandt, I lead the studio that made Quarry Nights. It is copied at https://github.com/someone/quarry.\n\n"
        "My phone number is +44 20 7946 0000.",
        "deficient",
        "My name is Oskar Brandt",
    ),
]


@pytest.mark.parametrize(("body", "want", "quoted"), SIGNATURE)
def test_signature_positions(body: str, want: str, quoted: str) -> None:
    text = f"{body}\n\n{GOOD_FAITH}\n{SWORN}\n" if want != "present" else f"{GOOD_FAITH}\n{SWORN}\n\n{body}\n"
    status, evidence = judged(text, "signature")
    assert status == want, evidence
    assert quoted in evidence


FORMS = [
    # an older form's italic questions, wrapping over lines
    "*So that we can get back to you, please provide either your telephone\nnumber or physical address:*\n\n[private]\n",
    # a bold question wrapping over two lines
    "**So that we can get back to you, please provide either your telephone\nnumber or physical address:**\n\n[private]\n",
    # underscored bold questions
    "__So that we can get back to you, please provide either your telephone number or physical address:__\n\n[private]\n",
    # the form pasted as plain text
    "So that we can get back to you, please provide either your telephone number or physical address:\n[private]\n",
]


@pytest.mark.parametrize("contact", FORMS)
def test_form_questions_whatever_their_emphasis(contact: str) -> None:
    text = (
        "Please provide a detailed description of the original copyrighted work that has allegedly been infringed:\n"
        "Our game Quarry Nights.\n\nWhat files should be taken down? Please provide URLs for each file:\n"
        f"https://github.com/someone/quarry/tree/main/assets\n\n{GOOD_FAITH}\n{SWORN}\n\n{contact}"
    )
    status, evidence = judged(text, "contact_information")
    assert status == "present"
    assert evidence == "[private]"


GOOD_FAITH_CASES = [
    ("I believe in good faith that the use is not authorised by the rights holder, its representatives or by law.", "present"),
    ("I have a good-faith belief that none of the copyright owner, its agent or the law has authorized this use.", "present"),
    # the owner's own belief, but nothing of the law (the fair-use prong of § 512(c)(3)(A)(v)): deficient, as is
    # owner and agent without the law
    ("We have a good faith belief that we have never authorized this user to copy our game.", "deficient"),
    ("I have a good faith belief that this use is not authorized by the copyright owner or its agent.", "deficient"),
    ("In good faith, I believe the copyright owner has not authorized this use, nor has its agent or the law.", "present"),
    (
        "I have a good faith belief that none of the materials listed above have been authorized by Orbis Pictures Industries, "
        "Inc., its agents, or the law.",
        "present",
    ),
    ("I have a good faith belief that this use is not authorized by Orbis Media Ltd. or by the law.", "present"),
    ("I have a good faith belief that this use is not authorized by any applicable law.", "deficient"),
    ("I have a good faith belief that the use is unlawful and not permitted by law.", "deficient"),
    ("I have a good faith belief that this use infringes our copyright.", "deficient"),
]


@pytest.mark.parametrize(("sentence", "want"), GOOD_FAITH_CASES)
def test_good_faith_prongs_by_meaning(sentence: str, want: str) -> None:
    text = f"Hello,\n\n{COPIED}\n\n{sentence}\n\n{SWORN}\n\nSincerely,\nMarta Lindqvist\n"
    status, evidence = judged(text, "good_faith_statement")
    assert status == want
    assert sentence[:30] in evidence


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        ("I declare on oath that the statements in this notice are accurate and that I am the developer of the game.", "present"),
        ("I solemnly declare that this notice is accurate and that I am the owner of the game.", "present"),
        ("The information in this notice is accurate and I am authorised to act on behalf of the owner.", "deficient"),
    ],
)
def test_the_oath_in_other_words(sentence: str, want: str) -> None:
    text = f"Hello,\n\n{COPIED}\n\n{GOOD_FAITH}\n\n{sentence}\n\nSincerely,\nMarta Lindqvist\n"
    status, evidence = judged(text, "accuracy_authority_statement")
    assert status == want
    assert sentence[:25] in evidence


def test_registration_numbers_are_no_telephone() -> None:
    body = f"{COPIED}\n\nOur copyright registration numbers are PA 1-917-339 and PA 1-907-000; Reg. No. 555-123-4567."
    status, evidence = judged(letter(body, closing="Sincerely,\nMarta Lindqvist"), "contact_information")
    assert status == "missing", evidence
    status, evidence = judged(letter(body, closing="Sincerely,\nMarta Lindqvist\nTel: +1 (310) 555-0188"), "contact_information")
    assert status == "present" and "555-0188" in evidence


@pytest.mark.parametrize(
    ("body", "want", "quoted"),
    [
        # playlists that reach the owner's channels in general: a service reached by a tool, no work
        (
            "Tellmark is engaged by Orbis Media, whose channels are broadcast live. The playlists at "
            "https://gist.github.com/someone/abc123 grant unauthorized access to its channels.",
            "deficient",
            "its channels",
        ),
        # a quoted owner is a party, not a title, and "properties of" names no work
        (
            'The files at https://gist.github.com/someone/abc123 are properties of "Orbis Media Group".',
            "deficient",
            "properties of",
        ),
        # "the original work is the property of ..." still names a work
        (
            "The original work, the mapping toolkit Cartwheel, is the exclusive property of Orbis Media. "
            "It is copied at https://github.com/someone/cartwheel.",
            "present",
            "Cartwheel",
        ),
    ],
)
def test_channels_and_owners_are_no_work(body: str, want: str, quoted: str) -> None:
    status, evidence = judged(letter(body), "work_identification")
    assert status == want, evidence
    assert quoted in evidence


COUNTER = {
    "material": "The removed material was https://github.com/quietfox/tilemap-tools and all of its files.",
    "mistake": "I swear, under penalty of perjury, that I have a good faith belief that the material was removed "
    "as a result of mistake or misidentification.",
    "jurisdiction": "I consent to the jurisdiction of the Federal District Court for the judicial district in which my address is located.",
    "service": "I will accept service of process from the person who provided the notification or an agent of such person.",
    "contact": "Address: 4 Birch Lane, Tromsø 9008, Norway\nPhone: +47 912 34 567",
    "closing": "Regards,\nIngrid Solberg",
}


def counter_text(**changes: str) -> str:
    return "This is a counter notice.\n\n" + "\n\n".join(v for v in {**COUNTER, **changes}.values() if v) + "\n"


@pytest.mark.parametrize(
    ("changes", "code", "want", "quoted"),
    [
        # an address written without its scheme still names the removed material
        ({"material": "The files taken down: quietfox.github.io"}, "material_identification", "present", "quietfox.github.io"),
        (
            {"material": "Removed: github.com/quietfox/tilemap-tools"},
            "material_identification",
            "present",
            "github.com/quietfox/tilemap-tools",
        ),
        ({"material": "Removed: src/main.py and docs/index.md"}, "material_identification", "deficient", "src/main.py"),
        # "My electronic signature follows:" labels the signing line
        ({"closing": "My electronic signature follows:\n[private]"}, "signature", "present", "[private]"),
        # a removal "because of a misunderstanding" is a mistake claim; sworn, it is present
        (
            {
                "mistake": "Under penalty of perjury, I believe in good faith the files were removed because of a "
                "misunderstanding of the licence."
            },
            "mistake_statement",
            "present",
            "misunderstanding",
        ),
    ],
)
def test_counter_notice_readings(changes: dict[str, str], code: str, want: str, quoted: str) -> None:
    reading = read_notice(counter_text(**changes), kind="counter_notice")
    judgement = reading.judgement(code)
    quotes = " | ".join(s.quote for s in judgement.evidence)
    assert judgement.status == want, quotes
    assert quoted in quotes


def test_any_countrys_copyright_regulations_do_not_make_a_singapore_notice() -> None:
    text = counter_text(intro="Our use falls within the fair use provision of the copyright regulations.")
    assert read_notice(text).regime == "US_DMCA"
    assert read_notice(text + "\nSent under the Copyright Regulations 2021, regulation 80.\n").regime == "SG_CA2021"


@pytest.mark.parametrize(
    ("line", "want"),
    [
        ("Reach the uploader via GitHub user account r0gu3-dev99 (no other details are listed).", "missing"),
        ("Our office: Via Solferino 14, 20121 Milano", "present"),
    ],
)
def test_via_is_a_street_only_as_a_street(line: str, want: str) -> None:
    status, evidence = judged(letter(f"{COPIED}\n\n{line}", closing="Kind regards,\n[private]"), "contact_information")
    assert status == want, evidence
    if want == "present":
        assert "Via Solferino" in evidence


def test_lettered_items_are_separate_statements() -> None:
    text = (
        f"Dear agent,\n\na) The work is our mapping toolkit Cartwheel.\nb) {COPIED}\nc) {GOOD_FAITH}\n"
        "d) I declare, under penalty of perjury, that the above information is accurate and that I act for Orbis Media.\n"
        "e) My contact information is as follows:\nOrbis Media, 12 Harbour Street, Leith EH6 6QW\n\nRegards,\nMarta Lindqvist\n"
    )
    status, evidence = judged(text, "accuracy_authority_statement")
    assert status == "present", evidence
    assert "d) I declare" in evidence and "contact information" not in evidence


def test_a_numbered_name_line_of_the_contact_item_is_no_signature() -> None:
    text = (
        f"1. {COPIED}\n2. {GOOD_FAITH}\n3. {SWORN}\n4. Name: [private]\nCompany: Quarry Games Ltd\n"
        "Address: 12 Harbour Street, Leith EH6 6QW\n"
    )
    status, evidence = judged(text, "signature")
    assert status == "deficient" and "Name: [private]" in evidence


def test_a_label_line_ends_the_originals_words() -> None:
    text = letter(
        "Original Work: Lantern Keep (https://lanternkeep.example.com/game)\nURLs:\n"
        "https://mirror-site.example.net/games/lantern-keep-full\nhttps://mirror-site.example.net/games/lantern-keep-pack"
    )
    status, evidence = judged(text, "material_location")
    assert status == "present" and "lantern-keep-full" in evidence and "lanternkeep.example.com" not in evidence


def test_a_representative_list_identifies_the_works() -> None:
    body = (
        "Orbis Media owns a catalogue of animated series; a representative list is in Appendix A. The app at "
        "https://github.com/someone/orbis-player enables unauthorized access to its channels.\n\n"
        "Appendix A. Representative list of works\n- Lantern Keep\n- The Salt Atlas"
    )
    status, evidence = judged(letter(body), "work_identification")
    assert status == "present" and "representative list" in evidence
