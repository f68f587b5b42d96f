"""A bulk notice of our own words: thousands of reported URLs in one message (issue 20, "parts")."""

from __future__ import annotations

from tests.mailroom.helpers import notice_text

SENDER = "dana.reyes@lumenphoto.example"
ONE_COPY = "A copy is displayed without permission at https://platform.example/u/copycat/posts/1001\n"


def bulk_urls(count: int, tag: str = "bulk") -> list[str]:
    return [f"https://platform.example/u/{tag}/posts/{n}" for n in range(count)]


def bulk_notice(count: int, *, tag: str = "bulk", message_id: str | None = None) -> str:
    """The complete US notice of `helpers.notice_text`, reporting `count` URLs (one a line, in order) instead of one."""
    text = notice_text(SENDER).replace(ONE_COPY, "Copies are displayed without permission at:\n" + "\n".join(bulk_urls(count, tag)) + "\n")
    assert "copycat" not in text
    if message_id is not None:
        text = "\n".join(f"Message-ID: {message_id}" if line.startswith("Message-ID:") else line for line in text.split("\n"))
    return text
