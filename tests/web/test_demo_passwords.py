"""Demo web passwords: `ipclaims demo` gives each demo account one (printed, derived like the demo keys), and
production refuses to start while an active account signs in with one (CONTRACT.md "Setup and CLI")."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import csrf_of


def test_demo_sign_ins_work_and_production_refuses_them(app: Any, env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    from ipclaims.auth import passwords
    from ipclaims.auth.service import create_account
    from ipclaims.cli import main
    from ipclaims.config import get_settings
    from ipclaims.db import session_scope
    from ipclaims.demo import demo_password, demo_sign_ins
    from ipclaims.models import Account, Role
    from ipclaims.production import demo_password_accounts, revoke_demo

    assert main(["demo"]) == 0
    printed = capsys.readouterr().out
    sign_ins = demo_sign_ins()
    assert len(sign_ins) == 5
    for email, password in sign_ins.items():
        assert f"{email}" in printed and password in printed
    email, password = next(iter(sign_ins.items()))
    with TestClient(app, follow_redirects=False) as c:
        token = csrf_of(c.get("/login").text)
        assert c.post("/login", data={"email": email, "password": password, "csrf_token": token}).status_code == 303
    settings = get_settings()
    with session_scope() as s:
        assert len(demo_password_accounts(s, settings)) == 5
    # After --revoke the demo accounts are disabled; an account of one's own given a demo password is found too,
    # and --revoke clears that password.
    revoke_demo(settings)
    with session_scope() as s:
        assert demo_password_accounts(s, settings) == []
        mine = create_account(s, name="Real Owner", role=Role.RIGHTS_HOLDER, email=email).account
        passwords.set_password(s, mine, demo_password("rights_holder"))
        mine_id = mine.id
    with session_scope() as s:
        assert [a.id for a in demo_password_accounts(s, settings)] == [mine_id]
    assert revoke_demo(settings)["passwords_cleared"] == 1
    with session_scope() as s:
        account = s.get(Account, mine_id)
        assert account is not None and account.password_hash is None
