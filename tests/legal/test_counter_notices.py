"""Counter-notices: US 17 U.S.C. § 512(g)(3) and the Singapore restoration notice, reg 80(4) (DOMAIN.md §2)."""

from __future__ import annotations

import pytest

from ipclaims.legal import CheckContext, check_counter_notice, counter_element_codes
from tests.legal.notices import REMOVE, Change, changed, complete_counter_notice

CTX = CheckContext(platform_hosts=frozenset({"video.example.com"}))
M, D = "missing", "deficient"
NON_SG = {"street": "5 Jalan Ampang", "city": "Kuala Lumpur", "country": "MY"}

# (regime, id, changes, {code: status})
CASES: list[tuple[str, str, list[Change], dict[str, str]]] = [
    # --- US_DMCA, § 512(g)(3) -----------------------------------------------------------------------------------
    ("US_DMCA", "signature-removed", [(("signature",), REMOVE)], {"signature": M}),
    ("US_DMCA", "signature-blank", [(("signature", "name"), " ")], {"signature": D}),
    ("US_DMCA", "material-removed", [(("material",), REMOVE)], {"material_identification": M}),
    ("US_DMCA", "material-blank", [(("material",), "")], {"material_identification": D}),
    (
        "US_DMCA",
        "mistake-statements-removed",
        [(("statements", "mistake_or_misidentification"), REMOVE), (("statements", "under_penalty_of_perjury"), None)],
        {"mistake_statement": M},
    ),
    ("US_DMCA", "mistake-removed", [(("statements", "mistake_or_misidentification"), False)], {"mistake_statement": D}),
    ("US_DMCA", "perjury-removed", [(("statements", "under_penalty_of_perjury"), REMOVE)], {"mistake_statement": D}),
    ("US_DMCA", "subscriber-removed", [(("subscriber",), REMOVE)], {"subscriber_contact": M}),
    ("US_DMCA", "subscriber-name-removed", [(("subscriber", "name"), REMOVE)], {"subscriber_contact": D}),
    ("US_DMCA", "subscriber-address-removed", [(("subscriber", "address"), None)], {"subscriber_contact": D}),
    ("US_DMCA", "subscriber-phone-removed", [(("subscriber", "phone"), REMOVE)], {"subscriber_contact": D}),
    (
        "US_DMCA",
        "subscriber-address-without-city",
        [(("subscriber", "address", "city"), " ")],
        {"subscriber_contact": D},
    ),
    (
        "US_DMCA",
        "jurisdiction-consent-removed",
        [(("statements", "jurisdiction_consent"), REMOVE)],
        {"jurisdiction_consent": M},
    ),
    (
        "US_DMCA",
        "service-acceptance-removed",
        [(("statements", "service_acceptance"), False)],
        {"service_acceptance": M},
    ),
    (
        "US_DMCA",
        "statements-removed",
        [(("statements",), REMOVE)],
        {"mistake_statement": M, "jurisdiction_consent": M, "service_acceptance": M},
    ),
    # --- SG_CA2021, reg 80(4) -----------------------------------------------------------------------------------
    ("SG_CA2021", "name-removed", [(("subscriber", "name"), REMOVE)], {"subscriber_identity": D}),
    ("SG_CA2021", "address-removed", [(("subscriber", "address"), REMOVE)], {"subscriber_identity": D}),
    (
        "SG_CA2021",
        "name-and-address-removed",
        [(("subscriber", "name"), None), (("subscriber", "address"), REMOVE)],
        {"subscriber_identity": M},
    ),
    (
        "SG_CA2021",
        "subscriber-removed",
        [(("subscriber",), REMOVE)],
        {"subscriber_identity": M, "subscriber_contact": M},
    ),
    (
        "SG_CA2021",
        "non-resident-no-service-address",
        [(("subscriber", "address"), NON_SG)],
        {"sg_address_for_service": M},
    ),
    (
        "SG_CA2021",
        "non-resident-blank-service-address",
        [(("subscriber", "address"), NON_SG), (("sg_address_for_service",), "")],
        {"sg_address_for_service": D},
    ),
    ("SG_CA2021", "phone-removed", [(("subscriber", "phone"), REMOVE)], {"subscriber_contact": D}),
    ("SG_CA2021", "email-unusable", [(("subscriber", "email"), "meiling")], {"subscriber_contact": D}),
    (
        "SG_CA2021",
        "phone-and-email-removed",
        [(("subscriber", "phone"), REMOVE), (("subscriber", "email"), REMOVE)],
        {"subscriber_contact": M},
    ),
    ("SG_CA2021", "material-removed", [(("material",), REMOVE)], {"material_identification": M}),
    ("SG_CA2021", "material-blank", [(("material",), "  ")], {"material_identification": D}),
    (
        "SG_CA2021",
        "mistake-removed",
        [(("statements", "mistake_or_misidentification"), REMOVE)],
        {"mistake_statement": M},
    ),
    (
        "SG_CA2021",
        "jurisdiction-consent-removed",
        [(("statements", "jurisdiction_consent"), False)],
        {"jurisdiction_consent": M},
    ),
    ("SG_CA2021", "accuracy-removed", [(("statements", "accuracy"), REMOVE)], {"accuracy_statement": M}),
    ("SG_CA2021", "signature-removed", [(("signature",), None)], {"signature": M}),
    ("SG_CA2021", "signature-blank", [(("signature",), {"name": ""})], {"signature": D}),
]

