"""The designated agent's own addresses are where a notice went, never how to reach its sender: the mailboxes the
deployment names (`agent_addresses`: IPCLAIMS_INBOX_ADDRESSES), and the message's To and Cc (`recipients`) when the
text shows the sender another address. Synthetic texts in our own words."""

from __future__ import annotations

from ipclaims.notices import parse_message, read_notice

AGENT = "takedowns@streamhall.example"

# A letter headed with the address it was sent to, the sender's own email further down.
HEADED = f"""To: Copyright Agent, {AGENT}

I hold the copyright in the song recording "Low Tide Lanterns".
It is offered for download without my permission at https://github.com/tidecopy/lanterns/blob/main/low-tide.mp3
I have a good faith belief that this use is not authorized by the copyright owner, its agent, or the law.
The information in this notice is accurate, and under penalty of perjury I am the owner of the right.
You can write to me at mira.kovac@lanternsong.example or call +44 20 7946 0321.
/s/ Mira Kovac
"""

# The same letter where the only email shown is the agent's.
ONLY_AGENT = HEADED.replace("You can write to me at mira.kovac@lanternsong.example or call +44 20 7946 0321.\n", "")


def _contact(reading: object) -> list[str]:
    return [s.quote for s in reading.judgement("contact_information").evidence]  # type: ignore[attr-defined]


def test_the_agents_own_mailbox_is_never_the_senders_contact() -> None:
    before = read_notice(HEADED)
    assert before.fields["complainant"]["email"] == AGENT  # read without knowing the agent's address: the first email
    read = read_notice(HEADED, agent_addresses=[AGENT.upper()])
    assert read.fields["complainant"]["email"] == "mira.kovac@lanternsong.example"
    assert AGENT not in _contact(read) and "mira.kovac@lanternsong.example" in _contact(read)

    alone = read_notice(ONLY_AGENT, agent_addresses=[AGENT])
    assert "email" not in alone.fields.get("complainant", {})
    assert alone.judgement("contact_information").status == "missing"  # the agent's address was its only channel


def test_a_recipient_is_not_the_senders_contact_when_the_text_gives_another() -> None:
    read = read_notice(HEADED, recipients=[AGENT])
    assert read.fields["complainant"]["email"] == "mira.kovac@lanternsong.example"
    assert AGENT not in _contact(read)
    # With no other address in the text, a recipient may be the sender's own (a colleague or counsel copied): kept.
    alone = read_notice(ONLY_AGENT, recipients=[AGENT])
    assert alone.fields["complainant"]["email"] == AGENT


def test_a_message_says_where_it_went_without_the_senders_own_address() -> None:
    raw = (
        "From: Mira Kovac <Mira.Kovac@lanternsong.example>\n"
        f"To: Streamhall Agent <{AGENT}>, legal@streamhall.example\n"
        "Cc: mira.kovac@lanternsong.example\n"
        "Subject: Notice\n\n" + HEADED
    ).encode()
    message = parse_message(raw)
    assert message.recipients == (AGENT, "legal@streamhall.example")


def test_a_forwarded_notice_says_where_the_original_and_the_forward_went() -> None:
    inline = (
        "From: Front Desk <desk@streamhall.example>\n"
        "To: intake@streamhall.example\n"
        "Subject: Fwd: notice\n\n"
        "Passing this on.\n\n"
        "---------- Forwarded message ---------\n"
        "From: Mira Kovac <mira.kovac@lanternsong.example>\n"
        "Date: Tue, 1 Dec 2026 10:00:00 +0000\n"
        "Subject: Notice\n"
        f"To: <{AGENT}>\n\n" + HEADED
    ).encode()
    message = parse_message(inline)
    assert message.sender == "mira.kovac@lanternsong.example"
    assert set(message.recipients) == {AGENT, "intake@streamhall.example"}
    # Pasted without the forward's own headers: the block's To alone.
    pasted = inline.split(b"Passing this on.\n\n", 1)[1]
    assert parse_message(pasted).recipients == (AGENT,)
    read = read_notice(parse_message(pasted).text, recipients=parse_message(pasted).recipients)
    assert read.fields["complainant"]["email"] == "mira.kovac@lanternsong.example"


def test_an_unparsable_address_header_does_not_refuse_the_notice() -> None:
    raw = ('From: Mira Kovac <mira.kovac@lanternsong.example>\nTo: "unterminated <\nSubject: Notice\n\n' + HEADED).encode()
    message = parse_message(raw)
    assert "Low Tide Lanterns" in message.text
