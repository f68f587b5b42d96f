"""Whether bytes are a mail message is told by their whole header block: relayed mail (Gmail, Microsoft 365) carries
kilobytes of folded Received / ARC / DKIM / Authentication-Results headers before its From and Subject. Text given as
text whose opening lines are a memo's ("To: Designated Agent", a From of a name, an address and a phone) is a letter:
those lines stay in its text. Messages and texts made up here, in our own words."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ipclaims.legal import element_codes
from ipclaims.notices import parse_message, read_notice
from ipclaims.notices.mailhead import HEADER_BYTES

BODY = (
    'I own the copyright in the photograph "Lantern Market at Dusk" (https://natarajanphoto.example/lantern-market).\n'
    "A copy is displayed without my permission at https://platform.example/u/borrower/posts/77\n"
    "I have a good faith belief that use of the material in the manner complained of is not authorized by the "
    "copyright owner, its agent, or the law.\n"
    "I swear, under penalty of perjury, that the information in this notification is accurate and that I am "
    "the owner of the exclusive right that is allegedly infringed.\n"
)
SIGNED = BODY + "Priya Natarajan, 40 Marsh Lane, Springfield, IL 62701, +1 415 555 0188\n/s/ Priya Natarajan\n"
MEMO = (
    "To: Designated Agent\n"
    "From: Priya Natarajan, 40 Marsh Lane, Springfield, IL 62701, +1 415 555 0188\n"
    "Date: 3 December 2026\n"
    "Re: Copyright infringement\n"
    "\n" + BODY + "/s/ Priya Natarajan\n"
)


def _folded(name: str, size: int, seed: int) -> str:
    """One header of about `size` characters, folded onto continuation lines of 76 as relays write them."""
    words = [f"{name}:"] + [f"k{seed}x{i}=AbCdEfGhIjKlMnOpQrStUvWxYz{i:04d};" for i in range(size // 40)]
    lines, line = [], ""
    for word in words:
        if line and len(line) + len(word) > 75:
            lines.append(line)
            line = "\t" + word
        else:
            line = f"{line} {word}" if line else word
    return "\r\n".join([*lines, line]) + "\r\n"


def relay_headers(size: int) -> str:
    """Received, ARC-Seal, ARC-Message-Signature, ARC-Authentication-Results, DKIM-Signature and
    Authentication-Results headers of about `size` characters in all, before the message's own."""
    names = ["Received", "ARC-Seal", "ARC-Message-Signature", "ARC-Authentication-Results", "DKIM-Signature", "Authentication-Results"]
    out, seed = "Return-Path: <priya@natarajanphoto.example>\r\nDelivered-To: dmca@platform.example\r\n", 0
    while len(out) < size:
        name = names[seed % len(names)]
        out += _folded(name, 700, seed)
        seed += 1
    return out


def relayed(size: int) -> bytes:
    """A complete notice, multipart/alternative, behind `size` characters of relay headers."""
    html = BODY.replace("\n", "<br>\n") + "Priya Natarajan, 40 Marsh Lane, Springfield, IL 62701, +1 415 555 0188<br>\n/s/ Priya Natarajan"
    own = (
        "From: Priya Natarajan <priya@natarajanphoto.example>\r\n"
        "To: dmca@platform.example\r\n"
        "Subject: Copyright infringement: Lantern Market at Dusk\r\n"
        "Date: Thu, 3 Dec 2026 09:15:00 +0000\r\n"
        "Message-ID: <lantern-77@natarajanphoto.example>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/alternative; boundary="lantern"\r\n'
    )
    plain = 'Content-Type: text/plain; charset="UTF-8"\r\n\r\n' + SIGNED.replace("\n", "\r\n")
    rich = 'Content-Type: text/html; charset="UTF-8"\r\n\r\n<html><body>' + html + "</body></html>\r\n"
    return f"{relay_headers(size)}{own}\r\n--lantern\r\n{plain}--lantern\r\n{rich}--lantern--\r\n".encode()