STILL_COMPLETE: list[tuple[str, str, list[Change]]] = [
    # § 512(g)(3)(D) asks for name, address and telephone; an email is welcome but not required.
    ("US_DMCA", "no-email", [(("subscriber", "email"), REMOVE)]),
    # Outside the US the consent covers any district where the provider may be found; no address for service.
    ("US_DMCA", "subscriber-abroad", [(("subscriber", "address"), NON_SG)]),
    # reg 80(4)(f): "or that it is not an infringing copy" is an alternative ground.
    (
        "SG_CA2021",
        "not-infringing-instead-of-mistake",
        [(("statements", "mistake_or_misidentification"), False), (("statements", "not_infringing"), True)],
    ),
    (
        "SG_CA2021",
        "non-resident-with-service-address",
        [(("subscriber", "address"), NON_SG), (("sg_address_for_service",), "80 Robinson Road, Singapore 068898")],
    ),
    ("SG_CA2021", "usable-fax", [(("subscriber", "fax"), "+65 6123 4568")]),
]


@pytest.mark.parametrize("regime", ["US_DMCA", "SG_CA2021"])
def test_complete_counter_notice(regime: str) -> None:
    result = check_counter_notice(regime, complete_counter_notice(regime), CTX)
    assert [e.code for e in result.elements] == list(counter_element_codes(regime))
    assert all(e.status == "present" for e in result.elements), result.elements
    assert (result.complete, result.curable) == (True, False)


@pytest.mark.parametrize(
    ("regime", "changes", "expected"),
    [pytest.param(regime, changes, expected, id=f"{regime}-{name}") for regime, name, changes, expected in CASES],
)
def test_each_gap_is_reported_on_its_own_element(regime: str, changes: list[Change], expected: dict[str, str]) -> None:
    result = check_counter_notice(regime, changed(complete_counter_notice(regime), changes), CTX)
    assert {e.code: e.status for e in result.elements} == {code: expected.get(code, "present") for code in counter_element_codes(regime)}
    # A counter-notice gap is always curable: the clock starts when it is complete (DOMAIN.md §6).
    assert (result.complete, result.curable) == (False, True)


@pytest.mark.parametrize(
    ("regime", "changes"),
    [pytest.param(regime, changes, id=f"{regime}-{name}") for regime, name, changes in STILL_COMPLETE],
)
def test_edits_that_keep_a_counter_notice_complete(regime: str, changes: list[Change]) -> None:
    result = check_counter_notice(regime, changed(complete_counter_notice(regime), changes), CTX)
    assert result.missing_codes() == []
    assert result.complete is True


@pytest.mark.parametrize("regime", ["US_DMCA", "SG_CA2021"])
def test_the_table_removes_every_element(regime: str) -> None:
    missing_rows = {code for r, _, _, expected in CASES if r == regime for code, s in expected.items() if s == M}
    assert missing_rows == set(counter_element_codes(regime))
