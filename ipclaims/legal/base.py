"""Shared vocabulary of the legal checkers: element results, the checker protocol and the table-driven regime.

Every regime is a table of (code, citation, check) rows in the order of DOMAIN.md §2; a check looks at the notice as
submitted (CONTRACT.md request shape, a plain mapping) and returns present / missing / deficient with a detail for the
notifier. Nothing here touches a database, a request or the clock: the same notice always yields the same report.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple, Protocol


class ElementStatus(StrEnum):
    PRESENT = "present"
    MISSING = "missing"
    DEFICIENT = "deficient"


@dataclass(frozen=True)
class ElementResult:
    code: str
    status: ElementStatus
    citation: str
    detail: str


@dataclass(frozen=True)
class CheckContext:
    # Lower-case host names whose URLs are on this platform (IPCLAIMS_PLATFORM_HOSTS); empty accepts any http(s) host.
    platform_hosts: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Completeness:
    complete: bool
    curable: bool
    elements: tuple[ElementResult, ...]

    def missing_codes(self) -> list[str]:
        return [e.code for e in self.elements if e.status is not ElementStatus.PRESENT]


@dataclass(frozen=True)
class Finding:
    """What one element check concludes; the regime table adds the code and citation."""

    status: ElementStatus
    detail: str


def present(detail: str) -> Finding:
    return Finding(ElementStatus.PRESENT, detail)


def missing(detail: str) -> Finding:
    return Finding(ElementStatus.MISSING, detail)


def deficient(detail: str) -> Finding:
    return Finding(ElementStatus.DEFICIENT, detail)


CheckFn = Callable[[Mapping[str, Any], CheckContext], Finding]


class Element(NamedTuple):
    code: str
    citation: str
    check: CheckFn


class Checker(Protocol):
    """One regime's notice (or counter-notice) as a table; `curable` decides what a gap means for the workflow."""

    @property
    def code(self) -> str: ...

    @property
    def elements(self) -> tuple[Element, ...]: ...

    def curable(self, results: Sequence[ElementResult]) -> bool: ...


@dataclass(frozen=True)
class Regime:
    code: str
    elements: tuple[Element, ...]
    # Codes that must be present for an incomplete notice to be curable rather than ignored. Empty: any incomplete
    # notice is curable (the notifier is simply asked for what is missing, DOMAIN.md §2 "An incomplete claim is not an
    # invalid request"). US_DMCA sets the § 512(c)(3)(B)(ii) floor.
    curable_floor: tuple[str, ...] = ()

    def curable(self, results: Sequence[ElementResult]) -> bool:
        if all(r.status is ElementStatus.PRESENT for r in results):
            return False
        status = {r.code: r.status for r in results}
        return all(status.get(code) is ElementStatus.PRESENT for code in self.curable_floor)

    def codes(self) -> tuple[str, ...]:
        return tuple(e.code for e in self.elements)


def evaluate(checker: Checker, notice: Mapping[str, Any], ctx: CheckContext) -> Completeness:
    results: list[ElementResult] = []
    for element in checker.elements:
        finding = element.check(notice, ctx)
        results.append(ElementResult(element.code, finding.status, element.citation, finding.detail))
    complete = all(r.status is ElementStatus.PRESENT for r in results)
    return Completeness(complete=complete, curable=checker.curable(results), elements=tuple(results))
