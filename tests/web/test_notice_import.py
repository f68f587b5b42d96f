"""The staff's "import a notice" page through the TestClient (issue 20's web part): the text with each element's
evidence highlighted, corrections checked by intake and taken by the claim, the claim made through the mailroom's
own service (as `POST /api/v1/notices`), a notice's HTML shown as text, CSRF and the size limit, holders refused."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from html import unescape
from typing import Any

from fastapi.testclient import TestClient

from ipclaims.db import session_scope
from ipclaims.models import Claim, ClaimItem, ClaimWork, SourceMessage
from tests.mailroom.helpers import fixture, notice_text
from tests.web.conftest import WebUser, csrf_of

# A notice with no good-faith statement; the work's own page (on the sender's mail domain) is the work's, not reported.
NO_GOOD_FAITH = re.sub(r"I have a good faith belief.*?the law\.\n", "", notice_text(), flags=re.S)


def hidden(html: str, name: str) -> list[str]:
    return re.findall(rf'<input type="hidden" name="{name}" value="([^"]*)"', html)


def read_page(client: TestClient, text: str | None = None, **files: Any) -> Any:
    token = csrf_of(client.get("/notices/import").text)
    data = {"csrf_token": token, **({"text": text} if text is not None else {})}
    return client.post("/notices/import", data=data, files=files or {"file": ("", b"", "application/octet-stream")})


def fields_of(html: str) -> dict[str, Any]:
    """The correction form as the browser would send it: hidden fields and the inputs' values as shown."""
    data: dict[str, Any] = {"csrf_token": csrf_of(html), "raw": hidden(html, "raw")}
    for name in ("form_token", "regime", "media_type", "filename"):
        data[name] = hidden(html, name)[0]
    for name, value in re.findall(r'<input type="(?:text|email|tel|url|date)" id="[^"]+" name="([^"]+)" value="([^"]*)"', html):
        data[name] = value.replace("&#34;", '"').replace("&amp;", "&")
    for name, value in re.findall(r'<textarea id="[^"]+" name="([^"]+)"[^>]*>([^<]*)</textarea>', html):
        data[name] = value.replace("&#34;", '"').replace("&amp;", "&")
    for name, options in re.findall(r'<select id="[^"]+" name="([^"]+)"[^>]*>(.*?)</select>', html, flags=re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', options)
        data[name] = chosen.group(1) if chosen else ""
    for name in re.findall(r'<input type="checkbox" id="[^"]+" name="([^"]+)" value="true" checked', html):
        data[name] = "true"
    return data


def test_a_notice_is_read_corrected_and_made_a_claim(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    staff = signed_in(make_web_user("specialist", name="Sam Specialist"))
    assert 'href="/notices/import"' in staff.get("/queue").text  # in the staff navigation
    r = read_page(staff, NO_GOOD_FAITH)
    assert r.status_code == 200, r.text
    html = r.text
    # Good faith is missing: nothing to highlight for it; the signature is highlighted, its quote linked to it.
    assert notice_text() != NO_GOOD_FAITH
    assert re.search(r'data-element="good_faith_statement" data-status="missing"', html)
    label = r'<span id="ev-signature-0" class="ev-tag ev-tag-present">Signature: present<.*?</span>'  # the quote's anchor
    assert re.search(label + r'<mark class="ev ev-present" data-elements="signature"', html)
    assert 'href="#ev-signature-0"' in html and "/s/ Dana Reyes</mark>" in html
    assert "Incomplete as a claim" in html
    assert base64.b64decode("".join(hidden(html, "raw"))).decode() == NO_GOOD_FAITH
    form = fields_of(html)
    assert form["complainant.email"] == "dana.reyes@lumenphoto.example" and "statements.good_faith" not in form
    assert form["items"].splitlines() == ["https://platform.example/u/copycat/posts/1001"]
    assert form["works.0.urls"].splitlines() == ["https://lumenphoto.example/harbour-at-dawn"]
    address = [form[f"complainant.address.{part}"] for part in ("street", "city", "region", "postal_code", "country")]
    assert address == ["12 Pier Road", "Portland", "ME", "04101", "US"]

    # Check the corrections first: intake's check of the corrected fields says complete; nothing is stored yet.
    form["statements.good_faith"] = "true"
    form["complainant.organization"] = "Lumen Photo"
    with session_scope() as s:
        before = s.query(Claim).count()
    checked = staff.post("/notices/import/create", data=form | {"action": "check"})
    assert checked.status_code == 200, checked.text
    shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", checked.text.split("<main")[1]))
    assert "Complete as a claim" in checked.text and "Corrected: the sender&#39;s details, the statements." in checked.text, shown[:3000]
    assert re.search(r'name="statements.good_faith" value="true" checked', checked.text)
    with session_scope() as s:
        assert s.query(Claim).count() == before

    made = staff.post("/notices/import/create", data=form | {"action": "create"})
    assert made.status_code == 303, made.text
    claim_id = made.headers["location"].split("/")[2].split("?")[0]
    assert staff.post("/notices/import/create", data=form | {"action": "create"}).headers["location"] == made.headers["location"]
    page = staff.get(made.headers["location"])
    assert page.status_code == 200 and "Dana Reyes" in page.text
    with session_scope() as s:
        row = s.query(Claim).filter_by(id=claim_id).one()
        assert row.source.value == "email" and row.status.value != "needs_info"
        kept = s.query(SourceMessage).filter_by(claim_id=claim_id).one()
        assert kept.raw == NO_GOOD_FAITH.encode() and kept.channel == "web"
        assert kept.reading is not None and kept.reading["corrected_fields"] == ["complainant", "statements"]
        assert [i.url for i in s.query(ClaimItem).filter_by(claim_id=claim_id)] == ["https://platform.example/u/copycat/posts/1001"]
        # The text's own reading is kept as read: the statement was not in the text.
        assert {e["code"]: e["status"] for e in kept.reading["completeness"]["elements"]}["good_faith_statement"] == "missing"


def test_an_uploaded_eml_is_read_and_its_html_shown_as_text(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    staff = signed_in(make_web_user("legal"))
    r = read_page(staff, file=("complete.eml", fixture("complete.eml"), "message/rfc822"))
    assert r.status_code == 200, r.text
    assert hidden(r.text, "media_type") == ["message/rfc822"]
    hostile = notice_text() + '<script>alert("pwned")</script><img src=x onerror="alert(1)">\n'
    html = read_page(staff, hostile).text
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;&lt;img src=x onerror=" in html


def test_refusals_are_pages_and_csrf_and_roles_hold(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    staff = signed_in(make_web_user("specialist"))
    empty = read_page(staff, "   ")
    assert empty.status_code == 422 and "Paste the notice" in empty.text
    big = read_page(staff, "x" * 1_000_001)
    assert big.status_code in (400, 413) and "text/html" in big.headers["content-type"]
    binary = read_page(staff, file=("n.png", b"\x89PNG\r\n", "image/png"))  # a PDF is read (test_notice_import_documents)
    assert binary.status_code == 415 and "text/html" in binary.headers["content-type"]
    tampered = staff.post("/notices/import/create", data={"csrf_token": csrf_of(staff.get("/notices/import").text), "raw": "%%%"})
    assert tampered.status_code == 422 and "text/html" in tampered.headers["content-type"]
    assert staff.post("/notices/import", data={"text": notice_text()}).status_code == 403  # no CSRF token
    holder = signed_in(make_web_user("rights_holder"))
    assert holder.get("/notices/import").status_code == 403
    assert 'href="/notices/import"' not in holder.get("/claims").text


def test_a_counter_notice_is_read_but_makes_no_claim(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    from tests.notices.test_counter_elements import counter

    staff = signed_in(make_web_user("specialist"))
    r = read_page(staff, counter())
    assert r.status_code == 200, r.text
    assert "This reads as a counter-notice" in r.text and "Make the claim" not in r.text
    # No claim form: nothing to correct or make (its bytes go only to the forms that fill a claim's counter-notice form).
    assert 'action="/notices/import/create"' not in r.text
    raw = base64.b64encode(counter().encode()).decode()
    form = {"csrf_token": csrf_of(r.text), "raw": raw, "action": "create", "form_token": "counter"}
    with session_scope() as s:
        before = s.query(Claim).count()
    again = staff.post("/notices/import/create", data=form)
    assert again.status_code == 200 and "This reads as a counter-notice" in again.text
    with session_scope() as s:
        assert s.query(Claim).count() == before


# A form notice whose work answer lists two works, one a line (the reader makes a work of each).
TWO_WORKS = (
    "**Are you the copyright holder or authorized to act on the copyright owner's behalf?**\n\nYes, I am the copyright holder.\n\n"
    "**Please provide a detailed description of the original copyrighted work that has allegedly been infringed.**\n\n"
    "Two themes we sell:\nHarbor Admin Theme - https://tidewater-themes.example/harbor\n"
    "Lagoon Shop Theme - https://tidewater-themes.example/lagoon\n\n"
    "**What files should be taken down? Please provide URLs for each file, or if the entire repository, the repository's URL.**\n\n"
    "https://platform.example/u/freeloader/themes\n\n"
    "I have a good faith belief that use of the copyrighted materials described above is not authorized by the copyright owner, "
    "its agent, or the law.\n"
    "I swear, under penalty of perjury, that the information in this notification is accurate and that I am the copyright owner, "
    "or am authorized to act on behalf of the owner, of an exclusive right that is allegedly infringed.\n\n"
    "**So that we can get back to you, please provide either your telephone number or physical address.**\n\n"
    "Tidewater Themes Ltd\n9 Wharf Street\nHull HU1 1AA\n\n"
    "**Please type your full legal name below to sign this request.**\n\nMarta Lind\n"
)


def test_every_work_read_from_the_notice_can_be_corrected(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    staff = signed_in(make_web_user("specialist"))
    html = read_page(staff, TWO_WORKS).text
    form = fields_of(html)
    assert form["works.0.title"] == "Harbor Admin Theme" and form["works.1.title"] == "Lagoon Shop Theme"
    assert form["works.1.urls"] == "https://tidewater-themes.example/lagoon"
    assert "<legend>Work 2</legend>" in html

    # Correct the second work only; an input for a work the notice did not give is ignored, never a 500.
    form["works.1.title"] = "Lagoon Storefront Theme"
    form["works.1.registration_number"] = "VA 1-234-567"
    form["works.7.title"] = "smuggled"
    checked = staff.post("/notices/import/create", data=form | {"action": "check"})
    assert checked.status_code == 200 and "Corrected: the works." in checked.text
    assert 'value="Lagoon Storefront Theme"' in checked.text and "smuggled" not in checked.text
    made = staff.post("/notices/import/create", data=form | {"action": "create"})
    assert made.status_code == 303, made.text
    claim_id = made.headers["location"].split("/")[2].split("?")[0]
    with session_scope() as s:
        works = s.query(ClaimWork).filter_by(claim_id=claim_id).order_by(ClaimWork.position).all()
        assert [(w.title, w.urls, w.registration_number) for w in works] == [
            ("Harbor Admin Theme", ["https://tidewater-themes.example/harbor"], None),
            ("Lagoon Storefront Theme", ["https://tidewater-themes.example/lagoon"], "VA 1-234-567"),
        ]


def test_tampered_work_inputs_are_refused_or_ignored_never_a_500(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    staff = signed_in(make_web_user("specialist"))
    form = fields_of(read_page(staff, TWO_WORKS).text)
    for tampered in (
        {"works.1.urls": "x" * 200_000},
        {"works.1.title": ["two", "values"]},
        {"works.-1.title": "negative", "works.1e3.title": "odd", "works.01.title": "padded"},
        {"works.1.description": "\x00\ud800"[:1] + "nul"},
    ):
        r = staff.post("/notices/import/create", data=form | tampered | {"action": "check"})
        assert r.status_code in (200, 413, 422) and "text/html" in r.headers["content-type"], (tampered, r.status_code)
    no_csrf = {k: v for k, v in form.items() if k != "csrf_token"}
    assert staff.post("/notices/import/create", data=no_csrf | {"works.1.title": "x", "action": "create"}).status_code == 403


def test_correcting_one_work_keeps_every_work_of_a_long_list(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    # More works than the page shows fieldsets for (MAX_WORKS): a correction of one must not drop the rest.
    lines = "".join(f"Theme Number {i} - https://tidewater-themes.example/t{i}\n" for i in range(55))
    text = TWO_WORKS.replace(
        "Harbor Admin Theme - https://tidewater-themes.example/harbor\nLagoon Shop Theme - https://tidewater-themes.example/lagoon\n", lines
    )
    staff = signed_in(make_web_user("specialist"))
    form = fields_of(read_page(staff, text).text)
    assert form["works.1.title"] == "Theme Number 1"
    form["works.1.title"] = "Theme Number One"
    made = staff.post("/notices/import/create", data=form | {"action": "create"})
    assert made.status_code == 303, made.text
    claim_id = made.headers["location"].split("/")[2].split("?")[0]
    with session_scope() as s:
        titles = [w.title for w in s.query(ClaimWork).filter_by(claim_id=claim_id).order_by(ClaimWork.position)]
    assert len(titles) == 55 and titles[1] == "Theme Number One" and titles[54] == "Theme Number 54", titles[-3:]


# --- A user-level review of the import flow (branch fix-web) ---------------------------------------------------------

THREE_URLS = [f"https://platform.example/u/copycat/posts/100{n}" for n in (1, 2, 3)]
# The complete notice with three reported copies, one a line: the reported-URL textarea holds three lines.
THREE_COPIES = notice_text().replace(
    "A copy is displayed without permission at https://platform.example/u/copycat/posts/1001\n",
    "Copies are displayed without permission at:\n" + "".join(f"{u}\n" for u in THREE_URLS),
)


def as_browser_sends(form: dict[str, Any]) -> dict[str, Any]:
    """A browser submits a textarea's line breaks as CRLF (HTML's form-data set), whatever the page held."""
    return {k: v.replace("\n", "\r\n") if isinstance(v, str) else v for k, v in form.items()}


def shown(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html.split("<main", 1)[1])))


def test_only_the_fields_whose_values_changed_are_recorded_as_corrected(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    staff = signed_in(make_web_user("specialist"))
    form = as_browser_sends(fields_of(read_page(staff, THREE_COPIES).text))
    assert form["items"].split("\r\n") == THREE_URLS

    # Nothing edited: nothing corrected, though the browser sent the lists back with other line breaks.
    unedited = staff.post("/notices/import/create", data=form | {"action": "check"})
    assert unedited.status_code == 200 and "Corrected:" not in unedited.text, shown(unedited.text)[:400]
    # Whitespace, blank lines and the order of a list the form re-serialises are no correction either.
    reordered = {"items": f"  {THREE_URLS[2]}\r\n\r\n{THREE_URLS[0]}  \r\n{THREE_URLS[1]}\r\n", "complainant.name": " Dana  Reyes "}
    same = staff.post("/notices/import/create", data=form | reordered | {"action": "check"})
    assert same.status_code == 200 and "Corrected:" not in same.text, shown(same.text)[:400]

    edited = form | {
        "complainant.address.street": "14 Pier Road",
        "works.0.title": "Harbour at Dawn (2024)",
        "signature.name": "Dana M. Reyes",
    }
    checked = staff.post("/notices/import/create", data=edited | {"action": "check"})
    assert "Corrected: the sender's details, the signature, the works." in shown(checked.text)
    made = staff.post("/notices/import/create", data=edited | {"action": "create"})
    assert made.status_code == 303, made.text
    claim_id = made.headers["location"].split("/")[2].split("?")[0]
    with session_scope() as s:
        kept = s.query(SourceMessage).filter_by(claim_id=claim_id).one()
        assert kept.reading is not None and kept.reading["corrected_fields"] == ["complainant", "signature", "works"]
        items = s.query(ClaimItem).filter_by(claim_id=claim_id).order_by(ClaimItem.position)
        assert [i.url for i in items] == THREE_URLS  # kept as read, in the notice's order


# A trademark notice naming a registry the form's list does not offer (the reader gives JPO, CNIPA, KIPO, ...).
JPO_MARK = (
    "Subject: Trademark infringement report\n\n"
    "We own the trademark KESTREL, registered with the JPO under registration number 5123456 for clothing in Nice class 25.\n"
    "The listing https://platform.example/shop/listing/77 sells counterfeit KESTREL jackets, likely to confuse buyers.\n"
    "I have a good faith belief that the use of the mark described is not authorized by the trademark owner, its agent, or the law.\n"
    "The information in this notice is accurate and, under penalty of perjury, I am authorized to act on behalf of the owner.\n"
    "Kestrel Apparel KK, 1-2-3 Ginza, Tokyo, JP, legal@kestrel.example\n"
    "Yuki Tanaka\n"
)


def test_a_registry_read_outside_the_forms_list_is_shown_and_kept(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    user = make_web_user("specialist")
    staff = signed_in(user)
    html = read_page(staff, JPO_MARK).text
    assert re.search(r'<option value="JPO" selected>', html), "the registry as read is one of the choices, chosen"
    form = as_browser_sends(fields_of(html))
    assert form["trademark.registry"] == "JPO"
    checked = staff.post("/notices/import/create", data=form | {"action": "check"})
    assert "Corrected:" not in checked.text, shown(checked.text)[:400]
    made = staff.post("/notices/import/create", data=form | {"action": "create"})
    assert made.status_code == 303, made.text
    claim_id = made.headers["location"].split("/")[2].split("?")[0]
    claim = staff.get(f"/api/v1/claims/{claim_id}", headers=user.headers).json()
    assert claim["trademark"]["registry"] == "JPO"
    with session_scope() as s:
        reading = s.query(SourceMessage).filter_by(claim_id=claim_id).one().reading
        assert reading is not None and "corrected_fields" not in reading


HOLDER_WORDS = (
    "Your full name",
    "Type your full name to sign",
    "Your typed name is your electronic signature",
    "Tick each statement you can make truthfully",
    "A false statement can make you liable",
    "About you",
    "Your work",
    "Your trademark",
    "What you report",
    "In your own words",
    "I have a good-faith belief",
)


def test_the_staff_form_records_what_the_notice_says_and_the_holders_form_keeps_its_words(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    staff = signed_in(make_web_user("specialist"))
    for text in (notice_text(), JPO_MARK):
        html = read_page(staff, text).text
        page = shown(html)
        assert not [w for w in HOLDER_WORDS if w in page], [w for w in HOLDER_WORDS if w in page]
        assert "Signer's name as written in the notice" in page and "Statements the notice makes" in page
        # The staff member's browser must not fill in their own name, email or address as the sender's.
        assert not re.search(r'autocomplete="(?:name|email|tel|organization|street-address|postal-code|country)', html)
    holder = signed_in(make_web_user("rights_holder"))
    own = shown(holder.get("/claims/new?regime=US_DMCA&kind=copyright").text)
    for words in (
        "Your full name",
        "Type your full name to sign",
        "Tick each statement you can make truthfully",
        "I have a good-faith belief",
    ):
        assert words in own


def test_a_counter_notice_reads_as_one_and_links_the_claims_it_answers(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    from tests.notices.test_counter_elements import counter

    holder = make_web_user("rights_holder")
    staff = signed_in(make_web_user("specialist"))
    made = {}
    for url in ("https://github.com/quietfox/tilemap-tools/", "https://platform.example/unrelated/1"):
        body = {"kind": "copyright", "regime": "US_DMCA", "items": [{"url": "https://platform.example/other/9"}, {"url": url}]}
        r = staff.post("/api/v1/claims", headers=holder.headers, json=body)
        assert r.status_code == 201, r.text
        made[url] = r.json()
    answered = made["https://github.com/quietfox/tilemap-tools/"]

    html = read_page(staff, counter()).text
    page = shown(html)
    assert "counter-notice" in page
    for claim_words in (
        "Complete as a claim",
        "Incomplete as a claim",
        "Made now",
        "The claim it makes",
        "Make the claim",
        "Check my corrections",
    ):
        assert claim_words not in page, claim_words
    # The claim whose reported URL the counter-notice names (with or without its trailing slash), at its item.
    item_id = answered["items"][1]["id"]
    assert f'href="/claims/{answered["id"]}#item-{item_id}"' in html and answered["reference"] in page
    assert made["https://platform.example/unrelated/1"]["reference"] not in page

    unknown = shown(read_page(staff, counter(material="The removed material was https://github.com/quietfox/elsewhere.")).text)
    assert "No claim reports an address this counter-notice names" in unknown and "Make the claim" not in unknown


def test_the_claim_page_confirms_the_import_and_keeps_the_message_and_reading_for_staff(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    admin, holder = make_web_user("admin"), make_web_user("rights_holder")
    staff = signed_in(make_web_user("specialist"))
    verified = staff.post(f"/api/v1/accounts/{holder.id}/verified-domains", headers=admin.headers, json={"domain": "lumenphoto.example"})
    assert verified.status_code == 201, verified.text
    form = as_browser_sends(fields_of(read_page(staff, NO_GOOD_FAITH).text))
    made = staff.post("/notices/import/create", data=form | {"statements.good_faith": "true", "action": "create"})
    assert made.status_code == 303, made.text
    claim_id = made.headers["location"].split("/")[2].split("?")[0]

    html = staff.get(made.headers["location"]).text
    page = shown(html)
    assert "Claim made from the imported notice" in page
    assert f'href="/claims/{claim_id}/source-message"' in html
    # The text's reading kept with the claim: the statement missing from the text, the corrected field, the evidence.
    assert re.search(r'data-read-element="good_faith_statement" data-status="missing"', html)
    assert re.search(r'data-read-element="signature" data-status="present"', html) and "/s/ Dana Reyes" in page
    assert "Staff corrected: the statements." in page
    assert "Claim made from the imported notice" not in shown(staff.get(f"/claims/{claim_id}").text)  # only just after

    original = staff.get(f"/claims/{claim_id}/source-message")
    assert original.status_code == 200 and original.content == NO_GOOD_FAITH.encode()
    assert original.headers["content-type"] == "message/rfc822" and original.headers["x-content-type-options"] == "nosniff"
    assert original.headers["content-disposition"] == f'attachment; filename="{claim_id}.eml"'  # pasted with its headers

    # The claim's owner sees its own page, with nothing of the staff's reading, and no page link to the message.
    owner = signed_in(holder)
    own = owner.get(made.headers["location"])
    with session_scope() as s:
        reference = s.query(Claim).filter_by(id=claim_id).one().reference
    assert own.status_code == 200 and reference in own.text
    assert "source-message" not in own.text and "imported notice" not in own.text and "data-read-element" not in own.text
    assert owner.get(f"/claims/{claim_id}/source-message").status_code == 403
