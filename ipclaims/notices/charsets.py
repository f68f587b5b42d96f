"""Bytes → text as mail clients decode them: a text part by its label, read as the Windows superset clients send under
it; an HTML part that states no label by its own `<meta>`; text whose charset nobody said by sniffing.

The supersets are the WHATWG Encoding standard's (what every browser and webmail does): `gb2312` is read as GB 18030,
`shift_jis` as Windows-31J, `euc-kr` / `ks_c_5601-1987` as Unified Hangul, `iso-8859-1` as Windows-1252, and so on —
Windows clients label their code page by its narrower standard name and use the characters beyond it (镕, ①, 똠, “ ”).
Bytes labelled UTF-8 that are not UTF-8 (a Latin-1 text a client labelled UTF-8) are read, byte run by byte run, as
Windows-1252 instead of becoming U+FFFD. A header's RFC 2047 encoded-words are read as the same supersets
(`widen_encoded_words`): a subject or a sender's name in GBK labelled `gb2312` as its body is.
"""

from __future__ import annotations

import codecs
import encodings
import re

UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

# A codec's canonical name (`codecs.lookup(label).name`) → the superset read in its place.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "big5": "big5hkscs",
    "iso2022_jp": "iso2022_jp_ext",  # half-width katakana, as Windows sends it
}
_NO_LABEL = frozenset({"", "us-ascii", "ascii"})  # RFC 2045's default, written by clients that did not look
# A `<meta charset=...>` or `<meta http-equiv="Content-Type" content="text/html; charset=...">`, in the part's head.
_META_CHARSET = re.compile(rb"<meta\b[^>]{0,200}?\bcharset\s*=\s*[\"']?\s*([A-Za-z0-9_.:+-]{1,40})", re.IGNORECASE)
META_SCAN_BYTES = 4096  # where the head's <meta> is looked for (WHATWG's prescan reads 1024; Outlook's heads are longer)
# An RFC 2047 encoded-word in a raw header: its charset label, then the rest (an RFC 2231 language, the encoding, the
# encoded text). The text holds no "?", so a scan never runs past the next one: linear in a hostile header.
_ENCODED_WORD = re.compile(r"=\?([^?*\s]{1,40})((?:\*[^?\s]{0,40})?\?[BbQq]\?[^?]*\?=)")


def _windows_1252_bytes(error: UnicodeError) -> tuple[str, int]:
    """A decode error handler: the bytes UTF-8 could not decode, read as Windows-1252 (Latin-1 for its five gaps)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(
        bytes([b]).decode("cp1252", errors="strict") if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else chr(b) for b in bad
    ), error.end


codecs.register_error("ipclaims-windows-1252", _windows_1252_bytes)


def _unlabelled(data: bytes) -> tuple[str, str]:
    """The one ladder of guesses for bytes whose charset nobody said: the charset they are read in (as a MIME name)
    and their text. UTF-16 when a BOM says so; UTF-8 (a BOM dropped) when they are valid UTF-8; else Windows-1252 (a
    superset of Latin-1's printable range: what unlabelled 8-bit mail and Windows `.txt` files are in practice); and
    when they hold one of the five bytes Windows-1252 leaves undefined, Latin-1."""
    if data.startswith(UTF16_BOMS):
        return "utf-16", data.decode("utf-16", errors="replace")
    for charset, codec in (("utf-8", "utf-8-sig"), ("windows-1252", "cp1252")):
        try:
            return charset, data.decode(codec)
        except UnicodeDecodeError:
            pass
    return "iso-8859-1", data.decode("latin-1")


def text_charset(data: bytes) -> str:
    """The charset `decode_text` reads these bytes in, as a MIME charset name (for serving them as they are)."""
    return _unlabelled(data)[0]


def decode_text(data: bytes) -> str:
    """Text whose charset nobody said, read by the ladder `_unlabelled` climbs."""
    return _unlabelled(data)[1]


def _codec(label: str) -> str | None:
    """The codec a label is read with (its superset), or None for a label Python does not know as a text encoding
    (`hex`, `base64`, `rot13`, `undefined` are codecs too: a part labelled with one is read as if unlabelled).

    Python's own codecs only (`encodings`, what `codecs.lookup` finds before any library adds to it): a library may
    register codecs for the whole process — fontTools does, imported with WeasyPrint by the API server and the worker
    but not by `ipclaims notices import` — and a notice must read the same in every process."""
    info = _python_codec(label)
    try:
        if info is None:
            return None
        "".encode(info.name)  # a bytes-to-bytes or str-to-str codec (`hex`, `rot13`) refuses; `undefined` raises
    except (LookupError, UnicodeError, ValueError):
        return None
    return _SUPERSETS.get(info.name, info.name)


def _python_codec(label: str) -> codecs.CodecInfo | None:
    """The codec Python itself reads a label as (`encodings`, never one a library registered: `_codec`), or None."""
    try:
        return encodings.search_function(label.lower())
    except (LookupError, ValueError):
        return None


def widen_encoded_words(header: str) -> str:
    """A raw header with each RFC 2047 encoded-word's label replaced by the superset clients send under it (`gb2312`
    → `gb18030`, `iso-8859-1` → `cp1252`: `_SUPERSETS`), for the email package to decode a subject or a display name
    as a body under the same label is read; every other word, and the rest of the header, as written."""
    return _ENCODED_WORD.sub(_widened, header)


def _widened(word: re.Match[str]) -> str:
    info = _python_codec(word.group(1))  # a label Python does not know: the library's to read (or not) as before
    wider = _SUPERSETS.get(info.name) if info is not None else None
    return word.group(0) if wider is None else f"=?{wider}{word.group(2)}"


def _decode(payload: bytes, codec: str) -> str:
    if codec == "utf-8":
        return payload.decode("utf-8", errors="ipclaims-windows-1252")
    return payload.decode(codec, errors="replace")


def meta_charset(payload: bytes) -> str | None:
    """The charset an HTML document names in a `<meta>` of its head; None when it names none Python knows. A meta
    naming UTF-16 or UTF-32 over bytes in which it could be read is wrong, and read as UTF-8 (as WHATWG says)."""
    found = _META_CHARSET.search(payload[:META_SCAN_BYTES])
    codec = _codec(found.group(1).decode("ascii")) if found else None
    if codec is not None and codec.startswith(("utf-16", "utf_16", "utf-32", "utf_32")):
        return "utf-8"
    return codec


def part_text(payload: bytes, declared: str | None, *, html: bool = False) -> str:
    """A text part's text. Its label first (as its superset); with none, `us-ascii` (RFC 2045's default) or one unknown:
    an HTML part's `<meta>`, else ASCII when the bytes are ASCII and `decode_text` when they are not."""
    label = (declared or "").strip().lower()
    codec = None if label in _NO_LABEL else _codec(label)
    if codec == "ascii":  # an alias of RFC 2045's default ("ANSI_X3.4-1968", "us"): as unlabelled
        codec = None
    if codec is None and html:
        codec = meta_charset(payload)
    if codec is not None:
        return _decode(payload, codec)
    return payload.decode("ascii") if payload.isascii() else decode_text(payload)
