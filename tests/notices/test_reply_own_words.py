"""A reply's own words (`own_words`, `parse_reply`): what its sender wrote, without our letter however a mail client
quotes it — our letter's words are no statement of the notifier's."""

from __future__ import annotations

import pytest

from ipclaims.notices import parse_reply, read_notice
from ipclaims.notices.own_words import own_words

LETTER = (
    "Your notice IPC-2026-000001 cannot be acted on yet. The following elements are missing or incomplete:\n"
    "\n"
    "- good_faith_statement (missing) — 17 U.S.C. § 512(c)(3)(A)(v)\n"
    "  The statement that you have a good-faith belief that the use is not authorised by the owner, its agent or the\n"
    "  law is not made. Confirm it (statements.good_faith = true).\n"
    "\n"
    "- signature (missing) — 17 U.S.C. § 512(c)(3)(A)(i)\n"
    "  The notice is not signed. Sign with the full name of a person authorised to act (a typed “/s/ Full Name” is an\n"
    "  electronic signature).\n"
)
HEAD = (
    "From: Copyright Agent <agent@platform.example>\nSent: Tuesday, December 1, 2026 4:00 PM\nTo: dana@lumen.example\n"
    "Subject: [IPC-2026-000001] Information needed\n"
)


def _rewrapped(text: str, width: int) -> str:
    """The letter as a client re-wraps it (words kept, lines broken anew)."""
    out, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*out, line])


SHAPES = {
    "gt": "Thanks, noted.\n\nOn Tue, Dec 1, 2026 at 4:00 PM Agent <agent@platform.example> wrote:\n"
    + "\n".join(f"> {line}" for line in LETTER.splitlines()),
    "gt-nested-rewrapped": "Thanks, noted.\n\n" + "\n".join(f">> {line}" for line in _rewrapped(LETTER, 60).splitlines()),
    "outlook": f"Thanks, noted.\n\n________________________________\n{HEAD}\n{LETTER}",
    "original-message": f"Thanks, noted.\n\n-----Original Message-----\n{HEAD}\n{LETTER}",
    "bare-block": f"Thanks, noted.\n\n{HEAD}\n{LETTER}",
    "german-outlook": "Danke.\n\nVon: agent@platform.example\nGesendet: Dienstag, 1. Dezember 2026 16:00\nAn: dana@lumen.example\n"
    f"Betreff: [IPC-2026-000001] Information needed\n\n{LETTER}",
    "unmarked-under-intro": f"Thanks, noted.\n\nOn Tue, Dec 1, 2026, Agent wrote:\n{LETTER}",
    "pasted": f"Thanks, noted.\n\n{LETTER}",
    "pasted-rewrapped": f"Thanks, noted.\n\n{_rewrapped(LETTER, 72)}",
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_our_quoted_letter_is_not_the_senders_words(shape: str) -> None:
    own = own_words(SHAPES[shape], "RE: [IPC-2026-000001] Information needed", [LETTER])
    assert own in ("Thanks, noted.", "Danke.")
    reading = read_notice(own, regime="US_DMCA", kind="claim")
    assert {j.code: j.status for j in reading.judgements}["good_faith_statement"] == "missing"
    assert reading.judgement("signature").status == "missing"  # "Thanks, noted." is no closing name


def test_an_answer_between_and_below_the_quoted_lines_is_kept() -> None:
    text = (
        "On Tue, Dec 1, 2026 at 4:00 PM Agent <agent@platform.example> wrote:\n"
        "> - good_faith_statement (missing) — 17 U.S.C. § 512(c)(3)(A)(v)\n"
        "I have a good faith belief that the use is not authorized by the copyright owner, its agent, or the law.\n"
        "> - signature (missing) — 17 U.S.C. § 512(c)(3)(A)(i)\n"
        "/s/ Dana Reyes\n"
    )
    own = own_words(text, "Re: [IPC-2026-000001] Information needed", [LETTER])
    assert own.splitlines() == [
        "I have a good faith belief that the use is not authorized by the copyright owner, its agent, or the law.",
        "/s/ Dana Reyes",
    ]


def test_a_statement_in_our_letters_words_but_the_senders_own_sentence_is_kept() -> None:
    mine = "I have a good-faith belief that the use is not authorised by the owner, its agent or the law."
    assert own_words(f"{mine}\n\n{SHAPES['pasted'].split(chr(10), 2)[2]}", None, [LETTER]) == mine


def test_the_senders_statement_hard_wrapped_in_our_letters_words_is_kept() -> None:
    """A plain-text client wraps the sender's own statement; its second line is word for word a piece of our letter,
    which it answers, but nothing of the letter opens before it (review)."""
    mine = "I have a good-faith belief that the use is\nnot authorised by the owner, its agent or the law.\n\n/s/ Dana Reyes"
    assert own_words(mine, "Re: [IPC-2026-000001] Information needed", [LETTER]) == mine


def test_a_forward_under_the_reply_is_the_senders_and_is_kept() -> None:
    """A "Forwarded message" block, or any From: block under a subject "Fwd:", is what the sender sends on, not the
    message answered."""
    text = (
        "Here is my notice again.\n\n---------- Forwarded message ---------\nFrom: Dana <dana@lumen.example>\n"
        "Date: Mon, 30 Nov 2026\nSubject: DMCA\n\nhttps://github.com/copycat/harbour is a copy of my photo.\n"
    )
    for subject in ("Fwd: [IPC-2026-000001] DMCA", "RE: [IPC-2026-000001] Information needed"):
        assert "https://github.com/copycat/harbour" in own_words(text, subject, [LETTER])


def test_parse_reply_reads_an_html_reply_without_its_blockquote() -> None:
    quoted = LETTER.replace("\n", "<br>\n")
    raw = (
        "From: Dana <dana@lumen.example>\nTo: agent@platform.example\nSubject: RE: [IPC-2026-000001] Information needed\n"
        "MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n"
        f"<div>Thanks, noted.</div><div class=gmail_quote>On Tue, Dec 1, 2026 Agent wrote:<br><blockquote>{quoted}</blockquote></div>\n"
    ).encode()
    message = parse_reply(raw, [LETTER])
    assert message.text == "Thanks, noted." and message.sender == "dana@lumen.example"


def test_parse_reply_of_only_our_letter_has_no_text() -> None:
    raw = f"From: dana@lumen.example\nSubject: RE: x\n\n-----Original Message-----\n{HEAD}\n{LETTER}".encode()
    assert parse_reply(raw, [LETTER]).text == ""


def test_a_text_of_header_lines_stays_linear() -> None:
    text = "From: x\n" * 100_000 + "Thanks."
    assert own_words(text, None, [LETTER]).endswith("Thanks.")
