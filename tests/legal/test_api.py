"""The public surface the service layer relies on: regime names, element codes in DOMAIN.md order, citations."""

from __future__ import annotations

import pytest

from ipclaims.legal import (
    REGIMES,
    CheckContext,
    Completeness,
    ElementResult,
    ElementStatus,
    check_claim,
    check_counter_notice,
    counter_element_codes,
    counter_notice_regime,
    element_codes,
)

# DOMAIN.md §2, table by table: (code, citation) in table order.
CLAIM_TABLES: dict[str, list[tuple[str, str]]] = {
    "US_DMCA": [
        ("signature", "17 U.S.C. § 512(c)(3)(A)(i)"),
        ("work_identification", "17 U.S.C. § 512(c)(3)(A)(ii)"),
        ("material_location", "17 U.S.C. § 512(c)(3)(A)(iii)"),
        ("contact_information", "17 U.S.C. § 512(c)(3)(A)(iv)"),
        ("good_faith_statement", "17 U.S.C. § 512(c)(3)(A)(v)"),
        ("accuracy_authority_statement", "17 U.S.C. § 512(c)(3)(A)(vi)"),
    ],
    "EU_DSA": [
        ("substantiated_explanation", "Regulation (EU) 2022/2065, Art. 16(2)(a)"),
        ("exact_location", "Regulation (EU) 2022/2065, Art. 16(2)(b)"),
        ("notifier_identity", "Regulation (EU) 2022/2065, Art. 16(2)(c)"),
        ("bona_fide_statement", "Regulation (EU) 2022/2065, Art. 16(2)(d)"),
    ],
    "SG_CA2021": [
        ("complainant_identity", "Copyright Regulations 2021 (SG), reg 78(4)(a)"),
        ("sg_address_for_service", "Copyright Regulations 2021 (SG), reg 78(4)(b)"),
        ("contact_information", "Copyright Regulations 2021 (SG), reg 78(4)(c)"),
        ("work_identification", "Copyright Regulations 2021 (SG), reg 78(4)(d)"),
        ("material_location", "Copyright Regulations 2021 (SG), reg 78(4)(d)"),
        ("removal_request_statement", "Copyright Regulations 2021 (SG), reg 78(4)(e)–(f)"),
        ("signature", "Copyright Regulations 2021 (SG), reg 78(3)"),
    ],
    "TM_POLICY": [
        ("mark", "TM policy; 15 U.S.C. § 1114(1); Reg. (EU) 2017/1001 Art. 9(2); Trade Marks Act 1998 (SG) s 27"),
        ("registration", "TM policy; 15 U.S.C. § 1057(b)"),
        ("goods_services", "TM policy; Nice Agreement classes 1–45"),
        ("material_location", "TM policy; DSA Art. 16(2)(b)"),
        (
            "infringement_description",
            "TM policy; 15 U.S.C. §§ 1114(1), 1125(a); Reg. (EU) 2017/1001 Art. 9(2)(a)–(c)",
        ),
        ("contact_information", "TM policy; DSA Art. 16(2)(c)"),
        ("good_faith_statement", "TM policy; DSA Art. 16(2)(d)"),
        ("accuracy_authority_statement", "TM policy; DSA Art. 16(2)(d)"),
        ("signature", "TM policy"),
    ],
}

COUNTER_TABLES: dict[str, list[tuple[str, str]]] = {
    "US_DMCA": [
        ("signature", "17 U.S.C. § 512(g)(3)(A)"),
        ("material_identification", "17 U.S.C. § 512(g)(3)(B)"),
        ("mistake_statement", "17 U.S.C. § 512(g)(3)(C)"),
        ("subscriber_contact", "17 U.S.C. § 512(g)(3)(D)"),
        ("jurisdiction_consent", "17 U.S.C. § 512(g)(3)(D)"),
        ("service_acceptance", "17 U.S.C. § 512(g)(3)(D)"),
    ],
    "SG_CA2021": [
        ("subscriber_identity", "Copyright Regulations 2021 (SG), reg 80(4)(a)"),
        ("sg_address_for_service", "Copyright Regulations 2021 (SG), reg 80(4)(b)"),
        ("subscriber_contact", "Copyright Regulations 2021 (SG), reg 80(4)(c)"),
        ("material_identification", "Copyright Regulations 2021 (SG), reg 80(4)(d)–(e)"),
        ("mistake_statement", "Copyright Regulations 2021 (SG), reg 80(4)(f)"),
        ("jurisdiction_consent", "Copyright Regulations 2021 (SG), reg 80(4)(g)"),
        ("accuracy_statement", "Copyright Regulations 2021 (SG), reg 80(4)(h)"),
        ("signature", "Copyright Regulations 2021 (SG), reg 80(4)"),
    ],
}


def test_regimes() -> None:
    assert REGIMES == ("US_DMCA", "EU_DSA", "SG_CA2021", "TM_POLICY")


@pytest.mark.parametrize("regime", REGIMES)
def test_claim_codes_and_citations(regime: str) -> None:
    assert element_codes(regime) == tuple(code for code, _ in CLAIM_TABLES[regime])
    result = check_claim(regime, {}, CheckContext())
    assert [(e.code, e.citation) for e in result.elements] == CLAIM_TABLES[regime]


@pytest.mark.parametrize("regime", ["US_DMCA", "SG_CA2021"])
def test_counter_codes_and_citations(regime: str) -> None:
    assert counter_notice_regime(regime) == regime
    assert counter_element_codes(regime) == tuple(code for code, _ in COUNTER_TABLES[regime])
    result = check_counter_notice(regime, {}, CheckContext())
    assert [(e.code, e.citation) for e in result.elements] == COUNTER_TABLES[regime]


@pytest.mark.parametrize("regime", ["EU_DSA", "TM_POLICY"])
def test_regimes_without_a_counter_notice(regime: str) -> None:
    assert counter_notice_regime(regime) is None
    with pytest.raises(ValueError, match="counter-notice"):
        check_counter_notice(regime, {}, CheckContext())
    with pytest.raises(ValueError, match="counter-notice"):
        counter_element_codes(regime)


@pytest.mark.parametrize(
    "call",
    [
        lambda: check_claim("UK_CDPA", {}, CheckContext()),
        lambda: element_codes("us_dmca"),
        lambda: counter_notice_regime("UK_CDPA"),
        lambda: check_counter_notice("UK_CDPA", {}, CheckContext()),
    ],
)
def test_unknown_regime_is_a_value_error(call: object) -> None:
    assert callable(call)
    with pytest.raises(ValueError, match="regime"):
        call()


def test_statuses_are_strings_for_json() -> None:
    assert [str(s) for s in ElementStatus] == ["present", "missing", "deficient"]


def test_missing_codes_lists_every_non_present_code_in_order() -> None:
    elements = (
        ElementResult("a", ElementStatus.DEFICIENT, "c", "d"),
        ElementResult("b", ElementStatus.PRESENT, "c", "d"),
        ElementResult("c", ElementStatus.MISSING, "c", "d"),
    )
    assert Completeness(complete=False, curable=True, elements=elements).missing_codes() == ["a", "c"]
