"""read_notice as a whole: regime and kind, every element of the regime judged with evidence, fields that intake
accepts as they are, explicit regime/kind, a notice of 2,000 URLs and one of the largest size read."""

from __future__ import annotations

import json

import pytest

from ipclaims.claims.schemas import ClaimIn
from ipclaims.legal import counter_element_codes, element_codes
from ipclaims.notices import Unreadable, read_notice
from ipclaims.notices.message import MAX_TEXT_CHARS
from tests.notices.synthetic import form
from tests.notices.test_takedown_elements import notice

DSA_NOTICE = """Notice under Article 16 of the Digital Services Act (Regulation (EU) 2022/2065)

I am Clara Vogt, photographer, and I hold the copyright in the photograph "Morning at Lake Constance".
The image is reproduced without my licence at https://github.com/imagehoard/gallery/blob/main/lake.jpg, which
makes the content illegal under German copyright law (UrhG § 15).

Email: clara.vogt@fotografie.example.de

I have a bona fide belief that the information and allegations in this notice are accurate and complete.

Clara Vogt
"""

SG_NOTICE = """Notice under regulation 78 of the Copyright Regulations 2021 (Singapore Copyright Act 2021)

Complainant: Lim Wei Ling, 20 Orchard Road, Singapore 238830. Telephone +65 6123 4567, email weiling@studio.example.sg.
Work: the illustrated children's book "The Kampong Cat", of which I am the author.
Infringing copy: https://github.com/scanshare/books/blob/main/kampong-cat.pdf
I require you to remove or disable access to the infringing copy.

Signed,
Lim Wei Ling
"""

TM_NOTICE = """Trademark report

Our mark "ORBITAL BREW" is registered with the USPTO, Registration No. 6,123,456, in Nice class 32 covering
goods: beers and non-alcoholic beverages.
The repository https://github.com/fakebrew/orbital-brew-shop sells counterfeit goods using the mark and misleading
buyers, likely to cause confusion.
Contact: Dana Hollis, dana@orbitalbrew.example.com, 88 Mill Street, Portland, OR 97201, USA.
I have a good faith belief that the use of the mark is not authorized by the trademark owner, its agent, or the law.
The information in this report is accurate and I am authorized to act for the owner.

Dana Hollis
"""


@pytest.mark.parametrize(
    ("text", "regime", "kind"),
    [(DSA_NOTICE, "EU_DSA", "claim"), (SG_NOTICE, "SG_CA2021", "claim"), (TM_NOTICE, "TM_POLICY", "claim")],
)
def test_regime_detection_judges_every_element_of_that_regime(text: str, regime: str, kind: str) -> None:
    reading = read_notice(text)
    assert (reading.regime, reading.kind) == (regime, kind)
    assert tuple(j.code for j in reading.judgements) == element_codes(regime)
    statuses = {j.code: j.status for j in reading.judgements}
    assert set(statuses.values()) == {"present"}, statuses
    for judgement in reading.judgements:
        if judgement.status == "present":
            assert judgement.evidence, judgement.code


def test_dsa_without_email_is_a_deficient_identity() -> None:
    text = DSA_NOTICE.replace("Email: clara.vogt@fotografie.example.de\n", "")
    assert read_notice(text).judgement("notifier_identity").status == "deficient"


def test_a_foreign_complainant_without_sg_address_for_service_is_missing() -> None:
    text = SG_NOTICE.replace("20 Orchard Road, Singapore 238830", "31 Queen Street, Auckland 1010, New Zealand")
    assert read_notice(text).judgement("sg_address_for_service").status == "missing"


def test_with_no_address_at_all_service_is_present_and_quotes_the_senders_identification() -> None:
    """DOMAIN.md §2: with no address, residence is unknown and only the identity element reports it; CONTRACT.md:
    a present element quotes what it was judged on — the sender's signing block (or first sentence), giving none."""
    text = SG_NOTICE.replace("20 Orchard Road, Singapore 238830", "")
    reading = read_notice(text, regime="SG_CA2021")
    service = reading.judgement("sg_address_for_service")
    assert service.status == "present" and service.evidence
    assert all(text[e.start : e.end] == e.quote and e.quote.strip() for e in service.evidence)
    assert reading.judgement("complainant_identity").status != "present"


def test_with_no_address_and_no_signing_block_the_evidence_is_the_opening_line_not_a_list_of_urls() -> None:
    urls = "\n".join(f"https://github.com/someone/copy-{i}" for i in range(300))
    text = f"Please remove the following copies of our photographs under the Copyright Act 2021:\n{urls}\n"
    service = read_notice(text, regime="SG_CA2021").judgement("sg_address_for_service")
    assert service.status == "present" and len(service.evidence) == 1
    quote = service.evidence[0].quote
    assert quote.startswith("Please remove") and "\n" not in quote and len(quote) <= 200


