"""Drive claims to the state each letter kind needs, and read PDFs with poppler/qpdf."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from tests.conftest import Actor
from tests.review.flows import counter, decide, submit

REGIMES = ("US_DMCA", "EU_DSA", "SG_CA2021", "TM_POLICY")
COUNTER_REGIMES = ("US_DMCA", "SG_CA2021")
HAVE_POPPLER = shutil.which("pdftotext") is not None and shutil.which("qpdf") is not None
INTERNAL = "INTERNAL-ONLY licence covers EU only per contract"
PUBLIC = "The video reproduces the whole registered work."


def decided(client: Any, holder: Actor, staff: Actor, regime: str) -> dict[str, Any]:
    claim = submit(client, holder, regime)
    for i in range(len(claim["items"])):
        claim = decide(
            client,
            staff,
            claim,
            i,
            "removed" if i == 0 else "no_action",
            reason=INTERNAL,
            public_reason=PUBLIC if i == 0 else None,
            uploader_email="uploader@example.org",
        )
    return claim


def countered(client: Any, holder: Actor, staff: Actor, regime: str) -> dict[str, Any]:
    claim = decided(client, holder, staff, regime)
    counter(client, staff, claim)
    return claim


def letter(client: Any, staff: Actor, claim: dict[str, Any], kind: str, item: int | None = None, expect: int = 201) -> dict[str, Any]:
    body: dict[str, Any] = {"kind": kind}
    if item is not None:
        body["item_id"] = claim["items"][item]["id"]
    r = client.post(f"/api/v1/claims/{claim['id']}/letters", json=body, headers=staff.headers)
    assert r.status_code == expect, r.text
    return r.json()


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def save(client: Any, actor: Actor, out: dict[str, Any], path: Path) -> Path:
    r = client.get(out["url"], headers=actor.headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    path.write_bytes(r.content)
    return path
