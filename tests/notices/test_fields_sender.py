"""Who sends a notice and for which company, as the held fields sets found it written (bench/notices_labels.md,
"Held-apart sets for the claim fields"): the organisation is the company the sender writes for (an outside agent's own
firm, not its client), and the owner's own staff are the owner, not its agent. Table tests of short synthetic texts
in our own words, one rule of how notices are written a row."""

from __future__ import annotations

from typing import Any

import pytest

from ipclaims.notices import read_notice

URL = "https://github.com/copycat/harbour-tools/blob/main/src/engine.c"
STATEMENTS = (
    "I have a good faith belief that use of the copyrighted materials described above is not authorized by the copyright "
    "owner, or its agent, or the law.\n\nI swear, under penalty of perjury, that the information in this notification is "
    "accurate and that I am the copyright owner, or am authorized to act on behalf of the owner, of an exclusive right "
    "that is allegedly infringed.\n\n"
)
OWNER_Q = "**Are you the copyright holder or authorized to act on the copyright owner's behalf?**\n\n"
WORK_Q = "**Please provide a detailed description of the original copyrighted work that has allegedly been infringed.**\n\n"
FILES_Q = "**What files should be taken down? Please provide URLs for each file.**\n\n"
CONTACT_Q = "**So that we can get back to you, please provide either your telephone number or physical address.**\n\n"
SIGN_Q = "**Please type your full legal name below to sign this request.**\n\n[private]\n"


def complainant(text: str) -> dict[str, Any]:
    return read_notice(text, kind="claim").fields.get("complainant") or {}


def form(standing: str, work: str, contact: str) -> str:
    """GitHub's web form, answered: the sender's standing, the work, the reported file, the contact block."""
    return f"{OWNER_Q}{standing}\n\n{WORK_Q}{work}\n\n{FILES_Q}{URL}\n\n{CONTACT_Q}{contact}\n\n{SIGN_Q}"


def letter(body: str, closing: str = "Sincerely,\n\n[private]\n") -> str:
    return f"Dear Sir or Madam,\n\n{body}\n\nThe copy is at {URL}\n\n{STATEMENTS}{closing}"


# --- the organisation -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("contact", "organisation"),
    [
        # the form's contact answer opens with the company, after redacted lines, a label or the sender's name
        ("Brightfield Labs GmbH  \n[private]  \n[private]", "Brightfield Labs GmbH"),
        ("Postal Address\n\nOakmere Software\n\n[Private]", "Oakmere Software"),
        ("[private]\n[private], Pinecrest Media Inc\n[private]", "Pinecrest Media Inc"),
        ("Tarn Analytics Ltd. | www.tarn.example\n[private]", "Tarn Analytics Ltd."),
        # channels, an office or a department are no company's name
        ("Office: [private] | Fax: [private]\nPhone: [private]", None),
        ("[private] desk\n[private]", None),
    ],
)
def test_the_forms_contact_answer_names_the_company(contact: str, organisation: str | None) -> None:
    text = form("Yes, I am the copyright holder.", "Our engine, sold at https://harbour.example/engine.", contact)
    assert complainant(text).get("organization") == organisation


@pytest.mark.parametrize(
    ("body", "closing", "organisation"),
    [
        # the legal form the letter writes after the name elsewhere completes the letterhead's short name
        (
            "Tallowby Systems Corp. is the developer of the Harbour engine.",
            "Sincerely,\n\n[private]\nTallowby Systems\n14 Quay Street\nPortsmouth PO1 2AB\n",
            "Tallowby Systems Corp.",
        ),
        # a labelled company: not the function after its name, not the principal after "As Agent for", not a redaction
        ("Our engine is copied.", "Regards,\nJo Park\nOrganization: Harrowgate Anti-Piracy Team\n", "Harrowgate"),
        (
            "The engine is copied.",
            "Regards,\n[private]\nOrganization name: Veltmark Corporation As Agent for Publisher Larkspur Books and its affiliates.\n",
            "Veltmark Corporation",
        ),
        ("The engine is our own work.", "Regards,\nJo Park\nCompany name: Quillon Inc. [private]\n", "Quillon Inc."),
        # "Company" closes a company's name like "Inc." does, on a line among redacted ones
        (
            "I may be contacted by the following methods:",
            "[private]\nFenwick Publishing Company\n[private]\nPhone: +[private]\n",
            "Fenwick Publishing Company",
        ),
    ],
)
def test_the_company_is_named_in_full_and_alone(body: str, closing: str, organisation: str) -> None:
    assert complainant(letter(body, closing)).get("organization") == organisation


