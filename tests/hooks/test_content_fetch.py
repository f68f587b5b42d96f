"""Reported content fetched by the worker from a content store (issue 21), against real local HTTP servers: only
allowed hosts, no private addresses unless configured, redirects re-checked, size and type checked, retries."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from ipclaims.config import get_settings
from ipclaims.integrations import content, fetcher
from ipclaims.models import utcnow
from tests import images
from tests.conftest import Actor
from tests.servers import serving

ROCKET = images.encode(images.photo("rocket"), "PNG")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n" * 20


class Store:
    """A content store: what it answers depends on the item URL it is asked about (`u`)."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        self.port = 0
        self.flaky_failures = 1

    async def media(self, request: Request) -> Response:
        u = request.query_params.get("u", "")
        self.hits.append(u)
        name = u.rsplit("/", 1)[-1]
        if name == "good":
            return Response(ROCKET, media_type="image/png")
        if name == "pdf":
            return Response(PDF, media_type="image/png")  # says PNG; the bytes say otherwise
        if name == "big":

            async def chunks() -> Any:
                for _ in range(64):
                    yield b"\x89PNG" + b"\0" * 16_380

            return StreamingResponse(chunks(), media_type="image/png")  # no Content-Length: refused while streaming
        if name == "off-list":
            return RedirectResponse("http://evil.example/steal", status_code=302)
        if name == "to-localhost":
            return RedirectResponse(f"http://localhost:{self.port}/media?u=good", status_code=302)
        if name == "hop":
            return RedirectResponse("/media?u=https%3A%2F%2Fvideos.example.com%2Fwatch%2Fgood", status_code=307)
        if name == "flaky" and self.flaky_failures > 0:
            self.flaky_failures -= 1
            return Response("busy", status_code=503)
        if name == "flaky":
            return Response(ROCKET, media_type="image/png")
        return Response("no such item", status_code=404)


@pytest.fixture
def store() -> Iterator[Store]:
    s = Store()
    with serving(Starlette(routes=[Route("/media", s.media)])) as port:
        s.port = port
        yield s


@pytest.fixture
def configured(store: Store, set_env: Callable[..., None]) -> Callable[..., None]:
    def apply(allow_private: bool = True, **extra: str) -> None:
        set_env(
            IPCLAIMS_CONTENT_URL_TEMPLATE=f"http://127.0.0.1:{store.port}/media?u={{url}}",
            IPCLAIMS_CONTENT_ALLOW_PRIVATE="true" if allow_private else "false",
            IPCLAIMS_MAX_UPLOAD_BYTES="600000",
            IPCLAIMS_CONTENT_FETCH_TIMEOUT_SECONDS="5",
            **extra,
        )

    return apply


def register_rocket(client: Any, holder: Actor) -> str:
    work = client.post("/api/v1/works", json={"title": "Rocket"}, headers=holder.headers).json()
    r = client.post(f"/api/v1/works/{work['id']}/images", files={"file": ("r.png", ROCKET, "image/png")}, headers=holder.headers)
    assert r.status_code == 201, r.text
    return str(work["id"])


def claim_for(client: Any, holder: Actor, *names: str) -> dict[str, Any]:
    body = {
        "kind": "copyright",
        "regime": "EU_DSA",
        "explanation": "copies of our photographs",
        "complainant": {"name": "A", "email": "a@holder-a.example"},
        "statements": {"bona_fide": True},
        "items": [{"url": f"https://videos.example.com/watch/{n}", "work": 0} for n in names],
        "works": [{"title": "photo"}],
    }
    r = client.post("/api/v1/claims", json=body, headers=holder.headers)
    assert r.status_code == 201, r.text
    return r.json()


def sweep(at: Any = None) -> dict[str, int]:
    return content.fetch_content(at or utcnow(), get_settings())


def fetches(client: Any, staff: Actor, claim_id: str) -> dict[str, dict[str, Any]]:
    r = client.get(f"/api/v1/claims/{claim_id}/fetches", headers=staff.headers)
    assert r.status_code == 200, r.text
    return {f["item_id"]: f for f in r.json()["items"]}


def test_a_good_image_is_fetched_and_matched_like_an_upload(
    client: Any, holder: Actor, specialist: Actor, store: Store, configured: Callable[..., None]
) -> None:
    configured()
    work_id = register_rocket(client, holder)
    claim = claim_for(client, holder, "good", "hop")
    assert sweep() == {"content_fetched": 2, "content_fetch_failed": 0}
    assert store.hits.count("https://videos.example.com/watch/good") == 2  # the URL arrived whole, decoded once
    seen = client.get(f"/api/v1/claims/{claim['id']}", headers=specialist.headers).json()
    for item in seen["items"]:
        assert item["matches"][0]["verdict"] == "match" and item["matches"][0]["work_id"] == work_id
    assert any("matches a registered reference work" in r for r in seen["priority_reasons"])
    rows = fetches(client, specialist, claim["id"])
    assert {r["status"] for r in rows.values()} == {"fetched"}
    assert all(r["source_url"].startswith(f"http://127.0.0.1:{store.port}/media?u=https%3A%2F%2F") for r in rows.values())
    events = client.get(f"/api/v1/claims/{claim['id']}/events", headers=specialist.headers).json()["items"]
    matched = [e for e in events if e["action"] == "content_matched"]
    assert len(matched) == 2 and {e["actor_role"] for e in matched} == {"system"}
    assert sweep() == {"content_fetched": 0, "content_fetch_failed": 0}  # each item once
    assert client.get(f"/api/v1/claims/{claim['id']}/fetches", headers=holder.headers).status_code == 403


