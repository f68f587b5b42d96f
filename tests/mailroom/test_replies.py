"""A reply to one of our letters is no new notice: from the claim's notifier it is linked to the claim and cures it
as the notifier's own PATCH would (told on every part of a notice made into several claims); from anyone else, or
about no claim of ours, it is kept `failed`. End to end: a real `smtplib` client against `ipclaims inbox`, the
worker's real SMTP delivery of the request for information, and `ipclaims notices import` of a saved reply."""

from __future__ import annotations

import html
import json
import smtplib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ipclaims.cli import main
from ipclaims.config import get_settings
from ipclaims.jobs.worker import run_once
from ipclaims.mailroom.inbox import store, sweep
from ipclaims.models import ClaimStatus, SourceStatus
from ipclaims.notifications.outbox import message_id
from tests.conftest import Actor
from tests.mailroom.helpers import notice_text
from tests.mailroom.smtp import AGENT, catcher, claims, inbox, outbox, rows, wait_for

SENDER = "dana.reyes@lumenphoto.example"
GOOD_FAITH = (
    "I have a good faith belief that use of the material in the manner complained of is not authorized by the copyright "
    "owner, its agent, or the law."
)
PERJURY = (
    "I swear, under penalty of perjury, that the information in this notification is accurate and that I am authorized "
    "to act on behalf of the owner of an exclusive right that is allegedly infringed."
)


def _incomplete(sender: str = SENDER) -> str:
    """Dana Reyes's notice without its two statements and its signature: a claim `needs_info`."""
    lines = notice_text(sender).split("\n")
    kept = [line for line in lines if not line.startswith(("I have a good faith", "I swear", "/s/"))]
    assert len(kept) == len(lines) - 3
    return "\n".join(kept)


def _reply(subject: str, *, sender: str = SENDER, in_reply_to: str | None = None, body: str | None = None, extra: str = "") -> str:
    threading = f"In-Reply-To: {in_reply_to}\nReferences: {in_reply_to}\n" if in_reply_to else ""
    text = body if body is not None else f"Hello,\n\nAs you asked:\n{GOOD_FAITH}\n{PERJURY}\n\n/s/ Dana Reyes\n"
    return (
        f"From: Dana Reyes <{sender}>\n"
        f"To: {AGENT}\n"
        f"Subject: {subject}\n"
        "Date: Wed, 02 Dec 2026 09:00:00 -0500\n"
        f"Message-ID: <reply-{abs(hash((subject, sender, text)))}@lumenphoto.example>\n"
        f"{threading}{extra}"
        "\n"
        f"{text}\n"
        "On Tue, Dec 1, 2026 at 4:00 PM <agent@platform.example> wrote:\n"
        "> Your notice cannot be acted on yet. The following elements are missing or incomplete:\n"
        "> - signature (missing)\n"
    )


def _envelope(sender: str = SENDER) -> dict[str, Any]:
    return {"mail_from": sender, "rcpt_tos": [AGENT], "peer": None, "helo": None}


