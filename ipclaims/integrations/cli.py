"""`ipclaims webhooks add|list|rotate|delete|test-receiver`: the handlers `ipclaims.cli.parser` names."""

from __future__ import annotations

import argparse
import json

from ipclaims.config import get_settings
from ipclaims.db import session_scope
from ipclaims.integrations import endpoints, receiver


def add_endpoint(args: argparse.Namespace) -> int:
    with session_scope() as session:
        endpoint = endpoints.create(session, args.url, args.description)
        print(json.dumps({"id": endpoint.id, "url": endpoint.url, "secret": endpoint.secret}))
    print("keep the secret now: it is not shown again (`ipclaims webhooks rotate ID` issues a new one)")
    return 0


def list_endpoints(_args: argparse.Namespace) -> int:
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


def rotate_secret(args: argparse.Namespace) -> int:
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


def delete_endpoint(args: argparse.Namespace) -> int:
    with session_scope() as session:
        endpoints.delete(session, args.endpoint_id)
    return 0


def run_test_receiver(args: argparse.Namespace) -> int:
    receiver.serve(args.secret, args.host, args.port, report=lambda line: print(line, flush=True))
    return 0
