"""Every route × every kind of caller, against the table below (CONTRACT.md "Conventions").

No or an unknown key → 401; a role that may never take the action → 403, whoever owns the object; another rights
holder's claim, work, counter-notice or complaint → 404, never its data; otherwise the caller gets past access
control ("ok": whatever the route then answers, 2xx or a 409/422 about the request, but never 401/403/404 nor a 5xx).

The table is checked against the app's own route table, so a route added without a row (or a row left behind by a
removed route) fails `test_the_table_names_every_route`.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from PIL import Image

from ipclaims.db import session_scope
from ipclaims.models import WorkConflict
from tests.conftest import Actor
from tests.legal.notices import REMOVE, changed, complete_claim, complete_counter_notice

OK = "ok"
CALLERS = ("other_holder", "rights_holder", "specialist", "legal", "admin")

# (method, path) → what each caller gets: the other rights holder, the owner (a rights holder: for routes without an
# object, simply "a rights holder"), then each staff role. Without a key or with an unknown one every route is 401,
# except those in PUBLIC.
MATRIX: dict[tuple[str, str], tuple[str | int, ...]] = {
    #                                                                  other   owner  specialist legal  admin
    ("GET", "/healthz"): (OK, OK, OK, OK, OK),
    ("GET", "/api/v1/openapi.json"): (OK, OK, OK, OK, OK),
    ("GET", "/docs"): (OK, OK, OK, OK, OK),
    ("GET", "/api/v1/me"): (OK, OK, OK, OK, OK),
    # Claims: owners and staff; a notifier may supplement and withdraw its own.
    ("POST", "/api/v1/claims"): (OK, OK, OK, OK, OK),
    ("GET", "/api/v1/claims"): (OK, OK, OK, OK, OK),
    ("GET", "/api/v1/claims/{claim_id}"): (404, OK, OK, OK, OK),
    ("PATCH", "/api/v1/claims/{claim_id}"): (404, OK, OK, OK, OK),
    ("GET", "/api/v1/claims/{claim_id}/events"): (404, OK, OK, OK, OK),
    ("POST", "/api/v1/claims/{claim_id}/withdraw"): (404, OK, OK, OK, 403),
    ("GET", "/api/v1/claims/{claim_id}/notes"): (404, OK, OK, OK, OK),
    ("POST", "/api/v1/claims/{claim_id}/notes"): (404, OK, OK, OK, OK),
    # Review: specialists and legal decide; admins and rights holders never.
    ("POST", "/api/v1/claims/{claim_id}/transitions"): (403, 403, OK, OK, 403),
    ("POST", "/api/v1/claims/{claim_id}/items/{item_id}/decision"): (403, 403, OK, OK, 403),
    ("PUT", "/api/v1/claims/{claim_id}/source"): (403, 403, OK, OK, OK),
    ("PUT", "/api/v1/claims/{claim_id}/assignee"): (403, 403, OK, OK, OK),
    ("POST", "/api/v1/claims/{claim_id}/release"): (403, 403, OK, OK, OK),
    ("GET", "/api/v1/queue"): (403, 403, OK, OK, OK),
    ("POST", "/api/v1/queue/claim-next"): (403, 403, OK, OK, 403),
    # Counter-notices: staff record and cure them; the notifier sees a forwarded one and may prove a court action.
    ("POST", "/api/v1/claims/{claim_id}/items/{item_id}/counter-notices"): (403, 403, OK, OK, OK),
    ("GET", "/api/v1/claims/{claim_id}/counter-notices"): (404, OK, OK, OK, OK),
    ("GET", "/api/v1/counter-notices/{counter_id}"): (404, OK, OK, OK, OK),
    ("PATCH", "/api/v1/counter-notices/{counter_id}"): (403, 403, OK, OK, OK),
    ("POST", "/api/v1/counter-notices/{counter_id}/court-action"): (404, OK, OK, OK, 403),
    ("POST", "/api/v1/counter-notices/{counter_id}/withdraw"): (403, 403, OK, OK, 403),
    ("POST", "/api/v1/counter-notices/{counter_id}/restore"): (403, 403, 403, OK, 403),
    # Complaints (DSA Art. 20): the notifier or staff file one; specialists and legal decide it.
    ("POST", "/api/v1/claims/{claim_id}/items/{item_id}/complaints"): (404, OK, OK, OK, OK),
    ("GET", "/api/v1/claims/{claim_id}/complaints"): (404, OK, OK, OK, OK),
    ("POST", "/api/v1/complaints/{complaint_id}/decision"): (403, 403, OK, OK, 403),
    # Signals and administration.
    ("GET", "/api/v1/uploaders/{uploader}/strikes"): (403, 403, OK, OK, OK),
    ("GET", "/api/v1/notifiers/{account_id}/stats"): (403, 403, OK, OK, OK),
    ("GET", "/api/v1/admin/closures"): (403, 403, OK, OK, OK),
    ("POST", "/api/v1/admin/closures"): (403, 403, 403, 403, OK),
    ("DELETE", "/api/v1/admin/closures/{calendar_code}/{day}"): (403, 403, 403, 403, OK),
    ("GET", "/api/v1/admin/sla"): (403, 403, OK, OK, OK),
    ("PUT", "/api/v1/admin/sla"): (403, 403, 403, 403, OK),
    ("GET", "/api/v1/accounts"): (403, 403, 403, 403, OK),
    ("POST", "/api/v1/accounts"): (403, 403, 403, 403, OK),
    ("PATCH", "/api/v1/accounts/{account_id}"): (403, 403, 403, 403, OK),
    ("GET", "/api/v1/accounts/{account_id}/keys"): (403, 403, 403, 403, OK),
    ("POST", "/api/v1/accounts/{account_id}/keys"): (403, 403, 403, 403, OK),
    ("DELETE", "/api/v1/accounts/{account_id}/keys/{key_id}"): (403, 403, 403, 403, OK),
    # Works and matching: a holder's own works; staff register works on a holder's behalf and search everything.
    ("POST", "/api/v1/works"): (OK, OK, OK, OK, OK),
    ("GET", "/api/v1/works"): (OK, OK, OK, OK, OK),
    ("GET", "/api/v1/works/{work_id}"): (404, OK, OK, OK, OK),
    ("POST", "/api/v1/works/{work_id}/images"): (404, OK, OK, OK, OK),
    ("POST", "/api/v1/claims/{claim_id}/items/{item_id}/content"): (404, OK, OK, OK, OK),
    ("POST", "/api/v1/match"): (403, 403, OK, OK, OK),
    # Reports and transparency exports: staff only.
    ("GET", "/api/v1/reports/summary"): (403, 403, OK, OK, OK),
    ("GET", "/api/v1/exports/dsa-statements"): (403, 403, OK, OK, OK),
    ("GET", "/api/v1/exports/dsa-counts"): (403, 403, OK, OK, OK),
    ("GET", "/api/v1/exports/lumen"): (403, 403, OK, OK, OK),
    # Integrations (issue 21): admins manage webhook endpoints; staff see deliveries and confirm execution. The
    # DELETE row comes after the endpoint's other rows: the admin's delete is the last thing done to it.
    ("POST", "/api/v1/admin/webhooks"): (403, 403, 403, 403, OK),
    ("GET", "/api/v1/admin/webhooks"): (403, 403, 403, 403, OK),
    ("POST", "/api/v1/admin/webhooks/{endpoint_id}/rotate"): (403, 403, 403, 403, OK),
    ("GET", "/api/v1/admin/webhooks/{endpoint_id}/deliveries"): (403, 403, OK, OK, OK),
    ("DELETE", "/api/v1/admin/webhooks/{endpoint_id}"): (403, 403, 403, 403, OK),
    ("GET", "/api/v1/claims/{claim_id}/deliveries"): (403, 403, OK, OK, OK),
    ("POST", "/api/v1/items/{item_id}/executed"): (403, 403, OK, OK, OK),
    ("GET", "/api/v1/claims/{claim_id}/flags"): (403, 403, OK, OK, OK),
    ("GET", "/api/v1/claims/{claim_id}/fetches"): (403, 403, OK, OK, OK),
    # Ownership conflicts between holders' reference works: staff's queue (issue 21).
    ("GET", "/api/v1/conflicts"): (403, 403, OK, OK, OK),
    ("POST", "/api/v1/conflicts/{conflict_id}/resolve"): (403, 403, OK, OK, OK),
    ("GET", "/api/v1/accounts/{account_id}/verified-domains"): (403, 403, 403, 403, OK),
    ("POST", "/api/v1/accounts/{account_id}/verified-domains"): (403, 403, 403, 403, OK),
    # Letters: staff ask for them; the owner reads those addressed to the notifier; legal and admins export.
    ("POST", "/api/v1/claims/{claim_id}/letters"): (403, 403, OK, OK, OK),
    ("GET", "/api/v1/claims/{claim_id}/letters"): (404, OK, OK, OK, OK),
    ("GET", "/api/v1/claims/{claim_id}/messages"): (404, OK, OK, OK, OK),
    ("GET", "/api/v1/letters/{letter_id}.pdf"): (404, OK, OK, OK, OK),
    ("GET", "/api/v1/letters/export"): (403, 403, 403, OK, OK),
    # Notices in free text and email (issue 20): staff read and import them; the owner reads its own claim's message.
    ("POST", "/api/v1/notices/parse"): (403, 403, OK, OK, OK),
    ("POST", "/api/v1/notices"): (403, 403, OK, OK, OK),
    ("GET", "/api/v1/notices/messages"): (403, 403, OK, OK, OK),
    ("GET", "/api/v1/notices/messages/{message_id}"): (403, 403, OK, OK, OK),
    ("GET", "/api/v1/notices/messages/{message_id}/raw"): (403, 403, OK, OK, OK),
    ("POST", "/api/v1/notices/messages/{message_id}/retry"): (403, 403, OK, OK, OK),
    ("GET", "/api/v1/claims/{claim_id}/source-message"): (404, OK, OK, OK, OK),
}

EMAILED_NOTICE = (
    "From: Owner <owner@rights.example.com>\nSubject: notice\n\n"
    'I own the photograph "Dawn". A copy is at https://platform.example/u/x/posts/1 without permission.\n'
    "/s/ Owner\n"
)

PUBLIC = frozenset({("GET", "/healthz"), ("GET", "/api/v1/openapi.json"), ("GET", "/docs")})

# The web pages (CONTRACT.md "Web pages"), signed in with a session cookie instead of a key. Signed out, a page
# redirects to /login ("login"), except the sign-in pages themselves. Same callers, same meaning of OK.
LOGIN = "login"
PAGES: dict[tuple[str, str], tuple[str | int, ...]] = {
    #                                           other   owner  specialist legal  admin
    ("GET", "/"): (OK, OK, OK, OK, OK),
    ("GET", "/login"): (OK, OK, OK, OK, OK),
    ("POST", "/login"): (OK, OK, OK, OK, OK),
    ("POST", "/logout"): (OK, OK, OK, OK, OK),
    ("GET", "/claims"): (OK, OK, OK, OK, OK),
    # The rights holder's pages: filing is for rights holders; another holder's claim is 404.
    ("GET", "/claims/new"): (OK, OK, 403, 403, 403),
    ("POST", "/claims/new/check"): (OK, OK, 403, 403, 403),
    ("POST", "/claims/new"): (OK, OK, 403, 403, 403),
    ("GET", "/claims/{claim_id}"): (404, OK, OK, OK, OK),
    ("GET", "/claims/{claim_id}/supplement"): (404, OK, 403, 403, 403),
    ("POST", "/claims/{claim_id}/supplement"): (404, OK, 403, 403, 403),
    ("GET", "/claims/{claim_id}/letters/{letter_id}.pdf"): (404, OK, OK, OK, OK),
    # Staff pages (webstaff): the queue for staff, claim-next and decisions for reviewers, legal's desk, the admin's.
    ("GET", "/queue"): (403, 403, OK, OK, OK),
    ("POST", "/queue/claim-next"): (403, 403, OK, OK, 403),
    ("GET", "/escalated"): (403, 403, 403, OK, 403),
    ("GET", "/claims/{claim_id}/items/{item_id}/image"): (403, 403, OK, OK, OK),
    ("GET", "/claims/{claim_id}/references/{image_id}"): (403, 403, OK, OK, OK),
    # The original message of a claim made from one, for a staff browser (the owner reads it through the API).
    ("GET", "/claims/{claim_id}/source-message"): (403, 403, OK, OK, OK),
    ("POST", "/claims/{claim_id}/decisions"): (403, 403, OK, OK, 403),
    ("POST", "/claims/{claim_id}/notes"): (403, 403, OK, OK, OK),
    ("POST", "/claims/{claim_id}/escalate"): (403, 403, OK, OK, 403),
    ("POST", "/claims/{claim_id}/items/{item_id}/counter-notice"): (403, 403, OK, OK, OK),
    # An imported counter-notice's reading filling an item's form (nothing stored): by the item, or by reference.
    ("POST", "/claims/{claim_id}/items/{item_id}/counter-notice/draft"): (403, 403, OK, OK, OK),
    ("POST", "/notices/import/counter-notice"): (403, 403, OK, OK, OK),
    ("POST", "/account/preferences"): (403, 403, OK, OK, OK),
    ("GET", "/letters"): (403, 403, 403, OK, OK),
    ("GET", "/letters/export"): (403, 403, 403, OK, OK),
    ("GET", "/letters/{letter_id}.pdf"): (403, 403, OK, OK, OK),
    ("GET", "/admin/accounts"): (403, 403, 403, 403, OK),
    ("POST", "/admin/accounts"): (403, 403, 403, 403, OK),
    ("POST", "/admin/accounts/{account_id}"): (403, 403, 403, 403, OK),
    ("GET", "/admin/accounts/{account_id}/keys"): (403, 403, 403, 403, OK),
    ("POST", "/admin/accounts/{account_id}/keys"): (403, 403, 403, 403, OK),
    ("POST", "/admin/accounts/{account_id}/keys/{key_id}/revoke"): (403, 403, 403, 403, OK),
    ("GET", "/admin/calendar"): (403, 403, 403, 403, OK),
    ("POST", "/admin/closures"): (403, 403, 403, 403, OK),
    ("POST", "/admin/closures/{calendar_code}/{day}/delete"): (403, 403, 403, 403, OK),
    ("POST", "/admin/sla"): (403, 403, 403, 403, OK),
    # Reference works: a holder registers its own; staff may look.
    ("GET", "/works"): (OK, OK, OK, OK, OK),
    ("POST", "/works"): (OK, OK, 403, 403, 403),
    ("GET", "/works/{work_id}"): (404, OK, OK, OK, OK),
    ("POST", "/works/{work_id}/images"): (404, OK, 403, 403, 403),
    ("GET", "/works/{work_id}/images/{image_id}"): (404, OK, OK, OK, OK),
    ("GET", "/notices/import"): (403, 403, OK, OK, OK),
    ("POST", "/notices/import"): (403, 403, OK, OK, OK),
    ("POST", "/notices/import/create"): (403, 403, OK, OK, OK),
    ("GET", "/reports"): (403, 403, OK, OK, OK),
    ("GET", "/reports/csv"): (403, 403, OK, OK, OK),
    # The uploader's pages: no account, the signed link is the credential (tests/web/test_uploader_pages.py checks
    # altered, foreign and expired links); anyone holding it, signed in or not, gets the same page.
    ("GET", "/u/{token}"): (OK, OK, OK, OK, OK),
    ("POST", "/u/{token}/counter-notice"): (OK, OK, OK, OK, OK),
    ("POST", "/u/{token}/complaint"): (OK, OK, OK, OK, OK),
}
UPLOADER_PAGES = frozenset({("GET", "/u/{token}"), ("POST", "/u/{token}/counter-notice"), ("POST", "/u/{token}/complaint")})
SIGNED_OUT_OK = frozenset({("GET", "/"), ("GET", "/login"), ("POST", "/login"), ("POST", "/logout")}) | UPLOADER_PAGES


def app_routes(app: Any) -> set[tuple[str, str]]:
    """(method, path) of every route the app serves, HEAD aside (Starlette answers it for every GET).

    Walks the route table itself, not only the OpenAPI document, so a route hidden from the schema needs a row too.
    FastAPI ≥ 0.160 keeps an included router as one entry pointing at it (`original_router`); older ones copy its
    routes into the app's list.
    """

    def walk(routes: list[Any]) -> Iterator[Any]:
        for route in routes:
            included = getattr(route, "original_router", None)
            if included is not None:
                yield from walk(included.routes)
            else:
                yield route

    found = {(method, route.path) for route in walk(app.routes) for method in (getattr(route, "methods", None) or ())}
    schema = app.openapi()
    found |= {(method.upper(), path) for path, operations in schema["paths"].items() for method in operations}
    return {(method, path) for method, path in found if method != "HEAD"}


def test_the_table_names_every_route(app: Any) -> None:
    routes = app_routes(app)
    assert sorted(routes - MATRIX.keys() - PAGES.keys()) == [], "routes without a row in MATRIX or PAGES: add one"
    assert sorted((MATRIX.keys() | PAGES.keys()) - routes) == [], "rows of MATRIX or PAGES naming no route: remove them"
    assert not MATRIX.keys() & PAGES.keys()
    assert MATRIX.keys() >= PUBLIC


def tiny_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (48, 32), (200, 120, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def textured_png() -> bytes:
    """A picture with detail enough to be matched (a flat colour has nothing to hash)."""
    img = Image.new("RGB", (160, 120), (240, 240, 240))
    for x in range(160):
        for y in range(120):
            img.putpixel((x, y), ((x * 7) % 256, (y * 11) % 256, ((x * y) // 3) % 256))
    buffer = io.BytesIO()
    img.save(buffer, "PNG")
    return buffer.getvalue()


@dataclass
class World:
    """One object of every kind, owned by `owner`; the ids a route's path needs, by parameter name."""

    owner: Actor
    other: Actor
    staff: dict[str, Actor]
    ids: dict[str, str]


