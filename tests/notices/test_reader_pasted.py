"""Table tests for notices as a probe pasted them, in short synthetic texts of our own: a telephone number that ends a
sentence, a pasted Subject line that names the regime, a pasted HTML document, the notice's own statements written as
a quoted block, a heading line above a URL list and a town followed by a sentence, and a signer's name in Markdown
code marks. Each new reading stands beside the ordinary notice it must not catch."""

from __future__ import annotations

import contextlib
import time

import pytest

from ipclaims.notices import parse_message, read_notice
from ipclaims.notices.htmltext import html_to_text
from tests.notices.synthetic import GOOD_FAITH, SWORN, judged, letter

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


# --- a pasted HTML document ---------------------------------------------------------------------------------------

HTML_NOTICE = (
    "<html><head><style>p { margin: 0 }</style><title>Notice</title></head><body>\n"
    "<p><b>Copyright notice</b></p>\n"
    '<p>I am Noor Haddad &lt;noor@dawnlight.example&gt; and I own the photograph "Harbour at Dawn", published at '
    '<a href="https://dawnlight.example/harbour">https://dawnlight.example/harbour</a>.</p>\n'
    '<p>It is copied without licence at:<br><a href="https://platform.example/p/88">https://platform.example/p/88</a></p>\n'
    "<p>Phone +44 20 7946 0958.</p>\n"
    f"<p>{GOOD_FAITH}</p>\n<p>{SWORN}</p>\n"
    "<p>Signature: Noor Haddad</p>\n</body></html>\n"
)
PARAGRAPHS = HTML_NOTICE[HTML_NOTICE.index("<p>") : HTML_NOTICE.index("</body>")]
HTML_SHAPES = {
    "a whole document": HTML_NOTICE,
    "with a doctype": "<!DOCTYPE html>\n" + HTML_NOTICE,
    "a body only": HTML_NOTICE[HTML_NOTICE.index("<body>") : HTML_NOTICE.index("</html>")],
    "paragraphs only": PARAGRAPHS,
    "one line, as a webmail copies it": '<div dir="ltr">' + PARAGRAPHS.replace("\n", "") + "</div>",
}


@pytest.mark.parametrize("html", HTML_SHAPES.values(), ids=HTML_SHAPES.keys())
def test_a_pasted_html_document_is_read_as_its_text(html: str) -> None:
    reading = read_notice(html, kind="claim")
    assert "<" not in reading.text.replace("<noor@dawnlight.example>", "")
    assert reading.text.count("https://dawnlight.example/harbour") == 1  # the link whose words are its address: once
    assert reading.fields["complainant"]["name"] == "Noor Haddad"
    assert reading.fields["signature"]["name"] == "Noor Haddad"
    assert reading.fields["complainant"]["phone"] == "+44 20 7946 0958"
    assert [item["url"] for item in reading.fields["items"]] == ["https://platform.example/p/88"]
    for judgement in reading.judgements:
        assert judgement.status == "present", judgement
        for span in judgement.evidence:
            assert reading.text[span.start : span.end] == span.quote
            assert "<p" not in span.quote and "</" not in span.quote


PLAIN_WITH_TAGS = {
    "a script line": letter(f"{WORK}\nThe copy adds this to the page:\n<script>alert(document.cookie)</script>", CLOSE),
    "bold words": letter(f"{WORK}\nThe copy is <b>identical</b> to mine.", CLOSE),
    "opens with a bold heading": f"<b>Copyright notice</b>\n\n{letter(WORK, CLOSE)}",
    "an angle-bracketed address first": f"<https://dawnlight.example/harbour>\n\n{letter(WORK, CLOSE)}",
}


@pytest.mark.parametrize("text", PLAIN_WITH_TAGS.values(), ids=PLAIN_WITH_TAGS.keys())
def test_a_plain_notice_that_holds_a_tag_is_read_as_written(text: str) -> None:
    assert read_notice(text, kind="claim").text == text


LINKS = [
    ('<p>See <a href="https://dawnlight.example/a">https://dawnlight.example/a</a>.</p>', "See https://dawnlight.example/a ."),
    ('<p><a href="https://dawnlight.example/a"> https://dawnlight.example/a/ </a></p>', "https://dawnlight.example/a"),
    ('<p>See <a href="https://dawnlight.example/a">my page</a>.</p>', "See https://dawnlight.example/a my page."),
]


