"""An independent check of a statement of reasons against the DSA Transparency Database's own rules.

Written from github digital-services-act/transparency-database (`app/Models/Statement.php`: the enums;
`app/Http/Requests/StatementStoreRequest.php`: required fields, `required_if`, max lengths) and DOMAIN.md §5
(`puid` ^[a-zA-Z0-9-_]+$ ≤ 500, `content_date` ≥ 2000-01-01, dates YYYY-MM-DD, the July 2025 keyword list). It
deliberately shares no code or data with `ipclaims.reports.dsa`, so a wrong list there fails here.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

VISIBILITY = {
    "DECISION_VISIBILITY_CONTENT_REMOVED",
    "DECISION_VISIBILITY_CONTENT_DISABLED",
    "DECISION_VISIBILITY_CONTENT_DEMOTED",
    "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED",
    "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED",
    "DECISION_VISIBILITY_CONTENT_LABELLED",
    "DECISION_VISIBILITY_OTHER",
}
GROUNDS = {"DECISION_GROUND_ILLEGAL_CONTENT", "DECISION_GROUND_INCOMPATIBLE_CONTENT"}
IP_KEYWORDS = {
    "KEYWORD_COPYRIGHT_INFRINGEMENT",
    "KEYWORD_DESIGN_INFRINGEMENT",
    "KEYWORD_GEOGRAPHIC_INDICATIONS_INFRINGEMENT",
    "KEYWORD_PATENT_INFRINGEMENT",
    "KEYWORD_TRADE_SECRET_INFRINGEMENT",
    "KEYWORD_TRADEMARK_INFRINGEMENT",
    "KEYWORD_OTHER",
}
CONTENT_TYPES = {
    "CONTENT_TYPE_APP",
    "CONTENT_TYPE_AUDIO",
    "CONTENT_TYPE_SYNTHETIC_MEDIA",
    "CONTENT_TYPE_IMAGE",
    "CONTENT_TYPE_PRODUCT",
    "CONTENT_TYPE_TEXT",
    "CONTENT_TYPE_VIDEO",
    "CONTENT_TYPE_OTHER",
}
SOURCE_TYPES = {"SOURCE_ARTICLE_16", "SOURCE_TRUSTED_FLAGGER", "SOURCE_TYPE_OTHER_NOTIFICATION", "SOURCE_VOLUNTARY"}
AUTOMATED_DECISIONS = {"AUTOMATED_DECISION_FULLY", "AUTOMATED_DECISION_PARTIALLY", "AUTOMATED_DECISION_NOT_AUTOMATED"}
# EuropeanCountriesService::EUROPEAN_COUNTRY_CODES: the EU 27 and Iceland, Liechtenstein, Norway; Greece is GR.
EEA = {
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
    "IS",
    "LI",
    "NO",
}
KNOWN_FIELDS = {
    "decision_visibility",
    "decision_visibility_other",
    "decision_monetary",
    "decision_monetary_other",
    "decision_provision",
    "decision_account",
    "account_type",
    "decision_ground",
    "illegal_content_legal_ground",
    "illegal_content_explanation",
    "incompatible_content_ground",
    "incompatible_content_explanation",
    "incompatible_content_illegal",
    "category",
    "category_specification",
    "content_type",
    "content_type_other",
    "territorial_scope",
    "content_date",
    "application_date",
    "end_date",
    "decision_facts",
    "source_type",
    "source",
    "automated_detection",
    "automated_decision",
    "url",
    "puid",
}


def _text(s: dict[str, Any], field: str, limit: int) -> list[str]:
    v = s.get(field)
    return [] if isinstance(v, str) and v.strip() and len(v) <= limit else [f"{field} required, ≤ {limit}"]


LATEST = date(2038, 1, 1)  # before_or_equal:2038-01-01 on every date (StatementStoreRequest.php, 2026-06 revision)


def _day(v: Any, earliest: str) -> bool:
    if not isinstance(v, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        return False
    try:
        return date.fromisoformat(earliest) <= date.fromisoformat(v) <= LATEST
    except ValueError:
        return False


def errors(s: dict[str, Any]) -> list[str]:
    out = [f"unknown field {k}" for k in s if k not in KNOWN_FIELDS]
    if not any(s.get(k) for k in ("decision_visibility", "decision_monetary", "decision_provision", "decision_account")):
        out.append("one decision required")
    vis = s.get("decision_visibility")
    if vis is not None and (not isinstance(vis, list) or not set(vis) <= VISIBILITY):
        out.append("decision_visibility")
    if isinstance(vis, list) and "DECISION_VISIBILITY_OTHER" in vis:
        out += _text(s, "decision_visibility_other", 500)
    if s.get("decision_ground") not in GROUNDS:
        out.append("decision_ground")
    if s.get("decision_ground") == "DECISION_GROUND_ILLEGAL_CONTENT":
        out += _text(s, "illegal_content_legal_ground", 500) + _text(s, "illegal_content_explanation", 2000)
    if s.get("category") != "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS":
        out.append("category")
    spec = s.get("category_specification")
    if not isinstance(spec, list) or not spec or not set(spec) <= IP_KEYWORDS:
        out.append("category_specification")
    ct = s.get("content_type")
    if not isinstance(ct, list) or not ct or not set(ct) <= CONTENT_TYPES:
        out.append("content_type")
    if isinstance(ct, list) and "CONTENT_TYPE_OTHER" in ct:
        out += _text(s, "content_type_other", 500)
    scope = s.get("territorial_scope")
    if not isinstance(scope, list) or not scope or not set(scope) <= EEA or len(set(scope)) != len(scope):
        out.append("territorial_scope")
    if not _day(s.get("content_date"), "2000-01-01"):
        out.append("content_date")
    if not _day(s.get("application_date"), "2020-01-01"):
        out.append("application_date")
    elif _day(s.get("content_date"), "2000-01-01") and s["content_date"] > s["application_date"]:
        out.append("content_date after application_date")
    out += _text(s, "decision_facts", 5000)
    if s.get("source_type") not in SOURCE_TYPES:
        out.append("source_type")
    if s.get("automated_detection") not in ("Yes", "No"):
        out.append("automated_detection")
    if s.get("automated_decision") not in AUTOMATED_DECISIONS:
        out.append("automated_decision")
    puid = s.get("puid")
    if not isinstance(puid, str) or not re.fullmatch(r"[a-zA-Z0-9\-_]{1,500}", puid):
        out.append("puid")
    return out
