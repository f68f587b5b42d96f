"""Sign-in, sessions, CSRF, redirects and error pages (CONTRACT.md "Web pages"), through the TestClient."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ipclaims.db import session_scope
from ipclaims.models import SignInFailure
from ipclaims.web import throttle
from tests.races import race
from tests.web.conftest import WebUser, csrf_of, sign_in


def test_signed_out_pages_redirect_to_login_with_next(web_client: TestClient) -> None:
    r = web_client.get("/")
    assert r.status_code == 303 and r.headers["location"] == "/login"
    r = web_client.get("/claims?status=needs_info")
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=/claims%3Fstatus%3Dneeds_info"


def test_sign_in_sets_a_hardened_cookie_and_goes_home_by_role(
    web_client: TestClient, make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    holder = make_web_user("rights_holder")
    r = sign_in(web_client, holder)
    assert r.status_code == 303 and r.headers["location"] == "/claims"
    cookie = next(v for k, v in r.headers.multi_items() if k == "set-cookie" and v.startswith("ipclaims_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie  # Secure only in production
    assert web_client.get("/").headers["location"] == "/claims"
    specialist = signed_in(make_web_user("specialist"))
    assert specialist.get("/").headers["location"] == "/queue"
    admin = signed_in(make_web_user("admin"))
    assert admin.get("/").headers["location"] == "/reports"


def test_sign_in_follows_next_only_on_this_site(web_client: TestClient, make_web_user: Callable[..., WebUser]) -> None:
    holder = make_web_user()
    assert sign_in(web_client, holder, next_url="/works").headers["location"] == "/works"
    web_client.cookies.clear()
    assert sign_in(web_client, holder, next_url="//evil.example/x").headers["location"] == "/claims"
    web_client.cookies.clear()
    assert sign_in(web_client, holder, next_url="https://evil.example/").headers["location"] == "/claims"


def test_wrong_password_and_unknown_email_look_the_same(web_client: TestClient, make_web_user: Callable[..., WebUser]) -> None:
    holder = make_web_user()
    token = csrf_of(web_client.get("/login").text)
    wrong = web_client.post("/login", data={"email": holder.email, "password": "not the password", "csrf_token": token})
    unknown = web_client.post("/login", data={"email": "nobody@web.example", "password": "not the password", "csrf_token": token})
    assert wrong.status_code == unknown.status_code == 400
    assert "do not match" in wrong.text and "do not match" in unknown.text
    assert f'value="{holder.email}"' in wrong.text  # what was typed is kept
    assert "ipclaims_session" not in wrong.headers.get("set-cookie", "") or "account" not in wrong.text


def test_failed_sign_ins_are_throttled_per_email_and_per_address(web_client: TestClient, make_web_user: Callable[..., WebUser]) -> None:
    holder = make_web_user()
    token = csrf_of(web_client.get("/login").text)
    for _ in range(5):
        assert web_client.post("/login", data={"email": holder.email, "password": "guess guess", "csrf_token": token}).status_code == 400
    blocked = web_client.post("/login", data={"email": holder.email, "password": holder.password, "csrf_token": token})
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
    assert "text/html" in blocked.headers["content-type"] and "Too many" in blocked.text
    # The same address trying another email is throttled too (5 failures from this client already).
    other = make_web_user()
    assert web_client.post("/login", data={"email": other.email, "password": other.password, "csrf_token": token}).status_code == 429


def test_the_throttle_holds_across_processes(web_client: TestClient, make_web_user: Callable[..., WebUser], env: dict[str, str]) -> None:
    """Failures another process (another worker) recorded count here: the budget is shared, not per process."""
    holder = make_web_user()
    script = "from ipclaims.db import session_scope; from ipclaims.web import throttle\n" + (
        f"with session_scope() as s: [throttle.record_failure(s, throttle.keys_for({holder.email!r}, '203.0.113.9')) for _ in range(5)]"
    )
    done = subprocess.run([sys.executable, "-c", script], env=os.environ | env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    token = csrf_of(web_client.get("/login").text)
    blocked = web_client.post("/login", data={"email": holder.email, "password": holder.password, "csrf_token": token})
    assert blocked.status_code == 429, blocked.text[:300]
    # Another email from this client is not throttled (the other process's failures came from another address).
    other = make_web_user()
    assert web_client.post("/login", data={"email": other.email, "password": other.password, "csrf_token": token}).status_code == 303
    # A success forgets the email's failures.
    with session_scope() as s:
        assert throttle.retry_after(s, throttle.keys_for(other.email, "testclient")) == 0
        assert throttle.retry_after(s, throttle.keys_for(holder.email, "testclient")) > 0


def counting_password_checks(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Every password check (argon2) made, slowed so that parallel posts overlap while it runs."""
    from ipclaims.auth import passwords

    checked: list[bool] = []
    real = passwords.verify

    def slow_verify(hashed: str | None, password: str) -> bool:
        checked.append(True)  # list.append is atomic under the GIL
        time.sleep(0.3)
        return real(hashed, password)

    monkeypatch.setattr(passwords, "verify", slow_verify)
    return checked


