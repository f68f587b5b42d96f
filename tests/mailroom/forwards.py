"""Notices as they reach the agent twice: the message itself, and a colleague's forward of it — attached (a
`message/rfc822` part, Gmail's and Thunderbird's "forward as attachment") or inline (the "Forwarded message" block
with the original's headers, as Gmail prints it)."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage

from tests.mailroom.helpers import notice_text

SENDER = "dana.reyes@lumenphoto.example"
AGENT = "copyright-agent@platform.example"
MESSAGE_ID = "<notice-1@lumenphoto.example>"
DATE = "Tue, 01 Dec 2026 09:30:00 -0500"  # 14:30 UTC
SUBJECT = "Notice of infringement"


def body(url: str = "https://platform.example/u/copycat/posts/1001", sender: str = SENDER) -> str:
    return notice_text(sender, url).split("\n\n", 1)[1]


def notice(
    *, message_id: str | None = MESSAGE_ID, sender: str = SENDER, date: str = DATE, text: str | None = None, multipart: bool = True
) -> bytes:
    """The notice as the rights holder's client sends it: text and HTML alternatives, each base64 (so its bytes say
    nothing a forward's text could be compared with), or one plain part."""
    msg = EmailMessage()
    msg["From"] = f"Dana Reyes <{sender}>"
    msg["To"] = AGENT
    msg["Subject"] = SUBJECT
    msg["Date"] = date
    if message_id is not None:
        msg["Message-ID"] = message_id
    words = text if text is not None else body(sender=sender)
    msg.set_content(words, cte="base64" if multipart else "7bit")
    if multipart:
        html = "".join(f"<p>{line}</p>" for line in words.splitlines())
        msg.add_alternative(f"<html><body>{html}</body></html>", subtype="html", cte="base64")
        msg.set_boundary("==notice-1==")  # the same bytes each time, as the notice is one message
    return msg.as_bytes()


def attached(
    original: bytes, *, by: str = "sam@trust.example", note: str = "Forwarding this notice that landed in the general inbox."
) -> bytes:
    """A colleague's forward with the notice attached as it came (`message/rfc822`), under a note of their own."""
    fw = EmailMessage()
    fw["From"] = f"Colleague <{by}>"
    fw["To"] = AGENT
    fw["Subject"] = f"Fwd: {SUBJECT}"
    fw["Date"] = "Wed, 02 Dec 2026 08:00:00 +0000"
    fw["Message-ID"] = f"<fw-{by}@trust.example>"
    fw.set_content(f"{note}\n")
    inner = message_from_bytes(original, policy=policy.default)
    assert isinstance(inner, EmailMessage)
    fw.add_attachment(inner)
    return fw.as_bytes()


def inline(
    *,
    by: str = "lee@platform.example",
    sender: str = SENDER,
    shown_date: str = "Tue, Dec 1, 2026 at 2:30 PM",  # 14:30 in the forwarder's zone (UTC, its own Date's)
    text: str | None = None,
    headers: bool = True,
) -> bytes:
    """A colleague's inline forward, as Gmail writes one: a remark, the marker, the original's From/Date/Subject/To,
    its text. `headers` False: pasted as text, without the forward's own headers."""
    block = (
        "FYI, see below.\n\n"
        "---------- Forwarded message ---------\n"
        f"From: Dana Reyes <{sender}>\n"
        f"Date: {shown_date}\n"
        f"Subject: {SUBJECT}\n"
        f"To: <{AGENT}>\n\n"
        f"{text if text is not None else body(sender=sender)}"
    )
    if not headers:
        return block.encode()
    head = (
        f"From: Colleague <{by}>\nTo: {AGENT}\nSubject: Fwd: {SUBJECT}\n"
        f"Date: Wed, 02 Dec 2026 10:00:00 +0000\nMessage-ID: <fw-{by}@platform.example>\n"
        "Content-Type: text/plain; charset=utf-8\n\n"
    )
    return (head + block).encode()
