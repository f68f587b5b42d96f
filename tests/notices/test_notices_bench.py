"""bench/notices.py end to end with a fake reader: texts from a bare clone and from a checkout, figures printed.

The reader is replaced by a stand-in keyed on words in the text, so this checks the bench's plumbing (reading the
corpus both ways, matching judgements to labels, the figures) and not the real reader's quality.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import types
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import notice_labels as nl  # noqa: E402


@dataclass(frozen=True)
class _Judgement:
    code: str
    status: str


@dataclass(frozen=True)
class _Reading:
    judgements: tuple[_Judgement, ...]


def _fake_read_notice(text: str, *, regime: str | None = None, kind: str | None = None) -> _Reading:
    codes = nl.codes_for(kind or "claim")
    return _Reading(tuple(_Judgement(c, "missing" if f"NO-{c}" in text else "present") for c in codes))


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch) -> Iterator[types.ModuleType]:
    fake = types.ModuleType("ipclaims.notices")
    fake.read_notice = _fake_read_notice  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "ipclaims.notices", fake)
    monkeypatch.delitem(sys.modules, "notices", raising=False)
    module = importlib.import_module("notices")
    yield module
    sys.modules.pop("notices", None)


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _corpus(tmp_path: Path) -> tuple[Path, Path, Path]:
    work = tmp_path / "dmca"
    (work / "2020").mkdir(parents=True)
    (work / "2020" / "a.md").write_text("A takedown. NO-contact_information\n", encoding="utf-8")
    (work / "2020" / "b-counternotice.md").write_text("A counter notice, complete.\n", encoding="utf-8")
    _git("init", "-q", cwd=work)
    _git("add", ".", cwd=work)
    _git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "x", cwd=work)
    bare = tmp_path / "dmca.git"
    _git("clone", "-q", "--bare", str(work), str(bare), cwd=tmp_path)
    labels = tmp_path / "labels.jsonl"
    rows = []
    for path, kind, gaps in (
        ("2020/a.md", "claim", {"contact_information": "missing", "signature": "deficient"}),
        ("2020/b-counternotice.md", "counter_notice", {}),
    ):
        lab = {c: "present" for c in nl.codes_for(kind)} | gaps
        rows.append({"path": path, "kind": kind, "regime": "US_DMCA", "split": nl.split_of(path), "labels": lab})
    labels.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return work, bare, labels


@pytest.mark.parametrize("which", ["checkout", "bare"])
def test_bench_reads_the_corpus_and_scores(bench: types.ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str], which: str) -> None:
    work, bare, labels = _corpus(tmp_path)
    root = work if which == "checkout" else bare
    assert bench.main(["--dmca", str(root), "--split", "all", "--labels", str(labels)]) == 0
    out = capsys.readouterr().out
    # 12 elements, 2 gaps; the fake catches the missing contact, not the deficient signature
    assert "agreement  91.7%   gaps caught  50.0%" in out
    assert "2020/a.md  signature: label deficient, read present" in out
    assert "all-present:  agreement  83.3%" in out


def test_check_flag_reports_a_bad_split(bench: types.ModuleType, tmp_path: Path) -> None:
    _, _, labels = _corpus(tmp_path)
    rows = [json.loads(line) for line in labels.read_text(encoding="utf-8").splitlines()]
    rows[0]["split"] = "held" if rows[0]["split"] == "tune" else "tune"
    labels.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert bench.main(["--check", "--labels", str(labels)]) == 1
    assert bench.main(["--check"]) == 0
