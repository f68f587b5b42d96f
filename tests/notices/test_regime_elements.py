"""Table tests: each element of the EU_DSA, SG_CA2021 (notice and restoration notice) and TM_POLICY readings, judged
present / missing / deficient from short synthetic texts, one slot changed at a time from a complete baseline
(DOMAIN.md §2 for what each element requires)."""

from __future__ import annotations

import pytest

from ipclaims.notices import read_notice

DSA = {
    "head": "Notice under Article 16 of the Digital Services Act (Regulation (EU) 2022/2065).",
    "explanation": 'I hold the copyright in my drawing "Harbour at Dusk"; the file below reproduces it without my licence, '
    "which is unlawful under Austrian copyright law.",
    "location": "It is at https://github.com/inkhoard/art/blob/main/harbour.png",
    "email": "Email: mara.holz@atelier.example.at",
    "bona_fide": "I have a bona fide belief that the information in this notice is accurate and complete.",
    "closing": "Regards,\nMara Holz",
}
SG = {
    "head": "Notice under regulation 78 of the Copyright Regulations (Singapore Copyright Act 2021).",
    "identity": "Complainant: Tan Li Hua, 8 Clementi Road, Singapore 129742.",
    "contact": "Telephone +65 6555 0192; email lihua@press.example.sg",
    "work": 'The work is my textbook "Reef Ecology for Schools".',
    "location": "The infringing copy is at https://github.com/scanshare/books/blob/main/reef.pdf",
    "removal": "I require you to remove or disable access to the infringing copy.",
    "closing": "Signed,\nTan Li Hua",
}
SG_RESTORATION = {
    "head": "Restoration notice under regulation 80 of the Copyright Regulations (Singapore Copyright Act 2021).",
    "identity": "Subscriber: Koh Wen Jie, 51 Bukit Timah Road, Singapore 229900.",
    "contact": "Telephone +65 6555 0177; email wenjie@code.example.sg",
    "material": "The removed material was https://github.com/kohwj/reef-app, formerly at that address.",
    "mistake": "I believe in good faith that the material was removed as a result of mistake or misidentification.",
    "jurisdiction": "I submit to the jurisdiction of the courts of Singapore.",
    "accuracy": "The information in this notice is accurate.",
    "closing": "Signed,\nKoh Wen Jie",
}
TM = {
    "head": "Trademark report.",
    "mark": 'Our mark "NORTHWIND TEA" is registered with the EUIPO, Registration No. 018123456,',
    "goods": "in Nice class 30 covering goods: tea and herbal infusions.",
    "location": "The repository https://github.com/teafakes/northwind-shop offers counterfeit goods under the mark and is "
    "likely to cause confusion.",
    "contact": "Contact: Ines Roth, ines@northwind.example.de, 14 Mill Street, Leeds LS1 4AP.",
    "good_faith": "I have a good faith belief that the use of the mark is not authorized by the owner, its agent, or the law.",
    "accuracy": "The information in this report is accurate and I am authorized to act for the owner.",
    "closing": "Ines Roth",
}


def text(base: dict[str, str], changes: dict[str, str]) -> str:
    slots = {**base, **changes}
    return "\n\n".join(v for v in slots.values() if v) + "\n"


@pytest.mark.parametrize(("base", "regime", "kind"), [(DSA, "EU_DSA", "claim"), (SG, "SG_CA2021", "claim"), (TM, "TM_POLICY", "claim")])
def test_each_baseline_is_detected_and_complete(base: dict[str, str], regime: str, kind: str) -> None:
    reading = read_notice(text(base, {}))
    assert (reading.regime, reading.kind) == (regime, kind)
    assert {j.code: j.status for j in reading.judgements} == {j.code: "present" for j in reading.judgements}


def test_the_restoration_baseline_is_complete() -> None:
    reading = read_notice(text(SG_RESTORATION, {}), regime="SG_CA2021", kind="counter_notice")
    assert {j.code: j.status for j in reading.judgements} == {j.code: "present" for j in reading.judgements}


