"""`url_key`: the one way the reader compares URLs (the work list and the field extractor used two copies)."""

from __future__ import annotations

import pytest

from ipclaims.notices import extract, worklist
from ipclaims.notices.text import url_key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://www.Example.com/Photos/Harbour/", "http://example.com/photos/harbour"),
        ("  https://github.com/Owner/Repo ", "github.com/owner/repo"),
    ],
)
def test_same_url_same_key(a: str, b: str) -> None:
    assert url_key(a) == url_key(b)


def test_different_paths_differ() -> None:
    assert url_key("https://example.com/a") != url_key("https://example.com/b")


def test_one_definition() -> None:
    assert extract.url_key is url_key
    assert worklist.url_key is url_key
