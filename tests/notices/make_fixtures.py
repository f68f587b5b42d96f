"""Writes the .eml fixtures of tests/notices (run once; the files are committed). Texts are synthetic."""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import default
from pathlib import Path

HERE = Path(__file__).parent / "fixtures"

NOTICE = """Dear Designated Agent,

I write on behalf of Bluefin Games Ltd., which owns the copyright in the game "Harbour Lights" and its source code,
published at https://bluefin.example.net/harbour-lights.

The following repository copies that source code without permission:
https://github.com/copycat/harbour-lights-leak
https://github.com/copycat/harbour-lights-leak/blob/main/src/engine.c

I have a good faith belief that use of the material in the manner complained of is not authorized by the copyright
owner, its agent, or the law.

I swear, under penalty of perjury, that the information in this notification is accurate and that I am authorized
to act on behalf of the owner of an exclusive right that is allegedly infringed.

You can reach me at legal@bluefin.example.net or +44 20 7946 0000.

Sincerely,
Marta Quill
Counsel, Bluefin Games Ltd.
"""


def message(subject: str, sender: str = "Marta Quill <legal@bluefin.example.net>") -> EmailMessage:
    msg = EmailMessage(policy=default)
    msg["From"] = sender
    msg["To"] = "dmca-agent@platform.example"
    msg["Subject"] = subject
    msg["Date"] = "Tue, 03 Nov 2026 09:15:00 +0000"
    msg["Message-ID"] = f"<{subject.replace(' ', '-').lower()}@bluefin.example.net>"
    return msg


def html_of(text: str) -> str:
    paras = "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in text.split("\n\n"))
    return f"<html><head><style>p {{color: red}}</style><script>alert('x')</script></head><body>{paras}</body></html>"


def main() -> None:
    HERE.mkdir(exist_ok=True)
    alt = message("Notice alternative")
    alt.set_content(NOTICE)
    alt.add_alternative(html_of(NOTICE), subtype="html")
    (HERE / "multipart_alternative.eml").write_bytes(alt.as_bytes())

    html = message("Notice html only")
    html.set_content(html_of(NOTICE), subtype="html")
    (HERE / "html_only.eml").write_bytes(html.as_bytes())

    qp = message("Notice quoted printable")
    qp.set_content(NOTICE.replace("Marta Quill", "Marta Quíll"), charset="iso-8859-1", cte="quoted-printable")
    (HERE / "quoted_printable.eml").write_bytes(qp.as_bytes())

    b64 = message("Notice base64")
    b64.set_content(NOTICE.replace("Marta Quill", "Marta Quill ✓"), charset="utf-8", cte="base64")
    (HERE / "base64.eml").write_bytes(b64.as_bytes())

    inner = message("Original notice", sender="Marta Quill <legal@bluefin.example.net>")
    inner.replace_header("Date", "Mon, 02 Nov 2026 17:40:00 +0000")
    inner.set_content(NOTICE)
    outer = message("Fwd: Original notice", sender="Front Desk <desk@platform.example>")
    outer.set_content("Forwarding the notice below for the agent.\n")
    outer.add_attachment(inner)
    (HERE / "forwarded_rfc822.eml").write_bytes(outer.as_bytes())

    inline = message("Fwd: notice", sender="Front Desk <desk@platform.example>")
    inline.set_content(
        "FYI, see below.\n\n---------- Forwarded message ---------\n"
        "From: Marta Quill <legal@bluefin.example.net>\nDate: Mon, 2 Nov 2026 17:40:00 +0000\n"
        "Subject: Original notice\nTo: <dmca-agent@platform.example>\n\n" + NOTICE
    )
    (HERE / "forwarded_inline.eml").write_bytes(inline.as_bytes())

    quoted = "\n".join("> " + line for line in "Earlier thread mentioning https://github.com/other/unrelated-repo .".splitlines())
    reply = message("Re: notice")
    reply.set_content(NOTICE + "\nOn Mon, 2 Nov 2026 at 10:00, Platform Agent <dmca-agent@platform.example> wrote:\n" + quoted + "\n")
    (HERE / "quoted_reply.eml").write_bytes(reply.as_bytes())


if __name__ == "__main__":
    main()
