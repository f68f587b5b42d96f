"""The foundation in a real browser: sign-in by keyboard, the layout's landmarks and skip link, axe on the
sign-in, claims and error pages, no console errors (a CSP violation or a blocked asset is one)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.web.browser import Live, Shots, assert_accessible, sign_in
from tests.web.conftest import WebUser


def test_sign_in_with_the_keyboard_and_every_page_passes_axe(
    page: Any, live: Live, shots: Shots, make_web_user: Callable[..., WebUser]
) -> None:
    holder = make_web_user("rights_holder", name="Aurora Studios")
    page.goto(live.url("/claims"))
    assert page.url.startswith(live.url("/login?next=/claims"))
    shots(page, "login")
    # Keyboard only: the skip link is the first stop, then the form.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.get_by_label("Email").focus()
    page.keyboard.type(holder.email)
    page.keyboard.press("Tab")
    page.keyboard.type(holder.password)
    page.keyboard.press("Enter")
    page.wait_for_url(live.url("/claims"))
    assert page.get_by_role("heading", level=1).inner_text() == "My claims"
    assert page.get_by_role("navigation", name="Main").is_visible()
    assert page.get_by_role("main").count() == 1
    shots(page, "claims-empty")
    assert not live.console_errors, live.console_errors
    page.goto(live.url("/no-such-page"))
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    assert_accessible(page)
    assert live.console_errors == ["Failed to load resource: the server responded with a status of 404 (Not Found)"]
    live.console_errors.clear()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(live.url("/login"))
    assert not live.console_errors, live.console_errors


def test_a_wrong_password_shows_an_accessible_error(page: Any, live: Live, make_web_user: Callable[..., WebUser]) -> None:
    holder = make_web_user()
    page.goto(live.url("/login"))
    page.get_by_label("Email").fill(holder.email)
    page.get_by_label("Password").fill("wrong password!")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text().startswith("That email and password do not match")
    assert page.get_by_label("Email").input_value() == holder.email
    assert_accessible(page)
    sign_in(page, live, holder.email, holder.password)
    assert page.url == live.url("/claims")
