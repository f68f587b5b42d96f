"""The text of a notice sent as an attached Rich Text file (`.rtf`): what WordPad, Word's "Save as RTF" and Outlook
write, and what law firms send a notice as.

Written for this, not taken from a package. striprtf (the small pure-Python reader) takes one token per character of
text, has no `\\bin` (the binary bytes of a picture are read as text, braces and all) and decodes `\\'hh` in one code
page the caller names; rtfparse builds a tree, nesting by recursion, and brings Outlook's message libraries with it.

What is read: the body's text, with `\\par` a blank line apart (a Word paragraph's end, as `attached.docx_text` reads
one), `\\line` a line break, `\\tab` and a table's `\\cell` a tab, `\\row` a line's end; `\\'hh` bytes in the
document's code page (`\\ansicpg`, Windows-1252 by default) or in that of the font they are set in (its `\\fcharset`
or `\\cpg` in the font table); `\\uN` characters, with the `\\ucN` fallback characters after each skipped. What is not:
ignorable destinations (`{\\*...}`: field codes, bookmarks, themes, a shape's instructions), the font, colour and style
tables, document info, pictures and embedded objects' data, headers and footers (a letterhead and page numbers, which
the `.docx` reader does not read either) and footnotes (their text sits inside the sentence they annotate). A field's
shown result (a hyperlink's text) is read, its code is not, as in a `.docx`.

Hostile input: one pattern takes each token and cannot backtrack (a control word is at most 32 letters and 10 digits);
the group stack holds runs of equal states, so 100,000 `{` is one entry and never recursion; `\\binN` jumps over its N
bytes; the output is never longer than the file; the file's size is bounded (`MAX_RTF_BYTES`). Anything that is not
RTF (no `{\\rtf` opening) is not read.
"""

from __future__ import annotations

import codecs
import re
from email.message import Message

MAX_RTF_BYTES = 5 * 1024 * 1024  # the attachment as sent, like MAX_DOCX_BYTES
MAX_RTF_TOKENS = 1_000_000  # control words, symbols, runs of text: past this many the file is not read

_TYPES = frozenset({"application/rtf", "text/rtf", "application/x-rtf"})
_OPENING = re.compile(r"(?:\xef\xbb\xbf)?[ \t\r\n]*(?=\{\\rtf)")
_TOKEN = re.compile(
    r"\\([a-zA-Z]{1,32})(-?[0-9]{1,10})? ?"  # 1, 2: a control word, its parameter, and the space that ends it
    r"|\\'([0-9a-fA-F]{2})"  # 3: a byte in the code page
    r"|\\(.?)"  # 4: a control symbol (or a backslash that ends the file)
    r"|([^\\{}\r\n]+)"  # 5: text
    r"|(\{+)|(\}+)"  # 6, 7: groups opened, closed
    r"|[\r\n]+",  # line ends are not text in RTF
    re.DOTALL,
)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]+")

# Destinations whose text is not the document's text (beside every `{\*...}` one).
_NOT_TEXT = (
    "fonttbl colortbl stylesheet info pict object objdata objclass objname themedata colorschememapping datastore "
    "latentstyles listtable listoverridetable revtbl rsidtbl generator filetbl xmlnstbl mmathPr private template "
    "userprops docvar fldinst xe tc txe rxe bkmkstart bkmkend footnote header headerl headerr headerf footer "
    "footerl footerr footerf"
)
_SKIPPED = frozenset(_NOT_TEXT.split())
_WORDS = {
    "par": "\n\n",
    "sect": "\n\n",
    "page": "\n\n",
    "line": "\n",
    "tab": "\t",
    "cell": "\t",
    "nestcell": "\t",
    "row": "\n",
    "nestrow": "\n",
    "emdash": "\u2014",
    "endash": "\u2013",
    "emspace": " ",
    "enspace": " ",
    "qmspace": " ",
    "bullet": "\u2022",
    "lquote": "\u2018",
    "rquote": "\u2019",
    "ldblquote": "\u201c",
    "rdblquote": "\u201d",
}
_SYMBOLS = {"\\": "\\", "{": "{", "}": "}", "~": "\u00a0", "_": "-", "\n": "\n\n", "\r": "\n\n", "\t": "\t"}
# Font character sets (`\fcharsetN`) → code pages; ANSI (0) and default (1) are the document's own.
_CHARSETS = {
    2: "cp1252",  # Symbol: read as Windows-1252, as a reader without the font shows it
    77: "mac_roman",
    128: "cp932",
    129: "cp949",
    130: "johab",
    134: "gbk",
    136: "cp950",
    161: "cp1253",
    162: "cp1254",
    163: "cp1258",
    177: "cp1255",
    178: "cp1256",
    186: "cp1257",
    204: "cp1251",
    222: "cp874",
    238: "cp1250",
    254: "cp437",
    255: "cp850",
}
_CHARACTER_SETS = {"ansi": "cp1252", "mac": "mac_roman", "pc": "cp437", "pca": "cp850"}


