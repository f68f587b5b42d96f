"""The reply deadline for missing information (legal.clock.reply_deadline): the deficiency letter and the mail state
the same local date, and the worker rejects only once that whole local day is over. A New York evening is already
the next day in UTC; Singapore claims count on Singapore's calendar."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import select, update

from ipclaims.claims.repository import FULL
from ipclaims.config import get_settings
from ipclaims.jobs import tasks
from ipclaims.legal.clock import reply_deadline, reply_expires_at
from ipclaims.letters import context, render
from ipclaims.models import Claim, Letter, LetterKind
from ipclaims.notifications import mail
from tests.conftest import Actor
from tests.letters.helpers import INTERNAL
from tests.review.flows import submit

# (regime, when the notifier was asked, the promised local date, the last instant before expiry, the expiry instant)
CASES = [
    # 22:30 in New York on 3 March is 03:30 UTC on 4 March; DST starts on 9 March, so the day ends at 04:00 UTC.
    ("US_DMCA", "2025-03-03T22:30:00-05:00", date(2025, 3, 17), "2025-03-18T03:59:59+00:00", "2025-03-18T04:00:00+00:00"),
    # 20:00 UTC on 3 March is already 04:00 on 4 March in Singapore: the deadline is Singapore's 18 March.
    ("SG_CA2021", "2025-03-03T20:00:00+00:00", date(2025, 3, 18), "2025-03-18T15:59:59+00:00", "2025-03-18T16:00:00+00:00"),
]


@pytest.mark.parametrize(("regime", "asked", "deadline", "before", "expiry"), CASES)
def test_deadline_is_the_local_day_and_expiry_its_end(regime: str, asked: str, deadline: date, before: str, expiry: str) -> None:
    requested = datetime.fromisoformat(asked)
    assert reply_deadline(regime, requested, 14, us_timezone="America/New_York") == deadline
    assert reply_expires_at(regime, requested, 14, us_timezone="America/New_York") == datetime.fromisoformat(expiry)


def _asked_at(session: Any, claim_id: str, asked: str) -> Claim:
    session.execute(update(Claim).where(Claim.id == claim_id).values(status_changed_at=datetime.fromisoformat(asked)))
    session.commit()
    session.expire_all()
    return session.scalars(select(Claim).where(Claim.id == claim_id).options(*FULL)).one()


@pytest.mark.parametrize(("regime", "asked", "deadline", "before", "expiry"), CASES)
def test_letter_and_mail_state_one_date_and_the_worker_waits_out_the_day(
    client: Any, holder: Actor, session: Any, regime: str, asked: str, deadline: date, before: str, expiry: str
) -> None:
    created = submit(client, holder, regime, statements=None)
    assert created["status"] == "needs_info"
    claim = _asked_at(session, created["id"], asked)
    settings = get_settings()

    letter = Letter(kind=LetterKind.DEFICIENCY, created_at=claim.status_changed_at, item_id=None, template_version="test")
    ctx = context.build(letter, claim, None, settings)
    assert ctx["deadline"] == deadline
    assert f"Reply by: {render.long_date(deadline)}" in render.html_for("deficiency", ctx)
    rows = [r for r in mail.submitted_messages(claim, 1, "notifier@example.com") if r and r["kind"] == "deficiency"]
    assert len(rows) == 1 and f"Please do so by {deadline.isoformat()}" in " ".join(rows[0]["body"].split())
    session.commit()

    tasks.needs_info(datetime.fromisoformat(before), settings)
    assert client.get(f"/api/v1/claims/{created['id']}", headers=holder.headers).json()["status"] == "needs_info"
    assert tasks.needs_info(datetime.fromisoformat(expiry), settings)["expired"] == 1
    assert client.get(f"/api/v1/claims/{created['id']}", headers=holder.headers).json()["status"] == "rejected"


def _rejection_html(session: Any, claim_id: str) -> str:
    session.expire_all()
    claim = session.scalars(select(Claim).where(Claim.id == claim_id).options(*FULL)).one()
    letter = Letter(kind=LetterKind.REJECTION, created_at=claim.status_changed_at, item_id=None, template_version="test")
    html = " ".join(render.html_for("rejection", context.build(letter, claim, None, get_settings())).split())
    session.commit()
    return html


def test_rejection_cites_our_request_only_after_needs_info(client: Any, holder: Actor, specialist: Actor, session: Any) -> None:
    def rejected(via_review: bool) -> str:
        claim = submit(client, holder, "US_DMCA", signature=None)
        assert claim["status"] == "needs_info"
        if via_review:  # accepted as substantially compliant, then rejected on review: no request stands unanswered
            r = client.post(
                f"/api/v1/claims/{claim['id']}/transitions",
                json={"to": "in_review", "reason": "substantially compliant"},
                headers=specialist.headers,
            )
            assert r.status_code == 200, r.text
        r = client.post(
            f"/api/v1/claims/{claim['id']}/transitions", json={"to": "rejected", "reason": INTERNAL}, headers=specialist.headers
        )
        assert r.status_code == 200, r.text
        return _rejection_html(session, claim["id"])

    after_request = rejected(via_review=False)
    assert "§ 512(c)(3)(A)" in after_request and "after our request under § 512(c)(3)(B)(ii)" in after_request
    from_review = rejected(via_review=True)
    assert "§ 512(c)(3)(A)" in from_review and "after our request" not in from_review
