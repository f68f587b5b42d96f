"""STYLE.md: no module in ipclaims/ over 500 lines. A module that grows past it holds more than one concern: split it."""

from pathlib import Path

import ipclaims

LIMIT = 500
PACKAGE = Path(ipclaims.__file__).parent


def test_no_module_over_the_limit() -> None:
    sizes = {
        path.relative_to(PACKAGE.parent).as_posix(): len(path.read_text(encoding="utf-8").splitlines()) for path in PACKAGE.rglob("*.py")
    }
    assert len(sizes) > 50  # the walk found the package, not an empty directory
    assert {name: n for name, n in sizes.items() if n > LIMIT} == {}
