"""One JSON Merge Patch (RFC 7396) for every PATCH that carries nested objects (claims, counter-notices)."""

from __future__ import annotations

from typing import Any

import pytest

from ipclaims.http import merge_patch
from tests.conftest import Actor
from tests.legal.notices import REMOVE, changed, complete_counter_notice
from tests.review.flows import counter, decided_claim


# RFC 7396 Appendix A, every example.
@pytest.mark.parametrize(
    ("target", "patch", "result"),
    [
        ({"a": "b"}, {"a": "c"}, {"a": "c"}),
        ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
        ({"a": "b"}, {"a": None}, {}),
        ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
        ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
        ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
        ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
        ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
        (["a", "b"], ["c", "d"], ["c", "d"]),
        ({"a": "b"}, ["c"], ["c"]),
        ({"a": "foo"}, None, None),
        ({"a": "foo"}, "bar", "bar"),
        ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
        ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
        ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
    ],
)
def test_rfc_7396_appendix_a(target: Any, patch: Any, result: Any) -> None:
    assert merge_patch(target, patch) == result


def test_the_target_is_not_changed_in_place() -> None:
    stored = {"a": {"b": 1}}
    assert merge_patch(stored, {"a": {"b": None}}) == {"a": {}}
    assert stored == {"a": {"b": 1}}


def test_a_null_in_a_counter_notice_cure_removes_the_statement(client: Any, holder: Actor, specialist: Actor) -> None:
    claim = decided_claim(client, holder, specialist, "US_DMCA")
    body = changed(complete_counter_notice("US_DMCA"), [(("statements", "jurisdiction_consent"), REMOVE)])
    cn = counter(client, specialist, claim, body=body, received_at="2025-11-20T10:00:00-05:00")
    assert cn["status"] == "deficient" and cn["statements"]["service_acceptance"] is True
    r = client.patch(f"/api/v1/counter-notices/{cn['id']}", headers=specialist.headers, json={"statements": {"service_acceptance": None}})
    assert r.status_code == 200, r.text
    assert "service_acceptance" not in r.json()["statements"]  # removed, not kept as null (the old merge kept it)
    assert r.json()["statements"]["mistake_or_misidentification"] is True  # the rest merged, not replaced
    codes = {e["code"]: e["status"] for e in r.json()["completeness"]["elements"]}
    assert codes["service_acceptance"] == "missing"
