"""DSA Art. 24(5) statements of reasons for the Transparency Database (DOMAIN.md §5), and their checks.

The allowed values, lengths and formats are data (`dsa_lists.json`, from the database's own `Statement.php` and
`StatementStoreRequest.php`; the category and keyword lists changed in July 2025). A statement is built only from
the decision's facts, never from a party's name, contact data or the reviewer's free-text reason, so it carries no
personal data; one that fails `problems` is not emitted but reported (`rejected`).
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from ipclaims.models import ClaimKind, ClaimSource, ItemOutcome

REGIME_LEGAL_GROUND = {
    ClaimKind.COPYRIGHT: "Copyright infringement: Directive 2001/29/EC (InfoSoc) Art. 2 and 3, Directive (EU) 2019/790 "
    "Art. 17, and the national copyright law of the Member States concerned",
    ClaimKind.TRADEMARK: "Trade mark infringement: Regulation (EU) 2017/1001 Art. 9 and Directive (EU) 2015/2436 Art. 10",
}
KEYWORD = {ClaimKind.COPYRIGHT: "KEYWORD_COPYRIGHT_INFRINGEMENT", ClaimKind.TRADEMARK: "KEYWORD_TRADEMARK_INFRINGEMENT"}
VISIBILITY = {
    ItemOutcome.REMOVED: "DECISION_VISIBILITY_CONTENT_REMOVED",
    ItemOutcome.DISABLED: "DECISION_VISIBILITY_CONTENT_DISABLED",
    ItemOutcome.GEO_BLOCKED: "DECISION_VISIBILITY_CONTENT_DISABLED",
    # A restored item was removed first; the statement is about that removal (a later reversal is an update).
    ItemOutcome.RESTORED: "DECISION_VISIBILITY_CONTENT_REMOVED",
}
# Measures that apply everywhere when the decision names no territory; a geo-block without one covers no EEA country.
EVERYWHERE = frozenset({ItemOutcome.REMOVED, ItemOutcome.DISABLED, ItemOutcome.RESTORED})
SOURCE_TYPE = {
    ClaimSource.TRUSTED_FLAGGER: "SOURCE_TRUSTED_FLAGGER",
    ClaimSource.NOTICE: "SOURCE_ARTICLE_16",
    ClaimSource.PARTNER: "SOURCE_ARTICLE_16",
    ClaimSource.PRESS: "SOURCE_ARTICLE_16",
    ClaimSource.AUTHORITY: "SOURCE_TYPE_OTHER_NOTIFICATION",
    ClaimSource.EMAIL: "SOURCE_ARTICLE_16",  # an Art. 16 notice that reached the agent by email (ipclaims.mailroom)
}
_EXTENSIONS = {
    "CONTENT_TYPE_IMAGE": (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".bmp", ".tif", ".tiff"),
    "CONTENT_TYPE_VIDEO": (".mp4", ".mov", ".webm", ".mkv", ".avi"),
    "CONTENT_TYPE_AUDIO": (".mp3", ".wav", ".ogg", ".flac", ".m4a"),
}


@cache
def lists() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resources.files("ipclaims.reports").joinpath("dsa_lists.json").read_text())
    return data


def eea_scope(outcome: ItemOutcome, scope: list[str] | None) -> list[str]:
    """The EEA countries the measure covers (Greece is `GR` in the database, `EL` in EU usage)."""
    eea = lists()["eea_countries"]
    if not scope:
        return list(eea) if outcome in EVERYWHERE else []
    named = {"GR" if str(c).upper() == "EL" else str(c).upper() for c in scope}
    return [c for c in eea if c in named]


def content_type(url: str | None, kind: ClaimKind) -> str:
    path = (url or "").split("?", 1)[0].lower()
    for value, endings in _EXTENSIONS.items():
        if path.endswith(endings):
            return value
    return "CONTENT_TYPE_PRODUCT" if kind == ClaimKind.TRADEMARK else "CONTENT_TYPE_OTHER"


def statement(row: Any, scope: list[str]) -> dict[str, Any]:
    """One statement from an item row (`repository.dsa_rows`): decision facts only, no party's data."""
    kind, outcome = ClaimKind(row.kind), ItemOutcome(row.outcome)
    ctype = content_type(row.url, kind)
    regime = "the DSA notice-and-action procedure (Art. 16)" if row.regime == "EU_DSA" else "the trade mark policy"
    facts = (
        f"A notice received on {row.received_at.date().isoformat()} under {regime} reported this item as an "
        f"{'infringing copy of a protected work' if kind == ClaimKind.COPYRIGHT else 'infringing use of a trade mark'}. "
        f"A reviewer assessed the notice's required elements and the reported content and applied the measure "
        f"'{outcome.value.replace('_', ' ')}' on {row.decided_at.date().isoformat()}."
    )
    out: dict[str, Any] = {
        "decision_visibility": [VISIBILITY[outcome]],
        "decision_ground": "DECISION_GROUND_ILLEGAL_CONTENT",
        "illegal_content_legal_ground": REGIME_LEGAL_GROUND[kind],
        "illegal_content_explanation": (
            "The notifier holds or represents the right and identified the work and the "
            "infringing item; the use was found not to be authorised by the right holder or "
            "covered by an exception or limitation."
        ),
        "category": "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
        "category_specification": [KEYWORD[kind]],
        "content_type": [ctype],
        "territorial_scope": scope,
        # When the platform did not say when the content was posted: the day it was reported (CONTRACT.md).
        "content_date": row.received_at.date().isoformat(),
        "application_date": row.decided_at.date().isoformat(),
        "decision_facts": facts,
        "source_type": SOURCE_TYPE[ClaimSource(row.source)],
        "automated_detection": "No",
        "automated_decision": ("AUTOMATED_DECISION_NOT_AUTOMATED" if row.decided_by_id else "AUTOMATED_DECISION_FULLY"),
        "puid": f"ipclaims-{row.id}",
    }
    if ctype == "CONTENT_TYPE_OTHER":
        out["content_type_other"] = "Online content reported by URL"
    return out


