"""Complete example notices, one per regime and counter-notice, in the CONTRACT.md request shape.

Each function returns a fresh deep copy, so a test may mutate what it gets. `changed` applies a list of edits given as
(path, value) pairs, where the value `REMOVE` deletes the key: the tables in the tests read as "this notice, but …".
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

REMOVE = object()

Path = tuple[str | int, ...]
Change = tuple[Path, Any]

_US_ADDRESS = {
    "street": "1 Main Street",
    "city": "New York",
    "region": "NY",
    "postal_code": "10001",
    "country": "US",
}

_US_CLAIM: dict[str, Any] = {
    "kind": "copyright",
    "regime": "US_DMCA",
    "complainant": {
        "name": "Ada Rights",
        "organization": "Rights Co",
        "email": "ada@rights.example.com",
        "phone": "+1 212 555 0100",
        "fax": None,
        "address": _US_ADDRESS,
        "relationship": "owner",
    },
    "rights_owner": None,
    "works": [
        {
            "title": "Sunset Song",
            "description": "Music video, 2024",
            "urls": ["https://rights.example.com/sunset"],
            "reference_work_id": None,
            "registration_number": "PA0002345678",
        }
    ],
    "items": [
        {"url": "https://video.example.com/watch?v=abc123", "description": "full copy", "work": 0},
        {"url": "https://video.example.com/v/xyz789", "description": None, "work": 0},
    ],
    "explanation": "Both videos copy the whole of our music video.",
    "statements": {
        "good_faith": True,
        "accuracy": True,
        "authority_under_penalty_of_perjury": True,
        "fair_use_considered": True,
    },
    "signature": {"name": "/s/ Ada Rights", "date": "2026-01-05"},
}

_EU_CLAIM: dict[str, Any] = {
    "kind": "copyright",
    "regime": "EU_DSA",
    "complainant": {"name": "Agathe Droit", "email": "agathe@droits.example.fr", "relationship": "owner"},
    "items": [{"url": "https://video.example.com/watch?v=abc123", "description": None, "work": None}],
    "explanation": "The video reproduces our film 'Le Phare' in full; we hold the reproduction right.",
    "statements": {"bona_fide": True},
}

_SG_CLAIM: dict[str, Any] = {
    "kind": "copyright",
    "regime": "SG_CA2021",
    "complainant": {
        "name": "Tan Ah Kow",
        "email": "tan@rights.example.sg",
        "phone": "+65 6123 4567",
        "fax": None,
        # No city: Singapore is a city-state, street and country locate the complainant.
        "address": {"street": "1 Raffles Place #20-01", "city": None, "postal_code": "048616", "country": "SG"},
        "relationship": "owner",
    },
    "works": [{"title": "Merlion Dawn", "description": None, "urls": [], "reference_work_id": None}],
    "items": [{"url": "https://video.example.com/watch?v=sg001", "description": "re-upload", "work": 0}],
    "statements": {"removal_requested": True, "accuracy": True},
    "signature": {"name": "Tan Ah Kow", "date": "2026-02-01"},
}

_TM_CLAIM: dict[str, Any] = {
    "kind": "trademark",
    "regime": "TM_POLICY",
    "complainant": {
        "name": "Acme Brand Protection",
        "email": "brand@acme.example.com",
        "phone": None,
        "address": _US_ADDRESS,
        "relationship": "owner",
    },
    "items": [{"url": "https://shop.example.com/listing/12345", "description": "fake ACME phones", "work": None}],
    "trademark": {
        "mark": "ACME",
        "registration_number": "1234567",
        "registry": "USPTO",
        "jurisdictions": ["US"],
        "nice_classes": [9, 35],
        "goods_services": "Mobile phones; retail store services featuring mobile phones",
        "infringement_type": "counterfeit",
    },
    "statements": {"good_faith": True, "accuracy": True, "fair_use_considered": True},
    "signature": {"name": "Jo Acme", "date": "2026-03-01"},
}

_US_COUNTER: dict[str, Any] = {
    "subscriber": {
        "name": "Uma Uploader",
        "email": "uma@mail.example.com",
        "phone": "+1 415 555 0199",
        "address": {
            "street": "2 Market St",
            "city": "San Francisco",
            "region": "CA",
            "postal_code": "94105",
            "country": "US",
        },
    },
    "material": "My cover video, formerly at https://video.example.com/watch?v=abc123",
    "statements": {
        "mistake_or_misidentification": True,
        "not_infringing": False,
        "under_penalty_of_perjury": True,
        "jurisdiction_consent": True,
        "service_acceptance": True,
        "accuracy": True,
    },
    "sg_address_for_service": None,
    "signature": {"name": "Uma Uploader", "date": "2026-01-10"},
}

_SG_RESTORATION: dict[str, Any] = {
    "subscriber": {
        "name": "Lim Mei Ling",
        "email": "meiling@mail.example.sg",
        "phone": "+65 9123 4567",
        "address": {"street": "10 Bayfront Ave", "city": None, "postal_code": "018956", "country": "Singapore"},
    },
    "material": "Dance video, formerly at https://video.example.com/watch?v=sg001",
    "statements": {
        "mistake_or_misidentification": True,
        "not_infringing": False,
        "under_penalty_of_perjury": False,
        "jurisdiction_consent": True,
        "service_acceptance": False,
        "accuracy": True,
    },
    "sg_address_for_service": None,
    "signature": {"name": "Lim Mei Ling", "date": "2026-02-20"},
}

_CLAIMS = {"US_DMCA": _US_CLAIM, "EU_DSA": _EU_CLAIM, "SG_CA2021": _SG_CLAIM, "TM_POLICY": _TM_CLAIM}
_COUNTERS = {"US_DMCA": _US_COUNTER, "SG_CA2021": _SG_RESTORATION}


def complete_claim(regime: str) -> dict[str, Any]:
    return copy.deepcopy(_CLAIMS[regime])


def complete_counter_notice(regime: str) -> dict[str, Any]:
    return copy.deepcopy(_COUNTERS[regime])


def changed(notice: dict[str, Any], changes: Iterable[Change]) -> dict[str, Any]:
    result = copy.deepcopy(notice)
    for path, value in changes:
        target: Any = result
        for key in path[:-1]:
            if isinstance(target, dict) and target.get(key) is None:
                target[key] = {}
            target = target[key]
        if value is REMOVE:
            if isinstance(target, dict):
                target.pop(path[-1], None)
            else:
                del target[path[-1]]
        else:
            target[path[-1]] = copy.deepcopy(value)
    return result
