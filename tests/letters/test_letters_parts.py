"""A notice made into several claims (issue 20, `mailroom.parts`): each part's acknowledgment says the notice was
registered as several claims, which URLs each took and which one the letter concerns; a claim made alone says none
of it. Rendered for real (WeasyPrint) and read back with pdftotext."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import Actor
from tests.letters.helpers import pdf_text, save
from tests.mailroom.parts import bulk_notice


def _acknowledgment(client: Any, staff: Actor, claim_id: str, path: Path) -> str:
    from ipclaims.jobs.worker import run_once

    run_once()
    letters = client.get(f"/api/v1/claims/{claim_id}/letters", headers=staff.headers).json()["items"]
    ack = next(x for x in letters if x["kind"] == "acknowledgment")
    assert ack["status"] == "rendered", ack
    # one line of text, and a range the line broke after its dash joined again
    return " ".join(pdf_text(save(client, staff, ack, path)).split()).replace("– ", "–")


def test_each_parts_acknowledgment_names_the_parts_and_the_one_it_concerns(client: Any, specialist: Actor, tmp_path: Path) -> None:
    r = client.post("/api/v1/notices", headers=specialist.headers, json={"text": bulk_notice(2500)})
    assert r.status_code == 201, r.text[:500]
    parts = r.json()["parts"]
    refs = [p["reference"] for p in parts]
    text = _acknowledgment(client, specialist, parts[1]["id"], tmp_path / "ack2.pdf")
    assert "Your notice listed 2500 URLs" in text and "registered it as 3 claims" in text
    assert f"{refs[0]} (URLs 1–1000); {refs[1]} (URLs 1001–2000); {refs[2]} (URLs 2001–2500). This letter concerns" in text
    assert f"This letter concerns {refs[1]} only" in text


def test_a_claim_made_alone_says_nothing_of_parts(client: Any, specialist: Actor, tmp_path: Path) -> None:
    r = client.post("/api/v1/notices", headers=specialist.headers, json={"text": bulk_notice(3)})
    assert r.status_code == 201, r.text[:500]
    text = _acknowledgment(client, specialist, r.json()["id"], tmp_path / "ack.pdf")
    assert "registered it as" not in text and "This letter concerns" not in text
    assert r.json()["reference"] in text
