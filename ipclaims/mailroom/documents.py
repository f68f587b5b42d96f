"""Documents a notice may come as on the import page, besides an `.eml` message or plain text: each read with the
notice reader's own reader for that document attached to a message (`ipclaims.notices`), so a law firm's PDF reads
the same uploaded as attached. The document's bytes are the notice as received (kept with the claim, served back as
they came); its text is what `reading.read` reads, as pasted text.

`DOCUMENTS` is the one list: a format added here (one line) is offered by the page's file input, named in its
refusals, accepted by its upload (`api.read_upload(documents=True)`), read, kept and served. The API's multipart
`file` takes none of them (CONTRACT.md: an `.eml` message or plain text; a PDF there is its documented 415).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ipclaims.errors import PayloadTooLarge, Unprocessable, size_words
from ipclaims.notices.attached import DOCX_TYPE, MAX_DOCX_BYTES, docx_text
from ipclaims.notices.message import MAX_PDF_BYTES, pdf_text
from ipclaims.notices.opendoc import MAX_ODT_BYTES, ODT_TYPE, odt_text
from ipclaims.notices.rtf import MAX_RTF_BYTES, rtf_text


@dataclass(frozen=True)
class Document:
    suffix: str  # the file name's ending, as the page offers it
    media_type: str  # as the upload may say it, as kept (`source_message.media_type`) and as served back
    name: str  # in the page's words
    read: Callable[[bytes], str]  # the reader's own: the text, "" when there is none or it cannot be read
    max_bytes: int  # the most that reader takes
    no_text: str = ""  # why there may be no text, said when none was read


DOCUMENTS: tuple[Document, ...] = (
    Document(".pdf", "application/pdf", "PDF", pdf_text, MAX_PDF_BYTES, " (a scanned page has none)"),
    Document(".docx", DOCX_TYPE, "Word document", docx_text, MAX_DOCX_BYTES),
    Document(".odt", ODT_TYPE, "OpenDocument text", odt_text, MAX_ODT_BYTES),
    Document(".rtf", "application/rtf", "Rich Text document", rtf_text, MAX_RTF_BYTES),
)
BY_MEDIA_TYPE = {d.media_type: d for d in DOCUMENTS}
# The upload's stated type when it names none of ours: a browser's for a file it does not know.
UNSTATED = frozenset({"", "application/octet-stream"})


def of_upload(filename: str, media_type: str) -> Document | None:
    """The document an upload is, by its name's ending (and a type stated that does not contradict it), or by its
    stated type when its name has no ending."""
    name = filename.lower()
    for document in DOCUMENTS:
        if name.endswith(document.suffix) and (media_type in UNSTATED or media_type == document.media_type):
            return document
    if "." not in name.rsplit("/", 1)[-1]:
        return BY_MEDIA_TYPE.get(media_type)
    return None


def kinds(*, documents: bool) -> list[tuple[str, str]]:
    """What an upload may be, in the page's words, with its ending."""
    shown = [("email message", ".eml"), ("plain text", ".txt")]
    return shown + ([(d.name, d.suffix) for d in DOCUMENTS] if documents else [])


def text(document: Document, raw: bytes) -> bytes:
    """The document's text as the bytes `reading.read` reads (UTF-8 text); 413 over what its reader takes, 422
    when it has no text."""
    if len(raw) > document.max_bytes:
        raise PayloadTooLarge(
            f"the {document.name} is larger than the {document.max_bytes:,} bytes its reader takes",
            plain=f"The file is larger than {size_words(document.max_bytes)}, the most a {document.name} may be.",
        )
    read = document.read(raw)
    if not read.strip():
        raise Unprocessable(
            f"the notice cannot be read: no text could be read from the {document.name}",
            errors=[{"loc": ["body", "file"], "msg": "no text"}],
            plain=f"No text could be read from this {document.name}{document.no_text}: paste the notice's text instead.",
        )
    return read.encode("utf-8")
