"""What an event records: its `action`, one of a closed set (the values are in the API: `GET .../events`)."""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    # a claim's life
    SUBMITTED = "submitted"
    SUPPLEMENTED = "supplemented"  # a claim or a counter-notice cured in part or in full
    COMPLETED = "completed"
    TRANSITION = "transition"  # a reviewer's status change
    REOPENED = "reopened"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"
    NEEDS_INFO_REMINDER = "needs_info_reminder"
    SLA_BREACHED = "sla_breached"
    SOURCE_CHANGED = "source_changed"
    INTAKE_CORRECTED = "intake_corrected"  # staff set a notice's owner or receipt time on the import page (internal)
    # a claim made as one of several from one notice (more URLs than a claim takes): which part (internal, issue 20)
    NOTICE_PART = "notice_part"
    REPLY_RECEIVED = "reply_received"  # an email answering the claim's letters, linked to it (mailroom.replies)
    ASSIGNED = "assigned"
    RELEASED = "released"
    NOTE = "note"
    # items
    DECIDED = "decided"
    CONTENT_MATCHED = "content_matched"
    COUNTERED = "countered"
    LITIGATION_HOLD = "litigation_hold"
    COUNTER_WITHDRAWN = "counter_withdrawn"
    RESTORED = "restored"
    EXECUTED = "executed"  # the platform confirms it carried out the item's measure (issue 21)
    CONTENT_FETCH_FAILED = "content_fetch_failed"  # the worker could not fetch an item's media (internal, issue 21)
    # an uploader's counted strikes reached the repeat-infringer threshold (internal; on the item that tipped it)
    REPEAT_INFRINGER_THRESHOLD = "repeat_infringer_threshold"
    # counter-notices
    RECEIVED = "received"
    CURED = "cured"
    COURT_ACTION = "court_action"
    RESCHEDULED = "rescheduled"
    # complaints (DSA Art. 20)
    COMPLAINT_FILED = "complaint_filed"
    COMPLAINT_DECIDED = "complaint_decided"
    # administration
    ACCOUNT_UPDATED = "account_updated"
    CLOSURE_ADDED = "closure_added"
    CLOSURE_REMOVED = "closure_removed"
    SLA_CHANGED = "sla_changed"
    # reference works (issue 21): two holders' works match each other
    OWNERSHIP_CONFLICT = "ownership_conflict"
    CONFLICT_RESOLVED = "conflict_resolved"
