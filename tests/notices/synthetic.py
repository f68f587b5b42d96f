"""Short synthetic notices of our own for the reader's table tests (the fifth and sixth rounds'): the statutory
statements, the web form around an answer on the work, a letter around a body and a closing, and a judgement with its
evidence checked against the text it quotes."""

from __future__ import annotations

from ipclaims.notices import read_notice

GOOD_FAITH = "I have a good faith belief that this use is not authorized by the copyright owner, its agent, or the law."
SWORN = "I swear, under penalty of perjury, that the information in this notice is accurate and that I am authorized to act for the owner."
FORM_TAIL = (
    "**I have a good faith belief that use of the copyrighted materials described above on the infringing web pages "
    "is not authorized by the copyright owner, or its agent, or the law.**\n\n"
    "**I swear, under penalty of perjury, that the information in this notification is accurate and that I am the "
    "copyright owner, or am authorized to act on behalf of the owner, of an exclusive right that is allegedly infringed.**"
    "\n\n**So that we can get back to you, please provide either your telephone number or physical address.**\n\n"
    "[private]\n\n**Please type your full legal name below to sign this request.**\n\n[private]\n"
)


def form(original: str, reported: str, extra: str = "") -> str:
    return (
        "**Are you the copyright holder or authorized to act on the copyright owner's behalf?**\n\nYes.\n\n"
        "**Please provide a detailed description of the original copyrighted work that has allegedly been infringed. "
        f"If possible, include a URL to where it is posted online.**\n\n{original}\n\n"
        "**What files should be taken down? Please provide URLs for each file, or if the entire repository, the "
        f"repository's URL.**\n\n{reported}\n\n{extra}{FORM_TAIL}"
    )


def letter(body: str, closing: str) -> str:
    return f"Hello,\n\n{body}\n\n{GOOD_FAITH}\n\n{SWORN}\n\n{closing}\n"


def judged(text: str, code: str) -> tuple[str, str]:
    reading = read_notice(text, kind="claim")
    judgement = reading.judgement(code)
    for span in judgement.evidence:
        assert reading.text[span.start : span.end] == span.quote
    return judgement.status, " | ".join(span.quote for span in judgement.evidence)
