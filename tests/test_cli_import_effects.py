"""What importing a library changes for the whole process still holds on each command's own path.

Until the command line loaded only what a command needs (tests/test_cli_startup.py), every command ran with every
module of the service imported, so whatever an import changes process-wide was true everywhere. The one such change
a command relies on: importing WeasyPrint switches on Pillow's `ImageFile.LOAD_TRUNCATED_IMAGES`, and
`letters.render` puts Pillow's setting back, because the image checks rely on Pillow refusing a truncated JPEG (an
upload of one is a 422, `rehash` and the worker skip one). Each command that decodes images, or loads WeasyPrint, is
run here in a fresh interpreter and Pillow is then asked to decode a truncated JPEG.
(The other process-wide changes found: fontTools' codecs, now ignored by the notice reader —
tests/notices/test_message_charsets.py; SQLAlchemy session listeners and `codecs.register_error`, made by the very
modules that use them.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import images

REPO = Path(__file__).resolve().parents[1]

PROBE = """
import importlib, json, sys

import uvicorn


def app_only(target, factory=False, **_options):  # `serve` as far as building the app its workers serve, no server
    module, _, name = target.partition(":")
    getattr(importlib.import_module(module), name)()


uvicorn.run = app_only
from ipclaims.cli import main

code = main(sys.argv[2:])
from PIL import ImageFile

from ipclaims.errors import AppError
from ipclaims.matching import imageio

try:
    imageio.open_image(open(sys.argv[1], "rb").read())
    refused = False
except AppError:
    refused = True
state = {"code": code, "truncated_allowed": ImageFile.LOAD_TRUNCATED_IMAGES, "refused": refused,
         "weasyprint": "weasyprint" in sys.modules}
sys.stderr.write("\\nSTATE " + json.dumps(state) + "\\n")
"""


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A migrated database with the demo's claims (owed letters pending) and a truncated JPEG beside it."""
    root = tmp_path_factory.mktemp("cli-effects")
    env = {k: v for k, v in os.environ.items() if not k.startswith("IPCLAIMS_")} | {
        "PYTHONPATH": str(REPO),
        "IPCLAIMS_DATABASE_URL": f"sqlite:///{root / 'cli.db'}",
        "IPCLAIMS_DATA_DIR": str(root / "data"),
    }
    for args in (["migrate"], ["demo", "--json"]):
        done = subprocess.run([sys.executable, "-m", "ipclaims.cli", *args], env=env, cwd=root, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    (root / "truncated.jpg").write_bytes(images.encode(images.photo("coffee"))[:2000])
    (root / "notice.txt").write_text("Hello,\n\nOur handbook is copied at https://github.com/someone/handbook/blob/main/book.md.\n")
    return root, env


@pytest.mark.parametrize(
    ("args", "loads_weasyprint"),
    [
        (["serve"], True),
        (["worker", "--once"], True),
        (["rehash", "--all", "--quiet"], False),
        (["demo", "--json"], False),
        (["notices", "import", "--json", "notice.txt"], False),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else str(v),
)
def test_pillow_still_refuses_a_truncated_jpeg_after_the_command(
    demo_db: tuple[Path, dict[str, str]], args: list[str], loads_weasyprint: bool
) -> None:
    root, env = demo_db
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(root / "truncated.jpg"), *args], env=env, cwd=root, capture_output=True, text=True, timeout=300
    )
    assert "STATE " in out.stderr, out.stderr
    state = json.loads(out.stderr.rsplit("STATE ", 1)[1])
    assert state["code"] == 0, out.stderr
    # WeasyPrint loaded (or not) as the command needs: where it is, its switch was put back.
    assert state["weasyprint"] is loads_weasyprint
    assert state["truncated_allowed"] is False
    assert state["refused"] is True
