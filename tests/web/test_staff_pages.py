"""The staff pages through the TestClient (CONTRACT.md "Web pages"): the queue and claim-next, the review page's
evidence (blurred reported image, matched region), decisions one by one and in bulk, 409s explained with what was
typed kept, notes, escalation, counter-notices with both window dates, grey-area links, legal's letters and export,
the admin's accounts, keys and calendars; CSRF on every form; holders refused."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.legal.notices import complete_claim, complete_counter_notice
from tests.test_access_matrix import textured_png
from tests.web.conftest import WebUser, csrf_of


@dataclass
class Desk:
    holder: WebUser
    specialist: WebUser
    legal: WebUser
    admin: WebUser
    pages: dict[str, TestClient]
    claim: dict[str, Any]
    image_id: str


def api(client: TestClient, method: str, path: str, who: WebUser, expect: int = 200, **kw: Any) -> Any:
    r = client.request(method, path, headers=who.headers, **kw)
    assert r.status_code == expect, (path, r.text)
    return r.json()


@pytest.fixture
def desk(client: TestClient, make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]) -> Desk:
    holder = make_web_user("rights_holder", name="Aurora Studios")
    users = {"specialist": make_web_user("specialist", name="Sam Specialist"), "legal": make_web_user("legal", name="Lee Legal")}
    users["admin"] = make_web_user("admin", name="Ada Admin")
    claim = api(client, "POST", "/api/v1/claims", holder, 201, json=complete_claim("US_DMCA"))
    work = api(client, "POST", "/api/v1/works", holder, 201, json={"title": "Launch Day", "kind": "copyright"})
    picture = {"file": ("ref.png", textured_png(), "image/png")}
    image = api(client, "POST", f"/api/v1/works/{work['id']}/images", holder, 201, files=picture)
    r = client.post(f"/api/v1/claims/{claim['id']}/items/{claim['items'][0]['id']}/content", files=picture, headers=holder.headers)
    assert r.status_code in (200, 201), r.text
    pages = {role: signed_in(u) for role, u in users.items()} | {"holder": signed_in(holder)}
    return Desk(holder, users["specialist"], users["legal"], users["admin"], pages, claim, image["id"])


def post(page: TestClient, path: str, data: dict[str, Any], *, from_page: str) -> Any:
    token = csrf_of(page.get(from_page).text)
    return page.post(path, data={**data, "csrf_token": token})


def test_the_queue_shows_names_priority_reasons_and_due_and_filters(desk: Desk, client: TestClient) -> None:
    api(client, "POST", "/api/v1/claims", desk.holder, 201, json=complete_claim("EU_DSA"))
    page = desk.pages["specialist"].get("/queue")
    assert page.status_code == 200
    assert desk.claim["reference"] in page.text and "Aurora Studios" in page.text
    assert desk.holder.id not in page.text  # names, never raw account ids
    assert "Claim the next claim" in page.text and "<time datetime=" in page.text
    eu_only = desk.pages["specialist"].get("/queue?regime=EU_DSA")
    assert desk.claim["reference"] not in eu_only.text and "EU DSA" in eu_only.text
    assert desk.claim["reference"] not in desk.pages["specialist"].get("/queue?kind=trademark").text
    assert desk.claim["reference"] in desk.pages["specialist"].get("/queue?assignee=none&source=notice").text
    assert desk.pages["specialist"].get("/queue?regime=NOPE&cursor=junk").status_code == 200  # a hand-edited URL is no 500
    assert desk.pages["holder"].get("/queue").status_code == 403


def test_priority_reasons_read_as_words_then_weight(desk: Desk) -> None:
    from ipclaims.db import session_scope
    from ipclaims.models import Claim
    from ipclaims.triage.priority import reason_words

    assert reason_words("+5 2 reported items") == "2 reported items (+5)"
    assert reason_words("+10 source trusted_flagger") == "source trusted flagger (+10)"
    assert reason_words("no weight here") == "no weight here"
    with session_scope() as s:
        claim = s.get(Claim, desk.claim["id"])
        assert claim is not None
        claim.priority_reasons = ["+5 2 reported items"]
    assert "<li>2 reported items (+5)</li>" in desk.pages["specialist"].get("/queue").text
    assert "2 reported items (+5)" in desk.pages["specialist"].get(f"/claims/{desk.claim['id']}").text


def test_overdue_claims_are_marked(desk: Desk) -> None:
    from datetime import timedelta

    from ipclaims.db import session_scope
    from ipclaims.models import Claim, utcnow

    with session_scope() as s:
        claim = s.get(Claim, desk.claim["id"])
        assert claim is not None
        claim.due_at = utcnow() - timedelta(hours=2)
    page = desk.pages["specialist"].get("/queue").text
    assert 'class="overdue"' in page and "badge-overdue" in page


def test_claim_next_assigns_and_opens_the_review_page(desk: Desk) -> None:
    r = post(desk.pages["specialist"], "/queue/claim-next", {}, from_page="/queue")
    assert r.status_code == 303 and r.headers["location"] == f"/claims/{desk.claim['id']}"
    review = desk.pages["specialist"].get(r.headers["location"]).text
    assert "Assigned to</dt><dd>Sam Specialist" in review
    again = post(desk.pages["specialist"], "/queue/claim-next", {}, from_page="/queue")
    assert again.headers["location"] == "/queue?empty=1"
    assert "Nothing in the queue for you" in desk.pages["specialist"].get("/queue?empty=1").text


def test_the_review_page_blurs_the_reported_image_and_draws_the_region(desk: Desk) -> None:
    page = desk.pages["specialist"].get(f"/claims/{desk.claim['id']}")
    assert page.status_code == 200
    html = page.text
    item = desk.claim["items"][0]["id"]
    assert re.search(r'<figure id="item-' + item + r'-reported" class="blurred"', html)
    assert f'data-reveal="item-{item}-reported"' in html
    assert re.search(r'<rect data-region x="\d+" y="\d+" width="\d+" height="\d+"', html)
    assert f"/claims/{desk.claim['id']}/references/{desk.image_id}" in html and "Launch Day" in html
    assert "Verdict" in html and "Score" in html and "Method" in html
    image = desk.pages["specialist"].get(f"/claims/{desk.claim['id']}/items/{item}/image")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert desk.pages["specialist"].get(f"/claims/{desk.claim['id']}/references/{desk.image_id}").status_code == 200
    assert desk.pages["specialist"].get(f"/claims/{desk.claim['id']}/references/01JNOTANIMAGE0000000000000").status_code == 404
    # The rights holder gets the holder's page at the same URL, with no review tools; and no staff image route.
    mine = desk.pages["holder"].get(f"/claims/{desk.claim['id']}")
    assert mine.status_code == 200 and "data-reveal" not in mine.text and "Decide" not in mine.text
    assert desk.pages["holder"].get(f"/claims/{desk.claim['id']}/items/{item}/image").status_code == 403


def test_a_reviewer_may_turn_blurring_off_and_on(desk: Desk) -> None:
    path = f"/claims/{desk.claim['id']}"
    r = post(desk.pages["specialist"], "/account/preferences", {"blur_reported_images": "false", "next": path}, from_page=path)
    assert r.status_code == 303 and r.headers["location"] == path
    html = desk.pages["specialist"].get(path).text
    assert 'class="blurred"' not in html and "data-reveal=" not in html
    assert 'class="blurred"' in desk.pages["legal"].get(path).text  # a setting of that reviewer only
    post(desk.pages["specialist"], "/account/preferences", {"blur_reported_images": "true", "next": path}, from_page=path)
    assert 'class="blurred"' in desk.pages["specialist"].get(path).text


def test_decide_one_item_then_the_rest_in_bulk(desk: Desk, client: TestClient) -> None:
    path = f"/claims/{desk.claim['id']}"
    first, *rest = [i["id"] for i in desk.claim["items"]]
    r = post(
        desk.pages["specialist"],
        f"{path}/decisions",
        {"item": first, "outcome": "removed", "reason": "a copy", "form": f"item-{first}"},
        from_page=path,
    )
    assert r.status_code == 303, r.text
    assert r.headers["location"].startswith(f"{path}?done=decided")
    bulk = {"item": rest, "outcome": "no_action", "reason": "not the work", "public_reason": "Not a copy of the work.", "form": "bulk"}
    r = post(desk.pages["specialist"], f"{path}/decisions", bulk, from_page=path)
    assert r.status_code == 303, r.text
    claim = api(client, "GET", f"/api/v1/claims/{desk.claim['id']}", desk.specialist)
    assert claim["status"] == "decided"
    assert [i["outcome"] for i in claim["items"]] == ["removed"] + ["no_action"] * len(rest)
    # Deciding again is the service's 409, explained on the page with what was typed kept.
    r = post(
        desk.pages["specialist"],
        f"{path}/decisions",
        {"item": first, "outcome": "disabled", "reason": "typed again", "form": "bulk"},
        from_page=path,
    )
    assert r.status_code == 409
    assert "Someone changed this claim first, or its state does not allow that now" in r.text


def test_a_refused_form_keeps_what_was_typed(desk: Desk) -> None:
    path = f"/claims/{desk.claim['id']}"
    item = desk.claim["items"][0]["id"]
    r = post(desk.pages["specialist"], f"{path}/decisions", {"item": item, "reason": "kept reason", "form": f"item-{item}"}, from_page=path)
    assert r.status_code == 422
    assert "Something in the form is not valid" in r.text and 'value="kept reason"' in r.text
    r = post(desk.pages["specialist"], f"{path}/decisions", {"outcome": "removed", "form": "bulk"}, from_page=path)
    assert r.status_code == 422 and "Select at least one item" in r.text


def test_notes_and_escalation_to_legal(desk: Desk, client: TestClient) -> None:
    path = f"/claims/{desk.claim['id']}"
    assert post(desk.pages["specialist"], f"{path}/notes", {"body": "checked the upload date"}, from_page=path).status_code == 303
    assert post(desk.pages["specialist"], f"{path}/notes", {"body": "  "}, from_page=path).status_code == 422
    html = desk.pages["specialist"].get(path).text
    assert "checked the upload date" in html and "Sam Specialist" in html and "(internal)" in html
    r = post(desk.pages["specialist"], f"{path}/escalate", {"reason": "parody defence"}, from_page=path)
    assert r.status_code == 303
    assert api(client, "GET", f"/api/v1/claims/{desk.claim['id']}", desk.specialist)["status"] == "escalated"
    assert desk.claim["reference"] in desk.pages["legal"].get("/escalated").text
    assert desk.pages["specialist"].get("/escalated").status_code == 403
    again = post(desk.pages["specialist"], f"{path}/escalate", {"reason": "again"}, from_page=path)
    assert again.status_code == 409 and "again" in again.text
    # Legal decides on the same page.
    r = post(
        desk.pages["legal"],
        f"{path}/decisions",
        {"item": [i["id"] for i in desk.claim["items"]], "outcome": "removed", "form": "bulk"},
        from_page=path,
    )
    assert r.status_code == 303


def test_a_counter_notice_shows_both_restore_window_dates(desk: Desk, client: TestClient) -> None:
    path = f"/claims/{desk.claim['id']}"
    for item in desk.claim["items"]:
        api(
            client,
            "POST",
            f"{path.replace('/claims', '/api/v1/claims')}/items/{item['id']}/decision",
            desk.specialist,
            json={"outcome": "removed"},
        )
    item = desk.claim["items"][0]["id"]
    counter = complete_counter_notice("US_DMCA")
    form = {f"subscriber.{k}": v for k, v in counter["subscriber"].items() if k != "address"}
    form |= {f"subscriber.address.{k}": v for k, v in counter["subscriber"]["address"].items()}
    form |= {f"statements.{k}": "true" for k, v in counter["statements"].items() if v}
    form |= {"material": counter["material"], "signature.name": "Uma Uploader", "signature.date": "2026-12-04"}
    r = post(desk.pages["specialist"], f"{path}/items/{item}/counter-notice", form, from_page=path)
    assert r.status_code == 303, r.text
    html = desk.pages["specialist"].get(path).text
    earliest = re.search(r'data-window="earliest">([^<]+)<', html)
    latest = re.search(r'data-window="latest">([^<]+)<', html)
    assert earliest and latest and earliest.group(1) != latest.group(1)
    stored = api(client, "GET", f"/api/v1/claims/{desk.claim['id']}/counter-notices", desk.specialist)["items"][0]
    assert stored["status"] == "forwarded"
    bad = post(desk.pages["specialist"], f"{path}/items/{item}/counter-notice", form | {"signature.date": "not a date"}, from_page=path)
    assert bad.status_code == 422, bad.status_code
    assert 'value="Uma Uploader"' in bad.text, re.findall(r"Not saved[^<]*<[^<]*<[^<]*", bad.text)


def test_a_repeat_claim_links_to_the_earlier_claim(desk: Desk, client: TestClient) -> None:
    again = api(client, "POST", "/api/v1/claims", desk.holder, 201, json=complete_claim("US_DMCA"))
    html = desk.pages["specialist"].get(f"/claims/{again['id']}").text
    assert 'data-flag="repeat_claim"' in html and f'href="/claims/{desk.claim["id"]}">claim {desk.claim["reference"]}</a>' in html


def test_legal_lists_previews_and_exports_letters(desk: Desk) -> None:
    from ipclaims.jobs.worker import run_once

    run_once()
    page = desk.pages["legal"].get("/letters")
    assert page.status_code == 200 and desk.claim["reference"] in page.text
    letter_id = re.search(r"preview=([0-9A-Z]{26})", page.text)
    assert letter_id
    preview = desk.pages["legal"].get(f"/letters?preview={letter_id.group(1)}")
    assert f'<iframe class="preview-frame" src="/letters/{letter_id.group(1)}.pdf"' in preview.text
    pdf = desk.pages["legal"].get(f"/letters/{letter_id.group(1)}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and pdf.headers["x-frame-options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in pdf.headers["content-security-policy"]
    assert desk.pages["legal"].get("/letters?kind=rejection").text.count("preview=") == 0
    export = desk.pages["legal"].get("/letters/export?kind=acknowledgment")
    assert export.status_code == 200 and export.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(export.content)).namelist()
    assert any(desk.claim["reference"] in n for n in names), names
    assert desk.pages["legal"].get("/letters?from=2026-12-05&to=2026-01-01").status_code == 422
    assert desk.pages["specialist"].get("/letters").status_code == 403
    assert desk.pages["specialist"].get("/letters/export").status_code == 403


def test_admin_accounts_keys_and_calendars(desk: Desk, client: TestClient) -> None:
    admin = desk.pages["admin"]
    r = post(
        admin, "/admin/accounts", {"name": "New Reviewer", "role": "specialist", "email": "new@staff.example"}, from_page="/admin/accounts"
    )
    assert r.status_code == 200
    secret = re.search(r"data-key-once>([^<]+)<", r.text)
    assert secret and client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret.group(1)}"}).json()["name"] == "New Reviewer"
    assert secret.group(1) not in admin.get("/admin/accounts").text  # shown once
    new = next(a for a in api(client, "GET", "/api/v1/accounts", desk.admin)["items"] if a["name"] == "New Reviewer")
    assert post(admin, f"/admin/accounts/{new['id']}", {"role": "legal"}, from_page="/admin/accounts").status_code == 303
    assert post(admin, f"/admin/accounts/{new['id']}", {"trusted_flagger": "true"}, from_page="/admin/accounts").status_code == 303
    assert post(admin, f"/admin/accounts/{new['id']}", {"active": "false"}, from_page="/admin/accounts").status_code == 303
    changed = api(client, "GET", "/api/v1/accounts", desk.admin)["items"]
    assert next(a for a in changed if a["id"] == new["id"])["role"] == "legal"
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret.group(1)}"}).status_code == 401  # deactivated
    assert post(admin, f"/admin/accounts/{desk.admin.id}", {"active": "false"}, from_page="/admin/accounts").status_code == 409
    keys_page = f"/admin/accounts/{desk.holder.id}/keys"
    r = post(admin, keys_page, {"label": "integration"}, from_page=keys_page)
    key = re.search(r"data-key-once>([^<]+)<", r.text)
    assert key and client.get("/api/v1/me", headers={"Authorization": f"Bearer {key.group(1)}"}).status_code == 200
    key_id = next(
        k["id"] for k in api(client, "GET", f"/api/v1/accounts/{desk.holder.id}/keys", desk.admin)["items"] if k["label"] == "integration"
    )
    assert post(admin, f"{keys_page}/{key_id}/revoke", {}, from_page=keys_page).status_code == 303
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {key.group(1)}"}).status_code == 401
    cal = "/admin/calendar"
    assert (
        post(admin, "/admin/closures", {"calendar": "SG", "day": "2026-12-31", "description": "year end"}, from_page=cal).status_code == 303
    )
    assert "year end" in admin.get(cal).text
    assert post(admin, "/admin/closures", {"calendar": "SG", "day": "31/12", "description": "x"}, from_page=cal).status_code == 422
    assert post(admin, "/admin/closures/SG/2026-12-31/delete", {}, from_page=cal).status_code == 303
    assert "year end" not in admin.get(cal).text
    assert post(admin, "/admin/sla", {"regime": "EU_DSA", "source": "press", "hours": "12"}, from_page=cal).status_code == 303
    assert {"regime": "EU_DSA", "source": "press", "hours": 12} in api(client, "GET", "/api/v1/admin/sla", desk.admin)["items"]
    bad = post(admin, "/admin/sla", {"regime": "EU_DSA", "source": "press", "hours": "0"}, from_page=cal)
    assert bad.status_code == 422 and 'value="0"' in bad.text
    assert desk.pages["legal"].get("/admin/accounts").status_code == 403


STAFF_POSTS = [
    "/queue/claim-next",
    "/claims/{claim}/decisions",
    "/claims/{claim}/notes",
    "/claims/{claim}/escalate",
    "/claims/{claim}/items/{item}/counter-notice",
    "/account/preferences",
    "/admin/accounts",
    "/admin/accounts/{account}",
    "/admin/accounts/{account}/keys",
    "/admin/accounts/{account}/keys/{key}/revoke",
    "/admin/closures",
    "/admin/closures/US/2026-12-24/delete",
    "/admin/sla",
]


def test_every_staff_form_without_its_csrf_token_is_403(desk: Desk, client: TestClient) -> None:
    key = api(client, "GET", f"/api/v1/accounts/{desk.holder.id}/keys", desk.admin)["items"][0]["id"]
    ids = {"claim": desk.claim["id"], "item": desk.claim["items"][0]["id"], "account": desk.holder.id, "key": key}
    for template in STAFF_POSTS:
        path = template.format(**ids)
        who = desk.pages["admin"] if path.startswith("/admin") else desk.pages["specialist"]
        r = who.post(path, data={"body": "x", "name": "x", "role": "legal", "outcome": "removed", "item": ids["item"]})
        assert r.status_code == 403, (path, r.status_code)
        assert "Form expired or not sent from this site" in r.text or "CSRF" in r.text, path
        wrong = who.post(path, data={"csrf_token": "not-the-token", "body": "x"})
        assert wrong.status_code == 403, path
    # Nothing happened: still unassigned, no note.
    claim = api(client, "GET", f"/api/v1/claims/{desk.claim['id']}", desk.specialist)
    assert claim["assignee"] is None
    assert api(client, "GET", f"/api/v1/claims/{desk.claim['id']}/notes", desk.specialist)["items"] == []


STAFF_GETS = ["/queue", "/escalated", "/letters", "/letters/export", "/admin/accounts", "/admin/calendar", "/claims/{claim}"]


def test_signed_out_staff_pages_redirect_to_login_and_holders_get_403(desk: Desk, web_client: TestClient) -> None:
    for template in STAFF_GETS:
        path = template.format(claim=desk.claim["id"])
        r = web_client.get(path)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next="), path
        if "{claim}" not in template:
            refused = desk.pages["holder"].get(path)
            assert refused.status_code == 403 and refused.headers["content-type"].startswith("text/html"), path
