"""Email and URL checks are remembered (legal.fields): the answer must depend on the text and the platform hosts only."""

from __future__ import annotations

import pytest

from ipclaims.legal import CheckContext, item_location
from ipclaims.legal.fields import MAX_CACHED_EMAIL, MAX_CACHED_URL, email_problem, url_problem


@pytest.mark.parametrize(
    "value",
    [
        "ada@rights.example.com",
        " ada@rights.example.com ",
        "not-an-email",
        "a@b",
        "",
        "x" * (MAX_CACHED_EMAIL + 10) + "@example.com",
        None,
        5,
    ],
)
def test_email_answers_are_the_same_asked_twice(value: object) -> None:
    first = email_problem(value)
    assert email_problem(value) == first
    if isinstance(value, str) and value.strip() == "ada@rights.example.com":
        assert first is None


def test_an_over_long_email_is_checked_without_being_remembered() -> None:
    from ipclaims.legal import fields

    before = fields._email_syntax_problem.cache_info().currsize
    assert email_problem("y" * (MAX_CACHED_EMAIL + 1) + "@example.com") is not None
    assert fields._email_syntax_problem.cache_info().currsize == before


def test_url_answers_follow_the_platform_hosts() -> None:
    url = "https://video.example.com/watch?v=1"
    anywhere, only_shop = CheckContext(), CheckContext(platform_hosts=frozenset({"shop.example.com"}))
    assert item_location(url, anywhere) == (True, "specific URL on this platform")
    locatable, detail = item_location(url, only_shop)
    assert not locatable and "not on this platform" in detail
    assert item_location(url, anywhere) == (True, "specific URL on this platform")


@pytest.mark.parametrize(
    "url",
    [
        "https://v.example/a b",
        "https://v.example/a\u00a0b",
        "https://v.example/a\u2003b",
        "https://v.example/ok",
        "https://v.example/",
        "ftp://v.example/x",
        "https://v.example/" + "p" * MAX_CACHED_URL,
        None,
        7,
    ],
)
def test_item_location_is_url_problem(url: object) -> None:
    problem = url_problem(url, CheckContext())
    assert item_location(url, CheckContext()) == ((True, "specific URL on this platform") if problem is None else (False, problem))
    if isinstance(url, str) and any(ch.isspace() for ch in url.strip()):
        assert problem == "not a URL (it contains spaces)"
