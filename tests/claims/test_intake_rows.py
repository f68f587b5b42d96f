"""Intake builds its rows and its answer without the ORM (claims.intake): the answer and the rows must be exactly
what the ORM path produced — the same bytes as a later GET, the same JSON null / SQL NULL, the same mail — and a
failure anywhere in the transaction must leave nothing behind."""

from __future__ import annotations

import json
import os
import re
import threading
import time
from typing import Any

import pytest
from sqlalchemy import text

from tests.conftest import IS_PG, Actor
from tests.legal.notices import REMOVE, changed, complete_claim

REGIMES = ["US_DMCA", "EU_DSA", "SG_CA2021", "TM_POLICY"]

VARIANTS: list[tuple[str, dict[str, Any]]] = [
    *((f"complete {r}", complete_claim(r)) for r in REGIMES),
    ("incomplete", changed(complete_claim("US_DMCA"), [(("signature",), REMOVE), (("statements", "accuracy"), REMOVE)])),
    ("minimal", {"kind": "copyright", "regime": "EU_DSA", "items": [{"url": "https://x.example/v/1"}]}),
    (
        "nulls",
        {
            **complete_claim("US_DMCA"),
            "trademark": None,
            "statements": {"good_faith": True, "accuracy": None},
            "works": [],
            "complainant": {"name": None, "address": {"street": None}},
        },
    ),
    ("unicode", changed(complete_claim("EU_DSA"), [(("explanation",), "Ünïcödé — “quotes” 日本 \\u0000 \t")])),
    (
        "deficient",
        changed(complete_claim("TM_POLICY"), [(("trademark", "nice_classes"), [0, 46]), (("complainant", "email"), "not-an-email")]),
    ),
    (
        "items",
        changed(
            complete_claim("US_DMCA"),
            [
                (
                    ("items",),
                    [
                        {"url": "https://v.example/", "description": "home"},
                        {"url": "not a url", "work": 3, "uploader": "u1"},
                        {"url": "https://v.example/watch/1", "uploader": "u2"},
                        {"url": None},
                    ],
                )
            ],
        ),
    ),
]


def post(client: Any, actor: Actor, body: dict[str, Any], **headers: str) -> Any:
    return client.post("/api/v1/claims", json=body, headers={**actor.headers, **headers})


@pytest.mark.parametrize(("name", "body"), VARIANTS, ids=[n for n, _ in VARIANTS])
def test_the_201_is_byte_for_byte_what_a_get_returns(client: Any, holder: Actor, name: str, body: dict[str, Any]) -> None:
    r = post(client, holder, body)
    assert r.status_code == 201, r.text
    assert r.headers["content-type"] == "application/json"
    again = client.get(f"/api/v1/claims/{r.json()['id']}", headers=holder.headers)
    same_answer(r, again)


def same_answer(first: Any, later: Any) -> None:
    """Byte for byte; on PostgreSQL a read-back echoes JSONB objects in JSONB's own key order (so did the 201s of
    the ORM path, which echoed the objects as submitted), so there the parsed answers are compared."""
    if IS_PG:
        assert first.json() == later.json()
        assert list(first.json()) == list(later.json())
    else:
        assert first.content == later.content
        assert first.headers["content-length"] == later.headers["content-length"]


def test_a_staff_submitter_sees_the_notifier_signals_as_on_a_get(client: Any, holder: Actor, specialist: Actor) -> None:
    body = {**complete_claim("US_DMCA"), "received_at": "2026-01-02T10:00:00+01:00", "source": "press", "on_behalf_of": holder.id}
    r = post(client, specialist, body)
    assert r.status_code == 201, r.text
    claim = r.json()
    assert claim["notifier"]["account_id"] == holder.id and claim["notifier"]["notices"] == 1
    assert claim["received_at"] == "2026-01-02T09:00:00Z" and claim["overdue"] is True
    same_answer(r, client.get(f"/api/v1/claims/{claim['id']}", headers=specialist.headers))


def test_a_replay_answers_the_same_bytes(client: Any, holder: Actor) -> None:
    first = post(client, holder, complete_claim("SG_CA2021"), **{"Idempotency-Key": "bytes-1"})
    again = post(client, holder, complete_claim("SG_CA2021"), **{"Idempotency-Key": "bytes-1"})
    assert first.status_code == again.status_code == 201
    assert again.headers["idempotency-replayed"] == "true"
    assert first.content == again.content


