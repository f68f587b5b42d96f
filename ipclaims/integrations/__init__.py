"""Integrations: ipclaims inside the platform (issue 21).

`webhooks` turns item-outcome events into signed Standard Webhooks deliveries (an event subscriber, queued in the
event's transaction), `delivery` sends them from the worker, `endpoints` and `execution` serve the admin and
platform APIs (`api`), `receiver` is the integrators' test receiver (`ipclaims webhooks test-receiver`), `strikes`
counts an uploader's strikes and announces the repeat-infringer threshold's crossing once.
"""

from ipclaims.events import subscribe
from ipclaims.integrations import grey_areas, strikes, webhooks


def register() -> None:
    """Subscribe the integrations' follow-ups (called beside `notifications.register` at start-up; idempotent)."""
    subscribe(webhooks.ACTIONS, webhooks.subscriber)  # item outcomes to the platform (issue 21)
    subscribe(grey_areas.ACTIONS, grey_areas.subscriber)  # repeat claims, impersonated notifiers (DOMAIN.md §6)
    subscribe(strikes.ACTIONS, strikes.subscriber)  # the repeat-infringer threshold reached (17 U.S.C. § 512(i))
