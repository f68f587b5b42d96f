"""Content-addressed file storage under IPCLAIMS_DATA_DIR.

Uploads are streamed to a temporary file in the data directory while their sha256 is computed and their size
counted, so an oversized upload is refused after at most `limit` bytes have been written and none is ever held in
memory whole. A file that passes validation is then renamed to its content address (atomic on one file system), so
a reader never sees half a file and the same bytes are stored once however often they are uploaded.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ipclaims.config import get_settings
from ipclaims.errors import PayloadTooLarge, Unprocessable

EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/gif": "gif", "image/tiff": "tif", "image/bmp": "bmp"}
CHUNK = 1 << 20


def data_dir() -> Path:
    path = get_settings().data_dir.expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass
class Received:
    """An upload on disk under its temporary name, not yet validated."""

    tmp_path: Path
    sha256: str
    size: int
    synced: bool = False

    def read(self) -> bytes:
        return self.tmp_path.read_bytes()

    def sync(self) -> None:
        """Flush the file to disk now (before a write turn), so that `keep` inside one is only a rename."""
        if not self.synced:
            with open(self.tmp_path, "rb+") as fh:
                os.fsync(fh.fileno())
            self.synced = True

    def discard(self) -> None:
        self.tmp_path.unlink(missing_ok=True)


def receive(stream: BinaryIO, *, limit: int) -> Received:
    """Copy `stream` to a temporary file, hashing as it goes; 413 beyond `limit` bytes, 422 when empty."""
    tmp_dir = data_dir() / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=tmp_dir, prefix="upload-")
    digest = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise PayloadTooLarge(f"the upload is larger than the {limit:,}-byte limit (IPCLAIMS_MAX_UPLOAD_BYTES)")
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise Unprocessable("file: the upload is empty", errors=[{"loc": ["body", "file"], "msg": "empty file"}])
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Received(Path(name), digest.hexdigest(), size)


def address(sha256: str, *, area: str, media_type: str) -> str:
    return (Path(area) / sha256[:2] / sha256[2:4] / f"{sha256}.{EXTENSIONS.get(media_type, 'bin')}").as_posix()


def keep(received: Received, *, area: str, media_type: str) -> str:
    """Move a validated upload to its content address; returns the path relative to the data directory."""
    relative = address(received.sha256, area=area, media_type=media_type)
    target = data_dir() / relative
    if target.exists():
        received.discard()  # the same bytes are already stored
        return relative
    target.parent.mkdir(parents=True, exist_ok=True)
    received.sync()
    os.replace(received.tmp_path, target)
    return relative


def store(data: bytes, *, area: str, media_type: str) -> tuple[str, str]:
    """Write bytes already in memory (letters, fixtures) once; returns (sha256, relative path)."""
    digest = hashlib.sha256(data).hexdigest()
    relative = address(digest, area=area, media_type=media_type)
    target = data_dir() / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return digest, relative


def read(relative: str) -> bytes:
    root = data_dir()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise ValueError("path outside the data directory")
    return path.read_bytes()
