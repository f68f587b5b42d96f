"""Events: the audit trail (`record_event`, actions as `Action`) and the subscribers that act on it (`registry`).

A lower layer: it imports models and db, never a domain; domains import it.
"""

from ipclaims.events.actions import Action
from ipclaims.events.record import SYSTEM, new_event, record_event
from ipclaims.events.registry import NeedsEventId, Rows, Subscriber, follow_ups, subscribe, subscribed, write
from ipclaims.events.row import COLUMNS, EventRow

__all__ = [
    "COLUMNS",
    "SYSTEM",
    "Action",
    "EventRow",
    "NeedsEventId",
    "Rows",
    "Subscriber",
    "follow_ups",
    "new_event",
    "record_event",
    "subscribe",
    "subscribed",
    "write",
]
