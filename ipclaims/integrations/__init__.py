"""Integrations: ipclaims inside the platform (issue 21).

`webhooks` turns item-outcome events into signed Standard Webhooks deliveries (an event subscriber, queued in the
event's transaction), `delivery` sends them from the worker, `endpoints` and `execution` serve the admin and
platform APIs (`api`), `receiver` is the integrators' test receiver (`ipclaims webhooks test-receiver`).
"""
