"""The acknowledgment kept per shape (`mail.acknowledgment_text`) is the template's own rendering, byte for byte,
for every regime, status and item count; a template that reads more of the claim is rendered per claim."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from jinja2 import DictLoader, Environment, StrictUndefined

from ipclaims.notifications import mail, outbox


@dataclass
class Claim:
    reference: str
    regime: str
    status: str
    items: list[Any]
    id: str = "01J0000000000000000000CLAIM"
    received_at: datetime = datetime(2026, 3, 3, 22, 30, tzinfo=UTC)
    status_changed_at: datetime = datetime(2026, 3, 3, 22, 30, tzinfo=UTC)
    elements: list[Any] = field(default_factory=list)
    owner_id: str = "owner"
    complainant: Any = None


@pytest.fixture(autouse=True)
def _fresh_shapes() -> Any:
    mail._ACK_SHAPES.clear()
    yield
    mail._ACK_SHAPES.clear()


@pytest.mark.parametrize("regime", ["US_DMCA", "EU_DSA", "SG_CA2021", "TM_POLICY", "XX_UNKNOWN"])
@pytest.mark.parametrize("status", ["in_review", "needs_info"])
@pytest.mark.parametrize("items", [0, 1, 3])
def test_same_text_as_the_template(regime: str, status: str, items: int) -> None:
    for reference in ["IPC-2026-000001", "IPC-2026-000002", "R-9", "IPC-2026-000001-REFERENCE"]:
        claim = Claim(reference, regime, status, [{}] * items)
        base = mail._base(claim)
        assert mail.acknowledgment_text(claim, base) == outbox.render("acknowledgment", **base)
        assert reference in mail.acknowledgment_text(claim, base)[0]
    kept = list(mail._ACK_SHAPES.values())
    assert kept and all(shape is not None and mail._MARK in shape[1] for shape in kept)


def test_the_outbox_row_carries_the_same_text() -> None:
    claim = Claim("IPC-2026-000042", "EU_DSA", "in_review", [{}, {}])
    for _ in range(2):  # the first renders both ways, the second uses the kept shape
        rows = mail.submitted_messages(claim, None, "ada@rights.example.com")
        assert [(r["subject"], r["body"]) for r in rows] == [outbox.render("acknowledgment", **mail._base(claim))]
    assert "IPC-2026-000042" in rows[0]["subject"] and "Reported items: 2" in rows[0]["body"]


def _with_template(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    env = Environment(loader=DictLoader({"acknowledgment.txt": text}), undefined=StrictUndefined, keep_trailing_newline=True)
    monkeypatch.setattr(outbox, "_template", lambda kind: env.get_template(f"{kind}.txt"))


@pytest.mark.parametrize(
    "template",
    [
        "Subject: [{{ claim.reference }}] received\n\nClaim {{ claim.id }} registered as {{ claim.reference }}.\n",
        "Subject: [{{ claim.reference|lower }}] received\n\nRegistered as {{ claim.reference[4:] }}.\n",
        "Subject: received\n\nFirst item: {{ claim.items|first }}.\n",
    ],
)
def test_a_template_reading_more_is_rendered_per_claim(monkeypatch: pytest.MonkeyPatch, template: str) -> None:
    _with_template(monkeypatch, template)
    for reference, claim_id in (("IPC-2026-000001", "A"), ("IPC-2026-000002", "B"), ("IPC-2026-000003", "C")):
        claim = Claim(reference, "US_DMCA", "in_review", [{"url": "u"}], id=claim_id)
        base = mail._base(claim)
        assert mail.acknowledgment_text(claim, base) == outbox.render("acknowledgment", **base)
    assert list(mail._ACK_SHAPES.values()) == [None]
