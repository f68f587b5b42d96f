"""A notice sent as an attached Rich Text file (`.rtf`: what WordPad, Word's "Save as RTF" and Outlook's rich-text
mail make, and what law firms send) under a one-line body. Such an attachment was skipped: the claim was made of
"Please see the attached notice.", every element missing. The files here are written by hand in the shape WordPad and
Word write them: a font table, a colour table, a style sheet, document info, a picture as hex, a field, a table."""

from __future__ import annotations

import random
import time
from email.message import EmailMessage
from email.policy import SMTP

import pytest

from ipclaims.notices import Unreadable, parse_message, read_notice
from ipclaims.notices.rtf import MAX_RTF_BYTES, MAX_RTF_TOKENS, rtf_text
from tests.notices.test_message_attached import mail

# WordPad (Windows 10): one \par a line, the accent as \'e9, the title's quotes as \u with a one-byte fallback.
WORDPAD = b"\r\n".join(
    [
        (
            rb"{\rtf1\ansi\ansicpg1252\deff0\nouicompat\deflang2057{\fonttbl{\f0\fnil\fcharset0 Calibri;}"
            rb"{\f1\fnil\fcharset2 Symbol;}}"
        ),
        rb"{\*\generator Riched20 10.0.19041}\viewkind4\uc1 ",
        rb"\pard\sa200\sl276\slmult1\f0\fs22\lang9 To the designated agent,\par",
        rb"I own the copyright in my drawing \u8220?Heron in Fog\u8221?, published at https://inkmarsh.example/heron.\line ",
        rb"A copy is posted without my permission at https://platform.example/u/lifter/posts/77\par",
        rb"I have a good faith belief that this use is not authorized by the copyright owner, its agent, or the law.\par",
        rb"I swear, under penalty of perjury, that this notice is accurate and that I am the copyright owner.\par",
        rb"Ren\'e9e Marsh, 4 Mill Lane, Leeds LS1 4AB, UK, +44 113 496 0000, renee@inkmarsh.example\par",
        rb"/s/ Ren\'e9e Marsh\par",
        rb"}",
        b"\x00",
    ]
)
WORDPAD_TEXT = (
    "To the designated agent,\n\n"
    "I own the copyright in my drawing \u201cHeron in Fog\u201d, published at https://inkmarsh.example/heron.\n"
    "A copy is posted without my permission at https://platform.example/u/lifter/posts/77\n\n"
    "I have a good faith belief that this use is not authorized by the copyright owner, its agent, or the law.\n\n"
    "I swear, under penalty of perjury, that this notice is accurate and that I am the copyright owner.\n\n"
    "Ren\u00e9e Marsh, 4 Mill Lane, Leeds LS1 4AB, UK, +44 113 496 0000, renee@inkmarsh.example\n\n"
    "/s/ Ren\u00e9e Marsh"
)

