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

import pytest

from ipclaims.notices import parse_message, read_notice

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


def test_a_label_only_another_library_registers_is_read_as_unlabelled() -> None:
    """fontTools (loaded with WeasyPrint) registers codecs of its own for the whole process (`x_mac_japanese_ttx`, …).
    The API server and the worker load WeasyPrint; `ipclaims notices import` and the inbox no longer do (the command
    line imports what each command needs), nor does bench/notices.py: a part labelled with such a name was read as Mac
    Japanese in one process and as unlabelled in another. The reader knows Python's own codecs only."""
    import fontTools.encodings.codecs  # noqa: F401  (registers its codecs, as importing WeasyPrint does)

    body = "Zoë Dupré owns the drawing".encode("cp1252")
    raw = message("text/plain; charset=x-mac-japanese-ttx", body)
    assert parse_message(raw).text == parse_message(message("text/plain", body)).text == "Zoë Dupré owns the drawing"
