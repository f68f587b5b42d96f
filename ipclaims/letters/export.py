"""Bulk export for legal: a zip of the PDFs and manifest.csv, streamed in constant memory (CONTRACT.md "Letters").

zipfile writes to a non-seekable sink (it then uses data descriptors), so each PDF is read, checked against its
sha256, added, and handed on as bytes before the next is read; the manifest follows the files.
"""

from __future__ import annotations

import csv
import io
import logging
import zipfile
from collections.abc import Callable, Iterator
from datetime import date

from sqlalchemy.orm import Session

from ipclaims.errors import AppError
from ipclaims.letters import archive, service
from ipclaims.models import LetterKind

log = logging.getLogger("ipclaims.letters")

MANIFEST_COLUMNS = ("reference", "kind", "item_id", "version", "file", "sha256", "created_at")
# A letter whose file no longer matches its sha256 is never exported, and never dropped silently either: it is
# listed here (written only when there is one), so legal sees the gap in the zip itself.
FAILURES_FILE = "integrity_failures.csv"
FAILURE_COLUMNS = ("reference", "kind", "item_id", "version", "letter_id", "sha256", "error")


class _Sink(io.RawIOBase):
    """What zipfile writes into: chunks collected until the generator hands them on."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.offset = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.chunks.append(bytes(data))
        self.offset += len(data)
        return len(data)

    def tell(self) -> int:
        return self.offset

    def take(self) -> bytes:
        out, self.chunks = b"".join(self.chunks), []
        return out


def stream(
    session: Session,
    start: date | None,
    end: date | None,
    kind: LetterKind | None,
    progress: Callable[[int], None] | None = None,
    failed: Callable[[int], None] | None = None,
) -> Iterator[bytes]:
    """The zip, chunk by chunk. `progress(n)`: n letters exported so far; `failed(n)`: n refused for integrity."""
    sink = _Sink()
    manifest = io.StringIO()
    writer = csv.writer(manifest, lineterminator="\n")
    writer.writerow(MANIFEST_COLUMNS)
    failures = io.StringIO()
    failure_writer = csv.writer(failures, lineterminator="\n")
    failure_writer.writerow(FAILURE_COLUMNS)
    count = refused = 0
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive_zip:
        for letter, reference in service.exportable(session, start, end, kind):
            assert letter.sha256 is not None
            try:
                data = archive.read_verified(letter.sha256, letter.id)
            except AppError as exc:
                # Logged as an integrity alert by read_verified; an altered file is never exported, only listed.
                failure_writer.writerow(
                    (reference, letter.kind.value, letter.item_id or "", letter.version, letter.id, letter.sha256, exc.detail)
                )
                refused += 1
                if failed is not None:
                    failed(refused)
                continue
            name = f"{reference}/{letter.kind.value}{'-' + letter.item_id if letter.item_id else ''}-v{letter.version}.pdf"
            archive_zip.writestr(name, data)
            writer.writerow(
                (reference, letter.kind.value, letter.item_id or "", letter.version, name, letter.sha256, letter.created_at.isoformat())
            )
            count += 1
            if progress is not None:
                progress(count)
            yield sink.take()
        archive_zip.writestr("manifest.csv", manifest.getvalue().encode())
        if refused:
            archive_zip.writestr(FAILURES_FILE, failures.getvalue().encode())
    yield sink.take()
