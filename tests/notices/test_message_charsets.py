"""Charsets as mail clients really label them. A probe found three ways a sender's name and work title came out as
mojibake or replacement characters in the claim (and in the letters addressed to them):

- an HTML part that says its charset only in its own `<meta>` (no `charset` on its Content-Type), read as
  Windows-1252: Japanese, Chinese and Cyrillic names became "ŽR“c ‰ÔŽq", "ÀîÃ÷»ª", "éÒÉÎÁ ÷ÏÌËÏ×Á", and ISO-2022-JP's
  escape sequences cut a title off;
- a label narrower than the bytes, as Windows clients send them: `gb2312` over GBK, `shift_jis` over Windows-31J,
  `ks_c_5601-1987` over Unified Hangul, `iso-8859-1` over Windows-1252's quotes — every character outside the label
  became U+FFFD (or a C1 control);
- Latin-1 bytes labelled `utf-8`: "Zo� Dupr�".

Browsers and mail clients read each label as its Windows superset (the WHATWG Encoding standard), an HTML part by
its `<meta>` when the transport says nothing, and undecodable UTF-8 bytes as Windows-1252; so does the reader now.
"""

from __future__ import annotations

import base64
import codecs

import pytest

from ipclaims.notices import parse_message, read_notice
from ipclaims.notices.charsets import decode_text, text_charset

HEAD = "From: sender@example.org\r\nSubject: Notice\r\nDate: Tue, 01 Dec 2026 09:30:00 +0000\r\nMIME-Version: 1.0\r\n"


def message(content_type: str, body: bytes, cte: str = "8bit") -> bytes:
    return f"{HEAD}Content-Type: {content_type}\r\nContent-Transfer-Encoding: {cte}\r\n\r\n".encode() + body


@pytest.mark.parametrize(
    ("label", "codec", "words"),
    [
        ("gb2312", "gbk", "王镕 owns the drawing"),  # 镕 is GBK, not GB 2312
        ("GB2312", "gb18030", "李明华 owns the drawing"),
        ("shift_jis", "cp932", "髙橋 ① owns the drawing"),  # Windows-31J (IBM and NEC rows)
        ("ks_c_5601-1987", "cp949", "똠방 owns the drawing"),  # a syllable of Unified Hangul only
        ("euc-kr", "cp949", "똠방 owns the drawing"),
        ("iso-8859-1", "cp1252", "the drawing \u201cHeron\u201d \u2014 \u20ac5"),
        ("us-ascii", "cp1252", "the drawing \u201cHeron\u201d"),
    ],
)
def test_a_label_is_read_as_the_windows_superset_clients_send_under_it(label: str, codec: str, words: str) -> None:
    raw = message(f"text/plain; charset={label}", words.encode(codec))
    assert parse_message(raw).text == words


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Zoë Dupré owns « Renard »".encode("latin-1"), "Zoë Dupré owns « Renard »"),
        ("Zoë Dupré owns ".encode() + "“Renard”".encode("cp1252"), "Zoë Dupré owns “Renard”"),  # mixed: pasted text
    ],
    ids=["latin-1", "mixed"],
)
def test_bytes_that_are_not_the_utf_8_they_are_labelled_are_read_as_windows_1252(body: bytes, expected: str) -> None:
    assert parse_message(message("text/plain; charset=utf-8", body)).text == expected
    assert "\ufffd" not in parse_message(message("text/html; charset=UTF-8", b"<p>" + body + b"</p>")).text


def _html(meta: str, words: str, codec: str) -> bytes:
    return f"<html><head>{meta}<title>x</title></head><body><p>{words}</p></body></html>".encode(codec)


@pytest.mark.parametrize(
    ("codec", "words"),
    [
        ("shift_jis", "山田 花子 owns the drawing 「夕暮れの狐」"),
        ("iso-2022-jp", "山田 花子 owns the drawing 「夕暮れの狐」"),
        ("gb2312", "李明华 owns the drawing"),
        ("koi8-r", "Ирина Волкова owns the drawing"),
        ("windows-1251", "Ирина Волкова owns the drawing"),
        ("windows-1252", "Zoë Dupré owns the drawing “Renard”"),
    ],
)
@pytest.mark.parametrize(
    "meta",
    ['<meta http-equiv="Content-Type" content="text/html; charset={}">', "<meta charset='{}'>", "<META CHARSET={} />"],
    ids=["http-equiv", "charset", "bare"],
)
@pytest.mark.parametrize("content_type", ["text/html", "text/html; charset=us-ascii"])
def test_an_html_part_that_names_its_charset_only_in_its_meta_is_read_in_it(codec: str, words: str, meta: str, content_type: str) -> None:
    raw = message(content_type, _html(meta.format(codec), words, codec))
    assert parse_message(raw).text == words


