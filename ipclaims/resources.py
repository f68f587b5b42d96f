"""Where the migrations, templates and fixtures are, wherever the package runs from.

A wheel carries them under ``ipclaims/_resources/`` (pyproject force-include); an editable install or a source
checkout finds them at the repository top, next to the package. Never relative to the working directory.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    for candidate in (_PACKAGE / "_resources" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"ipclaims resource folder {name!r} not found next to {_PACKAGE}")
