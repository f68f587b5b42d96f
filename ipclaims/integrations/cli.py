"""`ipclaims webhooks add|list|rotate|delete|test-receiver` (added to the `ipclaims` parser by `add_commands`)."""

from __future__ import annotations

import argparse
import json

from ipclaims.config import get_settings
from ipclaims.db import session_scope
from ipclaims.integrations import endpoints, receiver


def _add(args: argparse.Namespace) -> int:
    with session_scope() as session:
        endpoint = endpoints.create(session, args.url, args.description)
        print(json.dumps({"id": endpoint.id, "url": endpoint.url, "secret": endpoint.secret}))
    print("keep the secret now: it is not shown again (`ipclaims webhooks rotate ID` issues a new one)")
    return 0


def _list(_args: argparse.Namespace) -> int:
    with session_scope(write=False) as session:
        for e in endpoints.list_all(session):
            print(
                json.dumps(
                    {
                        "id": e.id,
                        "url": e.url,
                        "description": e.description,
                        "active": e.active,
                        "previous_secret_valid_until": e.previous_valid_until.isoformat() if e.previous_valid_until else None,
                    }
                )
            )
    return 0


def _rotate(args: argparse.Namespace) -> int:
    grace = get_settings().webhook_secret_grace_hours if args.grace_hours is None else args.grace_hours
    with session_scope() as session:
        endpoint = endpoints.rotate(session, args.endpoint_id, grace)
        print(
            json.dumps(
                {
                    "id": endpoint.id,
                    "secret": endpoint.secret,
                    "previous_secret_valid_until": endpoint.previous_valid_until.isoformat() if endpoint.previous_valid_until else None,
                }
            )
        )
    return 0


def _delete(args: argparse.Namespace) -> int:
    with session_scope() as session:
        endpoints.delete(session, args.endpoint_id)
    return 0


def _test_receiver(args: argparse.Namespace) -> int:
    receiver.serve(args.secret, args.host, args.port, report=lambda line: print(line, flush=True))
    return 0


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    webhooks = sub.add_parser("webhooks", help="platform webhook endpoints (Standard Webhooks)")
    commands = webhooks.add_subparsers(dest="webhooks_command", required=True)
    add = commands.add_parser("add", help="add an endpoint and print its secret (shown once)")
    add.add_argument("url")
    add.add_argument("--description")
    add.set_defaults(func=_add)
    commands.add_parser("list", help="one JSON line per endpoint (no secrets)").set_defaults(func=_list)
    rotate = commands.add_parser("rotate", help="issue a new secret; the old one keeps signing for the grace period")
    rotate.add_argument("endpoint_id")
    rotate.add_argument(
        "--grace-hours", type=int, default=None, help="default IPCLAIMS_WEBHOOK_SECRET_GRACE_HOURS; 0 ends the old secret at once"
    )
    rotate.set_defaults(func=_rotate)
    delete = commands.add_parser("delete", help="stop sending to an endpoint (its pending deliveries are given up)")
    delete.add_argument("endpoint_id")
    delete.set_defaults(func=_delete)
    test = commands.add_parser("test-receiver", help="run a local receiver that verifies signatures, for integrators")
    test.add_argument("--secret", required=True, help="the endpoint's whsec_ secret")
    test.add_argument("--host", default="127.0.0.1")
    test.add_argument("--port", type=int, default=8787)
    test.set_defaults(func=_test_receiver)