@pytest.fixture
def world(client: Any, make_account: Callable[..., Actor]) -> World:
    owner = make_account("rights_holder", name="Owner", email="owner@rights.example.com")
    other = make_account("rights_holder", name="Other", email="other@rights.example.com")
    staff = {role: make_account(role, name=role.title()) for role in ("specialist", "legal", "admin")}
    throwaway = make_account("rights_holder", name="Throwaway")

    def post(path: str, body: Any, who: Actor, expect: int = 201) -> Any:
        r = client.post(path, json=body, headers=who.headers)
        assert r.status_code == expect, (path, r.text)
        return r.json()

    incomplete = post("/api/v1/claims", changed(complete_claim("US_DMCA"), [(("signature",), REMOVE)]), owner)
    decided = post("/api/v1/claims", complete_claim("US_DMCA"), owner)
    eu = post("/api/v1/claims", complete_claim("EU_DSA"), owner)
    for claim in (decided, eu):
        for item in claim["items"]:
            post(
                f"/api/v1/claims/{claim['id']}/items/{item['id']}/decision",
                {"outcome": "removed", "reason": "copies the work"},
                staff["specialist"],
                expect=200,
            )
    counter = post(
        f"/api/v1/claims/{decided['id']}/items/{decided['items'][0]['id']}/counter-notices",
        complete_counter_notice("US_DMCA"),
        staff["specialist"],
    )
    assert counter["status"] == "forwarded"
    complaint = post(
        f"/api/v1/claims/{eu['id']}/items/{eu['items'][0]['id']}/complaints",
        {"complainant_role": "notifier", "body": "the decision left a copy up"},
        owner,
    )
    # Something in each reviewer's queue, so that `claim-next` has a claim to hand out rather than a 404.
    post("/api/v1/claims", complete_claim("TM_POLICY"), owner)
    escalated = post("/api/v1/claims", complete_claim("SG_CA2021"), owner)
    post(f"/api/v1/claims/{escalated['id']}/transitions", {"to": "escalated", "reason": "novel question"}, staff["specialist"], expect=200)
    work = post("/api/v1/works", {"title": "Owner's work", "kind": "copyright"}, owner)
    # A reference image and the same picture reported on an item: the staff review page's two images.
    picture = {"file": ("ref.png", textured_png(), "image/png")}
    image = client.post(f"/api/v1/works/{work['id']}/images", files=picture, headers=owner.headers)
    assert image.status_code == 201, image.text
    reported = client.post(
        f"/api/v1/claims/{decided['id']}/items/{decided['items'][1]['id']}/content", files=picture, headers=owner.headers
    )
    assert reported.status_code in (200, 201), reported.text
    endpoint = post("/api/v1/admin/webhooks", {"url": "https://platform.example/hooks"}, staff["admin"])
    conflict_id = _conflict(client, post, owner, other, work["id"])
    keys = client.get(f"/api/v1/accounts/{throwaway.id}/keys", headers=staff["admin"].headers).json()["items"]
    letters = client.get(f"/api/v1/claims/{incomplete['id']}/letters", headers=staff["legal"].headers).json()["items"]
    # A claim made from an email the owner's verified domain sent: it has a source message.
    post(f"/api/v1/accounts/{owner.id}/verified-domains", {"domain": "rights.example.com"}, staff["admin"])
    emailed = post("/api/v1/notices", {"text": EMAILED_NOTICE}, staff["specialist"])
    assert emailed["owner_id"] == owner.id
    ids = {
        # Routes that act on a claim's state take the one in the state they act on; the others, the incomplete one.
        "claim_id": incomplete["id"],
        "item_id": incomplete["items"][0]["id"],
        "decided_claim_id": decided["id"],
        "decided_item_id": decided["items"][1]["id"],
        "decided_reference": decided["reference"],
        "eu_claim_id": eu["id"],
        "eu_item_id": eu["items"][0]["id"],
        "counter_id": counter["id"],
        "complaint_id": complaint["id"],
        "work_id": work["id"],
        "account_id": throwaway.id,
        "key_id": keys[0]["id"],
        "uploader": "uploader-1",
        "calendar_code": "US",
        "matched_image_id": image.json()["id"],
        "day": "2026-12-24",
        "endpoint_id": endpoint["id"],
        "emailed_claim_id": emailed["id"],
        "message_id": emailed["source_message_id"],  # parsed: a retry is a 409, past access control
        "conflict_id": conflict_id,
        "letter_id": next(x["id"] for x in letters if x["kind"] == "acknowledgment"),  # owed on intake, pending
    }
    return World(owner=owner, other=other, staff=staff, ids=ids)


