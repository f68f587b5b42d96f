"""Review fix (issue 20): a URL the text presents as the sender's own original ("my own channel at", "I published it
at", "I wrote the code in", "the original work is at", "my repo X was forked to Y") is the work's location, not the
material, on the platform's own hosts too: it is no item, and it cannot make a whole account read as a specific
location. Short synthetic texts of our own; each new reading stands beside the ordinary notice it must not catch."""

from __future__ import annotations

import pytest

from ipclaims.notices import read_notice
from tests.notices.synthetic import form, judged, letter

CLOSE = "Regards,\nTomas Reyes\ntomas@reyes-studio.example"
PLATFORM = frozenset({"clips.example"})


def items(text: str, hosts: frozenset[str] = frozenset()) -> list[str]:
    return [item["url"] for item in read_notice(text, kind="claim", platform_hosts=hosts).fields.get("items", [])]


def work_urls(text: str, hosts: frozenset[str] = frozenset()) -> list[str]:
    works = read_notice(text, kind="claim", platform_hosts=hosts).fields.get("works", [])
    return [url for work in works for url in work.get("urls", [])]


CHANNEL = letter(
    'I made the short film "Salt Marsh", which I uploaded to my own channel at https://clips.example/v/10001 last spring. '
    "Someone re-posted it without my permission at https://clips.example/v/20002.",
    CLOSE,
)


def test_the_senders_own_upload_on_the_platform_is_the_work_not_an_item() -> None:
    reading = read_notice(CHANNEL, kind="claim", platform_hosts=PLATFORM)
    assert [i["url"] for i in reading.fields["items"]] == ["https://clips.example/v/20002"]
    assert work_urls(CHANNEL, PLATFORM) == ["https://clips.example/v/10001"]
    location = reading.judgement("material_location")
    assert location.status == "present"
    assert [s.quote for s in location.evidence] == ["https://clips.example/v/20002"]


def test_a_copy_named_alone_on_the_platform_stays_the_material() -> None:
    text = letter("Someone re-posted my film without my permission at https://clips.example/v/20002.", CLOSE)
    assert items(text, PLATFORM) == ["https://clips.example/v/20002"]


WHOLE_ACCOUNT = "The user https://github.com/copycat-dev copied it. Please remove everything on this account."

OWN_ON_GITHUB = [
    # GitHub's form: the original's place in the answer on the original work
    form("Tidewater, a sync tool. I wrote the code in https://github.com/reyes-studio/tidewater", WHOLE_ACCOUNT),
    form("Tidewater, a sync tool I published at https://github.com/reyes-studio/tidewater in 2021.", WHOLE_ACCOUNT),
    # a letter's own words
    letter(
        "The original work is at https://github.com/reyes-studio/tidewater. I wrote the code in "
        f"https://github.com/reyes-studio/tidewater over two years.\n\n{WHOLE_ACCOUNT}",
        CLOSE,
    ),
    letter(f"Identify the original work: Tidewater, published at https://github.com/reyes-studio/tidewater.\n\n{WHOLE_ACCOUNT}", CLOSE),
]


@pytest.mark.parametrize("text", OWN_ON_GITHUB)
def test_the_senders_own_repository_does_not_locate_the_material(text: str) -> None:
    """A whole account is what is left: deficient (NOTICES.md), not "1 specific URL" made of the owner's own."""
    status, quotes = judged(text, "material_location")
    assert status == "deficient"
    assert "reyes-studio" not in quotes
    assert items(text) == ["https://github.com/copycat-dev"]
    assert "https://github.com/reyes-studio/tidewater" in work_urls(text)


def test_without_the_own_words_the_same_repository_is_still_the_material() -> None:
    text = form("Tidewater, a sync tool.", "https://github.com/reyes-studio/tidewater\n\nThe whole repository infringes.")
    assert judged(text, "material_location")[0] == "present"
    assert items(text) == ["https://github.com/reyes-studio/tidewater"]


FORKED = letter(
    "My repo https://github.com/reyes-studio/tidewater was forked to https://github.com/copycat-dev/tidewater, which "
    "removed my name and license.",
    CLOSE,
)


def test_my_repo_forked_to_another_is_the_original_and_the_fork_the_material() -> None:
    assert items(FORKED) == ["https://github.com/copycat-dev/tidewater"]
    assert work_urls(FORKED) == ["https://github.com/reyes-studio/tidewater"]


@pytest.mark.parametrize(
    "sentence",
    [
        # the cue is what the copy was made of: the URL is the copy's
        "The repository is a direct copy of our work: https://github.com/copycat-dev/tidewater",
        "The user copied our repository here https://github.com/copycat-dev/tidewater",
        # the URL is then said to be copied from elsewhere
        "The source for these files is on our repo:\n\nhttps://github.com/copycat-dev/tidewater\n\nis copied from our server.",
        # a label written after the URL before it
        "https://github.com/reyes-studio/tidewater <- Original\nhttps://github.com/copycat-dev/tidewater <- Infringer",
    ],
)
def test_words_that_make_the_url_the_copy_keep_it_reported(sentence: str) -> None:
    assert "https://github.com/copycat-dev/tidewater" in items(letter(sentence, CLOSE))


def test_the_original_repository_beside_its_forks_is_the_root_of_the_forks() -> None:
    """ "Original repository" among forks names the fork network's root to take down, not the sender's original."""
    text = form(
        "Our engine's source code, leaked by a former contractor.",
        "The whole repository.",
        "**Have you searched for any forks?**\n\nNo forks have been found. Original repo: https://github.com/copycat-dev/tidewater\n\n",
    )
    status, quotes = judged(text, "material_location")
    assert (status, quotes) == ("present", "https://github.com/copycat-dev/tidewater")


def test_the_original_also_listed_to_take_down_stays_reported() -> None:
    """The sender lists it among the files to take down: whatever it is called, it is reported."""
    text = form(
        "This is the original repo: https://github.com/copycat-dev/tidewater, a fork of my own work.",
        "https://github.com/copycat-dev/tidewater",
    )
    assert items(text) == ["https://github.com/copycat-dev/tidewater"]
