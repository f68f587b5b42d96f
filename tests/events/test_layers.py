"""events/ and notifications/ are lower layers: domains import them, never the other way round."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "ipclaims"
DOMAINS = ("claims", "review", "works", "matching", "jobs", "auth", "http", "main", "cli")


@pytest.mark.parametrize("layer", ["events", "notifications"])
def test_a_lower_layer_imports_no_domain(layer: str) -> None:
    found = []
    for path in (PACKAGE / layer).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            found += [(path.name, n) for n in names if n.split(".")[:2] in (["ipclaims", d] for d in DOMAINS)]
            # imports at module top only: a function-level import would hide a cycle
            assert node.col_offset == 0, f"{path.name}:{node.lineno}: import inside a function"
    assert found == []


def test_events_does_not_import_notifications() -> None:
    for path in (PACKAGE / "events").rglob("*.py"):
        modules = [n.module or "" for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.ImportFrom)]
        assert not [m for m in modules if m.startswith("ipclaims.notifications")], path.name
