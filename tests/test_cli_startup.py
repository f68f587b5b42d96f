"""`ipclaims --help`, every sub-command's help and a usage error answer without loading the application.

The command line used to import the whole service before it parsed a word (WeasyPrint and Pango, the FastAPI apps,
Pillow, OpenCV and SciPy for matching): 3-6 s for `ipclaims --help` on a busy machine. The parser now loads only the
standard library; a command's own modules are imported once it has been chosen (`ipclaims.cli.run`)."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ipclaims import legal
from ipclaims.cli import build_parser
from ipclaims.mailroom import parts
from ipclaims.models import LetterKind, Role

REPO = Path(__file__).resolve().parents[1]
# What `--help` must not load: the web app, letters, matching, the database and settings layers.
HEAVY = ("weasyprint", "fastapi", "starlette", "uvicorn", "PIL", "numpy", "scipy", "cv2", "sqlalchemy", "pydantic", "alembic")
HEAVY_OURS = ("ipclaims.models", "ipclaims.db", "ipclaims.config", "ipclaims.legal", "ipclaims.mailroom.cli", "ipclaims.letters")

PROBE = """
import json, sys
from ipclaims.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n")
"""


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("IPCLAIMS_")} | {"PYTHONPATH": str(REPO)}


def _heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY or m.startswith(HEAVY_OURS))


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--version"],
        ["notices", "--help"],
        ["notices", "import", "--help"],
        ["accounts", "create", "--help"],
        ["letters", "export", "--help"],
        ["webhooks", "rotate", "--help"],
        ["serve", "--help"],
        ["report", "--no-such-option"],  # a usage error: exit 2 before anything is loaded
    ],
    ids=lambda args: " ".join(args),
)
def test_help_and_usage_errors_load_no_application(tmp_path: Path, args: list[str]) -> None:
    out = subprocess.run([sys.executable, "-c", PROBE, *args], env=_env(), cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert ("usage: ipclaims" in out.stdout + out.stderr) or out.stdout.startswith("ipclaims "), out.stderr
    loaded = set(json.loads(out.stderr.rsplit("MODULES ", 1)[1]))
    assert "ipclaims.cli" in loaded
    assert _heavy(loaded) == []


def test_the_console_entry_imports_neither_weasyprint_nor_fastapi(tmp_path: Path) -> None:
    """Through `python -m ipclaims.cli` as `make run` and the docs use it, seen by `-X importtime`."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "ipclaims.cli", "--help"],
        env=_env(),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0 and out.stdout.startswith("usage: ipclaims"), out.stderr
    imported = {line.rsplit("|", 1)[1].strip() for line in out.stderr.splitlines() if line.startswith("import time:") and "|" in line}
    assert "ipclaims.cli" in imported and "argparse" in imported
    assert _heavy(imported) == []


def _leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield path, parser
    for action in subs:
        for name, sub in action.choices.items():
            yield from _leaves(sub, (*path, name))


def test_every_command_names_a_handler_that_exists() -> None:
    leaves = list(_leaves(build_parser()))
    assert len(leaves) >= 24
    for path, parser in leaves:
        handler = parser.get_default("handler")
        assert isinstance(handler, str), path
        module, _, name = handler.partition(":")
        assert callable(getattr(importlib.import_module(module), name)), (path, handler)


def _choices(path: tuple[str, ...], dest: str) -> list[str]:
    parser = dict(_leaves(build_parser()))[path]
    (action,) = [a for a in parser._actions if a.dest == dest]
    return list(action.choices or [])


def test_the_parser_offers_exactly_the_applications_roles_kinds_and_regimes() -> None:
    """The parser spells these out instead of importing the models and the law: here they are held to them."""
    roles = [r.value for r in Role]
    assert _choices(("accounts", "create"), "role") == roles
    assert _choices(("accounts", "list"), "role") == roles
    assert _choices(("letters", "export"), "kind") == [k.value for k in LetterKind]
    assert _choices(("notices", "import"), "regime") == list(legal.REGIMES)
    assert f"(at most {parts.MAX_PARTS})" in (dict(_leaves(build_parser()))[("notices", "import")].description or "")