def test_the_content_type_charset_wins_over_the_meta() -> None:
    """RFC 2045's label is the transport's, and a client that re-encodes a part rewrites it and not the HTML inside."""
    raw = message("text/html; charset=utf-8", _html('<meta charset="koi8-r">', "Ирина Волкова owns it", "utf-8"))
    assert parse_message(raw).text == "Ирина Волкова owns it"


def test_a_meta_in_the_text_of_a_plain_part_is_only_text() -> None:
    raw = message("text/plain", b'I paste <meta charset="koi8-r"> here: Zo\xeb')
    assert parse_message(raw).text == 'I paste <meta charset="koi8-r"> here: Zoë'


def test_an_unknown_meta_charset_falls_back_as_before() -> None:
    raw = message("text/html", _html('<meta charset="x-no-such">', "Zoë owns it", "cp1252"))
    assert parse_message(raw).text == "Zoë owns it"


def test_the_claim_names_the_sender_in_their_own_script() -> None:
    notice = (
        'I am Ирина Волкова and I own the copyright in my illustration "Медная лиса", published at https://volkova.example/fox. '
        "A copy is at https://platform.example/u/lifter/posts/9 without my permission.<br>"
        "I have a good faith belief that this use is not authorized by the copyright owner, its agent, or the law.<br>"
        "I swear, under penalty of perjury, that this notice is accurate and that I am the copyright owner.<br>"
        "Ирина Волкова, irina@volkova.example, +7 495 555 0100<br>/s/ Ирина Волкова"
    )
    raw = message("text/html", _html('<meta http-equiv="content-type" content="text/html;charset=KOI8-R">', notice, "koi8-r"))
    fields = read_notice(parse_message(raw).text).fields
    assert fields["complainant"]["name"] == "Ирина Волкова"
    assert fields["signature"]["name"] == "Ирина Волкова"


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain; charset=hex", "Zoë Dupré owns the drawing".encode()),
        ("text/plain; charset=rot13", b"Zoe Dupre owns the drawing"),
        ("text/plain; charset=undefined", b"Zoe Dupre owns the drawing"),
        ("text/html", b'<html><head><meta charset="base64"></head><body><p>Zoe Dupre owns the drawing</p></body></html>'),
        ("text/plain; charset=ANSI_X3.4-1968", "Zoë Dupré owns the drawing".encode("cp1252")),
    ],
    ids=["hex", "rot13", "undefined", "meta-base64", "ascii-alias"],
)
def test_a_label_that_is_no_text_encoding_is_read_as_unlabelled(content_type: str, body: bytes) -> None:
    """Python knows `hex`, `rot13`, `base64` and `undefined` as codecs; a part labelled with one was "cannot be read"
    (422 from the API, `failed` in the inbox) where an unlabelled part is read."""
    text = parse_message(message(content_type, body)).text
    assert "owns the drawing" in text and "\ufffd" not in text
    assert "Dupr" in text


# Text whose charset nobody said: one ladder of guesses, read by `decode_text` and named by `text_charset` (what the
# inbox serves a stored text as). Each rung: the bytes, the charset named, the text read.
LADDER = [
    (b"", "utf-8", ""),
    (b"plain ASCII notice", "utf-8", "plain ASCII notice"),
    ("Zoë Dupré — 王镕".encode(), "utf-8", "Zoë Dupré — 王镕"),
    (codecs.BOM_UTF8 + "Zoë".encode(), "utf-8", "Zoë"),  # the BOM is dropped
    (codecs.BOM_UTF16_LE + "Zoë — 王".encode("utf-16-le"), "utf-16", "Zoë — 王"),
    (codecs.BOM_UTF16_BE + "Zoë — 王".encode("utf-16-be"), "utf-16", "Zoë — 王"),
    (codecs.BOM_UTF16_LE + b"Z\x00o", "utf-16", "Z\ufffd"),  # an odd byte after a BOM: replaced, not refused
    (codecs.BOM_UTF8[:2] + b"x", "windows-1252", "ï»x"),  # half a UTF-8 BOM is no BOM
    ("“Heron” — €5, Zoë".encode("cp1252"), "windows-1252", "“Heron” — €5, Zoë"),
    (b"Zo\xeb Dupr\xe9", "windows-1252", "Zoë Dupré"),  # Latin-1's letters are Windows-1252's too
    (b"caf\xc3", "windows-1252", "cafÃ"),  # UTF-8 cut short
    (b"a\x81b", "iso-8859-1", "a\x81b"),  # one of the five bytes Windows-1252 leaves undefined
    (b"\x93q\x94 \x8d", "iso-8859-1", "\x93q\x94 \x8d"),  # with one of them, the whole text is read as Latin-1
    (bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]), "iso-8859-1", "\x81\x8d\x8f\x90\x9d"),
]


@pytest.mark.parametrize(("data", "charset", "text"), LADDER)
def test_text_of_no_stated_charset_is_named_as_it_is_read(data: bytes, charset: str, text: str) -> None:
    assert decode_text(data) == text
    assert text_charset(data) == charset
    # the name served reads the same text (a UTF-8 BOM aside: a browser drops it as `decode_text` does)
    assert data.decode(charset, errors="replace").removeprefix("\ufeff") == text


