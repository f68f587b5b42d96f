"""The import page's element list and what it checks of the staff's corrections beyond intake's dry run.

Each element is listed as the text was read (`reading.text_report`, with the words it was judged on), except an
element fed by a field staff corrected: that one is judged as intake judges the corrected fields (the claim will be
judged so), with the corrected values as its evidence and the text's words kept beside them as what was read.

Intake takes any text as the complainant's email (an unusable one is an element `deficient`, CONTRACT.md "Claims"),
and the outbox sends nothing to an address that is not usable (`notifications.outbox.message`). A sender's notice
is taken as it came; an address a specialist types is theirs to get right, so a typed address that rule would
refuse (`legal.fields.email_problem`, the one intake's checks and the outbox use) is the field's error, and the claim
is not made until it is fixed or cleared. Cleared, the acknowledgment goes where `notifications.mail.notifier_address`
sends it: the claim's owner's address, if there is one; the page says which before the claim is made.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ipclaims.legal.fields import email_problem
from ipclaims.mailroom import reading, service
from ipclaims.web import claim_form, staff_elements

EMAIL = "complainant.email"


def elements(read: reading.Read, parsed: Mapping[str, Any], corrections: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The element list: each element of the regime with its name in staff words, its status, the text's quotes
    (`anchor`: where each starts in the text), and intake's status of the fields when it differs; an element fed by a
    corrected field judged on the corrected fields (`corrected`: their names, `evidence`: their values)."""
    judged = {j.code: j for j in read.reading.judgements}
    intake = {e["code"]: e for e in parsed["intake_completeness"]["elements"]}
    regime, counter = read.reading.regime, read.reading.kind == "counter_notice"
    fields = service.claim_body(read, corrections) if corrections else {}
    out = []
    for e in parsed["completeness"]["elements"]:
        code = e["code"]
        j, checked = judged.get(code), intake.get(code)
        quotes = [{"anchor": f"ev-{code}-{n}", "quote": s.quote} for n, s in enumerate(j.evidence)] if j else []
        name, what = staff_elements.named(regime, code, counter=counter)
        row = e | {"name": name, "what": what, "quotes": quotes, "intake": checked["status"] if checked else None}
        fed = [top for top in claim_form.element_fields(code) if top in corrections]
        if fed and checked is not None:
            row |= {
                "status": checked["status"],
                "detail": staff_elements.finding(checked["detail"]) or checked["detail"],
                "as_read": e["status"],
                "corrected": [claim_form.field_name(regime, top) for top in fed],
                "evidence": staff_elements.from_fields(regime, code, fields),
            }
        out.append(row)
    return out


def field_errors(as_read: Mapping[str, str], typed: Mapping[str, str]) -> dict[str, str]:
    """The corrections intake would take but the claim must not: an email address typed that is not usable."""
    value = (typed.get(EMAIL) or "").strip()
    if not value or " ".join(value.split()) == " ".join((as_read.get(EMAIL) or "").split()):
        return {}
    problem = email_problem(value)
    if problem is None:
        return {}
    return {EMAIL: f"{problem[:1].upper()}{problem[1:]}. Correct it, or clear it to make the claim without one."}


def refused_fields(errors: list[dict[str, Any]] | None) -> dict[str, str]:
    """Intake's refusal of the corrected fields (`service.claim_body` → `ClaimIn`: `loc` under `fields`) as the errors
    of the inputs that made them, in the claim form's words."""
    out: dict[str, str] = {}
    for err in errors or []:
        loc = list(err.get("loc") or [])
        if loc[:1] == ["fields"]:
            out.setdefault(claim_form.input_name(loc[1:]), claim_form.plain(str(err.get("msg") or "not valid")))
    return out


def acknowledgment(values: Mapping[str, str], owner: Mapping[str, Any]) -> dict[str, str | None] | None:
    """Where the acknowledgment goes when the sender's details give no email address (None when they give one):
    the claim's owner's address (`to`), or nowhere (`to` None)."""
    if (values.get(EMAIL) or "").strip():
        return None
    to = owner.get("email")
    return {"to": to if isinstance(to, str) and email_problem(to) is None else None}
