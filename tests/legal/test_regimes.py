"""Claim elements per regime (DOMAIN.md §2): a complete notice, then each element removed and spoiled in turn.

Every row names the only codes that may change; all other elements must stay `present` (one gap never spills into
another element), and `curable` follows the § 512(c)(3)(B)(ii) floor for US_DMCA and `not complete` elsewhere.
"""

from __future__ import annotations

from typing import Any

import pytest

from ipclaims.legal import REGIMES, CheckContext, check_claim, element_codes
from tests.legal.notices import REMOVE, Change, changed, complete_claim

CTX = CheckContext(platform_hosts=frozenset({"video.example.com", "shop.example.com"}))
M, D = "missing", "deficient"

NON_SG = {"street": "5 Jalan Ampang", "city": "Kuala Lumpur", "country": "MY"}

# (regime, id, changes, {code: status}, curable)
CASES: list[tuple[str, str, list[Change], dict[str, str], bool]] = [
    # --- US_DMCA, 17 U.S.C. § 512(c)(3)(A) -----------------------------------------------------------------------
    ("US_DMCA", "signature-removed", [(("signature",), REMOVE)], {"signature": M}, True),
    ("US_DMCA", "signature-null", [(("signature",), None)], {"signature": M}, True),
    ("US_DMCA", "signature-empty-object", [(("signature",), {})], {"signature": M}, True),
    ("US_DMCA", "signature-all-null", [(("signature",), {"name": None, "date": None})], {"signature": M}, True),
    ("US_DMCA", "signature-blank-name", [(("signature",), {"name": "  "})], {"signature": D}, True),
    ("US_DMCA", "signature-date-only", [(("signature",), {"date": "2026-01-05"})], {"signature": D}, True),
    ("US_DMCA", "works-removed", [(("works",), REMOVE)], {"work_identification": M}, False),
    ("US_DMCA", "works-empty", [(("works",), [])], {"work_identification": M}, False),
    (
        "US_DMCA",
        "works-blank",
        [(("works",), [{"title": " ", "description": "", "registration_number": "PA1"}])],
        {"work_identification": D},
        False,
    ),
    ("US_DMCA", "items-removed", [(("items",), REMOVE)], {"material_location": M}, False),
    ("US_DMCA", "items-without-urls", [(("items",), [{"description": "my channel"}])], {"material_location": M}, False),
    (
        "US_DMCA",
        "items-whole-site",
        [(("items", 1, "url"), "https://video.example.com/")],
        {"material_location": D},
        False,
    ),
    ("US_DMCA", "items-not-a-url", [(("items", 0, "url"), "my whole channel")], {"material_location": D}, False),
    (
        "US_DMCA",
        "items-off-platform",
        [(("items", 0, "url"), "https://elsewhere.example.org/v/1")],
        {"material_location": D},
        False,
    ),
    ("US_DMCA", "complainant-removed", [(("complainant",), REMOVE)], {"contact_information": M}, False),
    (
        "US_DMCA",
        "contact-channels-removed",
        [(("complainant", "email"), REMOVE), (("complainant", "phone"), None), (("complainant", "address"), REMOVE)],
        {"contact_information": M},
        False,
    ),
    (
        "US_DMCA",
        "contact-channels-unusable",
        [
            (("complainant", "email"), "ada at rights"),
            (("complainant", "phone"), "12"),
            (("complainant", "address"), {"city": "New York"}),
        ],
        {"contact_information": D},
        False,
    ),
    ("US_DMCA", "good-faith-removed", [(("statements", "good_faith"), REMOVE)], {"good_faith_statement": M}, True),
    ("US_DMCA", "good-faith-false", [(("statements", "good_faith"), False)], {"good_faith_statement": M}, True),
    (
        "US_DMCA",
        "perjury-attestation-removed",
        [(("statements", "authority_under_penalty_of_perjury"), REMOVE)],
        {"accuracy_authority_statement": D},
        True,
    ),
    (
        "US_DMCA",
        "accuracy-removed",
        [(("statements", "accuracy"), False)],
        {"accuracy_authority_statement": D},
        True,
    ),
    (
        "US_DMCA",
        "accuracy-and-perjury-removed",
        [(("statements", "accuracy"), REMOVE), (("statements", "authority_under_penalty_of_perjury"), None)],
        {"accuracy_authority_statement": M},
        True,
    ),
    (
        "US_DMCA",
        "statements-removed",
        [(("statements",), REMOVE)],
        {"good_faith_statement": M, "accuracy_authority_statement": M},
        True,
    ),
    (
        "US_DMCA",
        "below-the-floor-with-other-gaps",
        [(("items",), REMOVE), (("signature",), REMOVE)],
        {"material_location": M, "signature": M},
        False,
    ),
    # --- EU_DSA, Regulation (EU) 2022/2065 Art. 16(2) ---------------------------------------------------------------
    ("EU_DSA", "explanation-removed", [(("explanation",), REMOVE)], {"substantiated_explanation": M}, True),
    ("EU_DSA", "explanation-null", [(("explanation",), None)], {"substantiated_explanation": M}, True),
    ("EU_DSA", "explanation-blank", [(("explanation",), " \n ")], {"substantiated_explanation": D}, True),
    ("EU_DSA", "items-removed", [(("items",), REMOVE)], {"exact_location": M}, True),
    ("EU_DSA", "items-whole-site", [(("items", 0, "url"), "https://video.example.com")], {"exact_location": D}, True),
    ("EU_DSA", "complainant-removed", [(("complainant",), REMOVE)], {"notifier_identity": M}, True),
    (
        "EU_DSA",
        "complainant-all-null",
        [(("complainant",), {"name": None, "email": None, "address": {"street": None}})],
        {"notifier_identity": M},
        True,
    ),
    ("EU_DSA", "name-removed", [(("complainant", "name"), REMOVE)], {"notifier_identity": D}, True),
    ("EU_DSA", "name-blank", [(("complainant", "name"), "")], {"notifier_identity": D}, True),
    ("EU_DSA", "email-removed", [(("complainant", "email"), REMOVE)], {"notifier_identity": D}, True),
    ("EU_DSA", "email-unusable", [(("complainant", "email"), "agathe@")], {"notifier_identity": D}, True),
    ("EU_DSA", "bona-fide-removed", [(("statements", "bona_fide"), REMOVE)], {"bona_fide_statement": M}, True),
    ("EU_DSA", "bona-fide-false", [(("statements", "bona_fide"), False)], {"bona_fide_statement": M}, True),
    # --- SG_CA2021, Copyright Regulations 2021 reg 78 ---------------------------------------------------------------
    ("SG_CA2021", "name-removed", [(("complainant", "name"), REMOVE)], {"complainant_identity": D}, True),
    # Residence unknown without an address: only complainant_identity reports it (DOMAIN.md §2).
    ("SG_CA2021", "address-removed", [(("complainant", "address"), REMOVE)], {"complainant_identity": D}, True),
    (
        "SG_CA2021",
        "address-without-street",
        [(("complainant", "address", "street"), " ")],
        {"complainant_identity": D},
        True,
    ),
    (
        "SG_CA2021",
        "name-and-address-removed",
        [(("complainant", "name"), REMOVE), (("complainant", "address"), None)],
        {"complainant_identity": M},
        True,
    ),
    (
        "SG_CA2021",
        "agent-without-rights-owner",
        [(("complainant", "relationship"), "agent")],
        {"complainant_identity": D},
        True,
    ),
    (
        "SG_CA2021",
        "agent-with-blank-rights-owner",
        [(("complainant", "relationship"), "agent"), (("rights_owner",), "  ")],
        {"complainant_identity": D},
        True,
    ),
    (
        "SG_CA2021",
        "non-resident-without-service-address",
        [(("complainant", "address"), NON_SG)],
        {"sg_address_for_service": M},
        True,
    ),
    (
        "SG_CA2021",
        "non-resident-with-blank-service-address",
        [(("complainant", "address"), NON_SG), (("sg_address_for_service",), " ")],
        {"sg_address_for_service": D},
        True,
    ),
    ("SG_CA2021", "phone-removed", [(("complainant", "phone"), REMOVE)], {"contact_information": D}, True),
    ("SG_CA2021", "email-removed", [(("complainant", "email"), None)], {"contact_information": D}, True),
    ("SG_CA2021", "email-unusable", [(("complainant", "email"), "tan@rights")], {"contact_information": D}, True),
    ("SG_CA2021", "phone-too-short", [(("complainant", "phone"), "6123")], {"contact_information": D}, True),
    ("SG_CA2021", "fax-blank", [(("complainant", "fax"), "")], {"contact_information": D}, True),
    ("SG_CA2021", "fax-unusable", [(("complainant", "fax"), "n/a")], {"contact_information": D}, True),
    (
        "SG_CA2021",
        "phone-email-removed",
        [(("complainant", "phone"), REMOVE), (("complainant", "email"), REMOVE)],
        {"contact_information": M},
        True,
    ),
    ("SG_CA2021", "works-removed", [(("works",), REMOVE)], {"work_identification": M}, True),
    ("SG_CA2021", "works-blank", [(("works",), [{"title": "", "urls": []}])], {"work_identification": D}, True),
    ("SG_CA2021", "items-removed", [(("items",), REMOVE)], {"material_location": M}, True),
    (
        "SG_CA2021",
        "items-off-platform",
        [(("items", 0, "url"), "https://elsewhere.example.org/watch?v=1")],
        {"material_location": D},
        True,
    ),
    (
        "SG_CA2021",
        "removal-request-removed",
        [(("statements", "removal_requested"), REMOVE)],
        {"removal_request_statement": M},
        True,
    ),
    ("SG_CA2021", "signature-removed", [(("signature",), REMOVE)], {"signature": M}, True),
    ("SG_CA2021", "signature-blank", [(("signature", "name"), "\t")], {"signature": D}, True),
    # --- TM_POLICY ----------------------------------------------------------------------------------------------
    ("TM_POLICY", "mark-removed", [(("trademark", "mark"), REMOVE)], {"mark": M}, True),
    ("TM_POLICY", "mark-blank", [(("trademark", "mark"), " ")], {"mark": D}, True),
    (
        "TM_POLICY",
        "registration-number-removed",
        [(("trademark", "registration_number"), REMOVE)],
        {"registration": D},
        True,
    ),
    ("TM_POLICY", "registry-removed", [(("trademark", "registry"), None)], {"registration": D}, True),
    (
        "TM_POLICY",
        "registration-removed",
        [(("trademark", "registration_number"), REMOVE), (("trademark", "registry"), REMOVE)],
        {"registration": M},
        True,
    ),
    (
        "TM_POLICY",
        "madrid-without-designations",
        [(("trademark", "registry"), "WIPO_MADRID"), (("trademark", "jurisdictions"), [])],
        {"registration": D},
        True,
    ),
    ("TM_POLICY", "nice-class-0", [(("trademark", "nice_classes"), [0])], {"goods_services": D}, True),
    ("TM_POLICY", "nice-class-46", [(("trademark", "nice_classes"), [9, 46])], {"goods_services": D}, True),
    ("TM_POLICY", "nice-classes-empty", [(("trademark", "nice_classes"), [])], {"goods_services": D}, True),
    ("TM_POLICY", "goods-text-removed", [(("trademark", "goods_services"), REMOVE)], {"goods_services": D}, True),
    (
        "TM_POLICY",
        "goods-services-removed",
        [(("trademark", "nice_classes"), REMOVE), (("trademark", "goods_services"), None)],
        {"goods_services": M},
        True,
    ),
    ("TM_POLICY", "items-removed", [(("items",), REMOVE)], {"material_location": M}, True),
    (
        "TM_POLICY",
        "items-store-front",
        [(("items", 0, "url"), "https://shop.example.com/")],
        {"material_location": D},
        True,
    ),
    (
        "TM_POLICY",
        "infringement-type-removed",
        [(("trademark", "infringement_type"), REMOVE)],
        {"infringement_description": M},
        True,
    ),
    (
        "TM_POLICY",
        "infringement-type-unknown",
        [(("trademark", "infringement_type"), "dilution")],
        {"infringement_description": D},
        True,
    ),
    (
        "TM_POLICY",
        "infringement-explanation-blank",
        [(("trademark", "infringement_type"), None), (("explanation",), "   ")],
        {"infringement_description": D},
        True,
    ),
    ("TM_POLICY", "complainant-removed", [(("complainant",), REMOVE)], {"contact_information": M}, True),
    ("TM_POLICY", "name-removed", [(("complainant", "name"), REMOVE)], {"contact_information": D}, True),
    ("TM_POLICY", "email-unusable", [(("complainant", "email"), "brand@@acme")], {"contact_information": D}, True),
    ("TM_POLICY", "address-removed", [(("complainant", "address"), REMOVE)], {"contact_information": D}, True),
    (
        "TM_POLICY",
        "address-without-city",
        [(("complainant", "address", "city"), "")],
        {"contact_information": D},
        True,
    ),
    ("TM_POLICY", "good-faith-removed", [(("statements", "good_faith"), REMOVE)], {"good_faith_statement": M}, True),
    (
        "TM_POLICY",
        "accuracy-removed",
        [(("statements", "accuracy"), False)],
        {"accuracy_authority_statement": M},
        True,
    ),
    ("TM_POLICY", "signature-removed", [(("signature",), REMOVE)], {"signature": M}, True),
    ("TM_POLICY", "signature-blank", [(("signature",), {"name": ""})], {"signature": D}, True),
]

