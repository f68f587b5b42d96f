"""Web page fixtures: accounts that can sign in, and a TestClient signed in as one of them.

Browser fixtures (a live server, Chromium, axe and screenshots) are in `tests/web/browser.py` and imported here,
so every test under tests/web can ask for `live`, `page` and `shots`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Actor
from tests.web.browser import _playwright, chromium, live, page, screenshot_dir, shots  # noqa: F401  (fixtures for tests/web)

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class WebUser:
    id: str
    role: str
    key: str
    email: str
    password: str
    name: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    @property
    def actor(self) -> Actor:
        return Actor(id=self.id, role=self.role, key=self.key)


@pytest.fixture
def make_web_user(make_account: Callable[..., Actor]) -> Callable[..., WebUser]:
    """An account with an email and a password (set through the same function as `accounts set-password`)."""
    from ipclaims.auth import passwords
    from ipclaims.db import session_scope
    from ipclaims.models import Account

    counter = iter(range(1, 10_000))

    def make(role: str = "rights_holder", *, name: str | None = None, email: str | None = None, password: str | None = None) -> WebUser:
        n = next(counter)
        email = email or f"{role.replace('_', '-')}-{n}@web.example"
        password = password or f"correct horse {role} {n}"
        name = name or f"{role.replace('_', ' ').title()} {n}"
        actor = make_account(role, name=name, email=email)
        with session_scope() as s:
            account = s.get(Account, actor.id)
            assert account is not None
            passwords.set_password(s, account, password)
        return WebUser(id=actor.id, role=role, key=actor.key, email=email, password=password, name=name)

    return make


def csrf_of(html: str) -> str:
    found = CSRF_FIELD.search(html)
    assert found, "no csrf_token field on the page"
    return found.group(1)


def sign_in(client: TestClient, user: WebUser, *, next_url: str = "") -> Any:
    token = csrf_of(client.get("/login").text)
    return client.post(
        "/login", data={"email": user.email, "password": user.password, "next": next_url, "csrf_token": token}, follow_redirects=False
    )


@pytest.fixture
def web_client(app: Any) -> Iterator[TestClient]:
    """A client of its own (its own cookie jar), not following redirects, so tests see each 303."""
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as c:
        yield c


@pytest.fixture
def signed_in(app: Any) -> Iterator[Callable[[WebUser], TestClient]]:
    """A new client signed in as `user` (one per user: each has its own cookie jar)."""
    clients: list[TestClient] = []

    def make(user: WebUser) -> TestClient:
        c = TestClient(app, raise_server_exceptions=False, follow_redirects=False)
        c.__enter__()
        clients.append(c)
        r = sign_in(c, user)
        assert r.status_code == 303, r.text
        return c

    yield make
    for c in clients:
        c.__exit__(None, None, None)