def _codepage(number: int) -> str | None:
    """A Windows code page's codec (`\\ansicpg1251`, `\\cpg932`), or None when Python has none for it."""
    try:
        return codecs.lookup(f"cp{number}").name
    except LookupError:
        return None


class _Reader:
    def __init__(self) -> None:
        self.out: list[str] = []
        self.pending = bytearray()  # bytes not yet decoded: a double-byte character may come as two `\'hh`
        self.pending_cp = "cp1252"
        self.document_cp = "cp1252"
        self.fonts: dict[int, str] = {}  # font number → its code page, when not the document's
        self.default_font: int | None = None
        self.defining: int | None = None  # the font the font table is describing
        self.surrogates = False
        # the group's state: skipped (not text), fallback count, font, inside the font table
        self.skip = False
        self.uc = 1
        self.font: int | None = None
        self.in_fonttbl = False
        # the enclosing groups' states, as runs: `counts[i]` groups in a row opened in state `states[i]`
        self.states: list[tuple[bool, int, int | None, bool]] = []
        self.counts: list[int] = []
        self.to_skip = 0  # fallback characters still to skip after a `\uN`

    def text(self, piece: str) -> None:
        self.flush()
        self.out.append(piece)

    def bytes_(self, data: bytes) -> None:
        font = self.font if self.font is not None else self.default_font
        cp = self.fonts.get(font, self.document_cp) if font is not None else self.document_cp
        if cp != self.pending_cp:
            self.flush()
            self.pending_cp = cp
        self.pending += data

    def flush(self) -> None:
        if self.pending:
            self.out.append(self.pending.decode(self.pending_cp, "replace"))
            self.pending.clear()

    def open_groups(self, count: int) -> None:
        state = (self.skip, self.uc, self.font, self.in_fonttbl)
        if self.states and self.states[-1] == state:
            self.counts[-1] += count
        else:
            self.states.append(state)
            self.counts.append(count)

    def close_groups(self, count: int) -> bool:
        """Back out of `count` groups; False once the document's own group is closed (the rest is not read)."""
        while count and self.states:
            taken = min(count, self.counts[-1])
            self.counts[-1] -= taken
            count -= taken
            self.skip, self.uc, self.font, self.in_fonttbl = self.states[-1]
            if not self.counts[-1]:
                self.states.pop()
                self.counts.pop()
        return bool(self.states)

    def word(self, name: str, param: str | None) -> None:
        """A control word other than `\\bin`, outside a fallback."""
        if self.skip:
            if self.in_fonttbl and param is not None:
                self.font_table_word(name, int(param))
            return
        if name in _WORDS:
            self.text(_WORDS[name])
        elif name == "u" and param is not None:
            code = int(param)
            code = code + 65536 if code < 0 else code
            if 0 <= code <= 0x10FFFF:  # else no character (-9999999999 stays negative after the 65536)
                self.surrogates = self.surrogates or 0xD800 <= code <= 0xDFFF
                self.text(chr(code))
            self.to_skip = self.uc
        elif name == "uc" and param is not None:
            self.uc = max(0, int(param))
        elif name == "f" and param is not None:
            self.font = int(param)
        elif name == "plain":
            self.font = None
        elif name == "deff" and param is not None:
            self.default_font = int(param)
        elif name == "ansicpg" and param is not None:
            self.document_cp = _codepage(int(param)) or self.document_cp
        elif name in _CHARACTER_SETS:
            self.document_cp = _CHARACTER_SETS[name]
        elif name in _SKIPPED:
            self.skip = True
            self.in_fonttbl = name == "fonttbl"

    def font_table_word(self, name: str, number: int) -> None:
        if name == "f":
            self.defining = number
        elif self.defining is None:
            return
        elif name == "fcharset":
            cp = _CHARSETS.get(number)
            if cp:
                self.fonts[self.defining] = cp
            else:
                self.fonts.pop(self.defining, None)
        elif name == "cpg":
            cp = _codepage(number)
            if cp:
                self.fonts[self.defining] = cp

    def read(self, source: str, pos: int) -> str:
        end = len(source)
        tokens = 0
        while pos < end:
            for m in _TOKEN.finditer(source, pos):
                tokens += 1
                if tokens > MAX_RTF_TOKENS:
                    return ""
                kind = m.lastindex
                if kind == 5:  # text, the most common token
                    token = m.group(5)
                    if self.to_skip:
                        skipped = min(self.to_skip, len(token))
                        self.to_skip -= skipped
                        token = token[skipped:]
                    if token and not self.skip:
                        self.bytes_(token.encode("latin-1"))
                elif kind == 6:
                    self.to_skip = 0
                    self.open_groups(m.end() - m.start())
                elif kind == 7:
                    self.to_skip = 0
                    if not self.close_groups(m.end() - m.start()):
                        return self.result()
                elif kind is None:  # line ends
                    pass
                elif kind <= 2 and m.group(1) == "bin":
                    self.to_skip = max(0, self.to_skip - 1)
                    pos = min(end, m.end() + max(0, int(m.group(2) or 0)))
                    break
                elif self.to_skip:
                    self.to_skip -= 1
                elif kind <= 2:
                    self.word(m.group(1), m.group(2))
                elif self.skip:  # a byte or a symbol in a destination that is not read
                    pass
                elif kind == 3:
                    self.bytes_(bytes.fromhex(m.group(3)))
                elif m.group(4) == "*":
                    self.skip = True
                elif m.group(4) in _SYMBOLS:
                    self.text(_SYMBOLS[m.group(4)])
            else:
                pos = end
        return self.result()

    def result(self) -> str:
        self.flush()
        text = "".join(self.out)
        if self.surrogates:  # a character beyond the BMP comes as two `\uN`, one for each UTF-16 surrogate
            text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        text = _CONTROL_CHARS.sub("", text)
        lines = [line.rstrip() for line in text.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def rtf_text(data: bytes) -> str:
    """The text of a Rich Text document's body, its paragraphs a blank line apart and its line breaks kept; empty when
    it has none, is not RTF or is over the size bound."""
    if not data or len(data) > MAX_RTF_BYTES:
        return ""
    source = data.decode("latin-1")  # one character a byte: `\'hh` and 8-bit text are decoded by code page later
    opening = _OPENING.match(source)
    if opening is None:
        return ""
    try:
        return _Reader().read(source, opening.end())
    except Exception:  # a number past what int() takes, any case not foreseen: a bad attachment is just unread, as a PDF's
        return ""


def is_rtf(part: Message, filename: str | None) -> bool:
    """An attached Rich Text file: a `.rtf` name whatever its stated type (`application/octet-stream`, often), or an RTF
    type on a part sent as an attachment. A nameless RTF part shown inline is a rich copy of the body beside its plain
    text (`multipart/alternative`), not a document of its own."""
    if str(filename or "").lower().endswith(".rtf"):
        return True
    return part.get_content_type() in _TYPES and (bool(filename) or part.get_content_disposition() == "attachment")