def failures_for(key: str) -> int:
    with session_scope(write=False) as s:
        return int(s.scalar(select(func.count()).select_from(SignInFailure).where(SignInFailure.key == key)) or 0)


def test_a_burst_of_parallel_sign_ins_gets_at_most_the_limit_of_password_checks(
    web_client: TestClient, make_web_user: Callable[..., WebUser], monkeypatch: pytest.MonkeyPatch
) -> None:
    holder = make_web_user()
    token = csrf_of(web_client.get("/login").text)
    checked = counting_password_checks(monkeypatch)
    data = {"email": holder.email, "password": "guess guess", "csrf_token": token}
    codes = race(3 * throttle.LIMIT, lambda _: web_client.post("/login", data=data).status_code)
    assert len(checked) == throttle.LIMIT  # each attempt recorded before its check: the rest were refused unchecked
    assert sorted(codes) == [400] * throttle.LIMIT + [429] * (2 * throttle.LIMIT)
    assert failures_for(f"email:{holder.email}") == throttle.LIMIT
    blocked = web_client.post("/login", data={"email": holder.email, "password": holder.password, "csrf_token": token})
    assert blocked.status_code == 429 and len(checked) == throttle.LIMIT


def test_a_right_password_after_a_parallel_burst_within_the_limit_signs_in(
    web_client: TestClient, make_web_user: Callable[..., WebUser], monkeypatch: pytest.MonkeyPatch
) -> None:
    holder = make_web_user()
    token = csrf_of(web_client.get("/login").text)
    checked = counting_password_checks(monkeypatch)
    data = {"email": holder.email, "password": "guess guess", "csrf_token": token}
    assert race(throttle.LIMIT - 1, lambda _: web_client.post("/login", data=data).status_code) == [400] * (throttle.LIMIT - 1)
    signed = web_client.post("/login", data={"email": holder.email, "password": holder.password, "csrf_token": token})
    assert signed.status_code == 303 and len(checked) == throttle.LIMIT
    # The success took back its own record and forgot the email's failures; the address keeps the failed ones only.
    assert failures_for(f"email:{holder.email}") == 0
    assert failures_for("ip:testclient") == throttle.LIMIT - 1


def test_posts_without_the_csrf_token_are_403(web_client: TestClient, make_web_user: Callable[..., WebUser]) -> None:
    holder = make_web_user()
    web_client.get("/login")
    r = web_client.post("/login", data={"email": holder.email, "password": holder.password})
    assert r.status_code == 403 and "text/html" in r.headers["content-type"]
    r = web_client.post("/login", data={"email": holder.email, "password": holder.password, "csrf_token": "forged"})
    assert r.status_code == 403
    sign_in(web_client, holder)
    assert web_client.post("/logout").status_code == 403
    assert web_client.get("/").headers["location"] == "/claims"  # still signed in
    token = csrf_of(web_client.get("/login?next=/claims", follow_redirects=True).text)
    assert web_client.post("/logout", headers={"X-CSRF-Token": token}).status_code == 303
    assert web_client.get("/").headers["location"] == "/login"


