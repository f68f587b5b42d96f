"""Reports and exports against a hand-counted data set (tests/reports/seed.py)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from ipclaims import legal
from ipclaims.cli import main as cli_main
from ipclaims.reports import dsa
from tests.conftest import Actor
from tests.reports import tdb_validator
from tests.reports.seed import PEOPLE, UPLOADERS, Seeded, add_claim, add_item, flatten

RANGE = {"from": "2026-11-02", "to": "2026-11-15"}
EMPTY = {"from": "2026-12-01", "to": "2026-12-07"}


def _summary(client: Any, actor: Actor, params: dict[str, str]) -> dict[str, Any]:
    r = client.get("/api/v1/reports/summary", params=params, headers=actor.headers)
    assert r.status_code == 200, r.text
    return r.json()


def test_summary_equals_the_hand_count(client: Any, specialist: Actor, data: Any) -> None:
    _seeded, a, b = data
    s = _summary(client, specialist, RANGE)
    assert (s["from"], s["to"]) == ("2026-11-02", "2026-11-15")
    assert s["claims"] == {
        "total": 4,
        "by_regime": {"US_DMCA": 2, "EU_DSA": 1, "SG_CA2021": 0, "TM_POLICY": 1},
        "by_kind": {"copyright": 3, "trademark": 1},
        "by_status": {"needs_info": 1, "in_review": 1, "escalated": 0, "decided": 2, "closed": 0, "rejected": 0, "withdrawn": 0},
        "by_source": {"notice": 1, "trusted_flagger": 1, "partner": 1, "press": 1, "authority": 0, "email": 0},
    }
    assert s["items"] == {
        "total": 7,
        "by_outcome": {"removed": 2, "disabled": 1, "geo_blocked": 1, "no_action": 1, "restored": 0, "undecided": 2},
    }
    # First staff action: C1 2 h, C2 6 h (a transition), C3 10 h; C4 none; the holder's own event does not count.
    # Odd n: the middle value; p90 at position 1 + 0.9·2 = 2.8 → 6 + 0.8·(10 − 6).
    assert s["hours_to_first_action"] == {"median": 6.0, "p90": pytest.approx(9.2), "n": 3}
    # Decided items: 2, 24 (i2), 24 (i3), 10, 24 → sorted 2, 10, 24, 24, 24.
    assert s["hours_to_decision"] == {"median": 24.0, "p90": 24.0, "n": 5}
    assert s["counter_notices"] == {"received": 1, "forwarded": 1, "restored": 1, "litigation_hold": 0}
    notifiers = {n["account_id"]: n for n in s["notifiers"]}
    assert notifiers == {
        a.id: {"account_id": a.id, "name": "Notifier A", "claims": 2, "items_decided": 3, "unfounded_rate": pytest.approx(1 / 3, abs=1e-4)},
        b.id: {"account_id": b.id, "name": "Notifier B", "claims": 2, "items_decided": 2, "unfounded_rate": 0.0},
    }
    # Weeks 45 and 46: decisions by the week they were made; week 46 has two (10 h and 24 h): an even count's
    # median is the mean of the middle two.
    assert s["weekly"] == [
        {"week": "2026-W45", "received": 2, "decided": 3, "median_hours_to_decision": 24.0},
        {"week": "2026-W46", "received": 2, "decided": 2, "median_hours_to_decision": 17.0},
    ]


def test_incomplete_counts_elements_as_sent_not_as_cured(client: Any, specialist: Actor, data: Any) -> None:
    s = _summary(client, specialist, RANGE)
    us, tm = legal.element_codes("US_DMCA"), legal.element_codes("TM_POLICY")
    assert s["incomplete"]["share"] == 0.75  # C1, C3, C4 of four
    rows = {(e["regime"], e["code"]): e for e in s["incomplete"]["by_element"]}
    # Every element of every regime is listed, zeros included.
    assert set(rows) == {(r, c) for r in legal.REGIMES for c in legal.element_codes(r)}
    assert rows[("US_DMCA", us[-1])] | {} == {"regime": "US_DMCA", "code": us[-1], "missing": 2, "deficient": 0, "share": 1.0}
    assert rows[("US_DMCA", us[0])]["deficient"] == 1 and rows[("US_DMCA", us[0])]["share"] == 0.5
    assert rows[("TM_POLICY", tm[0])] == {"regime": "TM_POLICY", "code": tm[0], "missing": 0, "deficient": 1, "share": 1.0}
    short = {k for k, e in rows.items() if e["missing"] or e["deficient"]}
    assert short == {("US_DMCA", us[-1]), ("US_DMCA", us[0]), ("TM_POLICY", tm[0])}


def test_an_empty_range_has_every_key_with_zeros_and_null_medians(client: Any, specialist: Actor, data: Any) -> None:
    s = _summary(client, specialist, EMPTY)
    assert s["claims"]["total"] == 0
    assert set(s["claims"]["by_regime"].values()) == {0} and len(s["claims"]["by_regime"]) == 4
    assert set(s["claims"]["by_status"].values()) == {0} and len(s["claims"]["by_status"]) == 7
    assert s["items"]["by_outcome"] == {"removed": 0, "disabled": 0, "geo_blocked": 0, "no_action": 0, "restored": 0, "undecided": 0}
    for key in ("hours_to_first_action", "hours_to_decision"):
        assert s[key] == {"median": None, "p90": None, "n": 0}
    assert s["incomplete"]["share"] == 0.0 and all(e["share"] == 0.0 for e in s["incomplete"]["by_element"])
    assert s["notifiers"] == []
    # Tuesday 1 December to Monday 7 December touches weeks 49 and 50: both listed, with zeros.
    assert s["weekly"] == [{"week": f"2026-W{w}", "received": 0, "decided": 0, "median_hours_to_decision": None} for w in (49, 50)]


def test_from_after_to_is_422(client: Any, specialist: Actor) -> None:
    r = client.get("/api/v1/reports/summary", params={"from": "2026-11-10", "to": "2026-11-01"}, headers=specialist.headers)
    assert r.status_code == 422


def _csv(client: Any, actor: Actor, table: str) -> list[dict[str, str]]:
    r = client.get("/api/v1/reports/summary", params=RANGE | {"format": "csv", "table": table}, headers=actor.headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel opens it as UTF-8
    return list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))


def test_csv_tables_round_trip(client: Any, specialist: Actor, data: Any) -> None:
    seeded, _a, _b = data
    s = _summary(client, specialist, RANGE)
    claims = _csv(client, specialist, "claims")
    assert {c["id"] for c in claims} == {seeded.claims[k] for k in ("C1", "C2", "C3", "C4")}
    assert sorted(c["regime"] for c in claims) == ["EU_DSA", "TM_POLICY", "US_DMCA", "US_DMCA"]
    items = _csv(client, specialist, "items")
    assert {i["item_id"] for i in items} == {seeded.items[f"i{n}"] for n in range(1, 8)}
    weekly = _csv(client, specialist, "weekly")
    assert weekly == [{k: "" if v is None else str(v) for k, v in w.items()} for w in s["weekly"]]
    notifiers = _csv(client, specialist, "notifiers")
    assert [(n["account_id"], int(n["claims"]), float(n["unfounded_rate"])) for n in notifiers] == [
        (n["account_id"], n["claims"], n["unfounded_rate"]) for n in s["notifiers"]
    ]
    incomplete = _csv(client, specialist, "incomplete")
    assert [(e["regime"], e["code"], int(e["missing"]), int(e["deficient"]), float(e["share"])) for e in incomplete] == [
        (e["regime"], e["code"], e["missing"], e["deficient"], e["share"]) for e in s["incomplete"]["by_element"]
    ]


def _all_statements(client: Any, actor: Actor, params: dict[str, str]) -> tuple[list[dict[str, Any]], list[Any]]:
    statements: list[dict[str, Any]] = []
    rejected: list[Any] = []
    cursor = None
    while True:
        r = client.get("/api/v1/exports/dsa-statements", params=params | ({"cursor": cursor} if cursor else {}), headers=actor.headers)
        assert r.status_code == 200, r.text
        page = r.json()
        assert len(page["statements"]) <= 100
        statements += page["statements"]
        rejected += page["rejected"]
        cursor = page["next_cursor"]
        if cursor is None:
            return statements, rejected


def test_dsa_statements_valid_eea_only_stable_and_without_personal_data(client: Any, specialist: Actor, data: Any) -> None:
    seeded, _a, _b = data
    statements, rejected = _all_statements(client, specialist, {"from": "2026-11-01", "to": "2026-11-30"})
    assert rejected == []
    by_puid = {s["puid"]: s for s in statements}
    # i3 (EU_DSA, removed, no scope: every EEA country), i5 (TM geo-block in DE and US: DE only); i6 covers only
    # the US, i1/i2 are US_DMCA, i2 is no_action: no statement.
    assert set(by_puid) == {f"ipclaims-{seeded.items['i3']}", f"ipclaims-{seeded.items['i5']}"}
    i3, i5 = by_puid[f"ipclaims-{seeded.items['i3']}"], by_puid[f"ipclaims-{seeded.items['i5']}"]
    assert len(i3["territorial_scope"]) == 30 and "GR" in i3["territorial_scope"]
    assert i5["territorial_scope"] == ["DE"]
    assert i3["source_type"] == "SOURCE_TRUSTED_FLAGGER" and i3["content_type"] == ["CONTENT_TYPE_IMAGE"]
    assert i3["category_specification"] == ["KEYWORD_COPYRIGHT_INFRINGEMENT"]
    assert i5["category_specification"] == ["KEYWORD_TRADEMARK_INFRINGEMENT"]
    assert (i3["content_date"], i3["application_date"]) == ("2026-11-03", "2026-11-04")
    for s in statements:
        assert tdb_validator.errors(s) == [], s
    again, _ = _all_statements(client, specialist, {"from": "2026-11-01", "to": "2026-11-30"})
    assert again == statements  # the same puids (and statements) on every export
    _assert_no_personal_data(statements)


def _assert_no_personal_data(value: Any) -> None:
    text = flatten(value).lower()
    for person in PEOPLE:
        for field in ("name", "email", "phone", "street"):
            assert person[field].lower() not in text, (field, person[field])
    for uploader, email in UPLOADERS:
        assert uploader not in text and email not in text


def test_a_statement_that_breaks_the_rules_is_reported_not_emitted(
    client: Any, specialist: Actor, data: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeded, _a, _b = data
    real = dsa.statement

    def too_long(row: Any, scope: list[str]) -> dict[str, Any]:
        s = real(row, scope)
        if row.id == seeded.items["i3"]:
            s["decision_facts"] = "x" * 5001
        return s

    monkeypatch.setattr(dsa, "statement", too_long)
    statements, rejected = _all_statements(client, specialist, {"from": "2026-11-01", "to": "2026-11-30"})
    assert [s["puid"] for s in statements] == [f"ipclaims-{seeded.items['i5']}"]
    assert rejected == [{"puid": f"ipclaims-{seeded.items['i3']}", "errors": ["decision_facts: required text of at most 5000 characters"]}]


def test_the_validator_can_fail() -> None:
    good = {
        "decision_visibility": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
        "decision_ground": "DECISION_GROUND_ILLEGAL_CONTENT",
        "illegal_content_legal_ground": "x",
        "illegal_content_explanation": "y",
        "category": "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
        "category_specification": ["KEYWORD_COPYRIGHT_INFRINGEMENT"],
        "content_type": ["CONTENT_TYPE_IMAGE"],
        "territorial_scope": ["DE"],
        "content_date": "2026-01-01",
        "application_date": "2026-01-02",
        "decision_facts": "f",
        "source_type": "SOURCE_ARTICLE_16",
        "automated_detection": "No",
        "automated_decision": "AUTOMATED_DECISION_NOT_AUTOMATED",
        "puid": "abc-1_2",
    }
    assert tdb_validator.errors(good) == [] and dsa.problems(good) == []
    for change in (
        {"territorial_scope": ["EL"]},
        {"territorial_scope": ["US"]},
        {"puid": "a b"},
        {"content_date": "1999-12-31"},
        {"content_type": ["CONTENT_TYPE_OTHER"]},
        {"category_specification": ["KEYWORD_HATE_SPEECH"]},
        {"decision_facts": "x" * 5001},
        {"illegal_content_legal_ground": "x" * 501},
        {"application_date": "2026-1-2"},
        {"content_date": "2038-01-02", "application_date": "2038-01-03"},  # after the database's last date
    ):
        bad = good | change
        assert tdb_validator.errors(bad), change
        assert dsa.problems(bad), change


def test_many_statements_page_by_100_with_unique_puids(
    session: Session, client: Any, specialist: Actor, make_account: Callable[..., Actor]
) -> None:
    owner = make_account("rights_holder", name="Bulk")
    seeded = Seeded()
    for n in range(3):
        claim = add_claim(
            session,
            seeded,
            f"B{n}",
            owner=owner.id,
            regime="EU_DSA",
            kind="copyright",
            status="decided",
            source="notice",
            received="2026-10-01T00:00:00",
            person=n,
            organization=None,
            gaps={},
        )
        for p in range(70):
            add_item(session, seeded, f"B{n}-{p}", claim, p, outcome="removed", decided="2026-10-02T00:00:00", by=specialist.id)
    session.commit()
    statements, rejected = _all_statements(client, specialist, {"from": "2026-10-01", "to": "2026-10-31"})
    assert rejected == [] and len(statements) == 210
    assert len({s["puid"] for s in statements}) == 210
    _assert_no_personal_data(statements)


def test_dsa_counts(client: Any, specialist: Actor, data: Any) -> None:
    r = client.get("/api/v1/exports/dsa-counts", params=RANGE, headers=specialist.headers)
    assert r.status_code == 200, r.text
    c = r.json()
    assert c["notices"]["total"] == 4
    assert c["notices"]["by_regime_and_kind"]["US_DMCA"] == {"copyright": 2, "trademark": 0}
    assert c["trusted_flagger_notices"] == 1
    # Actioned: i1, i3 (legal grounds), i5, i6 (TM policy: terms); automated: none (every decision has a reviewer).
    assert c["actions"] == {"legal_grounds": 2, "terms_and_conditions": 2}
    assert c["automated_means"] == 0
    assert c["median_hours_to_action"] == 6.0 and c["actions_timed"] == 3


def test_lumen_notices_redact_private_individuals(client: Any, specialist: Actor, data: Any) -> None:
    seeded, _a, _b = data
    r = client.get("/api/v1/exports/lumen", params=RANGE, headers=specialist.headers)
    assert r.status_code == 200, r.text
    notices = {n["id"]: n for n in r.json()["notices"]}
    assert set(notices) == {seeded.claims[k] for k in ("C1", "C2", "C3", "C4")}
    c1, c2, c3 = (notices[seeded.claims[k]] for k in ("C1", "C2", "C3"))
    assert c1["type"] == "DMCA" and c1["sender"]["name"] == "[private]" and c1["principal"]["name"] == "[private]"
    assert c2["type"] == "DSA" and c2["sender"] == {"name": "Acme Rights GmbH", "kind": "organization"}
    assert c3["type"] == "Trademark" and c3["action_taken"] == "Yes"
    assert c1["works"][0]["copyrighted_urls"] == ["https://rights.example/works/sunset"]
    assert len(c1["works"][0]["infringing_urls"]) == 2
    assert set(c1) == {"id", "type", "date_sent", "date_received", "sender", "principal", "recipient", "works", "action_taken"}
    _assert_no_personal_data(list(notices.values()))


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/reports/summary",
        "/api/v1/reports/summary?format=csv&table=claims",
        "/api/v1/exports/dsa-statements",
        "/api/v1/exports/dsa-counts",
        "/api/v1/exports/lumen",
    ],
)
def test_holders_get_403_on_every_report_and_export(client: Any, holder: Actor, path: str) -> None:
    r = client.get(path, headers=holder.headers)
    assert r.status_code == 403, r.text


def test_cli_report_prints_the_same_summary(client: Any, specialist: Actor, data: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["report", "--from", "2026-11-02", "--to", "2026-11-15", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == _summary(client, specialist, RANGE)
    assert cli_main(["report", "--from", "2026-11-02", "--to", "2026-11-15"]) == 0
    table = capsys.readouterr().out
    assert "Claims received 2026-11-02 to 2026-11-15: 4" in table and "2026-W46" in table
