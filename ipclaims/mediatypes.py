"""Media types, shared by the HTTP plumbing and the session dependency (which reads a JSON body before queueing)."""

from __future__ import annotations


def is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media in ("", "application/json") or media.endswith("+json")
