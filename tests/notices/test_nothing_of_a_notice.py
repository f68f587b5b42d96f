"""`nothing_of_a_notice`: spam sent to the designated agent holds nothing of a notice; a real notice, however little
it holds, does (bench/notices_nonotice.py: no labelled github/dmca notice is refused)."""

from __future__ import annotations

import pytest

from ipclaims.notices import nothing_of_a_notice, read_notice

SPAM = "Buy replica watches at 90% off, this week only!\nShop now: https://deals.spammy.example/watches/replica?ref=1\n"


@pytest.mark.parametrize("hosts", [frozenset(), frozenset({"platform.example"})])
def test_spam_holds_nothing_of_a_notice(hosts: frozenset[str]) -> None:
    why = nothing_of_a_notice(read_notice(SPAM, platform_hosts=hosts), "Best prices", hosts)
    assert why == (
        "nothing of a notice: no element of a US_DMCA notice (only 1 link(s) off the platform), no reported URL on the "
        "platform and no word of a complaint about rights"
    )


def test_a_text_without_a_link_or_a_word_of_a_notice_holds_nothing() -> None:
    why = nothing_of_a_notice(read_notice("Hello, is anyone there?"), None, frozenset())
    assert why is not None and "only" not in why


@pytest.mark.parametrize(
    ("text", "subject", "hosts"),
    [
        ("please take down https://github.com/x/y, it is my code", None, frozenset()),
        ("https://platform.example/u/copycat/posts/1001", None, frozenset({"platform.example"})),
        ("See https://github.com/copycat/harbour", None, frozenset()),  # on the platform: the letters ask the rest
        ("Someone copied my photo: https://elsewhere.example/p/1", None, frozenset({"platform.example"})),
        ("https://elsewhere.example/p/1", "DMCA takedown", frozenset()),  # the subject says what it is
        ("Please remove the video at https://videos.example/v/1", None, frozenset()),
        ("I own the trademark ACME and this shop sells counterfeits: https://shop.example/acme", None, frozenset()),
        ("Hello,\nplease look into this account.\n\nDana Reyes\n12 Pier Road, Portland, ME 04101", None, frozenset()),
        # hosts not configured: an unknown platform's URL, and the words of a theft (review)
        ("Someone stole my picture and put it on your site: https://pics.example/u/bob/1", None, frozenset()),
    ],
)
def test_a_real_notice_however_incomplete_holds_something(text: str, subject: str | None, hosts: frozenset[str]) -> None:
    assert nothing_of_a_notice(read_notice(text, platform_hosts=hosts), subject, hosts) is None