DSA_CASES = [
    ("substantiated_explanation", {"explanation": "Please take this down."}, "missing"),
    ("substantiated_explanation", {"explanation": "This infringes."}, "deficient"),
    ("exact_location", {"location": "It is somewhere on https://github.com/inkhoard"}, "deficient"),
    ("exact_location", {"location": "It is on your platform."}, "deficient"),
    ("exact_location", {"location": ""}, "missing"),
    ("notifier_identity", {"email": ""}, "deficient"),
    ("notifier_identity", {"closing": "Thank you for your help."}, "deficient"),
    ("notifier_identity", {"email": "", "closing": "Thank you for your help."}, "missing"),
    ("notifier_identity", {"email": "Email: [private]"}, "present"),
    ("bona_fide_statement", {"bona_fide": "I make this notice in good faith."}, "deficient"),
    ("bona_fide_statement", {"bona_fide": "I act in good faith and this notice is complete and accurate."}, "present"),
    ("bona_fide_statement", {"bona_fide": ""}, "missing"),
]
SG_CASES = [
    ("complainant_identity", {"identity": "Complainant: Tan Li Hua."}, "deficient"),
    ("complainant_identity", {"identity": "", "closing": "Thank you."}, "missing"),
    ("sg_address_for_service", {"identity": "Complainant: Tan Li Hua, 31 Queen Street, Auckland 1010, New Zealand."}, "missing"),
    (
        "sg_address_for_service",
        {
            "identity": "Complainant: Tan Li Hua, 31 Queen Street, Auckland 1010, New Zealand.\n"
            "Address for service in Singapore: 1 Raffles Place, Singapore 048616"
        },
        "present",
    ),
    ("contact_information", {"contact": "Email: lihua@press.example.sg"}, "deficient"),
    ("contact_information", {"contact": ""}, "missing"),
    ("work_identification", {"work": "The file below holds our confidential information."}, "deficient"),
    ("material_location", {"location": "The copy is somewhere on your website."}, "deficient"),
    ("removal_request_statement", {"removal": ""}, "missing"),
    ("signature", {"closing": "Reef Press Pte Ltd"}, "deficient"),
    ("signature", {"closing": "Thank you."}, "missing"),
]
SG_RESTORATION_CASES = [
    ("subscriber_identity", {"identity": "Subscriber: Koh Wen Jie."}, "deficient"),
    ("sg_address_for_service", {"identity": "Subscriber: Koh Wen Jie, 9 Elm Road, Perth 6000, Australia."}, "missing"),
    ("subscriber_contact", {"contact": "Telephone +65 6555 0177"}, "deficient"),
    ("subscriber_contact", {"contact": ""}, "missing"),
    ("material_identification", {"material": "The removed files were app/reef.py and app/tides.py."}, "deficient"),
    ("material_identification", {"material": ""}, "missing"),
    # reg 80(4)(f): a belief that it is not an infringing copy is enough.
    ("mistake_statement", {"mistake": "I believe in good faith that the material is not an infringing copy; I wrote it."}, "present"),
    ("mistake_statement", {"mistake": "The removal was a mistake."}, "deficient"),
    ("mistake_statement", {"mistake": ""}, "missing"),
    # reg 80(4)(g): the courts of Singapore; consent to another country's courts does not fill it.
    ("jurisdiction_consent", {"jurisdiction": "I consent to the jurisdiction of the Federal District Court in California."}, "deficient"),
    ("jurisdiction_consent", {"jurisdiction": "I agree to the jurisdiction of the Singapore courts only."}, "present"),
    ("jurisdiction_consent", {"jurisdiction": ""}, "missing"),
    ("accuracy_statement", {"accuracy": ""}, "missing"),
    ("signature", {"closing": "Thank you."}, "missing"),
]
TM_CASES = [
    ("mark", {"mark": "Trademark: NORTHWIND TEA, registered with the EUIPO, Registration No. 018123456,"}, "present"),
    ("infringement_description", {"location": "The account https://github.com/teafakes/northwind-shop impersonates us."}, "present"),
    ("mark", {"mark": "Our trademark is registered with the EUIPO, Registration No. 018123456,"}, "deficient"),
    ("registration", {"mark": 'Our mark "NORTHWIND TEA" is registered with the EUIPO,'}, "deficient"),
    ("registration", {"mark": 'Our mark "NORTHWIND TEA",'}, "missing"),
    ("goods_services", {"goods": "in Nice class 30."}, "deficient"),
    ("goods_services", {"goods": ""}, "missing"),
    ("material_location", {"location": "A shop at https://github.com/teafakes sells counterfeit goods under the mark."}, "deficient"),
    ("infringement_description", {"location": "Please remove https://github.com/teafakes/northwind-shop now."}, "missing"),
    ("contact_information", {"contact": "Contact: ines@northwind.example.de"}, "deficient"),
    ("good_faith_statement", {"good_faith": "I have a good faith belief that this use is not authorized by law."}, "deficient"),
    ("good_faith_statement", {"good_faith": ""}, "missing"),
    ("accuracy_authority_statement", {"accuracy": ""}, "missing"),
    ("signature", {"closing": "Northwind Tea GmbH"}, "deficient"),
]


@pytest.mark.parametrize(
    ("base", "regime", "kind", "code", "changes", "expected"),
    [(DSA, "EU_DSA", "claim", *c) for c in DSA_CASES]
    + [(SG, "SG_CA2021", "claim", *c) for c in SG_CASES]
    + [(SG_RESTORATION, "SG_CA2021", "counter_notice", *c) for c in SG_RESTORATION_CASES]
    + [(TM, "TM_POLICY", "claim", *c) for c in TM_CASES],
)
def test_regime_element(base: dict[str, str], regime: str, kind: str, code: str, changes: dict[str, str], expected: str) -> None:
    reading = read_notice(text(base, changes), regime=regime, kind=kind)
    judgement = reading.judgement(code)
    assert judgement.status == expected, judgement.note
    if expected != "missing":
        assert judgement.evidence, "present and deficient judgements quote what they were judged on"