def test_unsure_texts_default_to_us_dmca() -> None:
    assert read_notice("Please remove https://github.com/a/b, it copies my code.\n\nJane Roe").regime == "US_DMCA"


def test_explicit_regime_and_kind_win() -> None:
    reading = read_notice(notice(), regime="EU_DSA")
    assert reading.regime == "EU_DSA" and [j.code for j in reading.judgements] == list(element_codes("EU_DSA"))
    reading = read_notice(notice(), kind="counter_notice")
    assert [j.code for j in reading.judgements] == list(counter_element_codes("US_DMCA"))
    with pytest.raises(ValueError):
        read_notice(notice(), regime="TM_POLICY", kind="counter_notice")
    with pytest.raises(ValueError):
        read_notice(notice(), regime="UK_CDPA")


def test_empty_text_is_unreadable() -> None:
    with pytest.raises(Unreadable):
        read_notice("  \n")


@pytest.mark.parametrize("text", [notice(), DSA_NOTICE, SG_NOTICE, TM_NOTICE])
def test_fields_are_accepted_by_intake_as_they_are(text: str) -> None:
    fields = read_notice(text).fields
    # As intake receives them: JSON over the wire.
    claim = ClaimIn.model_validate_json(json.dumps(fields))
    assert claim.items, "every reading of these notices finds the reported URL"


def test_claim_fields_carry_the_complainant_work_items_and_statements() -> None:
    fields = read_notice(notice()).fields
    assert fields["complainant"]["email"] == "rights@lanternkeep.example.com"
    assert fields["complainant"]["name"] == "Jonas Pike"
    assert fields["items"] == [{"url": "https://github.com/pirate-dev/lantern-copy/tree/main/src"}]
    assert fields["works"][0]["urls"] == ["https://lanternkeep.example.com/source"]
    assert fields["statements"]["good_faith"] is True
    assert fields["statements"]["authority_under_penalty_of_perjury"] is True
    assert fields["signature"] == {"name": "Jonas Pike"}
    deficient = read_notice(notice(accuracy="The information above is accurate and I am authorized to act for the owner.")).fields
    assert deficient["statements"]["accuracy"] is True
    assert deficient["statements"]["authority_under_penalty_of_perjury"] is False


def test_reported_urls_are_deduplicated_in_order() -> None:
    location = "Copies: https://github.com/a/one https://github.com/a/two, https://github.com/a/one and (https://github.com/a/three)."
    urls = [item["url"] for item in read_notice(notice(location=location)).fields["items"]]
    assert urls == ["https://github.com/a/one", "https://github.com/a/two", "https://github.com/a/three"]


def test_a_signature_date_is_read() -> None:
    fields = read_notice(notice(closing="Sincerely,\nJonas Pike\nDate: March 3, 2026")).fields
    assert fields["signature"] == {"name": "Jonas Pike", "date": "2026-03-03"}


def test_a_notice_of_two_thousand_urls_reads_every_url() -> None:
    urls = [f"https://github.com/mirror-{i // 50}/pack-{i}/blob/main/file{i}.txt" for i in range(2000)]
    reading = read_notice(notice(location="Infringing copies:\n" + "\n".join(urls)))
    assert [item["url"] for item in reading.fields["items"]] == urls
    assert reading.judgement("material_location").status == "present"


def test_a_notice_of_the_largest_size_is_read_as_its_copies_are() -> None:
    # The web form repeated to MAX_TEXT_CHARS, ten reported URLs an answer: thousands of answers, URLs and statements,
    # the shape whose URLs were once looked up in every answer. Every copy's URLs are read, and the rest as one copy's.
    def copy(i: int) -> tuple[str, list[str]]:
        urls = [f"https://github.com/mirror-{i}/pack-{j}/blob/main/src/game/images/app.js" for j in range(10)]
        return form(f"Our game Lantern Keep, sold at https://lanternkeep.example.com/store/{i}", "\n".join(urls)) + "\n", urls

    copies: list[tuple[str, list[str]]] = []
    length = 0
    while True:
        following = copy(len(copies))
        if length + len(following[0]) > MAX_TEXT_CHARS:
            break
        copies.append(following)
        length += len(following[0])
    text = "".join(text for text, _ in copies)
    assert len(copies) > 1000 and len(text) > MAX_TEXT_CHARS - 2000

    reading, one = read_notice(text), read_notice(copies[0][0])
    assert [item["url"] for item in reading.fields["items"]] == [url for _, urls in copies for url in urls]
    assert reading.fields["works"][0]["urls"] == [f"https://lanternkeep.example.com/store/{i}" for i in range(len(copies))]
    assert [(j.code, j.status) for j in reading.judgements] == [(j.code, j.status) for j in one.judgements]
    assert all(j.status == "present" for j in one.judgements)
    rest = {k: v for k, v in reading.fields.items() if k not in ("items", "works")}
    assert rest == {k: v for k, v in one.fields.items() if k not in ("items", "works")}