# Edits that must leave a complete notice complete (recorded-only fields, alternatives the table allows).
STILL_COMPLETE: list[tuple[str, str, list[Change]]] = [
    # Lenz: fair_use_considered is recorded, never an element.
    ("US_DMCA", "fair-use-not-attested", [(("statements", "fair_use_considered"), REMOVE)]),
    ("US_DMCA", "email-only-contact", [(("complainant", "phone"), REMOVE), (("complainant", "address"), REMOVE)]),
    ("US_DMCA", "phone-only-contact", [(("complainant", "email"), REMOVE), (("complainant", "address"), REMOVE)]),
    ("US_DMCA", "address-only-contact", [(("complainant", "email"), REMOVE), (("complainant", "phone"), REMOVE)]),
    ("US_DMCA", "bad-email-but-usable-phone", [(("complainant", "email"), "not-an-email")]),
    ("US_DMCA", "work-described-not-titled", [(("works",), [{"title": None, "description": "Our 2024 music video"}])]),
    ("US_DMCA", "one-of-two-works-blank", [(("works",), [{"title": ""}, {"title": "Sunset Song"}])]),
    ("EU_DSA", "anyone-may-notify", [(("complainant", "relationship"), "other")]),
    (
        "SG_CA2021",
        "non-resident-with-service-address",
        [
            (("complainant", "address"), NON_SG),
            (("sg_address_for_service",), "c/o Law Chambers LLP, 80 Robinson Road, Singapore 068898"),
        ],
    ),
    ("SG_CA2021", "resident-by-full-country-name", [(("complainant", "address", "country"), "singapore")]),
    ("SG_CA2021", "resident-by-alpha-3", [(("complainant", "address", "country"), "sgp")]),
    (
        "SG_CA2021",
        "agent-with-rights-owner",
        [
            (("complainant", "relationship"), "agent"),
            (("rights_owner",), "Merlion Pictures Pte Ltd"),
        ],
    ),
    ("SG_CA2021", "usable-fax", [(("complainant", "fax"), "+65 6123 4568")]),
    ("SG_CA2021", "item-without-description", [(("items", 0, "description"), REMOVE)]),
    (
        "TM_POLICY",
        "madrid-with-designations",
        [
            (("trademark", "registry"), "WIPO_MADRID"),
            (("trademark", "jurisdictions"), ["EM", "SG"]),
        ],
    ),
    ("TM_POLICY", "another-national-office", [(("trademark", "registry"), "JPO")]),
    ("TM_POLICY", "nice-classes-at-the-bounds", [(("trademark", "nice_classes"), [1, 34, 35, 45])]),
    (
        "TM_POLICY",
        "explanation-instead-of-type",
        [
            (("trademark", "infringement_type"), None),
            (("explanation",), "The listing sells phones bearing our mark that we never made."),
        ],
    ),
    ("TM_POLICY", "fair-use-not-attested", [(("statements", "fair_use_considered"), REMOVE)]),
]