def test_a_private_address_is_refused_unless_configured(
    client: Any, holder: Actor, specialist: Actor, store: Store, configured: Callable[..., None]
) -> None:
    configured(allow_private=False)
    claim = claim_for(client, holder, "good")
    assert sweep() == {"content_fetched": 0, "content_fetch_failed": 1}
    assert store.hits == []  # refused before connecting
    [row] = fetches(client, specialist, claim["id"]).values()
    assert row["status"] == "refused" and "private or loopback" in row["last_error"]
    events = client.get(f"/api/v1/claims/{claim['id']}/events", headers=specialist.headers).json()["items"]
    assert any(e["action"] == "content_fetch_failed" for e in events)
    mine = client.get(f"/api/v1/claims/{claim['id']}/events", headers=holder.headers).json()["items"]
    assert all(e["action"] != "content_fetch_failed" for e in mine)  # internal
    assert sweep(utcnow() + timedelta(days=1))["content_fetch_failed"] == 0  # a refusal is final


@pytest.mark.parametrize(
    "name, why",
    [
        ("off-list", "host evil.example is not the content store"),
        ("to-localhost", "host localhost is not the content store"),
        ("big", "larger than the 600,000-byte limit"),
        ("pdf", "not a JPEG, PNG, WebP, GIF, TIFF or BMP image"),
    ],
)
def test_refusals_are_recorded_and_nothing_is_stored(
    client: Any, holder: Actor, specialist: Actor, store: Store, configured: Callable[..., None], name: str, why: str
) -> None:
    configured()
    claim = claim_for(client, holder, name)
    assert sweep() == {"content_fetched": 0, "content_fetch_failed": 1}
    [row] = fetches(client, specialist, claim["id"]).values()
    assert row["status"] == "refused", row
    assert why.lower() in row["last_error"].lower(), row["last_error"]
    assert client.get(f"/api/v1/claims/{claim['id']}", headers=specialist.headers).json()["items"][0]["matches"] == []
    if name in ("off-list", "to-localhost"):
        assert len(store.hits) == 1  # the redirect was not followed


def test_a_failing_store_is_retried_with_backoff(
    client: Any, holder: Actor, specialist: Actor, store: Store, configured: Callable[..., None]
) -> None:
    configured()
    register_rocket(client, holder)
    claim = claim_for(client, holder, "flaky", "missing-but-fine")
    now = utcnow()
    counts = sweep(now)
    assert counts == {"content_fetched": 0, "content_fetch_failed": 2}
    rows = fetches(client, specialist, claim["id"])
    flaky = rows[claim["items"][0]["id"]]
    assert flaky["status"] == "pending" and flaky["attempts"] == 1 and flaky["last_error"] == "HTTP 503"
    assert rows[claim["items"][1]["id"]]["status"] == "refused"  # a 404 is an answer, not an outage
    assert sweep(now + timedelta(seconds=10))["content_fetched"] == 0  # not due yet
    assert sweep(now + timedelta(minutes=2))["content_fetched"] == 1
    assert fetches(client, specialist, claim["id"])[claim["items"][0]["id"]]["status"] == "fetched"


def test_without_a_template_nothing_is_fetched(client: Any, holder: Actor, store: Store) -> None:
    claim_for(client, holder, "good")
    assert sweep() == {"content_fetched": 0, "content_fetch_failed": 0} and store.hits == []


@pytest.mark.parametrize(
    "address, private_ok, refused",
    [
        ("169.254.169.254", True, True),  # cloud metadata: never
        ("fe80::1", True, True),
        ("224.0.0.1", True, True),
        ("0.0.0.0", True, True),
        ("::ffff:127.0.0.1", False, True),
        ("10.1.2.3", False, True),
        ("100.64.0.1", False, True),
        ("10.1.2.3", True, False),
        ("93.184.215.14", False, False),
    ],
)
def test_address_rules(address: str, private_ok: bool, refused: bool) -> None:
    assert (fetcher.check_address(address, private_ok=private_ok) is not None) is refused


def test_private_addresses_are_allowed_only_for_the_store_and_every_answer_is_checked() -> None:
    # A platform host that resolves (or rebinds) to a private address is refused even when the store may be private.
    answers = {"store.internal": ["10.0.0.5"], "cdn.platform.example": ["93.184.215.14", "10.0.0.9"]}
    f = fetcher.Fetcher(
        allowed=frozenset(answers),
        private_hosts=frozenset({"store.internal"}),
        timeout=1,
        max_redirects=1,
        limit=1000,
        resolve=lambda host, port: answers[host],
    )
    with pytest.raises(fetcher.FetchRefused, match="private or loopback"):
        f.open("https://cdn.platform.example/a.png", lambda body: body.read())


def test_placeholders_are_percent_encoded_and_the_template_host_is_literal(set_env: Callable[..., None]) -> None:
    url = fetcher.source_url("https://store.internal/m?u={url}&h={host}", "https://evil.example@x/?a=1&b=2#f", "01ID")
    assert url == "https://store.internal/m?u=https%3A%2F%2Fevil.example%40x%2F%3Fa%3D1%26b%3D2%23f&h=x"
    assert fetcher.template_host("https://store.internal/m?u={url}") == "store.internal"
    assert (
        fetcher.source_url("https://s.internal/m?u={url}&h={host}", "http://[::1/x", "0")
        == "https://s.internal/m?u=http%3A%2F%2F%5B%3A%3A1%2Fx&h="
    )
    set_env(IPCLAIMS_CONTENT_URL_TEMPLATE="https://{host}/media?u={url}")
    with pytest.raises(ValueError, match="literal"):
        get_settings()
