"""Legal completeness checks and clocks (DOMAIN.md §2). Pure: no database, no web framework, no I/O.

The service layer calls `check_claim` / `check_counter_notice` with the notice exactly as submitted (CONTRACT.md
request shape) and stores the resulting `Completeness`; `restore_window` gives the counter-notice dates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ipclaims.legal import dmca, dsa, sg, trademark
from ipclaims.legal.base import (
    CheckContext,
    Checker,
    Completeness,
    Element,
    ElementResult,
    ElementStatus,
    Regime,
    evaluate,
)
from ipclaims.legal.clock import (
    RestoreWindow,
    business_days_after,
    clock_zone,
    has_restore_window,
    restore_day,
    restore_window,
    sg_business_day,
    us_business_day,
)
from ipclaims.legal.fields import item_location

REGIMES: tuple[str, ...] = ("US_DMCA", "EU_DSA", "SG_CA2021", "TM_POLICY")

_NOTICES: dict[str, Checker] = {
    dmca.CODE: dmca.NOTICE,
    dsa.CODE: dsa.NOTICE,
    sg.CODE: sg.NOTICE,
    trademark.CODE: trademark.NOTICE,
}

# Only regimes with a statutory put-back procedure have counter-notices: § 512(g)(3) and reg 80(4). The EU uploader
# uses the Art. 20 internal complaint instead, and trademark reports have no statutory counter-notice at all.
_COUNTER_NOTICES: dict[str, Checker] = {
    dmca.CODE: dmca.COUNTER_NOTICE,
    sg.CODE: sg.RESTORATION_NOTICE,
}


def _notice_checker(regime: str) -> Checker:
    try:
        return _NOTICES[regime]
    except KeyError:
        raise ValueError(f"unknown regime {regime!r}; expected one of {', '.join(REGIMES)}") from None


def check_claim(regime: str, notice: Mapping[str, Any], ctx: CheckContext) -> Completeness:
    return evaluate(_notice_checker(regime), notice, ctx)


def counter_notice_regime(regime: str) -> str | None:
    """The regime whose counter-notice rules apply to a claim under `regime`, or None when it has none."""
    _notice_checker(regime)
    return regime if regime in _COUNTER_NOTICES else None


def _counter_checker(regime: str) -> Checker:
    if counter_notice_regime(regime) is None:
        raise ValueError(f"regime {regime!r} has no statutory counter-notice")
    return _COUNTER_NOTICES[regime]


def check_counter_notice(regime: str, notice: Mapping[str, Any], ctx: CheckContext) -> Completeness:
    return evaluate(_counter_checker(regime), notice, ctx)


def element_codes(regime: str) -> tuple[str, ...]:
    return tuple(e.code for e in _notice_checker(regime).elements)


def counter_element_codes(regime: str) -> tuple[str, ...]:
    return tuple(e.code for e in _counter_checker(regime).elements)


__all__ = [
    "REGIMES",
    "CheckContext",
    "Checker",
    "Completeness",
    "Element",
    "ElementResult",
    "ElementStatus",
    "Regime",
    "RestoreWindow",
    "business_days_after",
    "check_claim",
    "check_counter_notice",
    "clock_zone",
    "counter_element_codes",
    "counter_notice_regime",
    "element_codes",
    "has_restore_window",
    "item_location",
    "judged",
    "restore_day",
    "restore_window",
    "sg_business_day",
    "us_business_day",
]


def judged(regime: str, results: Sequence[ElementResult], *, counter_notice: bool = False) -> Completeness:
    """A completeness from results judged elsewhere (a notice's text read as NOTICES.md reads it), with the regime's
    own rule for `curable`."""
    checker = _counter_checker(regime) if counter_notice else _notice_checker(regime)
    complete = all(r.status is ElementStatus.PRESENT for r in results)
    return Completeness(complete=complete, curable=checker.curable(results), elements=tuple(results))
