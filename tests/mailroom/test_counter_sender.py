"""A counter-notice's subscriber email: the address its text gives, else the message's sender (for a forwarded
counter-notice, the original's sender, as a claim's owner is chosen by it). A claim's complainant email stays what
its text gives. Messages made up here, in our own words."""

from __future__ import annotations

from email.message import EmailMessage

from fastapi.testclient import TestClient

from ipclaims.mailroom import reading
from tests.conftest import Actor

UPLOADER = "Tove Aasen <tove@fjord.example>"
DESK = "Front Desk <desk@platform.example>"


def counter_text(contact: str = "") -> str:
    return (
        "To the designated agent,\n\n"
        "My repository https://github.com/tovea/fjord-tiles was disabled. I swear, under penalty of perjury, that I have a "
        "good faith belief that the material was removed or disabled as a result of mistake or misidentification of the "
        "material to be removed or disabled.\n\n"
        "I consent to the jurisdiction of the Federal District Court for the judicial district in which my address is "
        "located, or if my address is outside of the United States, any judicial district in which the service provider "
        "may be found, and I will accept service of process from the person who provided notification or an agent of "
        "such person.\n\n"
        f"Name: Tove Aasen\nAddress: 12 Dock Street, Bergen 5003, Norway\nPhone: +47 400 55 666\n{contact}\n"
        "/s/ Tove Aasen\n"
    )


def mail(text: str, sender: str = UPLOADER, subject: str = "Counter notice") -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "agent@platform.example", subject
    msg["Date"] = "Wed, 4 Nov 2026 10:00:00 +0100"
    msg.set_content(text)
    return msg


def subscriber(raw: bytes, kind: str | None = "counter_notice") -> dict[str, object]:
    read = reading.read(reading.Source(raw, reading.RFC822, "counter.eml"), kind=kind)
    assert read.reading.kind == "counter_notice"
    found = read.reading.fields["subscriber"]
    assert isinstance(found, dict)
    return found


def test_a_counter_notice_without_an_email_in_its_text_takes_its_senders() -> None:
    assert subscriber(mail(counter_text()).as_bytes())["email"] == "tove@fjord.example"
    assert subscriber(mail(counter_text()).as_bytes(), kind=None)["email"] == "tove@fjord.example"  # read as one unasked


def test_the_email_the_text_gives_is_kept() -> None:
    found = subscriber(mail(counter_text("Email: Tove.Aasen@post.example")).as_bytes())
    assert found["email"] == "Tove.Aasen@post.example"


def test_a_forwarded_counter_notice_takes_the_originals_sender_not_the_forwarders() -> None:
    inline = mail(
        "Passing this on.\n\n---------- Forwarded message ---------\n"
        f"From: {UPLOADER}\nDate: Tue, 3 Nov 2026 16:20:00 +0000\nSubject: Counter notice\nTo: <desk@platform.example>\n\n"
        + counter_text(),
        sender=DESK,
        subject="Fwd: Counter notice",
    )
    assert subscriber(inline.as_bytes())["email"] == "tove@fjord.example"
    attached = mail("Attached as it came in.\n", sender=DESK, subject="Fwd: Counter notice")
    attached.add_attachment(mail(counter_text()))
    assert subscriber(attached.as_bytes())["email"] == "tove@fjord.example"


def test_pasted_text_without_headers_has_no_email_to_take() -> None:
    read = reading.read(reading.Source(counter_text().encode(), reading.PLAIN), kind="counter_notice")
    assert "email" not in read.reading.fields["subscriber"]


def test_a_claims_complainant_email_is_still_only_what_its_text_gives() -> None:
    claim = (
        'I own the copyright in my photograph "Fjord Light" (https://tove.example/fjord-light); a copy is shown without '
        "my permission at https://platform.example/u/copier/posts/7.\n"
        "I have a good faith belief that this use is not authorized by the copyright owner, its agent, or the law.\n"
        "I swear, under penalty of perjury, that the information in this notice is accurate and that I am the owner.\n"
        "Tove Aasen, 12 Dock Street, Bergen 5003, Norway, +47 400 55 666\n/s/ Tove Aasen\n"
    )
    read = reading.read(reading.Source(mail(claim).as_bytes(), reading.RFC822), kind="claim")
    assert "email" not in read.reading.fields["complainant"]  # the sender chooses the owner instead
    assert read.sender == "tove@fjord.example"


def test_parse_answers_the_senders_email_and_checks_the_fields_with_it(client: TestClient, specialist: Actor) -> None:
    # Singapore's reg 80(4)(c) asks for an email: the sender's, read into the fields, is what intake's check sees.
    raw = mail(counter_text()).as_bytes()
    r = client.post(
        "/api/v1/notices/parse",
        headers=specialist.headers,
        files={"file": ("counter.eml", raw, "message/rfc822")},
        data={"regime": "SG_CA2021", "kind": "counter_notice"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["regime"], body["kind"]) == ("SG_CA2021", "counter_notice")
    assert body["fields"]["subscriber"]["email"] == "tove@fjord.example"
    assert body["fields"]["subscriber"]["address"]["country"] == "NO"
    checked = {e["code"]: e["status"] for e in body["intake_completeness"]["elements"]}
    assert checked["subscriber_contact"] == "present", body["intake_completeness"]
