"""`ipclaims webhooks add|list|rotate|delete` (the test receiver is exercised in test_webhooks)."""

from __future__ import annotations

import json
from typing import Any

from ipclaims.cli import main


def test_add_list_rotate_delete(env: Any, capsys: Any) -> None:
    assert main(["webhooks", "add", "https://p.example/hooks", "--description", "prod"]) == 0
    added = json.loads(capsys.readouterr().out.splitlines()[0])
    assert added["secret"].startswith("whsec_")
    assert main(["webhooks", "list"]) == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [e["id"] for e in listed] == [added["id"]] and "secret" not in listed[0]
    assert main(["webhooks", "rotate", added["id"], "--grace-hours", "0"]) == 0
    rotated = json.loads(capsys.readouterr().out)
    assert rotated["secret"] != added["secret"] and rotated["previous_secret_valid_until"] is None
    assert main(["webhooks", "delete", added["id"]]) == 0
    assert main(["webhooks", "list"]) == 0
    assert capsys.readouterr().out == ""
