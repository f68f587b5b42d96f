"""`/reports` (staff): the summary's figures, SVG charts with their data tables, the range form and CSV links."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.reports.seed import seed
from tests.web.browser import Live, Shots, sign_in
from tests.web.conftest import WebUser

RANGE = "from=2026-11-02&to=2026-11-15"


@pytest.fixture
def seeded(session: Session, make_web_user: Callable[..., WebUser]) -> WebUser:
    a = make_web_user("rights_holder", name="Notifier A")
    b = make_web_user("rights_holder", name="Notifier B")
    staff = make_web_user("specialist", name="Sam Specialist")
    seed(session, owner_a=a.id, owner_b=b.id, staff=staff.id)
    session.commit()
    return staff


def test_the_page_shows_the_summary_and_its_csv(seeded: WebUser, signed_in: Callable[[WebUser], Any]) -> None:
    client = signed_in(seeded)
    r = client.get(f"/reports?{RANGE}")
    assert r.status_code == 200, r.text
    html = r.text
    assert "Claims received from 2026-11-02 to 2026-11-15 (inclusive, UTC): <strong>4</strong>" in html
    # Three charts, each an accessible image with a title and a description, each followed by its data table.
    assert len(re.findall(r'<svg viewBox="0 0 640 260" width="100%" role="img" aria-labelledby="chart-', html)) == 3
    for title in ("Claims received and items decided per week", "Median hours to decision per week", "Claims per week by notifier"):
        assert "<title id=" in html and f">{title}</title>" in html
        assert f"<caption>Data of the chart: {title}</caption>" in html
    # Week 46's decisions: 10 h and 24 h → median 17 (the even case); the partner's first action was late.
    cells = re.sub(r' data-label="[^"]*"', "", html)
    assert '<tr><th scope="row">2026-W46</th><td>2</td><td>2</td></tr>' in cells
    assert '<tr><th scope="row">2026-W46</th><td>17.0</td></tr>' in cells
    assert re.search(r'<th scope="row">partner</th><td>1</td><td>1</td><td>10.0</td><td>10.0</td><td>0</td><td>1</td>', cells)
    links = re.findall(r'href="(/reports/csv\?[^"]+)"', html)
    assert len(links) == 8  # one per table: claims, items, SLA by source, weekly, per notifier, elements, rates, notifiers
    got = client.get(links[-1].replace("&amp;", "&"))
    assert got.status_code == 200 and got.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert {row["name"]: row["claims"] for row in rows} == {"Notifier A": "2", "Notifier B": "2"}


def test_a_reversed_range_is_explained_on_the_page(seeded: WebUser, signed_in: Callable[[WebUser], Any]) -> None:
    r = signed_in(seeded).get("/reports?from=2026-11-15&to=2026-11-02")
    assert r.status_code == 422
    assert 'role="alert"' in r.text and "That date range cannot be shown" in r.text


def test_holders_get_403_and_signed_out_users_the_sign_in(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], Any], web_client: Any
) -> None:
    holder = signed_in(make_web_user("rights_holder"))
    assert holder.get("/reports").status_code == 403
    assert holder.get("/reports/csv?table=claims").status_code == 403
    r = web_client.get(f"/reports?{RANGE}")
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=/reports")


def test_the_page_in_a_browser_passes_axe_at_both_widths(seeded: WebUser, page: Any, live: Live, shots: Shots) -> None:
    sign_in(page, live, seeded.email, seeded.password)
    live.console_errors.clear()  # a specialist lands on /queue, which another branch builds (404 until then)
    page.goto(live.url("/reports"))
    page.get_by_label("From (first day, UTC)").fill("2026-11-02")
    page.get_by_label("To (last day, UTC)").fill("2026-11-15")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(live.url(f"/reports?{RANGE}"))
    assert page.get_by_role("heading", level=1).inner_text() == "Reports"
    assert page.get_by_role("img", name="Claims per week by notifier").count() == 1
    shots(page, "reports")  # axe (no serious or critical violation) and no sideways scroll, at 1280 and 390 px
    assert not live.console_errors, live.console_errors
