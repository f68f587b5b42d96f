"""Notifications: what events ask of the world, as event subscribers (mail today: `mail`, queued in `outbox`).

A lower layer beside `events`: it reads models, never a domain. `register` is called once at start-up by every
process that records events (`main.create_app`, the worker and the CLI); a new kind of follow-up (letters,
platform webhooks, timers) is one more `subscribe` line here.
"""

from ipclaims.events import subscribe
from ipclaims.integrations import grey_areas, webhooks
from ipclaims.notifications import mail


def register() -> None:
    """Subscribe every follow-up to the actions it acts on; calling it again changes nothing."""
    subscribe(mail.ACTIONS, mail.subscriber)
    subscribe(webhooks.ACTIONS, webhooks.subscriber)  # item outcomes to the platform (issue 21)
    subscribe(grey_areas.ACTIONS, grey_areas.subscriber)  # repeat claims, impersonated notifiers (DOMAIN.md §6)
