"""Shared bits of the mailroom tests: the fixture messages and a notice text of our own words."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def notice_text(sender: str = "dana.reyes@lumenphoto.example", url: str = "https://platform.example/u/copycat/posts/1001") -> str:
    """A complete US notice, as an email with its headers (the sender's address is in `From`)."""
    return (
        f"From: Dana Reyes <{sender}>\n"
        "Subject: Notice of infringement\n"
        "Date: Tue, 01 Dec 2026 09:30:00 -0500\n"
        f"Message-ID: <{abs(hash((sender, url)))}@mail.example>\n"
        "\n"
        'I own the copyright in the photograph "Harbour at Dawn" (https://lumenphoto.example/harbour-at-dawn).\n'
        f"A copy is displayed without permission at {url}\n"
        "I have a good faith belief that use of the material in the manner complained of is not authorized by the "
        "copyright owner, its agent, or the law.\n"
        "I swear, under penalty of perjury, that the information in this notification is accurate and that I am "
        "authorized to act on behalf of the owner of an exclusive right that is allegedly infringed.\n"
        f"Contact: Dana Reyes, 12 Pier Road, Portland, ME 04101, phone +1 207 555 0100, {sender}\n"
        "/s/ Dana Reyes\n"
    )