@pytest.mark.parametrize("size", [1000, 4700, 9000, 30_000])
def test_relay_headers_of_any_common_length_are_a_message(size: int) -> None:
    raw = relayed(size)
    assert raw.index(b"\r\nFrom:") > min(size, 4096) - 100
    for as_text in (False, True):  # an .eml, or the same message pasted (its Received lines make it one)
        msg = parse_message(raw, as_text=as_text)
        assert msg.sender == "priya@natarajanphoto.example" and msg.sender_name == "Priya Natarajan"
        assert msg.subject == "Copyright infringement: Lantern Market at Dusk"
        assert msg.message_id == "<lantern-77@natarajanphoto.example>"
        assert msg.date == datetime(2026, 12, 3, 9, 15, tzinfo=UTC)
        assert "ARC-Seal" not in msg.text and "Content-Type" not in msg.text and "--lantern" not in msg.text
        assert {j.code: j.status for j in read_notice(msg.text).judgements} == dict.fromkeys(element_codes("US_DMCA"), "present")


def test_a_header_block_longer_than_the_inboxs_header_limit_is_told_by_what_is_within_it() -> None:
    raw = relayed(HEADER_BYTES + 2000)
    assert raw.index(b"\r\nFrom:") > HEADER_BYTES
    assert parse_message(raw).sender == "priya@natarajanphoto.example"  # its first 64 KiB are trace headers


@pytest.mark.parametrize(
    "text",
    [
        # "Word: value" lines that are no mail headers, however many before the first blank line.
        "".join(f"Item {i}: https://platform.example/u/borrower/posts/{i}\n" for i in range(1500)) + "\n" + SIGNED,
        "Title: Lantern Market at Dusk\nOwner: Priya Natarajan\nURL: https://platform.example/u/borrower/posts/77\n\n" + SIGNED,
        # A long run of such lines, then mail-like lines further down: not a header block.
        "".join(f"Note {i}: the copy at https://platform.example/u/borrower/posts/{i} is mine\n" for i in range(200))
        + "Plain sentence with no colon ahead of the rest\nFrom: someone@else.example\nTo: dmca@platform.example\n\n"
        + SIGNED,
    ],
    ids=["many-items", "labelled-lines", "mail-lines-after-prose"],
)
def test_text_that_only_starts_with_labelled_lines_is_no_message(text: str) -> None:
    for as_text in (False, True):
        msg = parse_message(text.encode(), as_text=as_text)
        assert msg.sender is None and msg.subject is None and msg.message_id is None
        assert msg.text.startswith(text.split("\n", 1)[0])


def test_a_pasted_memo_keeps_its_lines_as_the_letters_text() -> None:
    msg = parse_message(MEMO.encode(), as_text=True)
    assert msg.text.startswith("To: Designated Agent\nFrom: Priya Natarajan, 40 Marsh Lane")
    assert (msg.sender, msg.sender_name, msg.subject, msg.message_id, msg.date) == (None, None, None, None, None)
    judgement = read_notice(msg.text).judgement("contact_information")
    assert judgement.status == "present"
    assert any("+1 415 555 0188" in span.quote or "40 Marsh Lane" in span.quote for span in judgement.evidence)


@pytest.mark.parametrize(
    "head",
    [
        "From: Priya Natarajan <priya@natarajanphoto.example>\nTo: Designated Agent\nSubject: Copyright infringement\n",
        "From: priya@natarajanphoto.example\nDate: Thu, 3 Dec 2026 09:15:00 +0000\n",
        "To: dmca@platform.example\nSubject: Copyright infringement\n",
        "From: Priya Natarajan\nSubject: Copyright infringement\nMessage-ID: <lantern-78@natarajanphoto.example>\n",
        "Subject: Copyright infringement\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n",
    ],
    ids=["from-address", "bare-address", "to-address-no-from", "message-id", "mime"],
)
def test_pasted_text_with_mail_headers_is_still_a_message(head: str) -> None:
    msg = parse_message((head + "\n" + SIGNED).encode(), as_text=True)
    assert msg.text.startswith("I own the copyright")
    assert msg.subject or msg.sender


def test_a_memo_in_an_eml_file_is_a_message_as_declared() -> None:
    # An .eml (or SMTP) is a message by what it is: its first lines are its headers, however they are filled in.
    msg = parse_message(MEMO.encode())
    assert msg.text.startswith("I own the copyright")


def test_a_pasted_letter_opening_with_from_is_no_mbox_line() -> None:
    text = "From the desk of Priya Natarajan\nTo: Designated Agent\nDate: 3 December 2026\n\n" + SIGNED
    assert parse_message(text.encode(), as_text=True).text.startswith("From the desk of Priya Natarajan\n")
    mbox = "From priya@natarajanphoto.example Thu Dec  3 09:15:00 2026\n" + relayed(0).decode()
    assert parse_message(mbox.encode(), as_text=True).sender == "priya@natarajanphoto.example"