def _conflict(client: Any, post: Callable[..., Any], owner: Actor, other: Actor, work_id: str) -> str:
    """An open ownership conflict between the owner's work and another holder's (written directly: matching the
    same picture twice through the API is the conflict tests' job, not the matrix's)."""
    image = client.post(f"/api/v1/works/{work_id}/images", files={"file": ("w.jpg", tiny_jpeg(), "image/jpeg")}, headers=owner.headers)
    assert image.status_code == 201, image.text
    theirs = post("/api/v1/works", {"title": "Other's work", "kind": "copyright"}, other)
    with session_scope() as s:
        row = WorkConflict(work_id=work_id, image_id=image.json()["id"], other_work_id=theirs["id"], detail={"score": 0.9})
        s.add(row)
        s.flush()
        return row.id


def request_for(method: str, path: str, world: World, caller: str) -> tuple[str, dict[str, Any]]:
    """The URL and a well-formed request for `caller`, so that access control is the only thing that varies."""
    ids = dict(world.ids)
    if path.startswith("/api/v1/claims/{claim_id}/items/{item_id}/counter-notices"):
        ids |= {"claim_id": ids["decided_claim_id"], "item_id": ids["decided_item_id"]}
    elif path.endswith("/source-message"):
        ids |= {"claim_id": ids["emailed_claim_id"]}
    elif path.endswith("/complaints") or path == "/api/v1/claims/{claim_id}/items/{item_id}/decision":
        ids |= {"claim_id": ids["eu_claim_id"], "item_id": ids["eu_item_id"]}
    staff = caller in ("specialist", "legal", "admin")
    upload = {"files": {"file": ("tiny.jpg", tiny_jpeg(), "image/jpeg")}}
    bodies: dict[tuple[str, str], dict[str, Any]] = {
        ("POST", "/api/v1/claims"): {"json": complete_claim("EU_DSA") | ({"on_behalf_of": world.owner.id} if staff else {})},
        ("PATCH", "/api/v1/claims/{claim_id}"): {"json": {"explanation": "supplemented"}},
        ("POST", "/api/v1/claims/{claim_id}/withdraw"): {"json": {"reason": "settled"}},
        ("POST", "/api/v1/claims/{claim_id}/notes"): {"json": {"body": "a shared note", "internal": False}},
        ("POST", "/api/v1/claims/{claim_id}/transitions"): {"json": {"to": "in_review", "reason": "accepted"}},
        ("POST", "/api/v1/claims/{claim_id}/items/{item_id}/decision"): {"json": {"outcome": "no_action", "reason": "r"}},
        ("PUT", "/api/v1/claims/{claim_id}/source"): {"json": {"source": "partner", "reason": "r"}},
        ("PUT", "/api/v1/claims/{claim_id}/assignee"): {"json": {"assignee": None}},
        ("POST", "/api/v1/claims/{claim_id}/items/{item_id}/counter-notices"): {"json": complete_counter_notice("US_DMCA")},
        ("PATCH", "/api/v1/counter-notices/{counter_id}"): {"json": {"material": "the clip"}},
        ("POST", "/api/v1/counter-notices/{counter_id}/court-action"): {
            "json": {"court": "S.D.N.Y.", "case_number": "1:26-cv-1", "filed_on": "2026-01-02"}
        },
        ("POST", "/api/v1/counter-notices/{counter_id}/withdraw"): {"json": {"reason": "r"}},
        ("POST", "/api/v1/counter-notices/{counter_id}/restore"): {"json": {"reason": "r"}},
        ("POST", "/api/v1/claims/{claim_id}/items/{item_id}/complaints"): {
            "json": {"complainant_role": "notifier", "body": "please look again"}
        },
        ("POST", "/api/v1/complaints/{complaint_id}/decision"): {"json": {"upheld": False, "reason": "r"}},
        ("POST", "/api/v1/admin/closures"): {"json": {"calendar": "US", "day": "2026-12-24", "description": "office"}},
        ("PUT", "/api/v1/admin/sla"): {"json": {"regime": "US_DMCA", "source": "notice", "hours": 48}},
        ("POST", "/api/v1/accounts"): {"json": {"name": "Made by the matrix", "role": "rights_holder"}},
        ("PATCH", "/api/v1/accounts/{account_id}"): {"json": {"trusted_flagger": False}},
        ("POST", "/api/v1/accounts/{account_id}/keys"): {"json": {"label": "matrix"}},
        ("POST", "/api/v1/works"): {
            "json": {"title": "A work", "kind": "copyright", **({"on_behalf_of": world.owner.id} if staff else {})}
        },
        ("POST", "/api/v1/works/{work_id}/images"): upload,
        ("POST", "/api/v1/claims/{claim_id}/items/{item_id}/content"): upload,
        ("POST", "/api/v1/match"): upload,
        ("POST", "/api/v1/admin/webhooks"): {"json": {"url": "https://other.example/hooks"}},
        ("POST", "/api/v1/items/{item_id}/executed"): {"json": {"note": "done"}},
        ("POST", "/api/v1/conflicts/{conflict_id}/resolve"): {"json": {"outcome": "neither", "reason": "r"}},
        ("POST", "/api/v1/accounts/{account_id}/verified-domains"): {"json": {"domain": "rights.example.com"}},
        ("POST", "/api/v1/claims/{claim_id}/letters"): {"json": {"kind": "acknowledgment"}},
        ("POST", "/api/v1/notices/parse"): {"json": {"text": EMAILED_NOTICE}},
        ("POST", "/api/v1/notices"): {"json": {"text": EMAILED_NOTICE}},
    }
    return path.format(**ids), bodies.get((method, path), {})


