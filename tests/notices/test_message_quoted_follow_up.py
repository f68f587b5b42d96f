"""Review fix (issue 20): a follow-up written above the notice it asks about ("did you receive my notice?" over the
whole notice quoted in `>` lines) reads the quoted notice, its `>` taken off, from an .eml and from plain text; the
reading's spans index the text parse_message returns. A reply with a notice of its own keeps its own text."""

from __future__ import annotations

import pytest

from ipclaims.notices import parse_message, read_notice
from tests.notices.synthetic import GOOD_FAITH, SWORN

NOTICE = (
    "Hello,\n\n"
    'I am the author of the game "Lantern Keep". My source code was copied without my permission to '
    "https://github.com/copycat-dev/lantern-keep.\n\n"
    f"{GOOD_FAITH}\n{SWORN}\n\nMira Holt\nmira@holt.example\n"
)
QUOTED = "\n".join(f"> {line}" if line else ">" for line in NOTICE.splitlines())
FOLLOW_UP = (
    "Hello again, did you receive my notice? I sent it two weeks ago and have heard nothing back.\n\nMira\n\n"
    f"On Mon, 2 Mar 2026 at 10:00, Mira Holt <mira@holt.example> wrote:\n{QUOTED}\n"
)


def _eml(body: str) -> bytes:
    head = (
        "From: Mira Holt <mira@holt.example>\nTo: dmca@platform.example\nSubject: Re: DMCA notice\nDate: Mon, 9 Mar 2026 10:00:00 +0000\n\n"
    )
    return (head + body).replace("\n", "\r\n").encode()


@pytest.mark.parametrize("raw", [_eml(FOLLOW_UP), FOLLOW_UP.encode()], ids=["eml", "plain"])
def test_a_follow_up_above_the_quoted_notice_reads_the_notice(raw: bytes) -> None:
    message = parse_message(raw)
    assert message.text.startswith("Hello,\n\nI am the author")
    assert ">" not in message.text
    reading = read_notice(message.text)
    assert {j.code: j.status for j in reading.judgements} == {
        "signature": "present",
        "work_identification": "present",
        "material_location": "present",
        "contact_information": "present",
        "good_faith_statement": "present",
        "accuracy_authority_statement": "present",
    }
    for judgement in reading.judgements:  # the spans index the text as returned
        for span in judgement.evidence:
            assert message.text[span.start : span.end] == span.quote
    assert [i["url"] for i in reading.fields["items"]] == ["https://github.com/copycat-dev/lantern-keep"]


@pytest.mark.parametrize(
    "top",
    [
        # the new text is a notice of its own (a URL and the statements): the history stays out
        f"A second copy is at https://github.com/other-dev/lantern-keep.\n\n{GOOD_FAITH}\n{SWORN}\n\nMira Holt",
        # the new text names the location the quoted text does not have
        "I forgot the link last time: https://github.com/other-dev/lantern-keep. Everything else is as below.",
    ],
)
def test_a_reply_with_its_own_notice_keeps_its_own_text(top: str) -> None:
    quoted = QUOTED.replace("https://github.com/copycat-dev/lantern-keep", "our repository")
    message = parse_message(_eml(f"{top}\n\nOn Mon, 2 Mar 2026 at 10:00, Mira Holt <mira@holt.example> wrote:\n{quoted}\n"))
    assert "other-dev/lantern-keep" in message.text
    assert 'Lantern Keep". My source code' not in message.text


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


def _chain(depth: int, *, gmail_style: bool = True) -> str:
    """A thread of `depth` follow-ups over the notice, each quoting the one before, as clients quote ("> > > ..."; or
    ">>>" when a client writes its marks together)."""
    text = NOTICE
    for n in range(depth):
        attribution = f"On Mon, {n + 1} Mar 2026 at 10:00, Mira Holt <mira@holt.example> wrote:"
        quoted = _quote(text) if gmail_style else "\n".join(f">{line}" for line in text.splitlines())
        text = f"Still waiting on this, reminder {n + 1}.\n\nMira\n\n{attribution}\n{quoted}\n"
    return text


@pytest.mark.parametrize("depth", [2, 3, 20])
@pytest.mark.parametrize("gmail_style", [True, False], ids=["spaced", "packed"])
def test_a_chain_of_follow_ups_reads_the_notice_at_its_foot(depth: int, gmail_style: bool) -> None:
    """A probe sent a follow-up over a follow-up over the notice: one level of `>` came off, so the claim's work
    description was the whole quoted notice, `>` marks, attribution line and all, and the evidence sat in quoted lines."""
    message = parse_message(_eml(_chain(depth, gmail_style=gmail_style)))
    assert message.text.startswith("Hello,\n\nI am the author")
    assert ">" not in message.text
    assert "reminder" not in message.text
    work = read_notice(message.text).fields["works"][0]
    assert work["title"] == "Lantern Keep"
    assert ">" not in work["description"] and "wrote:" not in work["description"]


def test_a_follow_up_that_adds_a_location_keeps_it_at_any_depth() -> None:
    """The descent stops at the first level that is more than a note about the text under it: a location the quoted
    notice lacked, added in the middle of the thread, is that level's text, as it is at the top."""
    quoted = QUOTED.replace("https://github.com/copycat-dev/lantern-keep", "our repository")
    middle = (
        "I forgot the link last time: https://github.com/other-dev/lantern-keep. The rest is below.\n\n"
        f"On Mon, 2 Mar 2026, Mira wrote:\n{quoted}\n"
    )
    top = f"Any news?\n\nOn Tue, 3 Mar 2026, Mira wrote:\n{_quote(middle)}\n"
    message = parse_message(_eml(top))
    assert message.text.startswith("I forgot the link last time: https://github.com/other-dev/lantern-keep.")
