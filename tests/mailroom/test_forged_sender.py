"""A `From` anyone can write does not choose a verified rights holder by itself (docs/contract-additions.md
"Notices in free text and email", Owner): when the platform's relay says in its `Authentication-Results` (RFC 8601,
from the authserv-id in IPCLAIMS_INBOX_AUTHSERV_ID) that the From domain failed, or when the SMTP envelope sender is
of another organisation, the claim goes to a notifier account for the address, with no trusted-flagger term, and
staff see why (an `impersonation` flag). DKIM-aligned mail from a mailing service still counts as the owner's."""

from __future__ import annotations

import json
import smtplib
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from ipclaims.config import get_settings
from ipclaims.db import session_scope
from ipclaims.mailroom import authenticity, owners, reading, service
from ipclaims.mailroom.inbox import store, sweep
from ipclaims.models import Account, Claim, SourceMessage, SourceStatus
from ipclaims.triage.priority import IMPERSONATION_WEIGHT, TRUSTED_ACCOUNT
from tests.conftest import Actor
from tests.mailroom.helpers import notice_text
from tests.mailroom.smtp import AGENT, inbox, rows, wait_for

AURORA = "aurora-studios.example"
FROM = f"legal@{AURORA}"
RELAY = "mx.platform.example"
TRUSTED_TERM = f"+{TRUSTED_ACCOUNT[0]} {TRUSTED_ACCOUNT[1]}"
IMPERSONATION_TERM = f"+{IMPERSONATION_WEIGHT[0]} {IMPERSONATION_WEIGHT[1]}"
PLACEHOLDER = f"Notifier by email: {FROM}"


@pytest.fixture
def aurora(client: TestClient, admin: Actor, make_account: Callable[..., Actor]) -> Actor:
    """A rights holder with a verified domain and an awarded trusted flagger."""
    owner = make_account("rights_holder", name="Aurora Studios", email=FROM, trusted_flagger=True)
    r = client.post(f"/api/v1/accounts/{owner.id}/verified-domains", headers=admin.headers, json={"domain": AURORA})
    assert r.status_code == 201, r.text
    return owner


def _notice(*results: str, url: str = "https://platform.example/clip/4242") -> str:
    """Our own notice from Aurora's legal address, under the `Authentication-Results` lines given (topmost first)."""
    return "".join(f"Authentication-Results: {r}\n" for r in results) + notice_text(FROM, url)


def _swept(raw: str, mail_from: str | None) -> SourceMessage:
    """The message stored as the inbox stores it (with its SMTP envelope, or none: a saved message) and read."""
    envelope = {"mail_from": mail_from, "rcpt_tos": [AGENT], "peer": "127.0.0.1", "helo": "relay"} if mail_from is not None else None
    message_id = store(raw.encode(), envelope) if envelope is not None else _stored_without_envelope(raw)
    assert sweep(get_settings()).parsed == 1
    with session_scope(write=False) as s:
        row = s.get(SourceMessage, message_id)
        assert row is not None and row.status is SourceStatus.PARSED
        s.expunge(row)
        return row


def _stored_without_envelope(raw: str) -> str:
    with session_scope() as s:
        return service.store_received(s, raw.encode(), {}, channel="file").id


def _claim(row: SourceMessage) -> tuple[Claim, Account]:
    with session_scope(write=False) as s:
        claim = s.get(Claim, row.claim_id)
        assert claim is not None
        owner = s.get(Account, claim.owner_id)
        assert owner is not None
        s.expunge_all()
        return claim, owner


def _impersonation(client: TestClient, staff: Actor, claim_id: str) -> list[dict[str, Any]]:
    items = client.get(f"/api/v1/claims/{claim_id}/flags", headers=staff.headers).json()["items"]
    return [f for f in items if f["kind"] == "impersonation"]


def _is_aurora(claim: Claim, owner: Account, aurora: Actor) -> None:
    assert owner.id == aurora.id
    assert TRUSTED_TERM in claim.priority_reasons and IMPERSONATION_TERM not in claim.priority_reasons