def test_json_null_and_sql_null_are_stored_as_the_orm_stored_them(client: Any, holder: Actor, session: Any) -> None:
    claim = post(
        client, holder, {"kind": "copyright", "regime": "EU_DSA", "items": [{"url": "https://x.example/v/1"}], "works": [{"title": "T"}]}
    ).json()
    null = "{col} = 'null'::jsonb" if IS_PG else "{col} = 'null'"
    # Notice objects that were not sent are JSON null (the ORM set them to None), never SQL NULL ...
    for col in ("trademark", "statements", "signature"):
        assert (
            session.execute(text(f"SELECT count(*) FROM claim WHERE id = :id AND {null.format(col=col)}"), {"id": claim["id"]}).scalar()
            == 1
        ), col
    assert (
        session.execute(
            text(f"SELECT count(*) FROM claim_work WHERE claim_id = :id AND {null.format(col='urls')}"), {"id": claim["id"]}
        ).scalar()
        == 1
    )
    # ... while columns an undecided item never had are SQL NULL.
    row = session.execute(
        text(
            "SELECT territorial_scope IS NULL, fair_use_flags IS NULL, outcome IS NULL, "
            "decided_at IS NULL, matches FROM claim_item WHERE claim_id = :id"
        ),
        {"id": claim["id"]},
    ).one()
    assert tuple(row[:4]) == (True, True, True, True)
    assert (json.loads(row[4]) if isinstance(row[4], str) else row[4]) == []
    assert session.execute(text("SELECT count(*) FROM complainant WHERE claim_id = :id"), {"id": claim["id"]}).scalar() == 0


def test_rows_event_and_mail_of_an_incomplete_claim(client: Any, holder: Actor, session: Any) -> None:
    body = changed(complete_claim("US_DMCA"), [(("signature",), REMOVE)])
    claim = post(client, holder, body).json()
    assert claim["status"] == "needs_info"
    counts = {
        t: session.execute(text(f"SELECT count(*) FROM {t} WHERE claim_id = :id"), {"id": claim["id"]}).scalar()
        for t in ("complainant", "claim_work", "claim_item", "claim_element", "event", "outbox_message")
    }
    assert counts == {"complainant": 1, "claim_work": 1, "claim_item": 2, "claim_element": 6, "event": 1, "outbox_message": 2}
    event = session.execute(
        text("SELECT id, actor_id, actor_role, action, from_status, to_status, reason, data FROM event WHERE claim_id = :id"),
        {"id": claim["id"]},
    ).one()
    data = json.loads(event.data) if isinstance(event.data, str) else event.data
    assert (event.actor_id, event.actor_role, event.action, event.from_status, event.to_status) == (
        holder.id,
        "rights_holder",
        "submitted",
        None,
        "needs_info",
    )
    assert event.reason == "signature missing" and data == {"reference": claim["reference"], "items": 2}
    mails = session.execute(
        text("SELECT kind, dedupe_key, to_addr, subject, body FROM outbox_message WHERE claim_id = :id ORDER BY created_at, id"),
        {"id": claim["id"]},
    ).all()
    assert [m.kind for m in mails] == ["acknowledgment", "deficiency"]
    assert mails[0].dedupe_key == f"acknowledgment:{claim['id']}"
    assert mails[1].dedupe_key == f"deficiency:{event.id}:{claim['id']}"
    assert all(m.to_addr == "ada@rights.example.com" and claim["reference"] in m.subject for m in mails)
    assert "signature (missing)" in mails[1].body and "\x00" not in mails[0].body + mails[1].body
    positions = (
        session.execute(text("SELECT code FROM claim_element WHERE claim_id = :id ORDER BY position"), {"id": claim["id"]}).scalars().all()
    )
    assert positions == [e["code"] for e in claim["completeness"]["elements"]]


def test_mail_goes_to_the_owner_when_the_notice_gives_no_email(client: Any, holder: Actor, session: Any) -> None:
    claim = post(client, holder, {"kind": "copyright", "regime": "EU_DSA", "items": [{"url": "https://x.example/v/1"}]}).json()
    to = session.execute(text("SELECT to_addr FROM outbox_message WHERE claim_id = :id"), {"id": claim["id"]}).scalars().all()
    assert to == ["a@holder-a.example", "a@holder-a.example"]


