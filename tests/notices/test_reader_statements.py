"""Table tests for statements read across their own layout (issue 20, fourth round), synthetic text in our own words:
a good-faith sentence broken by a list of URLs is read with the words after the list; a counter notice whose free text
says the material was not removed by mistake takes back its sworn mistake sentence."""

from __future__ import annotations

import pytest

from ipclaims.notices import read_notice

TAIL = (
    "I swear, under penalty of perjury, that the information in this notice is accurate and that I am authorized to act "
    "on behalf of the owner.\n\nMail me at rights@quillworks.example.com.\n\nSincerely,\nMara Quill\n"
)
URLS = "".join(f"- https://github.com/someone/copy-{n}/blob/main/src/editor.c\n" for n in range(6))

GOOD_FAITH = [
    # the list cuts the sentence; the prongs come after it
    (
        f"I have a good faith belief that the pages\n\n{URLS}\nhold material not authorized by the copyright owner, its agent, "
        "or the law.\n\n",
        "present",
    ),
    # after the list the sentence speaks only of infringement: still no authorisation prong
    (f"I have a good faith belief that the pages\n\n{URLS}\ninfringe our copyright.\n\n", "deficient"),
    # a finished sentence before a list is not joined to what follows the list
    (
        f"I have a good faith belief that our rights are infringed.\n\n{URLS}\nThese are not authorized by the owner or the law.\n\n",
        "deficient",
    ),
]


@pytest.mark.parametrize(("body", "want"), GOOD_FAITH)
def test_good_faith_read_across_a_url_list(body: str, want: str) -> None:
    text = "Dear GitHub,\n\nThe files copy our Quillworks editor.\n\n" + body + TAIL
    assert read_notice(text, kind="claim").judgement("good_faith_statement").status == want


COUNTER = (
    "**Is there anything else you think we should know about why the material was removed as a result of a mistake?**\n\n"
    "{free}\n\n"
    "**I swear, under penalty of perjury, that I have a good-faith belief that the material was removed or disabled as a "
    "result of a mistake or misidentification of the material to be removed or disabled.**\n\n"
    "**I consent to the jurisdiction of Federal District Court for the judicial district in which my address is located, "
    "and I will accept service of process from the person who provided the DMCA notification.**\n\n"
    "**Please list the URL of the removed repository.**\n\nhttps://github.com/someone/tool\n\n"
    "**Your name, address and telephone number.**\n\n[private]\n\n**Please type your full name for your signature.**\n\n[private]\n"
)

MISTAKE = [
    ("The material was not removed by mistake. The claimant removed it on purpose to harm my project.", "deficient"),
    ("The claimant was wrong: my project was written by me and was removed by mistake.", "present"),
    ("The code was not copied; it was removed as a result of misidentification.", "present"),
]


@pytest.mark.parametrize(("free", "want"), MISTAKE)
def test_free_text_denying_a_mistake_takes_the_statement_back(free: str, want: str) -> None:
    text = COUNTER.format(free=free)
    assert read_notice(text, kind="counter_notice").judgement("mistake_statement").status == want


LOCATION = [
    # a whole repository, and the sender says only that "some or all" of what is in it is theirs
    ("We believe that some or all of the material contained in https://github.com/someone/tool is copied from us.", "deficient"),
    # the same hedge, but the sender then says the whole repository is the copy
    (
        "We believe that some or all of the material contained in https://github.com/someone/tool is copied from us; "
        "in fact the entire repository is a copy of our editor.",
        "present",
    ),
    # a specific file URL is a location, hedge or not
    ("Some or all of the code in https://github.com/someone/tool/blob/main/src/editor.c is ours.", "present"),
]


@pytest.mark.parametrize(("body", "want"), LOCATION)
def test_some_or_all_of_a_whole_repository_does_not_locate(body: str, want: str) -> None:
    text = (
        "Dear GitHub,\n\nOur company wrote the Quillworks editor.\n\n" + body + "\n\nI have a good faith belief that this "
        "use is not authorized by the copyright owner, its agent, or the law.\n\n" + TAIL
    )
    assert read_notice(text, kind="claim").judgement("material_location").status == want
