"""Where the letter templates live and which version of them a letter names; light (no WeasyPrint), so the
subscriber that requests owed letters can be registered by every process without loading the renderer."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from ipclaims.resources import resource_dir


def templates_dir() -> Path:
    return resource_dir("templates") / "letters"


def static_dir() -> Path:
    return templates_dir() / "static"


@functools.lru_cache(maxsize=1)
def template_version() -> str:
    """A digest of every template and static file: the version stored with each letter names the exact text."""
    digest = hashlib.sha256()
    root = templates_dir()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return "t1-" + digest.hexdigest()[:12]
