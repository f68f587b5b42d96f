"""Reports and transparency exports (CONTRACT.md "Reports and exports"): staff only; holders get 403."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from ipclaims.auth.deps import StaffUser
from ipclaims.config import get_settings
from ipclaims.db import DbSession
from ipclaims.reports import exports, service
from ipclaims.reports.schemas import DsaCounts, LumenPage, StatementPage, Summary

router = APIRouter(prefix="/api/v1", tags=["reports"])

From = Annotated[dt.date | None, Query(alias="from", description="first day, inclusive (UTC); default 29 days before `to`")]
To = Annotated[dt.date | None, Query(description="last day, inclusive (UTC); default today")]
Cursor = Annotated[str | None, Query(description="`next_cursor` of the previous page")]


@router.get("/reports/summary", response_model=Summary, responses={200: {"content": {"text/csv": {}}}})
def summary(
    session: DbSession,
    _actor: StaffUser,
    from_: From = None,
    to: To = None,
    format: Literal["json", "csv"] = "json",  # the contract names it `format`
    table: Literal[
        "claims", "items", "incomplete", "notifiers", "weekly", "notifiers_weekly", "first_action_by_source", "counter_notice_rates"
    ] = "claims",
) -> Any:
    start, end, r = service.date_range(from_, to)
    if format == "csv":
        filename = f"{table}_{start.isoformat()}_{end.isoformat()}.csv"
        return StreamingResponse(
            service.csv_stream(table, start, end, r),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    return service.summary(session, start, end, r)


@router.get("/exports/dsa-statements", response_model=StatementPage)
def dsa_statements(session: DbSession, _actor: StaffUser, from_: From = None, to: To = None, cursor: Cursor = None) -> Any:
    _start, _end, r = service.date_range(from_, to)
    return exports.dsa_statements(session, r, cursor)


@router.get("/exports/dsa-counts", response_model=DsaCounts)
def dsa_counts(session: DbSession, _actor: StaffUser, from_: From = None, to: To = None) -> Any:
    start, end, r = service.date_range(from_, to)
    return exports.dsa_counts(session, start, end, r)


@router.get("/exports/lumen", response_model=LumenPage)
def lumen(session: DbSession, _actor: StaffUser, from_: From = None, to: To = None, cursor: Cursor = None) -> Any:
    _start, _end, r = service.date_range(from_, to)
    return exports.lumen(session, r, cursor, exports.recipient_name(get_settings()))
