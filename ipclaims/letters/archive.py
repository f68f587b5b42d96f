"""Letter bytes, content-addressed under IPCLAIMS_DATA_DIR/letters/<aa>/<sha256>.pdf, written once, never overwritten.

The sha256 in the letter row is re-checked on every read: a file altered on disk is refused (and logged as an
integrity alert), never served.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
from pathlib import Path

from ipclaims.config import get_settings
from ipclaims.errors import AppError

log = logging.getLogger("ipclaims.letters.integrity")


class LetterIntegrityError(AppError):
    status, code, title = 409, "letter-integrity", "Letter file failed its integrity check"


def path_for(sha256: str, data_dir: Path | None = None) -> Path:
    root = (data_dir or get_settings().data_dir) / "letters"
    return root / sha256[:2] / f"{sha256}.pdf"


def store(data: bytes, data_dir: Path | None = None) -> str:
    """Write the bytes under their sha256 unless that file already exists; return the sha256."""
    sha = hashlib.sha256(data).hexdigest()
    target = path_for(sha, data_dir)
    if target.exists():
        return sha
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target then linked into place: a crash never leaves a half-written file under a good name,
    # and link() refuses to replace a file another process stored first.
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(tmp, target)
    finally:
        os.unlink(tmp)
    return sha


def read_verified(sha256: str, letter_id: str) -> bytes:
    path = path_for(sha256)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        log.error("INTEGRITY ALERT: letter %s file %s is missing", letter_id, path)
        raise LetterIntegrityError(f"letter {letter_id}: its archived file is missing; it is not served") from None
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha256:
        log.error("INTEGRITY ALERT: letter %s file %s has sha256 %s, archived as %s", letter_id, path, actual, sha256)
        raise LetterIntegrityError(f"letter {letter_id}: the archived file does not match its sha256; it is not served")
    return data
