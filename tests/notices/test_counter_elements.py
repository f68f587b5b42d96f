"""Table tests: each § 512(g)(3) element of a counter notice's text (synthetic), present / missing / deficient."""

from __future__ import annotations

import pytest

from ipclaims.notices import read_notice

SLOTS = {
    "intro": "This is a counter notice about my repository, which was disabled last week.",
    "material": "The removed material was https://github.com/quietfox/tilemap-tools and all of its files.",
    "mistake": "I swear, under penalty of perjury, that I have a good faith belief that the material was removed "
    "as a result of mistake or misidentification.",
    "jurisdiction": "I consent to the jurisdiction of the Federal District Court for the judicial district in which my address is located.",
    "service": "I will accept service of process from the person who provided the notification or an agent of such person.",
    "contact": "Address: 4 Birch Lane, Tromsø 9008, Norway\nPhone: +47 912 34 567",
    "closing": "Regards,\nIngrid Solberg",
}


def counter(**changes: str) -> str:
    slots = {**SLOTS, **changes}
    return "\n\n".join(v for v in slots.values() if v) + "\n"


def test_the_baseline_counter_notice_is_complete_with_evidence() -> None:
    reading = read_notice(counter())
    assert reading.kind == "counter_notice" and reading.regime == "US_DMCA"
    assert [j.code for j in reading.judgements] == [
        "signature",
        "material_identification",
        "mistake_statement",
        "subscriber_contact",
        "jurisdiction_consent",
        "service_acceptance",
    ]
    assert all(j.status == "present" and j.evidence for j in reading.judgements)


CASES = [
    ("material_identification", {}, "present"),
    ("material_identification", {"material": "The removed files were src/render/atlas.py and src/render/tiles.py."}, "deficient"),
    ("material_identification", {"material": ""}, "missing"),
    ("mistake_statement", {}, "present"),
    ("mistake_statement", {"mistake": "I believe the removal was a mistake because I wrote all of this code myself."}, "deficient"),
    ("mistake_statement", {"mistake": ""}, "missing"),
    ("subscriber_contact", {}, "present"),
    ("subscriber_contact", {"contact": "So that the complainant can reach me:\nTelephone: [private]\nAddress: [private]"}, "present"),
    ("subscriber_contact", {"contact": "I will not provide my physical address to the complainant."}, "deficient"),
    ("subscriber_contact", {"contact": ""}, "missing"),
    ("jurisdiction_consent", {}, "present"),
    (
        "jurisdiction_consent",
        {"jurisdiction": SLOTS["jurisdiction"] + " However, I only accept the courts of Norway for any dispute."},
        "deficient",
    ),
    ("jurisdiction_consent", {"jurisdiction": ""}, "missing"),
    ("service_acceptance", {}, "present"),
    ("service_acceptance", {"service": "I will not accept service of process from the complainant."}, "deficient"),
    ("service_acceptance", {"service": ""}, "missing"),
    ("signature", {"closing": "Regards,\n[private]"}, "present"),
    ("signature", {"closing": "Thank you for your help."}, "missing"),
]


@pytest.mark.parametrize(("code", "changes", "expected"), CASES)
def test_counter_element(code: str, changes: dict[str, str], expected: str) -> None:
    reading = read_notice(counter(**changes), kind="counter_notice")
    judgement = reading.judgement(code)
    assert judgement.status == expected, judgement.note
    if expected != "missing":
        assert judgement.evidence


def test_counter_fields_are_shaped_like_the_counter_notice_body() -> None:
    fields = read_notice(counter()).fields
    assert set(fields) <= {"subscriber", "material", "statements", "sg_address_for_service", "signature"}
    assert fields["statements"] == {
        "mistake_or_misidentification": True,
        "under_penalty_of_perjury": True,
        "jurisdiction_consent": True,
        "service_acceptance": True,
    }
    assert fields["signature"]["name"] == "Ingrid Solberg"
    assert "tilemap-tools" in fields["material"]
    assert fields["subscriber"]["phone"] == "+47 912 34 567"


# Rules added while reading the tune split's disagreements (each in general terms, from NOTICES.md).
MORE_CASES = [
    # A contact pointer with the details redacted in its slot: the publisher removed name, address and telephone.
    ("subscriber_contact", {"contact": "My contact details are as follows:\n\n[private]\n\n[private]"}, "present"),
    ("subscriber_contact", {"contact": "**My contact information:**\n[private]"}, "present"),
    # Free text saying the removal was no mistake takes back the sworn sentence (the free text wins).
    ("mistake_statement", {"service": SLOTS["service"] + "\n\nHonestly, this wasn't a mistake: they knew."}, "deficient"),
    ("mistake_statement", {"service": SLOTS["service"] + "\n\nIt is not a question of licence but of authorship."}, "present"),
    # "Sincerely yours" closes the letter: the redacted name under it signs, the firm's address below is contact.
    (
        "signature",
        {"contact": "", "closing": "Sincerely yours,\n\n[private]\n\nPike & Stone LLP\n1201 Harbour Street, 9th Floor\nNew York, NY 10001"},
        "present",
    ),
]


@pytest.mark.parametrize(("code", "changes", "expected"), MORE_CASES)
def test_counter_element_rules(code: str, changes: dict[str, str], expected: str) -> None:
    judgement = read_notice(counter(**changes), kind="counter_notice").judgement(code)
    assert judgement.status == expected, judgement.note
    assert judgement.evidence