def status_class(status: int) -> str | int:
    return status if status in (401, 403, 404) or status >= 500 else OK


def test_every_route_answers_every_caller_as_the_table_says(client: Any, world: World) -> None:
    keys = {"no_key": None, "bad_key": "ipc_not_a_key_0000", "other_holder": world.other.key, "rights_holder": world.owner.key} | {
        role: actor.key for role, actor in world.staff.items()
    }
    wrong: list[str] = []
    for (method, path), row in MATRIX.items():
        expected: dict[str, str | int] = dict(zip(CALLERS, row, strict=True))
        expected |= {"no_key": OK, "bad_key": OK} if (method, path) in PUBLIC else {"no_key": 401, "bad_key": 401}
        # The callers that must be refused go first, so that nothing they might wrongly do changes what the
        # allowed ones then meet.
        for caller in ("no_key", "bad_key", "other_holder", "rights_holder", "specialist", "legal", "admin"):
            url, extra = request_for(method, path, world, caller)
            headers = {"Authorization": f"Bearer {keys[caller]}"} if keys[caller] else {}
            r = client.request(method, url, headers=headers, **extra)
            got = status_class(r.status_code)
            if got != expected[caller]:
                wrong.append(f"{method} {path} as {caller}: {r.status_code} (expected {expected[caller]}) {r.text[:160]}")
            elif r.status_code in (401, 403, 404):
                assert r.headers["content-type"].startswith("application/problem+json"), (method, path, caller)
    assert not wrong, "\n" + "\n".join(wrong)


