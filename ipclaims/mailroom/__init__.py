"""Notices that arrive as text or email (CONTRACT.md "Notices in free text and email"): the parse and import
endpoints, the source message kept with each claim, `ipclaims notices import` and the SMTP inbox.

The reading itself is `ipclaims.notices` (pure); this domain turns a reading into a claim through intake's own
service, owned by the account whose verified domain sent it, or by a placeholder notifier made for the sender.
"""