# Word: a letterhead in the header with a page field, a logo as a picture (twice: \shppict and its \nonshppict
# fallback), \u with \'hh fallbacks, a hyperlink field, a two-column table, the theme and data store as hex.
WORD = b"\r\n".join(
    [
        (
            rb"{\rtf1\adeflang1025\ansi\ansicpg1252\uc1\adeff31507\deff0\stshfdbch31505\stshfloch31506\deflang2057"
            rb"{\fonttbl{\f0\fbidi \froman\fcharset0\fprq2{\*\panose 02020603050405020304}Times New Roman;}"
            rb"{\f37\fbidi \fswiss\fcharset0\fprq2{\*\panose 020f0502020204030204}Calibri;}"
            rb"{\f39\fbidi \fswiss\fcharset238\fprq2 Calibri CE;}}"
        ),
        rb"{\colortbl;\red0\green0\blue0;\red0\green0\blue255;}{\*\defchp \f31506\fs22 }",
        (
            rb"{\stylesheet{\ql \li0\ri0\sa160\sl259\slmult1 \f37\fs22 \snext0 \sqformat \spriority0 Normal;}"
            rb"{\*\cs10 \additive \ssemihidden Default Paragraph Font;}}"
        ),
        rb"{\*\rsidtbl \rsid1204385\rsid9976543}{\mmathPr\mmathFont34\mbrkBin0}",
        (
            rb"{\info{\title DMCA notice}{\author Olek Marsh}{\operator Olek Marsh}{\creatim\yr2026\mo11\dy30\hr9\min12}"
            rb"{\company Inkmarsh Studio}}{\*\xmlnstbl {\xmlns1 http://schemas.microsoft.com/office/word/2003/wordml}}"
        ),
        rb"\paperw11906\paperh16838\margl1440\margr1440 \ltrsect",
        (
            rb"{\header \ltrpar \pard\plain \ltrpar\qc \f37\fs22 {\rtlch\fcs1 \af31507 \ltrch\fcs0 \insrsid9976543 "
            rb"INKMARSH STUDIO \endash  page }{\field{\*\fldinst {\insrsid9976543  PAGE }}{\fldrslt {\insrsid9976543 1}}}"
            rb"{\insrsid9976543 \par }}"
        ),
        (
            rb"\pard\plain \ltrpar\ql \f37\fs22 {\*\shppict{\pict{\*\picprop\shplid1025}\picscalex100\picscaley100"
            rb"\picw1270\pich1270\pngblip\bliptag-1598412312{\*\blipuid a0b5c6e8}"
        ),
        b"89504e470d0a1a0a0000000d4948445200000010000000100806000000",
        b"1ff3ff610000001974455874536f6674776172650041646f626520496d61676552656164",
        rb"}}{\nonshppict{\pict\picw1270\pich1270\wmetafile8 0100090000035c00000000001200000000000500}}",
        rb"{\rtlch\fcs1 \af31507 \ltrch\fcs0 \insrsid9976543 To the designated agent,}{\insrsid9976543 \par }",
        (
            rb"{\insrsid9976543 I own the copyright in my drawing \u8220\'93Heron in Fog\u8221\'94, published at }"
            rb'{\field{\*\fldinst {\insrsid9976543  HYPERLINK "https://inkmarsh.example/heron" }}{\fldrslt '
            rb"{\cs15\ul\cf2\insrsid9976543 https://inkmarsh.example/heron}}}{\insrsid9976543 .\par }"
        ),
        rb"{\insrsid9976543 A copy is posted without my permission at https://platform.example/u/lifter/posts/77\par }",
        (
            rb"{\insrsid9976543 I have a good faith belief that this use is not authorized by the copyright owner, its agent,"
            rb" or the law.\par I swear, under penalty of perjury, that this notice is accurate and that I am the "
            rb"copyright owner.\par }"
        ),
        (
            rb"\trowd \irow0\irowband0\ltrrow\ts11\trgaph108 \cellx4508\cellx9016\pard\plain \intbl {\insrsid9976543 "
            rb"Name:\cell Olek Marsh\cell }\pard\plain \intbl {\insrsid9976543 \trowd \cellx4508\cellx9016\row }"
        ),
        (
            rb"\trowd \irow1\irowband1\lastrow \cellx4508\cellx9016\pard\plain \intbl {\insrsid9976543 "
            rb"Contact:\cell 4 Mill Lane, Leeds LS1 4AB, UK, olek@inkmarsh.example\cell }"
            rb"\pard\plain \intbl {\insrsid9976543 \trowd \cellx4508\cellx9016\row }"
        ),
        rb"\pard\plain \ltrpar\ql {\insrsid9976543 /s/ Olek Marsh\par }",
        rb"{\*\themedata 504b030414000600080000002100e9de0fbfff0000001c020000130000005b436f6e74656e745f54797065735d2e78}",
        (
            rb"{\*\colorschememapping 3c3f786d6c2076657273696f6e3d22312e30}{\*\datastore 01050000020000001800000050006100}"
            b"\r\n}"
        ),
    ]
)
WORD_TEXT = (
    "To the designated agent,\n\n"
    "I own the copyright in my drawing \u201cHeron in Fog\u201d, published at https://inkmarsh.example/heron.\n\n"
    "A copy is posted without my permission at https://platform.example/u/lifter/posts/77\n\n"
    "I have a good faith belief that this use is not authorized by the copyright owner, its agent, or the law.\n\n"
    "I swear, under penalty of perjury, that this notice is accurate and that I am the copyright owner.\n\n"
    "Name:\tOlek Marsh\n"
    "Contact:\t4 Mill Lane, Leeds LS1 4AB, UK, olek@inkmarsh.example\n"
    "/s/ Olek Marsh"
)