def _is_placeholder(client: TestClient, staff: Actor, claim: Claim, owner: Account, *words: str) -> None:
    assert owner.name == PLACEHOLDER and owner.email == FROM and not owner.trusted_flagger
    assert TRUSTED_TERM not in claim.priority_reasons
    assert IMPERSONATION_TERM in claim.priority_reasons  # staff only, as for a look-alike
    (flag,) = _impersonation(client, staff, claim.id)
    # legal takes what the relay failed or what bypassed it; an envelope of another domain alone is flagged only
    assert flag["legal"] is (flag["detail"]["unauthenticated"]["check"] != "envelope") and flag["detail"]["sender_domain"] == AURORA
    for word in words:
        assert word in flag["detail"]["reason"], flag["detail"]["reason"]


def test_the_probe_over_smtp_a_forged_from_is_not_the_verified_owners(
    client: TestClient, specialist: Actor, aurora: Actor, set_env: Callable[..., None]
) -> None:
    set_env(IPCLAIMS_INBOX_ADDRESSES=AGENT)
    raw = notice_text(FROM, "https://platform.example/clip/1").replace("\n", "\r\n")
    with inbox() as port, smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        assert smtp.sendmail("mallory@attacker.example", [AGENT], raw) == {}
        wait_for(lambda: any(r.status is not SourceStatus.RECEIVED for r in rows()))
    (row,) = rows()
    assert row.status is SourceStatus.PARSED
    claim, owner = _claim(row)
    _is_placeholder(client, specialist, claim, owner, "mallory@attacker.example", AURORA)
    assert client.get(f"/api/v1/claims/{claim.id}", headers=aurora.headers).status_code == 404  # not Aurora's claim
    answer = client.get(f"/api/v1/claims/{claim.id}", headers=specialist.headers).json()
    assert TRUSTED_TERM not in answer["priority_reasons"]


@pytest.mark.parametrize(
    "mail_from",
    [FROM, f"bounces@mail.{AURORA}", f"BOUNCES@{AURORA.upper()}", "<>"],
)
def test_an_envelope_of_the_same_organisation_is_the_owners(
    client: TestClient, specialist: Actor, aurora: Actor, mail_from: str, set_env: Callable[..., None]
) -> None:
    if mail_from == "<>":  # a bounce address is screened as automatic unless a person retries: no domain to compare
        assert authenticity.doubt(_notice().encode(), {"mail_from": "<>"}, FROM, frozenset()) is None
        return
    claim, owner = _claim(_swept(_notice(), mail_from))
    _is_aurora(claim, owner, aurora)
    assert _impersonation(client, specialist, claim.id) == []


def test_a_saved_message_has_no_envelope_to_compare(client: TestClient, specialist: Actor, aurora: Actor) -> None:
    claim, owner = _claim(_swept(_notice(), None))
    _is_aurora(claim, owner, aurora)


def test_another_organisations_envelope_is_not_trusted_even_one_edit_away(client: TestClient, specialist: Actor, aurora: Actor) -> None:
    claim, owner = _claim(_swept(_notice(), f"legal@{AURORA}.attacker.example"))
    _is_placeholder(client, specialist, claim, owner, f"{AURORA}.attacker.example")


@pytest.mark.parametrize(
    ("result", "mail_from", "word"),
    [
        (f"{RELAY}; dmarc=fail (p=reject) header.from={AURORA}", FROM, "dmarc=fail"),
        (f"{RELAY} 1; spf=fail smtp.mailfrom={FROM}; dkim=none", FROM, "spf=fail"),
        (f"{RELAY}; dkim=fail (bad signature) header.d={AURORA} header.s=s1; spf=none smtp.mailfrom={FROM}", FROM, "dkim=fail"),
        (f'{RELAY}; dmarc = fail header.from="{AURORA}"', FROM, "dmarc=fail"),
        # no pass at all for a domain that publishes no SPF, DKIM or DMARC: nothing vouches, the envelope matching or not
        (f"{RELAY}; spf=none smtp.mailfrom={FROM}; dkim=none; dmarc=none", FROM, "no pass"),
        (f"{RELAY}; spf=neutral smtp.mailfrom={FROM}; dkim=permerror; dmarc=temperror", FROM, "no pass"),
    ],
)
def test_the_relays_failed_result_for_the_from_domain_is_not_trusted(
    client: TestClient, specialist: Actor, aurora: Actor, set_env: Callable[..., None], result: str, mail_from: str, word: str
) -> None:
    set_env(IPCLAIMS_INBOX_AUTHSERV_ID=RELAY)
    claim, owner = _claim(_swept(_notice(result), mail_from))
    _is_placeholder(client, specialist, claim, owner, word, RELAY)