def _events(client: TestClient, staff: Actor, claim_id: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = client.get(f"/api/v1/claims/{claim_id}/events", headers=staff.headers).json()["items"]
    return items


def _needs_info_claim() -> Any:
    store(_incomplete().encode(), _envelope())
    assert sweep(get_settings()).parsed == 1
    (claim,) = claims()
    assert claim.status is ClaimStatus.NEEDS_INFO
    return claim


def test_a_reply_to_the_request_for_information_is_linked_to_its_claim_end_to_end_and_never_applied_by_itself(
    env: dict[str, str], set_env: Callable[..., None], client: TestClient, specialist: Actor
) -> None:
    with catcher() as (caught, out_port):
        set_env(IPCLAIMS_SMTP_URL=f"smtp://127.0.0.1:{out_port}", IPCLAIMS_INBOX_ADDRESSES=AGENT)
        with inbox() as port:
            with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
                assert smtp.sendmail(SENDER, [AGENT], _incomplete().replace("\n", "\r\n")) == {}
            wait_for(lambda: any(r.status is SourceStatus.PARSED for r in rows()))
            (claim,) = claims()
            assert claim.status is ClaimStatus.NEEDS_INFO
            assert run_once()["sent"] == 2  # the acknowledgment and the request, to Dana Reyes
            request = next(m for m in caught.parsed() if "Information needed" in str(m["Subject"]))
            assert str(request["To"]) == SENDER and claim.reference in str(request["Subject"])
            reply = _reply(f"Re: {request['Subject']}", in_reply_to=str(request["Message-ID"]))
            with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
                assert smtp.sendmail(SENDER, [AGENT], reply.replace("\n", "\r\n")) == {}
            wait_for(lambda: any(r.status is not SourceStatus.RECEIVED for r in rows()[1:]))
        assert run_once()["sent"] == 0  # the reply was answered by nothing
    # No second, empty claim; and the claim is not changed by mail whose sender is only its From header: staff read
    # what the reply would supply and supplement the claim themselves.
    (same,) = claims()
    assert same.id == claim.id and same.status is ClaimStatus.NEEDS_INFO
    notice_row, reply_row = rows()
    assert (reply_row.status, reply_row.claim_id, reply_row.error) == (SourceStatus.REPLY, claim.id, None)
    assert reply_row.reading is not None and reply_row.reading["proposed"] == ["signature", "statements"]
    assert notice_row.claim_id == claim.id and notice_row.status is SourceStatus.PARSED
    actions = [e["action"] for e in _events(client, specialist, claim.id)]
    assert actions[-1] == "reply_received" and "supplemented" not in actions
    replied = _events(client, specialist, claim.id)[-1]
    assert SENDER in replied["reason"] and "it may supply signature, statements: not applied" in replied["reason"]
    assert [m.kind for m in outbox()] == ["acknowledgment", "deficiency"]
    # The claim's own source message is still the notice; the reply is listed with its claim.
    source = client.get(f"/api/v1/claims/{claim.id}/source-message", headers=specialist.headers)
    assert source.content == notice_row.raw
    listed = client.get("/api/v1/notices/messages", headers=specialist.headers, params={"status": "reply"}).json()["items"]
    assert [(m["id"], m["claim_id"]) for m in listed] == [(reply_row.id, claim.id)]


def test_a_reply_quoting_the_reference_in_its_subject_proposes_what_it_states(
    env: dict[str, str], client: TestClient, specialist: Actor
) -> None:
    claim = _needs_info_claim()
    partial = _reply(f"Missing statement for {claim.reference}", body=f"Here it is.\n{GOOD_FAITH}\n")
    store(partial.encode(), _envelope())
    assert sweep(get_settings()).replies == 1
    (still,) = claims()
    assert still.status is ClaimStatus.NEEDS_INFO
    elements = client.get(f"/api/v1/claims/{claim.id}", headers=specialist.headers).json()["completeness"]["elements"]
    status = {e["code"]: e["status"] for e in elements}
    assert status["good_faith_statement"] == "missing" and status["signature"] == "missing"  # nothing applied
    assert rows()[-1].reading == {
        "reply_to": claim.reference,
        "named": f"its subject names {claim.reference}",
        "proposed": ["statements"],
        "outcome": "it may supply statements: not applied, staff read it and supplement the claim",
    }


def test_a_reply_that_states_nothing_new_changes_nothing_and_is_still_linked(
    env: dict[str, str], client: TestClient, specialist: Actor
) -> None:
    claim = _needs_info_claim()
    store(
        _reply(f"Re: [{claim.reference}] Information needed", body="Thanks, I will send the rest next week.\nDana\n").encode(), _envelope()
    )
    assert sweep(get_settings()).replies == 1
    assert [c.status for c in claims()] == [ClaimStatus.NEEDS_INFO]
    assert rows()[-1].claim_id == claim.id
    last = _events(client, specialist, claim.id)[-1]
    assert last["action"] == "reply_received" and "nothing proposed" in last["reason"]


def test_a_reply_after_the_claim_is_complete_supplies_nothing(env: dict[str, str]) -> None:
    store(notice_text(SENDER).encode(), _envelope())
    sweep(get_settings())
    (claim,) = claims()
    assert claim.status is ClaimStatus.IN_REVIEW
    store(_reply(f"Re: [{claim.reference}] We received your notice", body="Thank you. Any news?\n").encode(), _envelope())
    assert sweep(get_settings()).replies == 1
    assert rows()[-1].reading["outcome"] == "nothing proposed: the claim is in_review, not waiting for information"  # type: ignore[index]
    assert len(claims()) == 1


def test_a_reply_from_an_address_at_the_owners_verified_domain_is_the_owners(
    env: dict[str, str], client: TestClient, admin: Actor, make_account: Callable[..., Actor]
) -> None:
    owner = make_account("rights_holder", name="Lumen Photo", email="legal@lumenphoto.example")
    verified = client.post(f"/api/v1/accounts/{owner.id}/verified-domains", json={"domain": "lumenphoto.example"}, headers=admin.headers)
    assert verified.status_code == 201, verified.text
    claim = _needs_info_claim()
    assert claim.owner_id == owner.id
    colleague = "rights.desk@lumenphoto.example"
    store(_reply(f"Re: [{claim.reference}] Information needed", sender=colleague).encode(), _envelope(colleague))
    assert sweep(get_settings()).replies == 1
    assert [c.status for c in claims()] == [ClaimStatus.NEEDS_INFO]
    assert (rows()[-1].status, rows()[-1].claim_id) == (SourceStatus.REPLY, claim.id)


def test_a_reply_that_only_quotes_our_letter_changes_nothing_in_the_claim(
    env: dict[str, str], client: TestClient, specialist: Actor
) -> None:
    """The request for information says "good-faith belief" and "under penalty of perjury": a reply of a few words
    above the quoted letter states neither, and the claim's elements stay as they were."""
    claim = _needs_info_claim()
    letter = (
        "> Your notice needs: a statement that you have a good-faith belief that the use is not authorised, and a\n"
        "> statement, under penalty of perjury, that you are authorised to act for the owner.\n"
        "> Sign the notice: type your full name.\n"
    )
    store(
        _reply(f"Re: [{claim.reference}] Information needed", body=f"Thanks, will get back to you next week.\n\n{letter}").encode(),
        _envelope(),
    )
    assert sweep(get_settings()).replies == 1
    assert [c.status for c in claims()] == [ClaimStatus.NEEDS_INFO]
    elements = client.get(f"/api/v1/claims/{claim.id}", headers=specialist.headers).json()["completeness"]["elements"]
    status = {e["code"]: e["status"] for e in elements}
    assert (status["good_faith_statement"], status["accuracy_authority_statement"], status["signature"]) == ("missing",) * 3
    assert rows()[-1].status is SourceStatus.REPLY and rows()[-1].claim_id == claim.id


def _quoted(shape: str, letter: Any, top: str) -> tuple[str, str]:
    """`top` written above our `letter` (its outbox row: the body as sent) as a mail client quotes it; the body and
    its content type."""
    body: str = letter.body
    head = f"From: {AGENT}\nSent: Tuesday, December 1, 2026 4:00 PM\nTo: {SENDER}\nSubject: {letter.subject}\n\n"
    if shape == "gmail":  # `>` lines under "On … wrote:", the intro wrapped over two lines
        quoted = "\n".join(f"> {line}" if line else ">" for line in body.splitlines())
        return f"{top}\n\nOn Tue, Dec 1, 2026 at 4:00 PM Copyright Agent <\n{AGENT}> wrote:\n\n{quoted}\n", "text/plain"
    if shape == "outlook":  # unmarked under underscores and a From:/Sent:/To:/Subject: block
        return f"{top}\n\n________________________________\n{head}{body}", "text/plain"
    if shape == "original-message":  # unmarked under "-----Original Message-----"
        return f"{top}\n\n-----Original Message-----\n{head}{body}", "text/plain"
    if shape == "outlook-no-rule":  # the block alone, no line over it
        return f"{top}\n\n{head}{body}", "text/plain"
    if shape == "html":  # HTML only: a blockquote, read as unmarked text under "On … wrote:"
        quoted = html.escape(body).replace("\n", "<br>\n")
        return (
            f"<html><body><div>{html.escape(top)}</div><br><div class=gmail_quote>On Tue, Dec 1, 2026 at 4:00 PM Copyright "
            f"Agent &lt;{AGENT}&gt; wrote:<br><blockquote style='margin:0 0 0 .8ex'>{quoted}</blockquote></div></body></html>",
            "text/html",
        )
    assert shape == "pasted"  # no header, no marker: the letter pasted under the reply
    return f"{top}\n\n{body}", "text/plain"


def _answer(letter: Any, body: str, content_type: str) -> bytes:
    """A reply to `letter` by its Message-ID (In-Reply-To and References), as the probe sent it."""
    named = message_id(letter.id)
    return (
        f"From: Dana Reyes <{SENDER}>\nTo: {AGENT}\nSubject: RE: {letter.subject}\nDate: Wed, 02 Dec 2026 09:00:00 -0500\n"
        f"Message-ID: <answer-{abs(hash(body))}@lumenphoto.example>\nIn-Reply-To: {named}\nReferences: {named}\n"
        f"MIME-Version: 1.0\nContent-Type: {content_type}; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{body}\n"
    ).encode()


QUOTING = ("gmail", "outlook", "original-message", "outlook-no-rule", "html", "pasted")


@pytest.mark.parametrize("shape", QUOTING)
def test_a_reply_that_only_quotes_our_real_letter_proposes_nothing_however_it_is_quoted(
    env: dict[str, str], client: TestClient, specialist: Actor, shape: str
) -> None:
    """Our request for information itself ("a good-faith belief that the use is not authorised", "under penalty of
    perjury", "a typed /s/ Full Name"), quoted under "Thanks, noted.": the reply states nothing, in any client's shape."""
    claim = _needs_info_claim()
    letter = next(m for m in outbox() if m.kind == "deficiency")
    assert "good-faith belief" in letter.body and "under penalty of perjury" in letter.body
    store(_answer(letter, *_quoted(shape, letter, "Thanks, noted.")), _envelope())
    assert sweep(get_settings()).replies == 1
    reply = rows()[-1]
    assert (reply.status, reply.claim_id) == (SourceStatus.REPLY, claim.id)
    assert reply.reading is not None and reply.reading["proposed"] == []
    assert reply.reading["outcome"] == "nothing proposed: the reply states nothing the claim lacks"
    last = _events(client, specialist, claim.id)[-1]
    assert last["action"] == "reply_received" and "may supply" not in last["reason"] and last["data"]["proposed"] == []


@pytest.mark.parametrize("shape", ("gmail", "outlook", "original-message"))
def test_a_reply_of_nothing_but_our_letter_has_no_words_of_its_own(env: dict[str, str], shape: str) -> None:
    _needs_info_claim()
    letter = next(m for m in outbox() if m.kind == "deficiency")
    body, content_type = _quoted(shape, letter, "")
    store(_answer(letter, body, content_type), _envelope())
    assert sweep(get_settings()).replies == 1
    assert rows()[-1].reading["outcome"] == "nothing proposed: the reply has no words of its own, only our letter quoted"  # type: ignore[index]


@pytest.mark.parametrize("shape", QUOTING)
def test_what_the_sender_writes_above_our_quoted_letter_is_still_proposed(env: dict[str, str], shape: str) -> None:
    _needs_info_claim()
    letter = next(m for m in outbox() if m.kind == "deficiency")
    store(_answer(letter, *_quoted(shape, letter, f"Hello,\n\nAs you asked:\n{GOOD_FAITH}\n{PERJURY}\n\n/s/ Dana Reyes")), _envelope())
    assert sweep(get_settings()).replies == 1
    assert rows()[-1].reading["proposed"] == ["signature", "statements"]  # type: ignore[index]


def test_an_answer_written_below_our_quoted_lines_is_still_proposed(env: dict[str, str]) -> None:
    _needs_info_claim()
    letter = next(m for m in outbox() if m.kind == "deficiency")
    quoted = "\n".join(f"> {line}" for line in letter.body.splitlines())
    body = f"On Tue, Dec 1, 2026 at 4:00 PM <{AGENT}> wrote:\n{quoted}\n\n{GOOD_FAITH}\n{PERJURY}\n/s/ Dana Reyes\n"
    store(_answer(letter, body, "text/plain"), _envelope())
    assert sweep(get_settings()).replies == 1
    assert rows()[-1].reading["proposed"] == ["signature", "statements"]  # type: ignore[index]


def test_a_strangers_reply_and_a_reply_about_no_claim_are_kept_failed(env: dict[str, str], client: TestClient, specialist: Actor) -> None:
    claim = _needs_info_claim()
    stranger = "someone@elsewhere.example"
    forged = store(_reply(f"Re: [{claim.reference}] Information needed", sender=stranger).encode(), _envelope(stranger))
    nowhere = store(_reply("Re: [IPC-2026-999999] Information needed").encode(), _envelope())
    assert sweep(get_settings()).failed == 2
    by_id = {r.id: r for r in rows()}
    assert by_id[forged].error is not None and f"a reply about {claim.reference}" in by_id[forged].error
    assert "who is not its notifier: not linked to it, no claim made, nothing sent" in by_id[forged].error
    assert by_id[nowhere].error is not None and "IPC-2026-999999" in by_id[nowhere].error and "does not exist" in by_id[nowhere].error
    assert [c.status for c in claims()] == [ClaimStatus.NEEDS_INFO] and len(outbox()) == 2
    # A person may decide the stranger's message is a notice of its own.
    retried = client.post(f"/api/v1/notices/messages/{forged}/retry", headers=specialist.headers)
    assert retried.status_code == 200 and retried.json()["status"] == "parsed"
    assert len(claims()) == 2


def test_an_out_of_office_answer_to_our_letter_is_screened_not_linked(env: dict[str, str]) -> None:
    claim = _needs_info_claim()
    ooo = _reply(
        f"Automatic reply: [{claim.reference}] Information needed",
        body=f"I am away until Monday.\n{GOOD_FAITH}\n",
        extra="Auto-Submitted: auto-replied\n",
    )
    store(ooo.encode(), _envelope())
    assert sweep(get_settings()).failed == 1
    assert [c.status for c in claims()] == [ClaimStatus.NEEDS_INFO]
    assert rows()[-1].error is not None and "Auto-Submitted" in rows()[-1].error  # type: ignore[operator]


def test_import_of_a_saved_reply_links_it_to_the_claim(env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    claim = _needs_info_claim()
    saved = tmp_path / "reply.eml"
    saved.write_text(_reply(f"RE: [{claim.reference}] Information needed to process your notice"))
    assert main(["notices", "import", str(saved), "--json"]) == 0
    line = json.loads(capsys.readouterr().out)
    assert line["status"] == "reply" and line["id"] == claim.id and line["reference"] == claim.reference
    assert line["claim_status"] == "needs_info" and line["proposed"] == ["signature", "statements"]
    assert [c.status for c in claims()] == [ClaimStatus.NEEDS_INFO]
    assert rows()[-1].channel == "file" and rows()[-1].status is SourceStatus.REPLY
    # Imported again: the same message, a duplicate of the claim it answered; without --json one line each.
    assert main(["notices", "import", str(saved)]) == 0
    assert f"{claim.reference} duplicate" in capsys.readouterr().out
    assert len(rows()) == 2


def test_a_reply_to_one_part_of_a_notice_is_on_every_parts_timeline(env: dict[str, str], client: TestClient, specialist: Actor) -> None:
    """A notice of 2,500 URLs without its statements is three claims waiting for information, each with its own letter.
    The sender answers one of them: the statements are the notice's, not one part's, so every part's timeline shows
    the reply and what it would supply — else parts 1 and 3 expire as rejected while the cure sits on part 2."""
    urls = "\n".join(f"https://platform.example/u/bulk/posts/{n}" for n in range(2500))
    bulk = _incomplete().replace(
        "A copy is displayed without permission at https://platform.example/u/copycat/posts/1001\n",
        f"Copies are displayed without permission at:\n{urls}\n",
    )
    store(bulk.encode(), _envelope())
    assert sweep(get_settings()).parsed == 1
    parts = sorted(claims(), key=lambda c: c.reference)
    assert len(parts) == 3 and all(c.status is ClaimStatus.NEEDS_INFO for c in parts)
    second = parts[1]
    store(_reply(f"Re: [{second.reference}] Information needed").encode(), _envelope())
    assert sweep(get_settings()).replies == 1
    reply = rows()[-1]
    assert reply.status is SourceStatus.REPLY and reply.claim_id == second.id  # kept once, with the part it answers
    for n, part in enumerate(parts, 1):
        (said,) = [e for e in _events(client, specialist, part.id) if e["action"] == "reply_received"]
        assert said["data"]["source_message_id"] == reply.id
        assert said["data"]["proposed"] == ["signature", "statements"]
        assert said["data"]["answered_claim_id"] == second.id
        if n != 2:
            assert f"to the letters of {second.reference}, part 2 of the same notice" in said["reason"]
        else:
            others = [p.reference for p in parts if p.id != second.id]
            assert all(ref in said["reason"] for ref in others)
    assert all(c.status is ClaimStatus.NEEDS_INFO for c in claims())  # proposed, never applied
