"""Moved to `ipclaims.triage.priority` (below claims and review). Kept only while `review/decisions.py`, owned by
another branch, still imports it from here; delete once that import names `ipclaims.triage`."""

from ipclaims.triage.priority import due_at as due_at
from ipclaims.triage.priority import refresh as refresh
