"""Table tests for notices as a probe pasted them, in short synthetic texts of our own: a telephone number that ends a
sentence, a pasted Subject line that names the regime, a pasted HTML document, the notice's own statements written as
a quoted block, a heading line above a URL list and a town followed by a sentence, and a signer's name in Markdown
code marks. Each new reading stands beside the ordinary notice it must not catch."""

from __future__ import annotations

import pytest

from ipclaims.notices import parse_message, read_notice
from tests.notices.synthetic import letter

WORK = "My photograph Harbour at Dawn is published at https://dawnlight.example/harbour and copied at https://platform.example/p/88."
CLOSE = "Regards,\nNoor Haddad"

PHONES = [
    # a full stop or comma after the last digit group ends the number; it does not drop the group
    ("You can reach me by phone +1 310 555 0199.", "+1 310 555 0199"),
    ("Call +44 20 7946 0958. Thanks", "+44 20 7946 0958"),
    ("My number is 0171 555 0100.", "0171 555 0100"),
    ("Phone +351 21 555 0100.", "+351 21 555 0100"),
    ("Phone +351 21 555 0100, any day.", "+351 21 555 0100"),
    ("Phone: 030-555-0147.", "030-555-0147"),
    # the bracket that closes an aside around the number is not part of it
    ("Write to me (or call +1 310 555 0199).", "+1 310 555 0199"),
    # without the full stop, as before
    ("You can reach me by phone +1 310 555 0199", "+1 310 555 0199"),
    ("Phone +351 21 555 0100 any day", "+351 21 555 0100"),
]


@pytest.mark.parametrize(("line", "phone"), PHONES)
def test_a_full_stop_after_a_telephone_number_ends_it(line: str, phone: str) -> None:
    reading = read_notice(letter(f"{WORK}\n{line}", CLOSE), kind="claim")
    assert reading.fields["complainant"].get("phone") == phone
    quotes = [span.quote for span in reading.judgement("contact_information").evidence]
    assert phone in quotes


NOT_PHONES = [
    # a dotted number that goes on after the full stop is still no telephone number
    "Version 2.10.4.1200.5 of the tool is attached.",
    "The build 1 310 555.0199x was tagged.",
    # what a full stop no longer cuts short must still be no telephone number
    "The page is served from the address 192.30.252.153.",
    "It copies our form CG 00 01 10 01.",
    "The paths were right at the time of writing (15/07/2014).",
]


@pytest.mark.parametrize("line", NOT_PHONES)
def test_a_number_that_goes_on_after_its_full_stop_is_no_telephone(line: str) -> None:
    reading = read_notice(letter(f"{WORK}\n{line}", CLOSE), kind="claim")
    assert "phone" not in reading.fields["complainant"]


# --- a Subject that names the regime -----------------------------------------------------------------------------

EU_BODY = (
    "Sehr geehrte Damen und Herren,\n\nmein Foto Hafen im Morgenlicht (https://dawnlight.example/hafen) wird ohne Lizenz "
    "unter https://platform.example/p/88 gezeigt, was mein Urheberrecht verletzt.\n\n"
    "Ich bestätige in gutem Glauben, dass die Angaben in dieser Meldung richtig und vollständig sind.\n\n"
    "Mit freundlichen Grüßen,\nNoor Haddad\nnoor@dawnlight.example\n"
)
EU_SUBJECTS = ["Meldung nach Art. 16 DSA", "Notice under Article 16 DSA", "Fwd: Notice under the Digital Services Act"]


@pytest.mark.parametrize("subject", EU_SUBJECTS)
def test_a_messages_subject_counts_towards_the_regime(subject: str) -> None:
    assert read_notice(EU_BODY).regime == "US_DMCA"  # the body alone names no regime
    assert read_notice(f"{subject}\n\n{EU_BODY}").regime == "EU_DSA"  # the same words as its first line
    pasted = f"From: noor@dawnlight.example\nSubject: {subject}\n\n{EU_BODY}".encode()
    message = parse_message(pasted, as_text=True)
    assert message.subject == subject and subject not in message.text
    assert read_notice(message.text, subject=message.subject).regime == "EU_DSA"


def test_a_subject_does_not_outweigh_the_words_of_a_512_notice() -> None:
    text = letter(WORK, CLOSE)
    assert read_notice(text, subject="Copyright notice (we are also a trusted flagger under the DSA)").regime == "US_DMCA"
    assert read_notice(text, subject="DMCA takedown").regime == "US_DMCA"
