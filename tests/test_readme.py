"""The README as a new user follows it from a fresh clone: everything it points at is in the repository, and every
command it shows exists and parses."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from ipclaims.cli import build_parser

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text()


def code_lines() -> list[str]:
    blocks = re.findall(r"```(?:sh)?\n(.*?)```", README, flags=re.S)
    return [line for block in blocks for line in block.splitlines()]


def test_docs_it_points_at_are_in_the_repository() -> None:
    assert "../shared" not in README
    for doc in ("docs/CONTRACT.md", "docs/DOMAIN.md", "docs/contract-additions.md"):
        assert f"({doc})" in README and (REPO / doc).is_file(), doc
    assert "../shared" not in (REPO / "docs" / "contract-additions.md").read_text()


def test_uploaded_files_exist_and_curl_fails_loudly() -> None:
    uploads = [path for line in code_lines() for path in re.findall(r"file=@(\S+)", line)]
    assert len(uploads) >= 2 and all((REPO / path).is_file() for path in uploads), uploads
    curls = [line for line in code_lines() if "curl " in line.split("#", 1)[0]]
    assert len(curls) >= 5 and all("curl -fsS " in line for line in curls), curls


def test_every_ipclaims_command_shown_is_run_from_the_venv_and_parses() -> None:
    shown = 0
    for line in code_lines():
        line = line.split("#", 1)[0]
        assert not re.search(r"(^|[\s;&(])ipclaims\s", line), f"bare `ipclaims` in: {line}"
        for command in re.split(r"&&|;", line):
            if command.strip().startswith(".venv/bin/ipclaims "):
                build_parser().parse_args(shlex.split(command)[1:])  # SystemExit on an unknown command or option
                shown += 1
    assert shown >= 5
    for inline in re.findall(r"`\.venv/bin/ipclaims ([^`]+)`", README):
        args = [w for w in shlex.split(inline.replace("…", "")) if w not in ("--help", "--version")]
        if args:
            build_parser().parse_args(args)


def test_the_demo_keys_shown_are_the_ones_make_run_prints() -> None:
    fixture = json.loads((REPO / "fixtures" / "demo.json").read_text())
    roles = [spec["key_name"] for spec in fixture["accounts"]]
    block = README.split("Demo API keys (development only):", 1)[1].split("```", 1)[0]
    assert [line.split()[0] for line in block.strip().splitlines()] == roles
    assert f"prints {['one', 'two', 'three', 'four', 'five', 'six'][len(roles) - 1]} keys" in README


def test_make_bench_scripts_are_each_described() -> None:
    makefile = (REPO / "Makefile").read_text()
    recipe = makefile.split("\nbench:", 1)[1].split("\n\n", 1)[0]
    scripts = re.findall(r"bench/\w+\.py", recipe)
    assert len(scripts) == 3 and "runs the three scripts" in README
    assert all(f"`{script}`" in README for script in scripts)


def test_options_a_newcomer_needs_are_documented() -> None:
    for phrase in (
        "demo --json",
        "--interval",
        "outbox show ID",
        "accounts keys rotate",
        "accounts disable",
        "accounts list",
        "make fuzz",
        "data/mail/",
    ):
        assert phrase in README, phrase
