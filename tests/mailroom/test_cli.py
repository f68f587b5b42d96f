"""`ipclaims notices import FILE... [--regime R] [--json]`: each file a claim, as `POST /api/v1/notices` makes one."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from ipclaims.cli import main
from ipclaims.db import session_scope
from ipclaims.mailroom.cli import import_file
from ipclaims.models import Claim, SourceMessage
from tests.conftest import Actor
from tests.mailroom.helpers import FIXTURES, notice_text


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


def _tree(root: Path) -> list[Path]:
    """A folder of notices as saved from a mail client, with what the import must leave alone; the notices it
    takes, in the order it takes them."""
    (root / "2026" / "december").mkdir(parents=True)
    (root / ".git").mkdir()
    taken = [
        root / "2026" / "december" / "b.eml",
        root / "2026" / "december" / "c.TXT",
        root / "2026" / "z.txt",
        root / "a.eml",
    ]
    taken[0].write_bytes((FIXTURES / "complete.eml").read_bytes())
    taken[1].write_bytes((FIXTURES / "company_only.txt").read_bytes())
    taken[2].write_bytes(notice_text("z@zeta.example").encode())
    taken[3].write_bytes((FIXTURES / "quoted_printable.eml").read_bytes())
    (root / ".hidden.eml").write_bytes(notice_text("hidden@x.example").encode())
    (root / ".git" / "notice.eml").write_bytes(notice_text("git@x.example").encode())
    (root / "2026" / "notes.pdf").write_bytes(b"%PDF-1.7")
    (root / "README.md").write_text("notices from the agent's mailbox\n")
    return sorted(taken)


def test_import_takes_every_eml_and_txt_under_a_folder_sorted_skipping_hidden_files(
    env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "mailbox"
    taken = _tree(folder)
    assert main(["notices", "import", str(folder), "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["file"] for line in lines] == [str(p) for p in taken]
    assert all(line["reference"].startswith("IPC-") for line in lines)
    with session_scope(write=False) as s:
        rows = s.scalars(select(SourceMessage)).all()
        assert sorted(r.filename for r in rows if r.filename) == sorted(p.name for p in taken)


def test_import_counts_every_file_of_folders_and_names_in_its_progress_bar(
    env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "mailbox"
    _tree(folder)
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert main(["notices", "import", str(FIXTURES / "company_only.txt"), str(folder)]) == 0
    drawn = "".join(terminal.written)
    assert "1/5 notices" in drawn and "5/5 notices" in drawn and "/4 notices" not in drawn


def test_a_folder_with_no_notices_is_an_error(env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "scan.pdf").write_bytes(b"%PDF-1.7")
    assert main(["notices", "import", str(tmp_path / "empty"), str(FIXTURES / "company_only.txt"), "--json"]) == 1
    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert first["file"] == str(tmp_path / "empty") and "no .eml or .txt" in first["error"]
    assert second["reference"].startswith("IPC-")


def test_the_same_bytes_imported_again_are_a_duplicate_of_their_claim(
    env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["notices", "import", str(FIXTURES / "complete.eml"), "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    copy = tmp_path / "saved again.eml"
    copy.write_bytes((FIXTURES / "complete.eml").read_bytes())
    # Other bytes, the same message: exported again by a client that added its own header (Message-ID and sender
    # unchanged); a new message (its own Message-ID) with an added line is not.
    exported = tmp_path / "exported.eml"
    exported.write_bytes(b"X-Exported-By: a mail client\n" + (FIXTURES / "complete.eml").read_bytes())
    edited = tmp_path / "edited.eml"
    edited.write_bytes(
        (FIXTURES / "complete.eml").read_bytes().replace(b"<notice-0001@", b"<notice-0002@")
        + b"\nPS: a second copy is at https://platform.example/p/3\n"
    )
    assert main(["notices", "import", str(FIXTURES / "complete.eml"), str(copy), str(exported), str(edited), "--json"]) == 0
    again, renamed, reexported, other = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    for duplicate in (again, renamed, reexported):
        assert duplicate["status"] == "duplicate"
        assert (duplicate["id"], duplicate["reference"], duplicate["owner_id"]) == (first["id"], first["reference"], first["owner_id"])
        assert duplicate["claim_status"] == first["status"]
    assert other["status"] != "duplicate" and other["id"] != first["id"]
    # Without --json: one line saying which claim it already is.
    assert main(["notices", "import", str(copy)]) == 0
    assert f"{copy}: {first['reference']} duplicate" in capsys.readouterr().out
    with session_scope(write=False) as s:
        assert len(s.scalars(select(Claim)).all()) == 2
        assert len(s.scalars(select(SourceMessage)).all()) == 2


def test_bytes_that_came_by_the_api_are_a_duplicate_on_import(
    env: dict[str, str], client: TestClient, specialist: Actor, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = (FIXTURES / "complete.eml").read_bytes()
    made = client.post("/api/v1/notices", headers=specialist.headers, files={"file": ("n.eml", raw, "message/rfc822")})
    assert made.status_code == 201, made.text
    assert main(["notices", "import", str(FIXTURES / "complete.eml"), "--json"]) == 0
    line = json.loads(capsys.readouterr().out)
    assert (line["status"], line["id"]) == ("duplicate", made.json()["id"])


def test_two_imports_of_the_same_bytes_at_once_make_one_claim(env: dict[str, str], tmp_path: Path) -> None:
    files = [tmp_path / "one.eml", tmp_path / "two.eml"]
    for f in files:
        f.write_bytes((FIXTURES / "complete.eml").read_bytes())
    start = threading.Barrier(2)
    results: list[dict[str, Any]] = []

    def run(path: Path) -> None:
        start.wait()
        results.append(import_file(path, None))

    threads = [threading.Thread(target=run, args=(f,)) for f in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    # one made the claim (whatever status intake gave it), the other is a duplicate of it
    assert sorted(r["status"] == "duplicate" for r in results) == [False, True]
    assert all("error" not in r for r in results)
    assert len({r["id"] for r in results}) == 1
    with session_scope(write=False) as s:
        assert len(s.scalars(select(Claim)).all()) == 1