def problems(s: dict[str, Any]) -> list[str]:
    """Every way `s` breaks the database's rules (empty when it may be sent)."""
    rules = lists()
    errors: list[str] = []

    def allowed(field: str, values: Any, choices: list[str]) -> None:
        if not isinstance(values, list) or not values or any(v not in choices for v in values):
            errors.append(f"{field}: not a non-empty list of {field} values")

    def one_of(field: str, choices: list[str]) -> None:
        if s.get(field) not in choices:
            errors.append(f"{field}: not one of the allowed values")

    def text(field: str, required: bool = True) -> None:
        value = s.get(field)
        if value is None and not required:
            return
        if not isinstance(value, str) or not value.strip() or len(value) > rules["max_length"][field]:
            errors.append(f"{field}: required text of at most {rules['max_length'][field]} characters")

    if not any(s.get(f) for f in ("decision_visibility", "decision_monetary", "decision_provision", "decision_account")):
        errors.append("decision: at least one of visibility, monetary, provision, account")
    if "decision_visibility" in s:
        allowed("decision_visibility", s["decision_visibility"], rules["decision_visibility"])
        if "DECISION_VISIBILITY_OTHER" in (s["decision_visibility"] or []):
            text("decision_visibility_other")
    one_of("decision_ground", rules["decision_ground"])
    if s.get("decision_ground") == "DECISION_GROUND_ILLEGAL_CONTENT":
        text("illegal_content_legal_ground")
        text("illegal_content_explanation")
    one_of("category", rules["category"])
    allowed("category_specification", s.get("category_specification"), rules["category_specification"].get(s.get("category"), []))
    allowed("content_type", s.get("content_type"), rules["content_type"])
    if "CONTENT_TYPE_OTHER" in (s.get("content_type") or []):
        text("content_type_other")
    allowed("territorial_scope", s.get("territorial_scope"), rules["eea_countries"])
    latest = rules["latest_date"]  # StatementStoreRequest.php: before_or_equal:2038-01-01 on every date
    for field, earliest in (("content_date", rules["earliest_content_date"]), ("application_date", rules["earliest_application_date"])):
        if not _date_at_least(s.get(field), earliest) or s[field] > latest:
            errors.append(f"{field}: a YYYY-MM-DD date from {earliest} to {latest}")
    if (
        _date_at_least(s.get("content_date"), "2000-01-01")
        and _date_at_least(s.get("application_date"), "2000-01-01")
        and s["content_date"] > s["application_date"]
    ):
        errors.append("content_date: after application_date")
    text("decision_facts")
    one_of("source_type", rules["source_type"])
    one_of("automated_detection", rules["automated_detection"])
    one_of("automated_decision", rules["automated_decision"])
    text("puid")
    if not re.fullmatch(rules["puid_pattern"], str(s.get("puid", ""))):
        errors.append("puid: not of the allowed characters")
    return errors


def _date_at_least(value: Any, earliest: str) -> bool:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return value >= earliest


def build_page(rows: list[Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Statements of a page of item rows, and the items whose statement would break the rules (never sent)."""
    statements, rejected = [], []
    for row in rows:
        scope = eea_scope(ItemOutcome(row.outcome), row.territorial_scope)
        if not scope:
            continue  # the measure covers no EEA country: no statement (CONTRACT.md)
        s = statement(row, scope)
        errors = problems(s)
        if errors:
            rejected.append({"puid": s["puid"], "errors": errors})
        else:
            statements.append(s)
    return statements, rejected
