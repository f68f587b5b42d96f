"""Notifications: what events ask of the world, as event subscribers (mail today: `mail`, queued in `outbox`).

A lower layer beside `events`: it reads models, never a domain. `register` is called once at start-up by every
process that records events (`main.create_app`, the worker and the CLI); a new kind of follow-up (letters,
platform webhooks, timers) is one more `subscribe` line here.
"""

from ipclaims.events import subscribe
from ipclaims.letters import subscriber as letters
from ipclaims.notifications import mail


def register() -> None:
    """Subscribe every follow-up to the actions it acts on; calling it again changes nothing."""
    subscribe(mail.ACTIONS, mail.subscriber)
    # The owed letters (pending rows the worker renders); like mail, written in the event's transaction.
    subscribe(letters.ACTIONS, letters.subscriber)
