"""An item restored because the uploader's complaint was upheld (DSA Art. 20(4)): the notifier is told by mail, and
that mail carries the restoration letter it is owed (found by a review: the letter was rendered but no mail sent)."""

from __future__ import annotations

from typing import Any

from ipclaims.jobs.worker import run_once
from tests.conftest import Actor
from tests.letters.helpers import decided


def test_an_upheld_complaint_restoration_is_mailed_to_the_notifier_with_its_letter(
    client: Any, holder: Actor, specialist: Actor, legal_user: Actor
) -> None:
    claim = decided(client, holder, specialist, "EU_DSA")
    item_id = claim["items"][0]["id"]
    r = client.post(
        f"/api/v1/claims/{claim['id']}/items/{item_id}/complaints",
        headers=specialist.headers,
        json={"complainant_role": "uploader", "complainant_email": "u@mail.example", "body": "this is my own video"},
    )
    assert r.status_code == 201, r.text
    r = client.post(
        f"/api/v1/complaints/{r.json()['id']}/decision", json={"upheld": True, "reason": "licensed"}, headers=legal_user.headers
    )
    assert r.status_code == 200, r.text
    run_once()
    letters = client.get(f"/api/v1/claims/{claim['id']}/letters", headers=holder.headers).json()["items"]
    restoration = [letter for letter in letters if letter["kind"] == "restoration"]
    assert len(restoration) == 1
    messages = client.get(f"/api/v1/claims/{claim['id']}/messages", headers=holder.headers).json()["items"]
    mailed = [m for m in messages if m["kind"] == "restoration"]
    assert len(mailed) == 1, messages
    assert "licensed" not in str(mailed)  # the decision's reason is staff text
    run_once()  # a second sweep sends nothing twice
    again = client.get(f"/api/v1/claims/{claim['id']}/messages", headers=holder.headers).json()["items"]
    assert len([m for m in again if m["kind"] == "restoration"]) == 1