def test_a_wordpad_file_is_read_with_its_accents_quotes_and_lines() -> None:
    assert rtf_text(WORDPAD) == WORDPAD_TEXT


def test_a_word_file_is_read_without_its_tables_of_fonts_styles_pictures_header_or_field_codes() -> None:
    text = rtf_text(WORD)
    assert text == WORD_TEXT
    for hidden in ("Times New Roman", "Normal", "DMCA notice", "Inkmarsh Studio", "INKMARSH", "89504e47", "HYPERLINK"):
        assert hidden not in text


@pytest.mark.parametrize(
    ("rtf", "text"),
    [
        # the document's code page, and a font's character set over it
        (rb"{\rtf1\ansi\ansicpg1251 \'cf\'f0\'e8\'e2\'e5\'f2}", "\u041f\u0440\u0438\u0432\u0435\u0442"),
        (
            rb"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Arial;}{\f1\fcharset204 Arial Cyr;}}\f0 caf\'e9 \f1 \'e4\'e0\f0  \'e9}",
            "caf\u00e9 \u0434\u0430 \u00e9",
        ),
        (rb"{\rtf1\ansi{\fonttbl{\f0\fcharset0 Arial;}}\deff0 na\'efve}", "na\u00efve"),
        (rb"{\rtf1\ansi\ansicpg99999 caf\'e9}", "caf\u00e9"),  # a code page Python has no codec for: Windows-1252
        (rb"{\rtf1\mac caf\'8e}", "caf\u00e9"),
        # a double-byte code page: one character as two escaped bytes, and raw 8-bit bytes in the file
        (rb"{\rtf1\ansi\ansicpg932 \'82\'a0\'82\'a2}", "\u3042\u3044"),
        (b"{\\rtf1\\ansi caf\xe9}", "caf\u00e9"),
        # \uN: negative above 32767, fallbacks of \ucN characters skipped (an escaped byte and a control word count
        # one each), a character beyond the BMP as two surrogates
        (rb"{\rtf1\uc1 \u-10179?\u-8704?!}", "\U0001f600!"),
        (rb"{\rtf1\uc2 \u12354\'82\'a0x}", "\u3042x"),
        (rb"{\rtf1\uc0 \u233 x}", "\u00e9x"),
        (rb"{\rtf1\uc3 \u233 ab}", "\u00e9"),
        (rb"{\rtf1\uc1 {\uc2 \u233 ab}\u233 ab}", "\u00e9\u00e9b"),
        (rb"{\rtf1\uc2\u233\'e9{x}}", "\u00e9x"),  # a group ends the fallback
        # control symbols and the words that stand for characters
        (
            rb"{\rtf1 a\{b\}c\\d\~e\-f\_g\tab h\emdash i\endash j\bullet k\lquote l\rquote}",
            "a{b}c\\d\u00a0ef-g\th\u2014i\u2013j\u2022k\u2018l\u2019",
        ),
        (b"{\\rtf1 one\\\r\ntwo\\\ntree}", "one\n\ntwo\n\ntree"),
        (rb"{\rtf1 a\line b\par c\sect d\page e}", "a\nb\n\nc\n\nd\n\ne"),
        # \binN: N raw bytes that are not text and may hold braces and backslashes
        (rb"{\rtf1 a{\pict\bin6 }{\\}{}b}c", "ab"),
        (rb"{\rtf1 a\bin3 {{{b}", "ab"),
        (rb"{\rtf1 a\bin99999999 {{{b}", "a"),
        # ignorable destinations, and unknown control words inside text
        (rb"{\rtf1 a{\*\unknowndest secret}b{\*\bkmkstart _Toc1}c\foo d\bar12 e}", "abcde"),
        # after the document's group ends, nothing is read
        (rb"{\rtf1 a}b{c}", "a"),
        (rb"{\rtf1 tail\par}" + b"\x00" * 100, "tail"),
    ],
)
def test_rtf_constructs(rtf: bytes, text: str) -> None:
    assert rtf_text(rtf) == text


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"Please see the attached notice.",  # not RTF: no "{\rtf" opening
        b"PK\x03\x04 a zip named .rtf",
        rb"{\rtf1}",
        rb"{\rtf1{\fonttbl{\f0 Arial;}}{\info{\title A title}}}",
        b"{\\rtf1 " + b"a" * MAX_RTF_BYTES + b"}",  # over the size bound
    ],
    ids=["empty", "plain-text", "zip", "no-text", "only-tables", "too-large"],
)
def test_rtf_with_no_text_to_read_gives_none(data: bytes) -> None:
    assert rtf_text(data) == ""


