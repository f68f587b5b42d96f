"""Worker sweep: index reference images stored under an older hashing scheme (or never indexed).

Uploads index their image inline; this catches the rest — a `HASH_VERSION` bump after an upgrade, an upload whose
indexing failed — a bounded batch per sweep, one transaction per image so a crash loses at most one image's work.
"""

from __future__ import annotations

from datetime import datetime

from ipclaims.config import Settings
from ipclaims.db import session_scope
from ipclaims.matching import service

BATCH = 200
# Images whose stored file this process could not re-index (missing, or refused by today's decoder: a picture
# under the size now required). Left out of later batches so that a few of them cannot fill every batch and starve
# the rest; tried again once after a restart, and always by `ipclaims rehash`.
_unindexable: set[str] = set()


def reindex_stale(_now: datetime, settings: Settings) -> dict[str, int]:
    with session_scope(write=False) as session:
        ids = service.stale_images(session, limit=BATCH, exclude=_unindexable)
    done = 0
    for image_id in ids:
        with session_scope() as session:
            if service.rehash(session, image_id, settings, only_if_stale=True):
                done += 1
            elif service.is_stale(session, image_id):
                _unindexable.add(image_id)
    return {"reindexed": done}
