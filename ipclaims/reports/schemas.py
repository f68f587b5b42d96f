"""Response shapes of the reports and exports (CONTRACT.md "Reports and exports")."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Hours(BaseModel):
    median: float | None
    p90: float | None
    n: int


class Claims(BaseModel):
    total: int
    by_regime: dict[str, int]
    by_kind: dict[str, int]
    by_status: dict[str, int]
    by_source: dict[str, int]


class Items(BaseModel):
    total: int
    by_outcome: dict[str, int]


class ElementGap(BaseModel):
    regime: str
    code: str
    missing: int
    deficient: int
    share: float


class Incomplete(BaseModel):
    share: float
    by_element: list[ElementGap]


class CounterNotices(BaseModel):
    received: int
    forwarded: int
    restored: int
    litigation_hold: int


class Notifier(BaseModel):
    account_id: str
    name: str
    claims: int
    items_decided: int
    unfounded_rate: float


class Week(BaseModel):
    week: str
    received: int
    decided: int
    median_hours_to_decision: float | None


class NotifierSeries(BaseModel):
    account_id: str | None = Field(description="null for the `others` series")
    name: str
    claims: list[int] = Field(description="claims received per week, one per entry of `weeks`")
    total: int


class NotifiersWeekly(BaseModel):
    top: int
    weeks: list[str]
    series: list[NotifierSeries]


class SourceSla(BaseModel):
    source: str
    claims: int
    acted: int
    median_hours: float | None
    p90_hours: float | None
    within_sla: int
    late: int
    overdue: int
    open: int
    within_sla_share: float


class CounterNoticeRates(BaseModel):
    actioned_items: int
    counter_notices: int
    restored: int
    counter_notice_rate: float
    restoration_rate: float


class Trends(BaseModel):
    notifiers_weekly: NotifiersWeekly
    first_action_by_source: list[SourceSla]
    counter_notices: CounterNoticeRates


class Summary(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    claims: Claims
    items: Items
    hours_to_first_action: Hours
    hours_to_decision: Hours
    incomplete: Incomplete
    counter_notices: CounterNotices
    notifiers: list[Notifier]
    weekly: list[Week]
    trends: Trends


class StatementPage(BaseModel):
    statements: list[dict[str, Any]]
    next_cursor: str | None
    rejected: list[dict[str, Any]] = Field(
        description="items whose statement would break the database's rules: not sent, listed with the rule they break"
    )


class DsaCounts(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    notices: dict[str, Any]
    trusted_flagger_notices: int
    actions: dict[str, int]
    automated_means: int
    median_hours_to_action: float | None
    actions_timed: int


class LumenPage(BaseModel):
    notices: list[dict[str, Any]]
    next_cursor: str | None
