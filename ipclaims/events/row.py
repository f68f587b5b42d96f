"""An event as a value (`EventRow`): what `record_event` writes and what subscribers read."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from ipclaims.events.actions import Action


@dataclass(slots=True)
class EventRow:
    """An event's values, as subscribers read them. A plain value rather than the ORM `Event`: intake builds one
    per claim and writes it with its rows, and an ORM object costs ten times as much to make."""

    at: datetime
    actor_id: str | None
    actor_role: str
    claim_id: str | None
    subject_type: str
    subject_id: str
    action: Action
    from_status: str | None
    to_status: str | None
    reason: str | None
    data: dict[str, Any] | None
    internal: bool
    id: int | None = None  # None until written

    def values(self) -> dict[str, Any]:
        """The `event` table's columns (without the id the database gives it)."""
        return {name: getattr(self, name) for name in COLUMNS}


COLUMNS = tuple(f.name for f in fields(EventRow) if f.name != "id")