@pytest.mark.parametrize(
    ("body", "closing", "organisation"),
    [
        (
            "We, Corvane, have been duly authorized by Pell Studios (our client) to send you this notice.",
            "Regards,\n[private]\n",
            "Corvane",
        ),
        ("Corvane represents Pell Studios in copyright matters. Our client has learned of a copy.", "Regards,\n[private]\n", "Corvane"),
        ("Brisk Rights, LLC. is the authorized agent for Pell Studios, LLC.", "Regards,\n[private]\n", "Brisk Rights, LLC"),
        ("This is [private] from briskrights.com. I am the authorized agent for Pell Studios.", "Regards,\n[private]\n", "briskrights.com"),
        # the firm's domain stands for the company line that spells it, and a closing line gives its name in full
        (
            "This is [private] from briskrights.com. I am the authorized agent for Pell Studios.",
            "Regards,\n[private]\nAuthorized agent\nBrisk Rights LLC.\n",
            "Brisk Rights LLC.",
        ),
        (
            "We, Corvane, have been duly authorized by Pell Studios (our client) to send you this notice.",
            "Regards,\n[private]\nCorvane Digital IP Pvt. Ltd.\n[private]\n",
            "Corvane Digital IP Pvt. Ltd.",
        ),
    ],
)
def test_an_agent_names_its_own_firm(body: str, closing: str, organisation: str) -> None:
    said = complainant(letter(body, closing))
    assert said.get("organization") == organisation
    assert said.get("relationship") == "agent"


@pytest.mark.parametrize(
    ("body", "organisation"),
    [
        ("I work for Ostrava Freight Systems, [private], and our internal repository was copied.", "Ostrava Freight Systems"),
        (
            "I am an employee authorized by Ridgeline Incorporated d/b/a CodeHill to act on its behalf. "
            "The tasks were copied from our platform.",
            "Ridgeline Incorporated d/b/a CodeHill",
        ),
        (
            "As the [private] from the [private] department of Kitewise.com, Inc., I am sending this notice on behalf of Kitewise.",
            "Kitewise.com, Inc",
        ),
        (
            "I am writing on behalf of Glenholm Records Limited and am authorized to act for it. Our data was copied.",
            "Glenholm Records Limited",
        ),
        ("We are the owner of Brambleworks company. We sell our themes on a marketplace.", "Brambleworks"),
    ],
)
def test_the_owners_staff_write_for_the_owner(body: str, organisation: str) -> None:
    said = complainant(letter(body))
    assert said.get("organization") == organisation
    assert said.get("relationship") == "owner"


def test_the_owner_of_a_product_is_no_company_of_that_name() -> None:
    said = complainant(letter("I am the owner of the Unity plugin uLite, my own work, which this repository copies."))
    assert said.get("organization") != "Unity"
    assert said.get("relationship") == "owner"


# --- the relationship -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # the sender signs under the name of the company it acts "on behalf of": its staff
        letter(
            "The material infringes the copyrights of [private]/Greyfen Security. I am authorized to act on behalf of "
            "[private]/Greyfen Security in this matter.",
            "Sincerely,\n\n[private]\nGreyfen Security\n19 Mill Road, Suite 4\nCornelius NC 28031\n",
        ),
        form(
            "Yes, I am authorized to act on the copyright owner's behalf.",
            "The repository copies portions of the conference software, whose copyrights are owned by Lorimer Group LLC.",
            "Lorimer Group LLC\n[private]\n[private]",
        ),
        # ... or writes of the work as the company's own ("our platform", "our data"), with no word of a client
        form(
            "Yes, I am authorized to act on the copyright owner's behalf.",
            "These assessments were copied from our platform without authorization.",
            "[private]",
        ),
        letter("I am writing on behalf of the company. Our data was committed to a public repository by a researcher."),
        form(
            "Yes, I am authorized to act on the copyright owner's behalf.",
            "The internal source code owned by the Quorra group.",
            "[private]",
        ),
        # customers called clients are no client of an agent
        letter(
            "The copyright owner is Norland Terminals Co., Ltd. I am authorized to act on behalf of owner. "
            "Our code runs the payment terminals of our bank clients."
        ),
        # "you" are the designated agent: the sender is not one
        letter("I am contacting you as the designated agent for the site where the copy appears. I am the copyright owner of the works."),
    ],
)
def test_the_owners_own_staff_are_the_owner(text: str) -> None:
    assert complainant(text).get("relationship") == "owner"


@pytest.mark.parametrize(
    "text",
    [
        letter("We represent Pell Studios, the owner of the engine. Our client's engine is copied."),
        letter(
            "I am an agent authorized to act on behalf of a person injured by the copying of Northgate's internal source code.",
            "Regards,\n[private]\nCompany: Pike & Lowe LLP\n",
        ),
    ],
)
def test_an_outside_agent_stays_an_agent(text: str) -> None:
    assert complainant(text).get("relationship") == "agent"


