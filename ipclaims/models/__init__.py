"""All ORM classes, so domains import each other's models without import cycles (STYLE.md "The house")."""

from ipclaims.models.account import Account, ApiKey, Role
from ipclaims.models.base import Base, new_id, utcnow
from ipclaims.models.claim import (
    Claim,
    ClaimElement,
    ClaimItem,
    ClaimKind,
    ClaimReferenceCounter,
    ClaimSource,
    ClaimStatus,
    ClaimWork,
    Complainant,
    ItemOutcome,
    ItemStatus,
)
from ipclaims.models.event import Event, IdempotencyRecord
from ipclaims.models.letter import Letter, LetterKind, LetterStatus
from ipclaims.models.review import (
    ClaimNote,
    Closure,
    Complaint,
    ComplaintStatus,
    CounterNotice,
    CounterNoticeStatus,
    OutboxMessage,
    OutboxStatus,
    SlaPolicy,
)
from ipclaims.models.work import ImageFeatures, ImageHash, ItemContent, Work, WorkImage, WorkKind

__all__ = [
    "Account",
    "ApiKey",
    "Base",
    "Claim",
    "ClaimElement",
    "ClaimItem",
    "ClaimKind",
    "ClaimNote",
    "ClaimReferenceCounter",
    "ClaimSource",
    "ClaimStatus",
    "ClaimWork",
    "Closure",
    "Complainant",
    "Complaint",
    "ComplaintStatus",
    "CounterNotice",
    "CounterNoticeStatus",
    "Event",
    "IdempotencyRecord",
    "ImageFeatures",
    "ImageHash",
    "ItemContent",
    "ItemOutcome",
    "ItemStatus",
    "Letter",
    "LetterKind",
    "LetterStatus",
    "OutboxMessage",
    "OutboxStatus",
    "Role",
    "SlaPolicy",
    "Work",
    "WorkImage",
    "WorkKind",
    "new_id",
    "utcnow",
]