def _statuses(regime: str, notice: dict[str, Any]) -> tuple[dict[str, str], bool, bool]:
    result = check_claim(regime, notice, CTX)
    return {e.code: str(e.status) for e in result.elements}, result.complete, result.curable


@pytest.mark.parametrize("regime", REGIMES)
def test_complete_claim_is_complete(regime: str) -> None:
    result = check_claim(regime, complete_claim(regime), CTX)
    assert [e.code for e in result.elements] == list(element_codes(regime))
    assert all(e.status == "present" for e in result.elements), result.elements
    assert result.complete is True
    assert result.curable is False
    assert result.missing_codes() == []
    assert all(e.citation and e.detail for e in result.elements)


@pytest.mark.parametrize(
    ("regime", "changes", "expected", "curable"),
    [pytest.param(regime, changes, expected, curable, id=f"{regime}-{name}") for regime, name, changes, expected, curable in CASES],
)
def test_each_gap_is_reported_on_its_own_element(regime: str, changes: list[Change], expected: dict[str, str], curable: bool) -> None:
    statuses, complete, got_curable = _statuses(regime, changed(complete_claim(regime), changes))
    assert statuses == {code: expected.get(code, "present") for code in element_codes(regime)}
    assert complete is False
    assert got_curable is curable


@pytest.mark.parametrize(
    ("regime", "changes"),
    [pytest.param(regime, changes, id=f"{regime}-{name}") for regime, name, changes in STILL_COMPLETE],
)
def test_edits_that_keep_a_claim_complete(regime: str, changes: list[Change]) -> None:
    statuses, complete, curable = _statuses(regime, changed(complete_claim(regime), changes))
    assert statuses == dict.fromkeys(element_codes(regime), "present")
    assert (complete, curable) == (True, False)


@pytest.mark.parametrize("regime", REGIMES)
def test_the_table_removes_every_element(regime: str) -> None:
    # Guards the table above: every element of every regime has at least one row where it goes missing.
    missing_rows = {code for r, _, _, expected, _ in CASES if r == regime for code, s in expected.items() if s == M}
    assert missing_rows == set(element_codes(regime))


def test_missing_codes_keep_table_order() -> None:
    notice = changed(complete_claim("US_DMCA"), [(("signature",), REMOVE), (("statements", "accuracy"), REMOVE)])
    result = check_claim("US_DMCA", notice, CTX)
    assert result.missing_codes() == ["signature", "accuracy_authority_statement"]


def test_empty_notice_reports_every_element_and_nothing_raises() -> None:
    for regime in REGIMES:
        result = check_claim(regime, {}, CheckContext())
        assert [e.code for e in result.elements] == list(element_codes(regime))
        assert result.complete is False
