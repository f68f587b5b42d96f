"""Who sends a notice, as the claim's fields say it (issue 20): the owner's own staff are the owner, an outside agent
is an agent, the company a sender works for is its organisation; names and descriptions without the words around
them. Short synthetic texts in our own words (bench/notices_fields.py measures the same on real notices)."""

from __future__ import annotations

from typing import Any

import pytest

from ipclaims.notices import read_notice

GOOD_FAITH = "I have a good faith belief that this use is not authorized by the copyright owner, its agent, or the law.\n"
PERJURY = (
    "I swear, under penalty of perjury, that the information in this notification is accurate and that I am the "
    "copyright owner, or am authorized to act on behalf of the owner, of an exclusive right that is allegedly infringed.\n"
)
URL = "https://github.com/copycat/tern-engine/blob/main/src/render.c"


def fields(body: str, closing: str = "Regards,\nDana Reyes\n") -> dict[str, Any]:
    text = f"Dear Designated Agent,\n\n{body}\n\nThe copy is at {URL}\n\n{GOOD_FAITH}{PERJURY}\n{closing}"
    return read_notice(text, kind="claim").fields


def complainant(body: str, closing: str = "Regards,\nDana Reyes\n") -> dict[str, Any]:
    return fields(body, closing).get("complainant") or {}


@pytest.mark.parametrize(
    "body",
    [
        "I am an employee of Kestrel Software Inc. and I am authorized to act on the owner's behalf. The file is our engine.",
        "I am the [private] of Kestrel Software Inc. The file above is a copy of our proprietary code.",
        "I work for Kestrel Software. Our company wrote the Tern engine, and this repository copies it.",
    ],
)
def test_the_owners_own_staff_are_the_owner_not_its_agent(body: str) -> None:
    assert complainant(body).get("relationship") == "owner"


@pytest.mark.parametrize(
    "body",
    [
        "We represent Kestrel Software Inc., the owner of the Tern engine, which this repository copies.",
        "I am authorized to act on behalf of our client Kestrel Software, whose Tern engine this repository copies.",
        "Sent by Harbour Watch as agent for Kestrel Software Inc., owner of the Tern engine.",
    ],
)
def test_an_outside_agent_stays_an_agent(body: str) -> None:
    assert complainant(body).get("relationship") == "agent"


def test_a_notice_addressed_to_the_designated_agent_does_not_make_its_sender_one() -> None:
    assert complainant("I own the copyright in the Tern engine, my own work, which this repository copies.").get("relationship") == "owner"


def test_with_no_word_on_standing_a_sender_speaking_of_its_own_work_is_the_owner() -> None:
    assert complainant("This repository copies our app, the Tern engine.").get("relationship") == "owner"


def test_the_company_an_employee_names_is_the_organisation() -> None:
    said = complainant("I am an employee of Kestrel Software Inc. and I am authorized to act on the owner's behalf.")
    assert said.get("organization") == "Kestrel Software Inc"


def test_a_company_line_among_the_redacted_lines_over_the_signer_is_the_organisation() -> None:
    closing = "Regards,\n\n[private]\n\nKestrel Consumer Software Inc.\n[private]\n\n[private]\n"
    assert complainant("The file above copies the Tern engine.", closing).get("organization") == "Kestrel Consumer Software Inc."


@pytest.mark.parametrize(
    ("closing", "name"),
    [
        ("Regards,\n[private], Authorized DMCA Agent\n", "[private]"),
        ("Regards,\nDana Reyes, General Counsel\n", "Dana Reyes"),
        ("**Please type your full legal name below to sign this request:**\n\n答：[private]\n", "[private]"),
    ],
)
def test_a_signers_title_or_an_answer_label_is_not_part_of_the_name(closing: str, name: str) -> None:
    got = fields("The file above copies the Tern engine, our software.", closing)
    assert (got.get("signature") or {}).get("name") == name


def test_the_forms_confirmation_that_the_guide_was_read_is_no_description_of_the_work() -> None:
    body = "I have read and understand GitHub's Guide to Filing a DMCA Notice.\nThe repository copies the Tern engine, our software."
    works = fields(body).get("works") or []
    assert works and not (works[0].get("description") or "").lower().startswith("i have read")