RTF_TYPES = [("application", "rtf"), ("text", "rtf"), ("application", "x-rtf"), ("application", "octet-stream")]


@pytest.mark.parametrize("ctype", RTF_TYPES, ids=["/".join(t) for t in RTF_TYPES])
@pytest.mark.parametrize("rtf", [WORDPAD, WORD], ids=["wordpad", "word"])
def test_a_notice_in_an_attached_rtf_is_read(ctype: tuple[str, str], rtf: bytes) -> None:
    message = parse_message(mail((rtf, *ctype, "DMCA Notice.rtf")))
    assert message.text.startswith("Please see the attached notice.")
    assert message.text.index("To the designated agent,") < message.text.index("/s/ ")
    assert "https://platform.example/u/lifter/posts/77" in message.text
    statuses = {j.code: j.status for j in read_notice(message.text).judgements}
    assert set(statuses.values()) == {"present"}, statuses
    assert message.attachments == ("DMCA Notice.rtf",)


def test_an_rtf_attachment_without_a_name_is_read_by_its_type() -> None:
    raw = mail((WORDPAD, "application", "rtf", "x.rtf")).replace(b'; filename="x.rtf"', b"")
    assert b"x.rtf" not in raw
    assert "I swear, under penalty of perjury" in parse_message(raw).text


def test_an_inline_rtf_copy_of_the_body_is_not_read_twice() -> None:
    """A client that sends the body as plain text and as Rich Text side by side (`multipart/alternative`)."""
    m = EmailMessage()
    m["From"] = "Olek Marsh <olek@inkmarsh.example>"
    m["Subject"] = "Copyright notice"
    m.set_content("To the designated agent, the notice in plain text.\n")
    m.add_alternative(rb"{\rtf1 To the designated agent, the notice in Rich Text.}", maintype="text", subtype="rtf")
    assert parse_message(m.as_bytes(policy=SMTP)).text == "To the designated agent, the notice in plain text."


def test_an_unreadable_rtf_under_no_body_leaves_nothing_to_read() -> None:
    with pytest.raises(Unreadable, match="no readable text"):
        parse_message(mail((b"{\\rtf1 {\\info{\\title x}}}", "application", "rtf", "notice.rtf"), None))


# --- hostile input: bounded, linear, never an exception --------------------------------------------------------------