# --- the platform's own block, and the lines that address its agent ---------------------------------------------------

# A letter headed with the platform's address, its lines separated by lines of spaces or written with tabs.
SPACED_HEAD = "GitHub, Inc     \n     \nAttn: DMCA Agent     \n     \n88 Colin P Kelly Jr St     \n     \nSan Francisco, CA 94107     \n\n"
TABBED_HEAD = "June\t19,\t2017\nGitHub,\tInc\nAttn:\tDMCA\tAgent\n88\tColin\tP\tKelly\tJr\tSt.\nSan\tFrancisco,\tCA 94107\n\n"


@pytest.mark.parametrize("head", [SPACED_HEAD, TABBED_HEAD])
def test_the_platforms_address_block_is_not_the_senders(head: str) -> None:
    body = (
        "Dear DMCA Agent:\n\nI am an agent authorized to act on behalf of the owner, said owner being named Larkspur Books, Inc.\n\n"
        "My contact information is as follows:\n\n[private]\nLarkspur Books, Inc.\n221 River Street\nHoboken, NJ 07030\n\n"
    )
    said = complainant(head + body + f"The copy is at {URL}\n\n{STATEMENTS}Sincerely,\n[private]\n")
    assert said.get("organization") == "Larkspur Books, Inc."
    assert said["address"]["street"] == "221 River Street"
    # the owner the sender names is the company it signs for: its staff, not an outside agent ("Attn: DMCA Agent"
    # addresses the platform's agent and is no word of the sender's)
    assert said.get("relationship") == "owner"


def test_a_contact_sentence_before_the_address_is_no_part_of_it() -> None:
    body = (
        "I am a duly authorized representative of the exclusive rights holder, Brackwater Global Solutions Ltd., for documents "
        "Brackwater developed.\n\nI may be contacted by the following methods: [Private], Brackwater, 161 N. Clark Street, "
        "[Private], Chicago, IL 60601, [Private]"
    )
    said = complainant(letter(body))
    assert said["address"]["street"] == "161 N. Clark Street"
    assert said.get("organization") == "Brackwater"
    assert said.get("relationship") == "owner"


def test_a_name_after_a_redaction_written_only_in_the_address_is_part_of_it() -> None:
    body = "The copyright holder may be reached through me at: [private], Quartier Sergent Blandan, 37 rue du Repos, 69361 Lyon"
    assert complainant(letter(body)).get("organization") != "Quartier Sergent Blandan"


@pytest.mark.parametrize(
    ("body", "closing", "organisation"),
    [
        # a website line under the signer is no company's name; the company is the one the letter names
        (
            "The material contains trade secret information belonging to Greyfen Security, and it is owned by us exclusively.",
            "Sincerely,\n\n[private]\nhttps://www.greyfen-security.example\n",
            "Greyfen Security",
        ),
        # "our company X", "my company, X,"; a department "at" its company; no possessive
        ("Licence keys for products of our company Tarnhelm s.r.o. are posted.", "Regards,\n[private]\n", "Tarnhelm s.r.o"),
        ("A contractor of my company, Quillfeather, has made a copy of our codebase.", "Regards,\n[private]\n", "Quillfeather"),
        ("I am [private] of Cyber Operations at Marwick Bank, which owns the source code.", "Regards,\n[private]\n", "Marwick Bank"),
        ("Here is the book on the owner's website, our company Innoleaf's site.", "Regards,\n[private]\n", None),
    ],
)
def test_the_company_the_staff_name(body: str, closing: str, organisation: str | None) -> None:
    assert complainant(letter(body, closing)).get("organization") == organisation


@pytest.mark.parametrize(
    "body",
    [
        "I am the [private] of Lumen Shader Pack, and Lumen Shader Pack is a commercial asset for game engines.",
        "I am the [private] of Lumen Shader Pack on an asset store, which is the work being infringed.",
    ],
)
def test_a_name_the_notice_calls_its_work_is_no_company(body: str) -> None:
    assert complainant(letter(body)).get("organization") is None


def test_a_closing_line_that_spells_the_website_is_the_company() -> None:
    closing = "DIGITAL SIGNATURE\n[private]\nCorvane\nEmail: [private]\nPh: [private], Website: www.corvane.example.\n"
    assert complainant(letter("The films of our client are copied.", closing)).get("organization") == "Corvane"


def test_a_redacted_name_saying_it_is_the_author_is_the_owner() -> None:
    body = "[private] am the author and copyright owner of the novel Salt Harbour, published in 2019."
    assert complainant(letter(body)).get("relationship") == "owner"
