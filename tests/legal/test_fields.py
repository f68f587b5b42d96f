"""The shared field tests (DOMAIN.md §2, "Which request fields feed which element") and their edge cases."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipclaims.legal import (
    REGIMES,
    CheckContext,
    check_claim,
    check_counter_notice,
    counter_notice_regime,
    item_location,
)
from ipclaims.legal.base import ElementStatus
from ipclaims.legal.fields import (
    email_problem,
    is_absent,
    phone_problem,
    signature_problem,
    singapore_residence,
    text_problem,
    url_problem,
)
from tests.legal.notices import REMOVE, changed, complete_claim

ANY_HOST = CheckContext()
PLATFORM = CheckContext(platform_hosts=frozenset({"video.example.com"}))


def _element(regime: str, notice: dict[str, Any], code: str, ctx: CheckContext = ANY_HOST) -> tuple[str, str]:
    result = check_claim(regime, notice, ctx)
    (element,) = (e for e in result.elements if e.code == code)
    others = {e.code: e.status for e in result.elements if e.code != code}
    assert all(s is ElementStatus.PRESENT for s in others.values()), others
    return str(element.status), element.detail


# --- specific URL -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "ctx", "locatable", "reason_contains"),
    [
        ("https://video.example.com/watch?v=abc", ANY_HOST, True, "specific"),
        ("http://video.example.com/v/1", ANY_HOST, True, "specific"),
        ("https://video.example.com/?v=123", ANY_HOST, False, "whole-site"),  # DOMAIN.md: a path beyond /
        ("https://anything.example.net/item/9", ANY_HOST, True, "specific"),
        ("  https://video.example.com/v/1  ", ANY_HOST, True, "specific"),
        ("https://video.example.com/", ANY_HOST, False, "whole-site"),
        ("https://video.example.com", ANY_HOST, False, "whole-site"),
        ("https://video.example.com//", ANY_HOST, False, "whole-site"),
        ("https://video.example.com/#top", ANY_HOST, False, "whole-site"),
        ("ftp://video.example.com/v/1", ANY_HOST, False, "http(s)"),
        ("video.example.com/v/1", ANY_HOST, False, "http(s)"),
        ("mailto:ada@example.com", ANY_HOST, False, "http(s)"),
        ("my whole channel", ANY_HOST, False, "not a URL"),
        ("https://video.example.com:99999/v/1", ANY_HOST, False, "not a URL"),
        ("https:///v/1", ANY_HOST, False, "no host"),
        ("", ANY_HOST, False, "blank"),
        ("   ", ANY_HOST, False, "blank"),
        (None, ANY_HOST, False, "no URL"),
        (12345, ANY_HOST, False, "not text"),
        ("https://video.example.com/v/1", PLATFORM, True, "specific"),
        ("https://VIDEO.Example.COM/v/1", PLATFORM, True, "specific"),
        ("https://m.video.example.com/v/1", PLATFORM, False, "not on this platform"),  # another host
        ("https://video.example.com./v/1", PLATFORM, True, "specific"),
        ("https://elsewhere.example.org/v/1", PLATFORM, False, "not on this platform"),
        ("https://evilvideo.example.com/v/1", PLATFORM, False, "not on this platform"),
        ("https://video.example.com.evil.org/v/1", PLATFORM, False, "not on this platform"),
        ("https://elsewhere.example.org/", PLATFORM, False, "whole-site"),
    ],
)
def test_item_location(url: object, ctx: CheckContext, locatable: bool, reason_contains: str) -> None:
    ok, reason = item_location(url, ctx)
    assert ok is locatable
    assert reason_contains in reason


def test_location_names_each_unlocatable_item_by_position() -> None:
    notice = changed(
        complete_claim("EU_DSA"),
        [
            (
                ("items",),
                [
                    {"url": "https://video.example.com/watch?v=1"},
                    {"url": "https://video.example.com/"},
                    {"url": None, "description": "the one with the cat"},
                    {"url": "https://elsewhere.example.org/v/2"},
                    {"url": "https://video.example.com/"},
                ],
            )
        ],
    )
    status, detail = _element("EU_DSA", notice, "exact_location", PLATFORM)
    assert status == "deficient"
    assert "4 of 5" in detail
    assert "items 2, 5: a whole-site address" in detail
    assert "item 3: no URL is given" in detail
    assert "item 4: host elsewhere.example.org is not on this platform" in detail
    assert "item 1" not in detail


def test_location_compresses_long_runs_of_positions() -> None:
    items = [{"url": "https://video.example.com/"} for _ in range(1000)]
    items[499] = {"url": "https://video.example.com/v/500"}
    notice = changed(complete_claim("US_DMCA"), [(("items",), items)])
    status, detail = _element("US_DMCA", notice, "material_location")
    assert status == "deficient"
    assert "items 1–499, 501–1000" in detail
    assert len(detail) < 600


@pytest.mark.parametrize("items", [[], [{}], [{"url": None}, {"description": "somewhere"}], None, "not a list"])
def test_location_missing_when_no_item_has_a_url(items: object) -> None:
    notice = changed(complete_claim("TM_POLICY"), [(("items",), items)])
    assert _element("TM_POLICY", notice, "material_location")[0] == "missing"


# --- absent, blank and null ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "absent"),
    [
        (None, True),
        ({}, True),
        ({"name": None, "address": {"street": None}}, True),
        ([], True),
        ([None, {}], True),
        ("", False),
        ("  ", False),
        (False, False),
        (0, False),
        ({"name": ""}, False),
    ],
)
def test_absence(value: object, absent: bool) -> None:
    assert is_absent(value) is absent


@pytest.mark.parametrize(
    ("signature", "status"),
    [
        ({"name": "/s/ Ada Rights"}, "present"),
        ({"name": "Ada Rights", "date": None}, "present"),
        (None, "missing"),
        ({}, "missing"),
        ({"name": None, "date": None}, "missing"),
        ({"name": ""}, "deficient"),
        ({"name": "  "}, "deficient"),
        ({"date": "2026-01-05"}, "deficient"),
        ({"name": 42}, "deficient"),
        ("Ada Rights", "deficient"),
    ],
)
def test_signature(signature: object, status: str) -> None:
    notice = changed(complete_claim("US_DMCA"), [(("signature",), signature)])
    assert _element("US_DMCA", notice, "signature")[0] == status


@pytest.mark.parametrize(
    ("key", "value", "status"),
    [
        ("good_faith", True, "present"),
        ("good_faith", False, "missing"),
        ("good_faith", None, "missing"),
        ("good_faith", "yes", "missing"),
        ("good_faith", 1, "missing"),
    ],
)
def test_statements_need_an_explicit_true(key: str, value: object, status: str) -> None:
    notice = changed(complete_claim("US_DMCA"), [(("statements", key), value)])
    assert _element("US_DMCA", notice, "good_faith_statement")[0] == status


# --- email and phone ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "usable"),
    [
        ("ada@rights.example.com", True),
        ("  ada@rights.example.com ", True),
        ("first.last+tag@sub.example.co.uk", True),
        ("ada", False),
        ("ada@", False),
        ("ada@localhost", False),
        ("ada@rights", False),
        ("ada@@rights.example.com", False),
        ("ada@rights..example.com", False),
        ("", False),
        (" ", False),
        (7, False),
    ],
)
def test_usable_email(email: object, usable: bool) -> None:
    assert (email_problem(email) is None) is usable
    notice = changed(complete_claim("EU_DSA"), [(("complainant", "email"), email)])
    assert _element("EU_DSA", notice, "notifier_identity")[0] == ("present" if usable else "deficient")


@pytest.mark.parametrize(
    ("phone", "usable"),
    [("+1 (212) 555-0100", True), ("123456", True), ("12345", False), ("call me", False), ("", False)],
)
def test_usable_phone(phone: str, usable: bool) -> None:
    assert (phone_problem(phone) is None) is usable


# --- US contact: one usable channel is enough -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("complainant", "status"),
    [
        ({"email": "ada@rights.example.com"}, "present"),
        ({"phone": "+1 212 555 0100"}, "present"),
        ({"address": {"street": "1 Main St", "city": "New York", "country": "US"}}, "present"),
        ({"email": "nope", "phone": "+1 212 555 0100"}, "present"),
        ({"email": "nope"}, "deficient"),
        ({"phone": "555"}, "deficient"),
        ({"address": {"street": "1 Main St", "country": "US"}}, "deficient"),
        ({"email": "", "phone": " "}, "deficient"),
        ({"name": "Ada Rights", "fax": "+1 212 555 0101"}, "missing"),
        ({"email": None, "phone": None, "address": {"street": None}}, "missing"),
        (None, "missing"),
    ],
)
def test_us_contact_information(complainant: object, status: str) -> None:
    notice = changed(complete_claim("US_DMCA"), [(("complainant",), complainant)])
    result, detail = _element("US_DMCA", notice, "contact_information")
    assert result == status
    if status == "deficient":
        assert "None of the contact details given is usable" in detail


def test_us_contact_mentions_ignored_channel() -> None:
    notice = changed(complete_claim("US_DMCA"), [(("complainant", "phone"), "12")])
    status, detail = _element("US_DMCA", notice, "contact_information")
    assert status == "present"
    assert "fewer than 6 digits" in detail


def test_us_accuracy_without_perjury_says_what_is_lacking() -> None:
    notice = changed(complete_claim("US_DMCA"), [(("statements", "authority_under_penalty_of_perjury"), False)])
    status, detail = _element("US_DMCA", notice, "accuracy_authority_statement")
    assert status == "deficient"
    assert "penalty of perjury" in detail
    assert "statements.authority_under_penalty_of_perjury" in detail


# --- Singapore residence and address for service --------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "resident"),
    [
        ({"country": "SG"}, True),
        ({"country": "sg"}, True),
        ({"country": " Singapore "}, True),
        ({"country": "SGP"}, True),
        ({"country": "MY"}, False),
        ({"country": "US"}, False),
        ({"country": ""}, None),
        ({"street": "1 Raffles Place"}, None),
        (None, None),
    ],
)
def test_singapore_residence(address: object, resident: bool | None) -> None:
    assert singapore_residence(address) is resident


@pytest.mark.parametrize(
    ("address", "service", "status", "identity"),
    [
        ({"street": "1 Raffles Place", "country": "SG"}, None, "present", "present"),
        ({"street": "1 Raffles Place", "country": "SG"}, " ", "present", "present"),
        ({"street": "5 Jalan Ampang", "country": "MY"}, None, "missing", "present"),
        ({"street": "5 Jalan Ampang", "country": "MY"}, "", "deficient", "present"),
        ({"street": "5 Jalan Ampang", "country": "MY"}, "80 Robinson Road, Singapore 068898", "present", "present"),
        # No address at all: residence unknown, only complainant_identity reports the gap.
        (None, None, "present", "deficient"),
        ({"street": "5 Jalan Ampang"}, None, "present", "deficient"),
    ],
)
def test_sg_address_for_service(address: object, service: object, status: str, identity: str) -> None:
    notice = changed(complete_claim("SG_CA2021"), [(("complainant", "address"), address), (("sg_address_for_service",), service)])
    result = {e.code: e for e in check_claim("SG_CA2021", notice, ANY_HOST).elements}
    assert result["sg_address_for_service"].status == status
    assert result["complainant_identity"].status == identity
    if address is None:
        assert "unknown" in result["sg_address_for_service"].detail


def test_sg_agent_must_name_the_rights_owner() -> None:
    notice = changed(complete_claim("SG_CA2021"), [(("complainant", "relationship"), "agent")])
    status, detail = _element("SG_CA2021", notice, "complainant_identity")
    assert status == "deficient"
    assert "rights_owner" in detail
    owner = changed(notice, [(("rights_owner",), "Merlion Pictures Pte Ltd")])
    assert _element("SG_CA2021", owner, "complainant_identity")[0] == "present"
    # A rights owner alone, with nothing of the complainant, is partial, not nothing.
    only_owner = changed(owner, [(("complainant", "name"), REMOVE), (("complainant", "address"), REMOVE)])
    assert _element("SG_CA2021", only_owner, "complainant_identity")[0] == "deficient"


def test_sg_identity_needs_no_city_but_us_contact_does() -> None:
    address = {"street": "1 Raffles Place", "country": "SG"}
    sg = changed(complete_claim("SG_CA2021"), [(("complainant", "address"), address)])
    assert _element("SG_CA2021", sg, "complainant_identity")[0] == "present"
    tm = changed(complete_claim("TM_POLICY"), [(("complainant", "address"), address)])
    status, detail = _element("TM_POLICY", tm, "contact_information")
    assert status == "deficient"
    assert "city" in detail


# --- trademark ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("classes", "status", "named"),
    [
        ([9], "present", None),
        ([1, 45], "present", None),
        ([0], "deficient", "0"),
        ([46], "deficient", "46"),
        ([9, 0, 46], "deficient", "0, 46"),
        ([-3], "deficient", "-3"),
        (["9"], "deficient", "'9'"),
        ([True], "deficient", "True"),
        ([9.0], "deficient", "9.0"),
        ([], "deficient", None),
        ("9", "deficient", None),
    ],
)
def test_nice_classes(classes: object, status: str, named: str | None) -> None:
    notice = changed(complete_claim("TM_POLICY"), [(("trademark", "nice_classes"), classes)])
    result, detail = _element("TM_POLICY", notice, "goods_services")
    assert result == status
    if named is not None:
        assert f"{named} {'is not a class number' if ',' not in named else 'are not class numbers'}" in detail


@pytest.mark.parametrize(
    ("registry", "jurisdictions", "status"),
    [
        ("USPTO", None, "present"),
        ("EUIPO", [], "present"),
        ("Japan Patent Office", None, "present"),
        ("WIPO_MADRID", ["EM", "SG"], "present"),
        ("WIPO_MADRID", [], "deficient"),
        ("WIPO_MADRID", None, "deficient"),
        ("WIPO_MADRID", ["  "], "deficient"),
        ("wipo madrid", [], "deficient"),
        ("", ["US"], "deficient"),
    ],
)
def test_registration(registry: str, jurisdictions: object, status: str) -> None:
    notice = changed(
        complete_claim("TM_POLICY"),
        [(("trademark", "registry"), registry), (("trademark", "jurisdictions"), jurisdictions)],
    )
    result, detail = _element("TM_POLICY", notice, "registration")
    assert result == status
    if status == "deficient" and registry.strip():
        assert "designated jurisdictions" in detail


@pytest.mark.parametrize("kind", ["confusion", "counterfeit", "impersonation", "username", " Username "])
def test_infringement_types(kind: str) -> None:
    notice = changed(complete_claim("TM_POLICY"), [(("trademark", "infringement_type"), kind)])
    assert _element("TM_POLICY", notice, "infringement_description")[0] == "present"


# --- robustness: any JSON-shaped input gives a full report, never an exception --------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=10,
)
_keys = st.sampled_from(
    [
        "complainant",
        "rights_owner",
        "sg_address_for_service",
        "works",
        "items",
        "explanation",
        "trademark",
        "statements",
        "signature",
        "subscriber",
        "material",
    ]
)


@settings(max_examples=200, database=None, deadline=None)
@given(regime=st.sampled_from(REGIMES), base=st.booleans(), edits=st.dictionaries(_keys, _json, max_size=4))
def test_any_json_shape_gives_a_full_report(regime: str, base: bool, edits: dict[str, Any]) -> None:
    notice = {**(complete_claim(regime) if base else {}), **edits}
    result = check_claim(regime, notice, PLATFORM)
    assert len(result.elements) == len({e.code for e in result.elements})
    assert all(e.detail and e.citation for e in result.elements)
    assert result.complete == (not result.missing_codes())
    if counter_notice_regime(regime):
        counter = check_counter_notice(regime, notice, PLATFORM)
        assert counter.complete == (not counter.missing_codes())


# One absent / not text / blank check (`fields.given_text`) behind every text test: the same three answers each.
@pytest.mark.parametrize(
    ("test", "absent", "not_text", "blank"),
    [
        (text_problem("the name"), "the name is not given", "the name is not text", "the name is blank"),
        (email_problem, "no email address is given", "the email address is not text", "the email address is blank"),
        (phone_problem, "no telephone number is given", "the telephone number is not text", "the telephone number is blank"),
        (lambda v: url_problem(v, ANY_HOST), "no URL is given", "the URL is not text", "the URL is blank"),
        (
            lambda v: signature_problem({"name": v, "date": "2026-01-01"}),
            "the signature has no name",
            "the signature name is not text",
            "the signature name is blank",
        ),
    ],
)
def test_every_text_value_is_refused_the_same_three_ways(test: Any, absent: str, not_text: str, blank: str) -> None:
    assert [test(None), test({"a": None}), test(7), test(["x"]), test(" \t\n")] == [absent, absent, not_text, not_text, blank]
