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
from ipclaims.models.integration import (
    AccountDomain,
    ClaimFlag,
    DeliveryStatus,
    FlagKind,
    ItemExecution,
    WebhookDelivery,
    WebhookEndpoint,
)
from ipclaims.models.letter import Letter, LetterKind, LetterStatus
from ipclaims.models.preference import AccountPreference
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
    "AccountDomain",
    "AccountPreference",
    "ApiKey",
    "Base",
    "Claim",
    "ClaimElement",
    "ClaimFlag",
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
    "DeliveryStatus",
    "Event",
    "FlagKind",
    "IdempotencyRecord",
    "ImageFeatures",
    "ImageHash",
    "ItemContent",
    "ItemExecution",
    "ItemOutcome",
    "ItemStatus",
    "Letter",
    "LetterKind",
    "LetterStatus",
    "OutboxMessage",
    "OutboxStatus",
    "Role",
    "SlaPolicy",
    "WebhookDelivery",
    "WebhookEndpoint",
    "Work",
    "WorkImage",
    "WorkKind",
    "new_id",
    "utcnow",
]
