"""`ipclaims demo [--json] [--revoke]`: demo accounts and claims (development only), or their keys revoked."""

from __future__ import annotations

import argparse
import json
import sys

from ipclaims.config import Mode, get_settings
from ipclaims.demo import demo_sign_ins, load_demo
from ipclaims.production import revoke_demo


def demo(args: argparse.Namespace) -> int:
    settings = get_settings()
    if args.revoke:  # allowed in production: it is how a demonstrated database is made fit to serve
        print(json.dumps(revoke_demo(settings)))
        return 0
    if settings.env is Mode.PRODUCTION:
        print("ipclaims demo: refused in production (it creates accounts with well-known keys)", file=sys.stderr)
        return 2
    keys = load_demo()
    if args.json:
        print(json.dumps(keys))
    else:
        print("Demo API keys (development only):")
        width = max(map(len, keys)) + 1
        for role, key in keys.items():
            print(f"  {role:<{width}} {key}")
        print("Demo web sign-ins at /login (development only):")
        for email, password in demo_sign_ins().items():
            print(f"  {email:<40} {password}")
    return 0
