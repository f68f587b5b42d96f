"""The platform the reader reads for is the deployment's own (IPCLAIMS_PLATFORM_HOSTS), not only GitHub's hosts.

A notice sent to a video or photo platform names that platform's URLs as the material and the sender's own site as
the work; which is which must not depend on the platform being GitHub. Without configured hosts the reader keeps
its built-in list (the hosts of the github/dmca corpus it is measured on)."""

from __future__ import annotations

import pytest

from ipclaims.notices import read_notice
from ipclaims.notices.doc import Doc
from ipclaims.notices.text import find_urls

LETTER = """Dear Designated Agent,

I am the owner of the photograph "Harbour at Dawn", published on my site at https://lee-photo.example/harbour.
A copy is posted without my permission at https://pics.example.net/p/88231.

I have a good faith belief that use of the material in the manner complained of is not authorized by the copyright
owner, its agent, or the law. The information in this notification is accurate, and under penalty of perjury, I am
the owner of the exclusive right that is allegedly infringed.

Dana Lee
12 Pier Road, Portland, ME 04101, USA
dana@lee-photo.example
/s/ Dana Lee
"""


def _status(reading: object, code: str) -> str:
    return next(j.status for j in reading.judgements if j.code == code)  # type: ignore[attr-defined]


def test_the_configured_platform_hosts_locate_the_material() -> None:
    reading = read_notice(LETTER, platform_hosts=frozenset({"pics.example.net"}))
    assert _status(reading, "material_location") == "present"
    assert [i["url"] for i in reading.fields["items"]] == ["https://pics.example.net/p/88231"]
    assert next(w.get("urls") for w in reading.fields["works"]) == ["https://lee-photo.example/harbour"]


@pytest.mark.parametrize(
    "sentence",
    [
        "A copy is posted without my permission at https://pics.example.net/p/88231.",
        "Someone uploaded it without our authorisation to https://pics.example.net/p/88231.",
        "It was reposted with no permission at https://pics.example.net/p/88231.",
    ],
)
def test_a_copy_posted_without_permission_is_the_material_whatever_the_platform(sentence: str) -> None:
    text = LETTER.replace("A copy is posted without my permission at https://pics.example.net/p/88231.", sentence)
    for hosts in (frozenset(), frozenset({"pics.example.net"})):
        assert _status(read_notice(text, platform_hosts=hosts), "material_location") == "present", (sentence, hosts)


def test_the_mailroom_reads_with_the_configured_hosts(monkeypatch: pytest.MonkeyPatch) -> None:
    from ipclaims import config
    from ipclaims.mailroom import reading

    text = LETTER.replace("A copy is posted without my permission at", "A copy is at")
    monkeypatch.setenv("IPCLAIMS_PLATFORM_HOSTS", "pics.example.net")
    config.get_settings.cache_clear()
    try:
        read = reading.read(reading.Source(text.encode(), reading.PLAIN))
    finally:
        monkeypatch.delenv("IPCLAIMS_PLATFORM_HOSTS")
        config.get_settings.cache_clear()
    assert [i["url"] for i in read.reading.fields["items"]] == ["https://pics.example.net/p/88231"]


def test_a_configured_www_host_is_on_the_platform_as_a_url_and_as_text() -> None:
    """Extract compares URLs both as found (`on_platform`) and as text (`on_platform_url`); with "www.pics.example"
    configured both must say the same, or the sender's and the platform's URLs are told apart differently."""
    doc = Doc("x", platform_hosts=frozenset({"www.pics.example"}))
    on, off = find_urls("https://www.pics.example/p/1 and https://pics.example/p/2 here")
    assert doc.on_platform(on) and doc.on_platform_url(on.url)
    assert not doc.on_platform(off) and not doc.on_platform_url(off.url)