def test_a_long_notice_goes_in_batches_and_keeps_its_order(client: Any, holder: Actor) -> None:
    from ipclaims.db import MULTI_ROW_MAX

    items = [{"url": f"https://video.example.com/watch?v={i}", "description": f"copy {i}"} for i in range(MULTI_ROW_MAX + 7)]
    r = post(client, holder, complete_claim("US_DMCA") | {"items": items})
    assert r.status_code == 201, r.text
    got = client.get(f"/api/v1/claims/{r.json()['id']}", headers=holder.headers).json()
    assert [i["url"] for i in got["items"]] == [i["url"] for i in items]
    assert [i["position"] for i in got["items"]] == list(range(len(items)))
    same_answer(r, client.get(f"/api/v1/claims/{r.json()['id']}", headers=holder.headers))


def test_a_failure_after_the_inserts_leaves_nothing(client: Any, holder: Actor, session: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from ipclaims.claims import intake

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("renderer down")

    monkeypatch.setattr(intake, "claim_json", broken)
    r = post(client, holder, complete_claim("EU_DSA"), **{"Idempotency-Key": "fails-1"})
    assert r.status_code == 500
    for table in ("claim", "claim_item", "claim_element", "event", "outbox_message", "idempotency_record"):
        assert session.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0, table
    session.rollback()  # the test's own (write) session must not hold the SQLite lock for the next request
    monkeypatch.undo()
    again = post(client, holder, complete_claim("EU_DSA"), **{"Idempotency-Key": "fails-1"})
    assert again.status_code == 201 and "idempotency-replayed" not in again.headers
    if not IS_PG:  # SQLite bumps the counter in the transaction: the failed intake used no number
        assert again.json()["reference"].endswith("-000001")


def test_refusals_keep_their_order_with_an_idempotency_key(client: Any, holder: Actor) -> None:
    # The key is checked first (as when the whole intake ran inside idempotency.run), then the staff-only fields.
    r = post(client, holder, {**complete_claim("EU_DSA"), "received_at": "2026-01-01T00:00:00Z"}, **{"Idempotency-Key": "  "})
    assert r.status_code == 422
    first = post(client, holder, complete_claim("EU_DSA"), **{"Idempotency-Key": "order-1"})
    assert first.status_code == 201
    r = post(client, holder, {**complete_claim("EU_DSA"), "received_at": "2026-01-01T00:00:00Z"}, **{"Idempotency-Key": "order-1"})
    assert r.status_code == 422 and "different request" in r.json()["detail"]


@pytest.mark.skipif(IS_PG, reason="SQLite write lock")
def test_intake_waits_for_a_writer_outside_the_turns(client: Any, holder: Actor, env: dict[str, str]) -> None:
    """The worker and the CLI write without taking the serve processes' turns: intake then waits for the lock
    (in the threadpool, on the busy timeout) instead of failing or blocking the event loop."""
    import sqlite3

    path = env["IPCLAIMS_DATABASE_URL"].removeprefix("sqlite:///")
    other = sqlite3.connect(path, isolation_level=None, timeout=5)
    other.execute("BEGIN IMMEDIATE")
    health: list[int] = []
    result: list[Any] = []
    worker = threading.Thread(target=lambda: result.append(post(client, holder, complete_claim("EU_DSA"))))
    worker.start()
    time.sleep(0.3)
    health.append(client.get("/healthz").status_code)  # the event loop still serves while intake waits
    assert worker.is_alive()
    other.execute("COMMIT")
    other.close()
    worker.join(timeout=30)
    assert health == [200]
    assert result and result[0].status_code == 201, result[0].text


def test_new_ids_are_crockford_ulids_in_time_order() -> None:
    from ipclaims.models import base

    def reference(value: int) -> str:  # the original five-bits-at-a-time spelling
        chars = []
        for _ in range(26):
            chars.append(base._CROCKFORD[value & 31])
            value >>= 5
        return "".join(reversed(chars))

    for value in (0, 1, (1 << 128) - 1, *(int.from_bytes(os.urandom(16), "big") for _ in range(2000))):
        assert base.spell(value) == reference(value)
    ids = [base.new_id() for _ in range(50)]
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{26}", i) for i in ids)
    later = (lambda: (time.sleep(0.002), base.new_id())[1])()
    assert later[:10] >= max(i[:10] for i in ids)