MATRIX_NOTICE = (
    "I own the photograph Harbour at Dawn; a copy is at https://platform.example/p/matrix without permission.\n"
    "I have a good faith belief that this use is not authorized by the copyright owner, its agent, or the law.\n"
    "/s/ Matrix Notifier, matrix@rights.example\n"
)


def page_request_for(method: str, path: str, world: World, caller: str) -> tuple[str, dict[str, Any]]:
    """A page's URL and a well-formed form for `caller` (the CSRF token is added by the test)."""
    if path.startswith("/u/{token}"):
        from ipclaims import tokens
        from ipclaims.config import get_settings

        eu = path.endswith("/complaint")
        claim, item = (
            (world.ids["eu_claim_id"], world.ids["eu_item_id"]) if eu else (world.ids["decided_claim_id"], world.ids["decided_item_id"])
        )
        form = {"body": "I took this photo myself."} if eu else {"name": "Uma Uploader", "material": "my video", "signature": "Uma"}
        return path.format(token=tokens.issue(claim, item, get_settings())), {"data": form if method == "POST" else {}}
    url, _ = request_for(method, path, world, caller)
    if "{item_id}" in path or path == "/claims/{claim_id}/decisions" or path == "/claims/{claim_id}/references/{image_id}":
        # The item routes act on the decided claim's item (it has the reported image; the supplement rows above
        # replace the incomplete claim's items).
        ids = world.ids | {"claim_id": world.ids["decided_claim_id"], "item_id": world.ids["decided_item_id"]}
        ids["image_id"] = world.ids["matched_image_id"]
        url = path.format(**ids)
    claim_form = {
        "regime": "US_DMCA",
        "kind": "copyright",
        "complainant.email": "matrix@rights.example",
        "works.0.title": "A work",
        "items": "https://platform.example/p/1",
    }
    forms: dict[tuple[str, str], dict[str, Any]] = {
        ("POST", "/login"): {"email": "nobody@matrix.example", "password": "not a password at all"},
        ("POST", "/claims/new/check"): claim_form,
        ("POST", "/claims/new"): claim_form,
        ("POST", "/claims/{claim_id}/supplement"): claim_form | {"explanation": "supplemented"},
        ("POST", "/claims/{claim_id}/decisions"): {"item": world.ids["decided_item_id"], "outcome": "no_action", "reason": "r"},
        ("POST", "/claims/{claim_id}/notes"): {"body": "a note from the page"},
        ("POST", "/claims/{claim_id}/escalate"): {"reason": "novel question"},
        ("POST", "/claims/{claim_id}/items/{item_id}/counter-notice"): {"subscriber.name": "Uma", "material": "the clip"},
        ("POST", "/account/preferences"): {"blur_reported_images": "true", "next": "/queue"},
        ("POST", "/admin/accounts"): {"name": "Made by the page matrix", "role": "rights_holder"},
        ("POST", "/admin/accounts/{account_id}"): {"trusted_flagger": "false"},
        ("POST", "/admin/accounts/{account_id}/keys"): {"label": "matrix"},
        ("POST", "/admin/closures"): {"calendar": "US", "day": "2026-12-24", "description": "office"},
        ("POST", "/admin/sla"): {"regime": "US_DMCA", "source": "notice", "hours": "48"},
        ("POST", "/works"): {"title": "A work", "kind": "copyright"},
        ("POST", "/notices/import"): {"text": MATRIX_NOTICE},
        ("POST", "/notices/import/create"): {
            "raw": base64.b64encode(MATRIX_NOTICE.encode()).decode(),
            "form_token": f"matrix-{caller}",
            "action": "create",
        },
    }
    raw = base64.b64encode(MATRIX_NOTICE.encode()).decode()
    forms[("POST", "/claims/{claim_id}/items/{item_id}/counter-notice/draft")] = {"raw": raw}
    forms[("POST", "/notices/import/counter-notice")] = {"raw": raw, "reference": world.ids["decided_reference"], "item": "2"}
    if (method, path) == ("POST", "/works/{work_id}/images"):
        return url, {"data": {}, "files": {"file": ("tiny.jpg", tiny_jpeg(), "image/jpeg")}}
    return url, {"data": forms.get((method, path), {})}