def _word(label: str, codec: str, words: str, encoding: str = "B") -> str:
    """An RFC 2047 encoded-word as a client writes it: `words` in `codec`'s bytes, labelled `label`."""
    data = words.encode(codec)
    if encoding == "B":
        return f"=?{label}?B?{base64.b64encode(data).decode()}?="
    return f"=?{label}?Q?{''.join(chr(b) if chr(b).isascii() and chr(b).isalnum() else f'={b:02X}' for b in data)}?="


@pytest.mark.parametrize(
    ("label", "codec", "name", "subject", "encoding"),
    [
        ("gb2312", "gbk", "王镕", "关于王镕的画作", "B"),  # 镕 is GBK, not GB 2312: what Chinese mail clients send
        ("GB2312", "gbk", "李明華", "侵權通知 ①", "B"),  # 華 and ① are GBK only too
        ("gb2312", "gbk", "王镕", "关于王镕", "Q"),
        ("shift_jis", "cp932", "髙橋 花子", "著作権侵害の通知 ①", "B"),  # Windows-31J's IBM and NEC rows
        ("ks_c_5601-1987", "cp949", "똠방 김", "저작권 침해 똠방", "B"),  # a syllable of Unified Hangul only
        ("iso-8859-1", "cp1252", "Zoë “Zo” Dupré", "Notice — “Heron” €5", "Q"),  # Windows-1252's quotes, dash, euro
    ],
)
def test_an_encoded_word_is_read_as_the_windows_superset_of_its_label(
    label: str, codec: str, name: str, subject: str, encoding: str
) -> None:
    """A header's encoded-word labelled with a narrower charset than its bytes (as bodies are already read): the
    subject and the sender's name came out with U+FFFD ("王�F") or C1 controls where the character outside the label was."""
    raw = (
        f"From: {_word(label, codec, name, encoding)} <sender@example.org>\r\nSubject: {_word(label, codec, subject, encoding)}\r\n"
        "Date: Tue, 01 Dec 2026 09:30:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "I own the drawing.\r\n"
    ).encode("ascii")
    parsed = parse_message(raw)
    assert parsed.sender_name == name
    assert parsed.subject == subject
    assert parsed.sender == "sender@example.org"


def test_a_forwarded_messages_encoded_words_are_read_as_their_superset() -> None:
    inner = (
        f"From: {_word('gb2312', 'gbk', '王镕')} <wang@example.cn>\r\nSubject: {_word('gb2312', 'gbk', '王镕的画作')}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nI own the drawing.\r\n"
    )
    raw = (
        f"{HEAD}Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n"
        f"--b\r\nContent-Type: message/rfc822\r\n\r\n{inner}--b--\r\n"
    ).encode("ascii")
    parsed = parse_message(raw)
    assert (parsed.sender, parsed.sender_name, parsed.subject) == ("wang@example.cn", "王镕", "王镕的画作")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("=?utf-8?B?546L6ZWV?= <wang@example.cn>", "王镕"),  # a label with no superset, as before
        ("=?gb2312?B?zfXD9w==?= <wang@example.cn>", "王明"),  # GB 2312's own characters, as before
        ("=?hex?B?zfXD9w==?= <wang@example.cn>", None),  # no text encoding: left to the library, never raises
        ("=?gb2312?B?zfXD9w==?= =?iso-8859-1?Q?Zo=EB?= <wang@example.cn>", "王明 Zoë"),  # two charsets, the library's space
        ("Zoe =?gb2312?Q? not a word <zoe@example.org>", "Zoe =?gb2312?Q? not a word"),  # no encoded-word: as written
    ],
)
def test_other_encoded_words_read_as_before(header: str, expected: str | None) -> None:
    raw = f"From: {header}\r\nSubject: Notice\r\nContent-Type: text/plain\r\n\r\nI own the drawing.\r\n".encode("ascii")
    parsed = parse_message(raw)
    assert parsed.sender_name == expected or expected is None
    assert parsed.sender == header.rsplit("<", 1)[1].rstrip(">")


def test_a_label_only_another_library_registers_is_read_as_unlabelled() -> None:
    """fontTools (loaded with WeasyPrint) registers codecs of its own for the whole process (`x_mac_japanese_ttx`, …).
    The API server and the worker load WeasyPrint; `ipclaims notices import` and the inbox no longer do (the command
    line imports what each command needs), nor does bench/notices.py: a part labelled with such a name was read as Mac
    Japanese in one process and as unlabelled in another. The reader knows Python's own codecs only."""
    import fontTools.encodings.codecs  # noqa: F401  (registers its codecs, as importing WeasyPrint does)

    body = "Zoë Dupré owns the drawing".encode("cp1252")
    raw = message("text/plain; charset=x-mac-japanese-ttx", body)
    assert parse_message(raw).text == parse_message(message("text/plain", body)).text == "Zoë Dupré owns the drawing"
