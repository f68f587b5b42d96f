"""Letters: render (Jinja → HTML → WeasyPrint, safe fetcher), archive, owed letters, bulk export."""

from ipclaims.events import subscribe
from ipclaims.letters import subscriber


def register() -> None:
    """Subscribe the owed letters (pending rows the worker renders; like mail, written in the event's transaction).
    Called beside `notifications.register` at start-up; idempotent."""
    subscribe(subscriber.ACTIONS, subscriber.subscriber)