@pytest.mark.parametrize(("html", "text"), LINKS)
def test_a_link_whose_words_are_its_address_is_written_once(html: str, text: str) -> None:
    assert html_to_text(html) == text


# html.parser scanned to the end for the close of every construct left open: 30 s for 40 kB of "<a ", 14 s for 200 kB
# of "<!--" before
N = 200_000
HOSTILE_HTML = {
    "unclosed start tags": "<html>" + "<a " * (N // 3),
    "unclosed end tags": "<html>" + "</p" * (N // 3),
    "unclosed comments": "<html>" + "<!--" * (N // 4),
    "unclosed comments with a close of tag": "<html>" + "<!-- >" * (N // 6),
    "unclosed marked sections": "<html>" + "<![CDATA[ >" * (N // 11),
    "unclosed declarations": "<html>" + "<!" * (N // 2),
    "a paste of paragraphs with unclosed tags": "<p>x</p>\n" + "<p x " * (N // 5) + "</p>",
}


@pytest.mark.parametrize("html", HOSTILE_HTML.values(), ids=HOSTILE_HTML.keys())
def test_hostile_html_is_read_in_linear_time(html: str) -> None:
    started = time.perf_counter()
    html_to_text(html)
    with contextlib.suppress(ValueError):  # nothing of a notice may be left
        read_notice(html)
    assert time.perf_counter() - started < 5.0


def test_html_that_opens_a_tag_it_never_closes_keeps_its_words() -> None:
    assert html_to_text("<p>Price a <b and more</p><!-- open <p>end</p>") == "Price a <b and more\n<!-- open\nend"


# --- the notice's own statements written as a quoted block --------------------------------------------------------

OWN_QUOTE = f"> {GOOD_FAITH}\n> {SWORN}"
STATEMENTS = ("good_faith_statement", "accuracy_authority_statement")


@pytest.mark.parametrize(
    "text",
    [
        f"Hello,\n\n{WORK}\nEmail: noor@dawnlight.example\n\n{OWN_QUOTE}\n\n/s/ Noor Haddad\n",
        f"Hello,\n\n{WORK}\n\n{OWN_QUOTE}\n\nRegards,\nNoor Haddad\nnoor@dawnlight.example\n",
        f"# Notice\n\n{WORK}\n\n{OWN_QUOTE}\n>\n> Noor Haddad is authorised to act.\n\nNoor Haddad, noor@dawnlight.example\n",
    ],
)
def test_the_notices_own_quoted_block_is_read(text: str) -> None:
    message = parse_message(text.encode(), as_text=True)
    reading = read_notice(message.text, kind="claim")
    for code in STATEMENTS:
        judgement = reading.judgement(code)
        assert judgement.status == "present", judgement
        assert all(message.text[s.start : s.end] == s.quote for s in judgement.evidence)


REPLY_TOP = f"Hello,\n\n{WORK}\n\nRegards,\nNoor Haddad\nnoor@dawnlight.example\n\n"


@pytest.mark.parametrize(
    "text",
    [
        # a reply's history under its attribution, in the languages clients write it, in the middle or at the foot
        f"{REPLY_TOP}On Mon, 2 Mar 2026 at 10:00, Sam Reyes <sam@other.example> wrote:\n{OWN_QUOTE}\n",
        f"{REPLY_TOP}Am 02.03.2026 um 10:00 schrieb Sam Reyes <sam@other.example>:\n{OWN_QUOTE}\n\nNoor\n",
        f"{REPLY_TOP}Le lun. 2 mars 2026 à 10:00, Sam Reyes <sam@other.example> a écrit :\n{OWN_QUOTE}\n\nNoor\n",
        f"{REPLY_TOP}Sam Reyes wrote:\n{OWN_QUOTE}\n\nThanks again.\n",
        # quoted lines at the foot of the text, the shape of a reply's history, stay out as before
        f"{REPLY_TOP}{OWN_QUOTE}\n",
    ],
)
def test_a_replys_quoted_history_stays_out(text: str) -> None:
    message = parse_message(text.encode(), as_text=True)
    assert GOOD_FAITH not in message.text
    reading = read_notice(message.text, kind="claim")
    assert {reading.judgement(code).status for code in STATEMENTS} == {"missing"}


# --- a heading above the URL list; an address line that goes on into a sentence -----------------------------------

URL_HEADING = (
    "Hello,\n\nMy photograph Harbour at Dawn is published at https://dawnlight.example/harbour.\n\n"
    "Exact URLs:\nhttps://platform.example/p/88\nhttps://platform.example/p/89\n\n{statement}\n\nRegards,\nNoor Haddad\n"
    "noor@dawnlight.example\n"
)


def test_a_heading_that_asks_for_exact_urls_is_no_statement_of_accuracy() -> None:
    assert judged(URL_HEADING.format(statement=GOOD_FAITH), "accuracy_authority_statement") == ("missing", "")
    accurate = "I confirm that the information in this notice is accurate."
    assert judged(URL_HEADING.format(statement=f"{GOOD_FAITH}\n{accurate}"), "accuracy_authority_statement") == ("deficient", accurate)
    # "exact" that affirms the notice still counts
    exact = "The information in this notice is exact and complete."
    assert judged(URL_HEADING.format(statement=f"{GOOD_FAITH}\n{exact}"), "accuracy_authority_statement") == ("deficient", exact)


ADDRESS_LINES = [
    # the address ends where a sentence of its own begins, and the bracket around it is not the town's
    (
        "We act for the photographer Ines Varga (Nordlicht Bild GmbH, Hafenweg 3,\n20457 Hamburg). We hereby report unlawful "
        "content on your platform.",
        "20457 Hamburg",
        {"postal_code": "20457", "city": "Hamburg"},
    ),
    (
        "Address: 14 Rua das Flores, 1200-195 Lisboa, Portugal. Phone +351 21 555 0100.",
        "Address: 14 Rua das Flores, 1200-195 Lisboa, Portugal",
        {"street": "14 Rua das Flores", "city": "Lisboa", "postal_code": "1200-195", "country": "PT"},
    ),
    # a full stop inside the address does not end it
    (
        "Address: 123 Main St. Suite 400, Springfield, IL 62701",
        "Address: 123 Main St. Suite 400, Springfield, IL 62701",
        {"city": "Springfield", "region": "IL", "postal_code": "62701"},
    ),
]


@pytest.mark.parametrize(("line", "quoted", "address"), ADDRESS_LINES)
def test_an_address_ends_where_a_sentence_of_its_own_begins(line: str, quoted: str, address: dict[str, str]) -> None:
    reading = read_notice(letter(f"{WORK}\n\n{line}", CLOSE), kind="claim")
    assert quoted in [span.quote for span in reading.judgement("contact_information").evidence]
    assert address.items() <= reading.fields["complainant"]["address"].items()


LONG_ADDRESS_LINES = {
    "a place, then sentence after sentence": "Address: 12345 Hamburg. " + "We hereby report more unlawful content here. " * (N // 46),
    "asides closed, then sentences": "12345 Hamburg). " + "x) we hereby report more content. " * (N // 33),
    "a long address, then a sentence": "Address: " + "a, " * (N // 3) + "12345 Hamburg. We hereby report unlawful content.",
}


@pytest.mark.parametrize("text", LONG_ADDRESS_LINES.values(), ids=LONG_ADDRESS_LINES.keys())
def test_where_an_address_ends_is_found_in_linear_time(text: str) -> None:
    started = time.perf_counter()
    read_notice(text)
    assert time.perf_counter() - started < 5.0


# --- a signer's name in Markdown marks ----------------------------------------------------------------------------

MARKED_NAMES = [
    "`/s/ Robin Okafor-Lindqvist`",
    "/s/ `Robin Okafor-Lindqvist`",
    "**/s/ Robin Okafor-Lindqvist**",
    "Signature: `Robin Okafor-Lindqvist`",
    "Signature: *Robin Okafor-Lindqvist*",
    "Regards,\n`Robin Okafor-Lindqvist`",
    "Regards,\n_Robin Okafor-Lindqvist_",
]


@pytest.mark.parametrize("closing", MARKED_NAMES)
def test_markdown_marks_around_a_signers_name_are_not_the_name(closing: str) -> None:
    reading = read_notice(f"Hello,\n\n{WORK}\nEmail: robin@foxes.example\n\n{GOOD_FAITH}\n{SWORN}\n\n{closing}\n", kind="claim")
    assert reading.fields["signature"]["name"] == "Robin Okafor-Lindqvist"
    assert reading.fields["complainant"]["name"] == "Robin Okafor-Lindqvist"
    [span] = reading.judgement("signature").evidence
    assert span.quote.endswith("Robin Okafor-Lindqvist")