def test_a_saved_message_with_the_relays_failed_result_is_not_trusted_either(
    client: TestClient, specialist: Actor, aurora: Actor, set_env: Callable[..., None]
) -> None:
    set_env(IPCLAIMS_INBOX_AUTHSERV_ID=RELAY)
    claim, owner = _claim(_swept(_notice(f"{RELAY}; dmarc=fail header.from={AURORA}"), None))
    _is_placeholder(client, specialist, claim, owner, "dmarc=fail")


ESP = (
    f"{RELAY}; dkim=pass header.d={AURORA} header.s=esp1; spf=pass smtp.mailfrom=bounce-77@mailer.esp.example;"
    f" dmarc=pass header.from={AURORA}"
)


def test_dkim_aligned_mail_from_a_mailing_service_is_the_owners_once_the_relay_is_trusted(
    client: TestClient, specialist: Actor, aurora: Actor, set_env: Callable[..., None]
) -> None:
    set_env(IPCLAIMS_INBOX_AUTHSERV_ID=f"other.example, {RELAY.upper()}")
    claim, owner = _claim(_swept(_notice(ESP), "bounce-77@mailer.esp.example"))
    _is_aurora(claim, owner, aurora)
    assert _impersonation(client, specialist, claim.id) == []


def test_a_mailing_service_without_a_trusted_relay_is_not_the_owners(client: TestClient, specialist: Actor, aurora: Actor) -> None:
    """IPCLAIMS_INBOX_AUTHSERV_ID empty: no Authentication-Results is believed, the envelope alone is compared."""
    claim, owner = _claim(_swept(_notice(ESP), "bounce-77@mailer.esp.example"))
    _is_placeholder(client, specialist, claim, owner, "mailer.esp.example", "IPCLAIMS_INBOX_AUTHSERV_ID")


def test_only_the_topmost_result_of_the_trusted_relay_counts(
    client: TestClient, specialist: Actor, aurora: Actor, set_env: Callable[..., None]
) -> None:
    """The sender wrote a passing result under the relay's name and another server's below the relay's own."""
    set_env(IPCLAIMS_INBOX_AUTHSERV_ID=RELAY)
    raw = _notice(
        f"{RELAY}; dmarc=fail header.from={AURORA}",
        f"{RELAY}; dmarc=pass header.from={AURORA}",
    )
    claim, owner = _claim(_swept(raw, FROM))
    _is_placeholder(client, specialist, claim, owner, "dmarc=fail")
    forged_elsewhere = _notice(
        f"mx.attacker.example; dkim=pass header.d={AURORA}; dmarc=pass header.from={AURORA}", url="https://p.example/9"
    )
    claim, owner = _claim(_swept(forged_elsewhere, "mallory@attacker.example"))
    _is_placeholder(client, specialist, claim, owner, "attacker.example")


def test_smtp_mail_that_bypassed_a_configured_relay_is_not_trusted(
    client: TestClient, specialist: Actor, aurora: Actor, set_env: Callable[..., None]
) -> None:
    set_env(IPCLAIMS_INBOX_AUTHSERV_ID=RELAY)
    claim, owner = _claim(_swept(_notice(), FROM))
    _is_placeholder(client, specialist, claim, owner, RELAY)


def _forward(by: str) -> str:
    """Aurora's notice forwarded inline (Gmail's block) by `by`."""
    notice = notice_text(FROM, "https://platform.example/clip/77").split("\n\n", 1)[1]
    return (
        f"From: Desk <{by}>\n"
        f"To: {AGENT}\n"
        "Subject: Fwd: Notice of infringement\n"
        "Date: Tue, 01 Dec 2026 10:00:00 -0500\n"
        f"Message-ID: <fwd-{by}>\n"
        "\n"
        "---------- Forwarded message ---------\n"
        f"From: Aurora Legal <{FROM}>\n"
        "Date: Mon, Nov 30, 2026 at 2:15 PM\n"
        "Subject: Notice of infringement\n"
        "\n"
        f"{notice}"
    )


