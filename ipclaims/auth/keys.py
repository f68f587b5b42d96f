"""API keys: 256 random bits, shown once, stored as SHA-256."""

from __future__ import annotations

import hashlib
import secrets

KEY_PREFIX = "ipc_"


def generate_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def display_prefix(key: str) -> str:
    return key[:10]