BIG = MAX_RTF_BYTES - 64
HOSTILE = {
    "opening braces": b"{\\rtf1 " + b"{" * BIG,
    "deep groups then text, unterminated": b"{\\rtf1 " + b"{" * 100_000 + b"text",
    "closing braces": b"{\\rtf1 " + b"}" * BIG,
    "empty groups": b"{\\rtf1 " + b"{}" * (BIG // 2),
    "groups of one word": b"{\\rtf1 " + b"{\\b x}" * (BIG // 6),
    "ignorable destinations": b"{\\rtf1 " + b"{\\*" * (BIG // 3),
    "a huge bin": b"{\\rtf1 a\\bin9999999999 " + b"{" * 1000,
    "bins": b"{\\rtf1 " + b"\\bin1 x" * (BIG // 7),
    "unicode with a huge fallback": b"{\\rtf1\\uc9999999999 " + b"\\u233 " * (BIG // 6),
    "unicode": b"{\\rtf1\\uc0 " + b"\\u-10179" * (BIG // 8),
    "escaped bytes": b"{\\rtf1\\ansicpg932 " + b"\\'82" * (BIG // 4),
    "control symbols": b"{\\rtf1 " + b"\\~" * (BIG // 2),
    "a long control word": b"{\\rtf1 \\" + b"a" * BIG,
    "a long parameter": b"{\\rtf1 \\f" + b"9" * BIG,
    "backslashes": b"{\\rtf1 " + b"\\" * BIG,
    "fonts": b"{\\rtf1{\\fonttbl" + b"\\f1\\fcharset204\\cpg1251" * (BIG // 24),
    "paragraphs": b"{\\rtf1 " + b"\\par" * (BIG // 4),
    "line ends": b"{\\rtf1 " + b"\r\n" * (BIG // 2),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_rtf_is_read_in_bounded_linear_time(name: str) -> None:
    """Groups are a stack of runs, not of frames (100,000 '{' is one entry, no recursion); `\\binN` jumps; every
    token is taken by one pattern that cannot backtrack. Each of these is at the size bound."""
    data = HOSTILE[name]
    assert len(data) <= MAX_RTF_BYTES
    started = time.perf_counter()
    text = rtf_text(data)
    assert time.perf_counter() - started < 5.0, name
    assert len(text) <= len(data)


def test_five_megabytes_of_opening_braces_are_read_to_the_end() -> None:
    """No time asserted: a recursive reader or a stack of frames does not finish, or runs out of memory."""
    assert rtf_text(b"{\\rtf1 " + b"{" * (MAX_RTF_BYTES - 7)) == ""
    assert rtf_text(b"{\\rtf1 " + b"{" * 100_000 + b"deep" + b"}" * 100_000 + b" shallow}") == "deep shallow"


def test_a_file_of_more_tokens_than_a_letter_has_is_not_read() -> None:
    """A million tokens (some 8 MB of what Word writes, far past any notice) take a second or so; a file of more is
    built to hold the reader, not to be read."""
    assert rtf_text(b"{\\rtf1 a" + b"\\'e9" * (MAX_RTF_TOKENS // 2) + b"}").startswith("a\u00e9\u00e9")
    assert rtf_text(b"{\\rtf1 a" + b"\\'e9" * MAX_RTF_TOKENS + b"}") == ""


def test_garbage_never_raises() -> None:
    rng = random.Random(20261201)
    alphabet = b"{}\\'*0123456789abcdefu-binpar \r\n\x00\xff\xe9"
    for _ in range(3_000):
        body = bytes(rng.choice(alphabet) for _ in range(rng.randrange(0, 200)))
        rtf_text(b"{\\rtf1" + body)
    for _ in range(200):
        rtf_text(b"{\\rtf1" + rng.randbytes(rng.randrange(0, 2000)))


@pytest.mark.parametrize(
    "data",
    [b"{\\rtf1 a\\u-9999999999 b}", b"{\\rtf1 a\\u-70000 b}", b"{\\rtf1 a\\u99999999 b}", b"{\\rtf1 a\\bin" + b"9" * 5000 + b" b}"],
    ids=["below-chr-after-65536", "negative-past-65536", "past-unicode", "bin-of-5000-digits"],
)
def test_a_number_out_of_any_range_is_no_character_and_no_error(data: bytes) -> None:
    """A review found `\\u-9999999999` raising OverflowError out of the reader (a 500 on the import page) and
    `\\u-70000` ValueError (an emailed notice with it attached kept `failed`, no claim)."""
    assert rtf_text(data) == "a"


def test_a_notice_with_a_broken_rtf_attached_is_still_read() -> None:
    raw = mail((b"{\\rtf1 x\\u-70000 y\\u-9999999999 z}", "application", "rtf", "notice.rtf"))
    assert parse_message(raw).text.startswith("Please see the attached notice.")