@pytest.mark.parametrize(
    ("by", "aurora_owns"), [("mallory@attacker.example", False), ("support@platform.example", True), (f"assistant@{AURORA}", True)]
)
def test_a_forward_vouches_for_its_original_sender_only_from_its_organisation_or_the_platform(
    client: TestClient, specialist: Actor, aurora: Actor, set_env: Callable[..., None], by: str, aurora_owns: bool
) -> None:
    set_env(IPCLAIMS_INBOX_ADDRESSES=AGENT)
    claim, owner = _claim(_swept(_forward(by), by))
    if aurora_owns:
        _is_aurora(claim, owner, aurora)
    else:
        _is_placeholder(client, specialist, claim, owner, by, "forward")


def test_an_unknown_sender_with_another_envelope_is_as_before(client: TestClient, specialist: Actor) -> None:
    row = _swept(notice_text("dana@lumenphoto.example"), "bounces@esp.example")
    claim, owner = _claim(row)
    assert owner.name == "Notifier by email: dana@lumenphoto.example"
    assert _impersonation(client, specialist, claim.id) == [] and IMPERSONATION_TERM not in claim.priority_reasons


def test_an_uploaded_message_with_the_relays_failed_result_is_not_the_owners(
    client: TestClient, specialist: Actor, aurora: Actor, set_env: Callable[..., None]
) -> None:
    set_env(IPCLAIMS_INBOX_AUTHSERV_ID=RELAY)
    raw = _notice(f"{RELAY}; dmarc=fail header.from={AURORA}").encode()
    r = client.post("/api/v1/notices", headers=specialist.headers, files={"file": ("n.eml", raw, "message/rfc822")})
    assert r.status_code == 201, r.text
    assert r.json()["owner_id"] != aurora.id and TRUSTED_TERM not in r.json()["priority_reasons"]
    with session_scope(write=False) as s:
        assert s.scalar(select(Account.name).where(Account.id == r.json()["owner_id"])) == PLACEHOLDER
    assert len(_impersonation(client, specialist, r.json()["id"])) == 1


def test_staff_who_set_the_owner_decide(client: TestClient, specialist: Actor, aurora: Actor, set_env: Callable[..., None]) -> None:
    """The import page's owner, set by a specialist who knows the sender: taken, recorded, no flag; the page's
    "as read" choice says why the From chose no verified owner."""
    set_env(IPCLAIMS_INBOX_AUTHSERV_ID=RELAY)
    read = reading.read(reading.Source(_notice(f"{RELAY}; dmarc=fail header.from={AURORA}").encode(), reading.RFC822))
    with session_scope() as s:
        doubt = service.sender_doubt(read, None, get_settings())
        assert doubt is not None and "dmarc=fail" in doubt.reason
        as_read = owners.default_owner(s, service.sender_of(read), doubt=doubt)
        assert as_read.account is None and not as_read.verified and as_read.doubt is doubt
        actor = s.get(Account, specialist.id)
        assert actor is not None
        made = json.loads(
            service.create(s, actor, read, regime=None, kind=None, settings=get_settings(), channel="web", owner_id=aurora.id)
        )
    assert made["owner_id"] == aurora.id and TRUSTED_TERM in made["priority_reasons"]
    assert _impersonation(client, specialist, made["id"]) == []


def test_authentication_results_are_read_as_rfc_8601_writes_them() -> None:
    header = (
        f"{RELAY.upper()} 1; (the relay's own comment; with a semicolon)\r\n dkim=pass (2048-bit key) "
        f'header.d={AURORA} header.i="@{AURORA}";\r\n  spf=softfail (domain does not designate) smtp.mailfrom={FROM};'
        f' dmarc=fail reason="no aligned pass" header.from={AURORA}'
    )
    found = authenticity.results(header)
    assert found is not None
    assert found.authserv_id == RELAY
    assert [(r.method, r.result) for r in found.results] == [("dkim", "pass"), ("spf", "softfail"), ("dmarc", "fail")]
    assert found.results[0].properties == {"header.d": AURORA, "header.i": f"@{AURORA}"}
    assert authenticity.results(f"{RELAY}; none") is not None and authenticity.results(f"{RELAY}; none").results == ()  # type: ignore[union-attr]
    assert authenticity.results("") is None