def app_client_upload(app: Any, world: World) -> str:
    """An image on the owner's work, for the image route's row (through the API)."""
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        r = c.post(
            f"/api/v1/works/{world.ids['work_id']}/images",
            files={"file": ("tiny.jpg", tiny_jpeg(), "image/jpeg")},
            headers=world.owner.headers,
        )
        assert r.status_code == 201, r.text
        return str(r.json()["id"])


def page_status_class(response: Any) -> str | int:
    if response.status_code == 303 and response.headers["location"].startswith("/login?next="):
        return LOGIN
    return status_class(response.status_code)


def test_every_page_answers_every_caller_as_the_table_says(app: Any, world: World) -> None:
    from fastapi.testclient import TestClient

    from ipclaims.auth import passwords
    from ipclaims.db import session_scope
    from ipclaims.models import Account
    from ipclaims.web import throttle
    from ipclaims.web.session import COOKIE, load

    actors = {"other_holder": world.other, "rights_holder": world.owner} | world.staff
    clients: dict[str, TestClient] = {}
    image = app_client_upload(app, world)
    world.ids["image_id"] = image
    with session_scope() as s:
        for caller, actor in actors.items():
            account = s.get(Account, actor.id)
            assert account is not None
            account.email = f"{caller}@matrix.example"
            passwords.set_password(s, account, f"matrix password {caller}")
    wrong: list[str] = []
    try:
        for caller in ("signed_out", *actors):
            client = clients[caller] = TestClient(app, raise_server_exceptions=False, follow_redirects=False)
            client.__enter__()
            client.get("/login")
            if caller != "signed_out":
                token = load(client.cookies.get(COOKIE)).csrf_token
                form = {"email": f"{caller}@matrix.example", "password": f"matrix password {caller}", "csrf_token": token}
                assert client.post("/login", data=form).status_code == 303, caller
        for (method, path), row in PAGES.items():
            expected: dict[str, str | int] = dict(zip(CALLERS, row, strict=True))
            expected["signed_out"] = OK if (method, path) in SIGNED_OUT_OK else LOGIN
            for caller in ("signed_out", "other_holder", "rights_holder", "specialist", "legal", "admin"):
                throttle.reset()
                client = clients[caller]
                url, extra = page_request_for(method, path, world, caller)
                if method != "GET":
                    extra["data"] = {**extra["data"], "csrf_token": load(client.cookies.get(COOKIE)).csrf_token}
                r = client.request(method, url, **extra)
                got = page_status_class(r)
                if got != expected[caller]:
                    wrong.append(f"{method} {path} as {caller}: {r.status_code} (expected {expected[caller]}) {r.text[:160]}")
                elif r.status_code in (403, 404):
                    assert r.headers["content-type"].startswith("text/html"), (method, path, caller)
                if path in ("/logout", "/login") and method == "POST":
                    client.get("/login")  # a fresh session cookie (and CSRF token) after the sign-out
                if path in ("/logout", "/login") and method == "POST" and caller != "signed_out":
                    token = load(client.cookies.get(COOKIE)).csrf_token
                    form = {"email": f"{caller}@matrix.example", "password": f"matrix password {caller}", "csrf_token": token}
                    assert client.post("/login", data=form).status_code == 303, caller  # signed in again for the next rows
    finally:
        for client in clients.values():
            client.__exit__(None, None, None)
    assert not wrong, "\n" + "\n".join(wrong)
