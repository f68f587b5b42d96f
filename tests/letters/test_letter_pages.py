"""Every letter kind × regime as a reader sees it: addressed to exactly its recipient, and laid out inside the page.

Each PDF is rasterised (`pdftoppm -png -r 60`, as issue 17 asks for the eye check) and its words' boxes
(`pdftotext -bbox`) must sit inside the printable area: a URL, a citation or a table column that runs off the page
edge fails here. Set `IPCLAIMS_LETTER_PNG_DIR` to keep the PNGs for a person to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from ipclaims.db import session_scope
from ipclaims.models import CounterNotice
from ipclaims.review.counter_notices import restore
from tests.conftest import Actor
from tests.letters.helpers import COUNTER_REGIMES, HAVE_POPPLER, INTERNAL, REGIMES, countered, decided, letter, pdf_text, save
from tests.review.flows import submit

pytestmark = pytest.mark.skipif(not HAVE_POPPLER or shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")

# Who each kind is addressed to (DOMAIN.md §4; a counter-notice's letters go with the notifier's copy of its mail).
TO_UPLOADER = {"statement_of_reasons"}
A4_WIDTH_PT, A4_HEIGHT_PT = 595.0, 842.0
EDGE_PT = 18.0  # the narrowest margin in letter.css is 22 mm (62 pt); words must stay well clear of the paper edge
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def _letters(client: Any, holder: Actor, staff: Actor, regime: str) -> list[tuple[str, dict[str, Any]]]:
    claim = countered(client, holder, staff, regime) if regime in COUNTER_REGIMES else decided(client, holder, staff, regime)
    out = [(k, letter(client, staff, claim, k, i)) for k, i in (("acknowledgment", None), ("decision", None), ("statement_of_reasons", 0))]
    if regime in COUNTER_REGIMES:
        out.append(("counter_notice_forwarded", letter(client, staff, claim, "counter_notice_forwarded", 0)))
        with session_scope() as session:
            row = session.scalars(select(CounterNotice).where(CounterNotice.claim_id == claim["id"])).one()
            restore(session, row, actor=None, reason=INTERNAL)
        out.append(("restoration", letter(client, staff, claim, "restoration", 0)))
    incomplete = submit(client, holder, regime, statements=None)
    out.append(("deficiency", letter(client, staff, incomplete, "deficiency")))
    r = client.post(f"/api/v1/claims/{incomplete['id']}/transitions", json={"to": "rejected", "reason": INTERNAL}, headers=staff.headers)
    assert r.status_code == 200, r.text
    out.append(("rejection", letter(client, staff, incomplete, "rejection")))
    return out


def _words_outside(path: Path) -> list[str]:
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    bad = []
    for x0, y0, x1, y1, word in WORD.findall(html):
        if float(x0) < EDGE_PT or float(x1) > A4_WIDTH_PT - EDGE_PT or float(y0) < EDGE_PT or float(y1) > A4_HEIGHT_PT - EDGE_PT:
            bad.append(f"{word} at x {float(x0):.0f}–{float(x1):.0f}")
    return bad


@pytest.mark.parametrize("regime", REGIMES)
def test_every_kind_is_addressed_to_its_recipient_and_fits_the_page(
    client: Any, holder: Actor, specialist: Actor, regime: str, tmp_path: Path
) -> None:
    keep = os.environ.get("IPCLAIMS_LETTER_PNG_DIR")
    for kind, out in _letters(client, holder, specialist, regime):
        pdf = save(client, specialist, out, tmp_path / f"{regime}-{kind}.pdf")
        first_page = " ".join(pdf_text(pdf).split("Page 1 of")[0].split())
        heading = first_page.split("Reference:")[0]
        if kind in TO_UPLOADER:
            assert "TO THE UPLOADER" in heading.upper() and "NOTIFIER" not in heading.upper(), (kind, heading)
        else:
            assert "TO THE NOTIFIER" in heading.upper() and "UPLOADER" not in heading.upper(), (kind, heading)
        assert "sent to both" not in first_page
        assert _words_outside(pdf) == [], (kind, regime)
        prefix = tmp_path / f"{regime}-{kind}"
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(prefix)], check=True)
        pages = sorted(tmp_path.glob(f"{regime}-{kind}-*.png"))
        assert pages and all(p.stat().st_size > 1000 for p in pages)
        if keep:
            for page in pages:
                shutil.copy(page, Path(keep) / page.name)
