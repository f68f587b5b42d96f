"""`ipclaims notices import FILE... [--regime R] [--json]`: each file a claim, as `POST /api/v1/notices` makes one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from ipclaims.cli import main
from ipclaims.db import session_scope
from ipclaims.models import Claim, SourceMessage
from tests.mailroom.helpers import FIXTURES


def test_import_makes_a_claim_of_each_file_and_reports_each_failure(
    env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    files = [FIXTURES / "complete.eml", FIXTURES / "quoted_printable.eml", empty, tmp_path / "missing.eml", FIXTURES / "company_only.txt"]
    status = main(["notices", "import", *map(str, files), "--json"])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert status == 1  # two files failed; the batch went on
    assert [line["file"] for line in lines] == [str(f) for f in files]
    ok = [line for line in lines if "error" not in line]
    assert len(ok) == 3 and {line["reference"][:4] for line in ok} == {"IPC-"}
    assert lines[2]["error"] == "the file is empty" and "error" in lines[3]
    assert ok[2]["completeness"]["complete"] is False and ok[2]["status"] == "needs_info"
    with session_scope(write=False) as s:
        claims = {c.id: c for c in s.scalars(select(Claim))}
        assert set(claims) == {line["id"] for line in ok}
        assert {str(c.source) for c in claims.values()} == {"email"}
        rows = s.scalars(select(SourceMessage)).all()
        assert {r.claim_id for r in rows} == set(claims)
        assert {r.channel for r in rows} == {"file"}
        assert {r.media_type for r in rows} == {"message/rfc822", "text/plain"}
        assert all(r.raw == Path(next(line["file"] for line in ok if line["id"] == r.claim_id)).read_bytes() for r in rows)


def test_import_takes_the_regime_and_exits_zero_when_all_succeed(env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["notices", "import", str(FIXTURES / "complete.eml"), "--regime", "EU_DSA", "--json"]) == 0
    line = json.loads(capsys.readouterr().out)
    with session_scope(write=False) as s:
        claim = s.get(Claim, line["id"])
        assert claim is not None and claim.regime == "EU_DSA"


def test_import_without_json_prints_a_line_per_file(env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["notices", "import", str(FIXTURES / "company_only.txt")]) == 0
    out = capsys.readouterr().out
    assert "company_only.txt: IPC-" in out and "needs_info" in out


class _Terminal:
    """stderr as a terminal, to see the progress bar the import draws there."""

    def __init__(self) -> None:
        self.written: list[str] = []

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.written.append(text)
        return len(text)

    def flush(self) -> None:
        pass


def test_import_draws_a_progress_bar_on_a_terminal(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    files = [str(FIXTURES / "complete.eml"), str(FIXTURES / "company_only.txt")]
    assert main(["notices", "import", *files]) == 0
    drawn = "".join(terminal.written)
    assert "1/2 notices" in drawn and "2/2 notices" in drawn