def test_changing_the_password_or_deactivating_ends_sessions(
    env: dict[str, str], make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    from ipclaims.auth import passwords
    from ipclaims.auth.service import disable_account
    from ipclaims.db import session_scope
    from ipclaims.models import Account

    first, second = make_web_user(), make_web_user()
    c1, c2 = signed_in(first), signed_in(second)
    with session_scope() as s:
        account = s.get(Account, first.id)
        assert account is not None
        passwords.set_password(s, account, "a brand new password")
        disable_account(s, second.id)
    assert c1.get("/").headers["location"] == "/login"
    assert c2.get("/").headers["location"] == "/login"


def test_pages_carry_security_headers_and_the_api_no_cookie(web_client: TestClient, make_web_user: Callable[..., WebUser]) -> None:
    r = web_client.get("/login")
    assert r.headers["content-security-policy"].startswith("default-src 'self'")
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "ipclaims_session=" in r.headers["set-cookie"]
    api = web_client.get("/api/v1/claims", headers=make_web_user().headers)
    assert api.status_code == 200 and "set-cookie" not in api.headers and "content-security-policy" not in api.headers
    css = web_client.get("/static/site.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert web_client.get("/static/htmx.min.js").status_code == 200


def test_unknown_page_is_an_html_404_and_api_keeps_problem_json(web_client: TestClient) -> None:
    r = web_client.get("/no-such-page")
    assert r.status_code == 404 and "text/html" in r.headers["content-type"] and "Page not found" in r.text
    api = web_client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.headers["content-type"].startswith("application/problem+json")


def test_a_forged_cookie_is_no_session(web_client: TestClient, make_web_user: Callable[..., WebUser]) -> None:
    holder = make_web_user()
    sign_in(web_client, holder)
    good = web_client.cookies.get("ipclaims_session")
    assert good
    web_client.cookies.clear()
    web_client.cookies.set("ipclaims_session", good[:-3] + ("abc" if not good.endswith("abc") else "xyz"))
    assert web_client.get("/").headers["location"] == "/login"
    web_client.cookies.clear()
    web_client.cookies.set("ipclaims_session", good)
    assert web_client.get("/").headers["location"] == "/claims"


def test_set_password_command_reads_stdin(
    make_web_user: Callable[..., WebUser], app: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ipclaims.cli import main

    holder = make_web_user()

    def run(stdin: str, email: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(["accounts", "set-password", "--email", email])
        out = capsys.readouterr()
        return code, out.out, out.err

    code, out, _ = run("the new password 42\n", holder.email.upper())
    assert code == 0 and "password set" in out and "the new password" not in out
    code, _, err = run("short\n", holder.email)
    assert code == 1 and "at least 10 characters" in err
    code, _, err = run("long enough password\n", "nobody@web.example")
    assert code == 1 and "no account" in err
    with TestClient(app, follow_redirects=False) as c:
        assert sign_in(c, holder).status_code == 400  # the old password no longer works
        holder.password = "the new password 42"
        assert sign_in(c, holder).status_code == 303


def test_the_cookie_is_secure_in_production(set_env: Callable[..., None], make_web_user: Callable[..., WebUser]) -> None:
    from ipclaims.main import create_app

    holder = make_web_user()
    set_env(IPCLAIMS_ENV="production", IPCLAIMS_SECRET_KEY="a-production-secret-of-our-own-0123456789")
    with TestClient(create_app(), follow_redirects=False, base_url="https://testserver") as c:
        r = sign_in(c, holder)
        assert r.status_code == 303
        cookie = next(v for k, v in r.headers.multi_items() if k == "set-cookie" and v.startswith("ipclaims_session="))
        assert "; Secure" in cookie and "HttpOnly" in cookie
