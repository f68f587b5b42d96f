"""`/reports` (staff): the summary's figures and trends for a date range, weekly charts as inline SVG with a data
table for each, and a CSV download per table (`/reports/csv`, the same CSV as the API's `?format=csv`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, StreamingResponse

from ipclaims.db import DbSession
from ipclaims.errors import Unprocessable
from ipclaims.reports import service
from ipclaims.web.auth import StaffUser
from ipclaims.web.charts import report_charts
from ipclaims.web.templating import render

router = APIRouter()

From = Annotated[dt.date | None, Query(alias="from")]
To = Annotated[dt.date | None, Query()]
Table = Literal[
    "claims", "items", "incomplete", "notifiers", "weekly", "notifiers_weekly", "first_action_by_source", "counter_notice_rates"
]


@router.get("/reports", include_in_schema=False)
def reports_page(request: Request, session: DbSession, _user: StaffUser, from_: From = None, to: To = None) -> HTMLResponse:
    try:
        start, end, r = service.date_range(from_, to)
    except Unprocessable as exc:
        context: dict[str, Any] = {"report": None, "error": exc.detail, "start": from_, "end": to, "charts": []}
        return render(request, "reports.html", context, status_code=422)
    report = service.summary(session, start, end, r)
    context = {"report": report, "error": None, "start": start, "end": end, "charts": report_charts(report)}
    return render(request, "reports.html", context)


@router.get("/reports/csv", include_in_schema=False)
def reports_csv(_user: StaffUser, table: Table = "claims", from_: From = None, to: To = None) -> StreamingResponse:
    start, end, r = service.date_range(from_, to)
    return StreamingResponse(
        service.csv_stream(table, start, end, r),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{table}_{start.isoformat()}_{end.isoformat()}.csv"'},
    )
