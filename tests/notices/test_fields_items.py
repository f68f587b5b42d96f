"""Which reported URLs are the claim's items, as the held fields sets found notices written (bench/notices_labels.md,
"Held-apart sets for the claim fields"): the material on the platform, not the sender's own site beside it, not the
repository whose files the form's answer lists, not a URL cited on the licence, not a repository's issues or graphs.
Table tests of short synthetic texts in our own words."""

from __future__ import annotations

import pytest

from ipclaims.notices import read_notice

STATEMENTS = (
    "I have a good faith belief that use of the copyrighted materials described above is not authorized by the copyright "
    "owner, or its agent, or the law.\n\nI swear, under penalty of perjury, that the information in this notification is "
    "accurate and that I am the copyright owner, or am authorized to act on behalf of the owner, of an exclusive right "
    "that is allegedly infringed.\n\nSincerely,\n[private]\n"
)
REPO = "https://github.com/copycat/ledgerline"
FILE_A = f"{REPO}/blob/main/src/ledger.c"
FILE_B = f"{REPO}/blob/main/src/ledger.h"


def items(text: str) -> list[str]:
    return sorted(i["url"] for i in read_notice(text, kind="claim").fields.get("items") or [])


def form(**answers: str) -> str:
    questions = {
        "work": "Please provide a detailed description of the original copyrighted work that has allegedly been infringed.",
        "files": "What files should be taken down? Please provide URLs for each file, or if the entire repository, the repository's URL.",
        "repository": "Identify the full repository URL that is infringing:",
        "licence": "Is the work licensed under an open source license? How do you believe the license is being violated?",
        "standing": "Please describe the nature of your copyright ownership or authorization to act on the owner's behalf.",
    }
    body = "".join(f"**{questions[k]}**\n\n{v}\n\n" for k, v in answers.items())
    return (
        "**Are you the copyright holder or authorized to act on the copyright owner's behalf?**\n\nYes, I am the copyright holder.\n\n"
        + body
        + STATEMENTS
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # beside the platform's pages, the sender's own site is no item (the platform can act on its own pages only)
        (
            f"Dear Sir or Madam,\n\nWe discovered the illegal use of the databases https://ledgerline.example/ by a user of your "
            f"website. A program that extracts data from them is freely available ({REPO}).\n\n{STATEMENTS}",
            [REPO],
        ),
        # the form lists the files: the repository named in another answer is not reported whole
        (form(standing=f"The files are from {REPO}, a copy of our code.", files=f"{FILE_A}\n{FILE_B}"), [FILE_A, FILE_B]),
        # a URL cited on the licence is evidence, not material
        (
            form(files=REPO, licence=f"No. The licence file was replaced: {REPO}/blob/main/LICENSE and {REPO}/commit/45f73ea"),
            [REPO],
        ),
        (form(work="Our ledger engine.", repository=REPO, licence=f"It was removed in {REPO}/commit/607a2b1."), [REPO]),
        # the repository's issues or graphs beside it are talk about it
        (
            f"Dear Sir or Madam,\n\nThe repository {REPO} copies our engine; its authors admit it at {REPO}/issues/1#issuecomment-7 "
            f"and in {REPO}/graphs/contributors.\n\n{STATEMENTS}",
            [REPO],
        ),
    ],
)
def test_the_items_are_the_material_on_the_platform(text: str, expected: list[str]) -> None:
    assert items(text) == sorted(expected)


def test_commits_a_letter_reports_stay_items() -> None:
    text = (
        f"Dear Sir or Madam,\n\nThe following pages allow the download of our library:\n\n{FILE_A}\n\nCommits:\n"
        f"{REPO}/commit/4d814f9\n\nAll commits and URLs above are infringing.\n\n{STATEMENTS}"
    )
    assert items(text) == sorted([FILE_A, f"{REPO}/commit/4d814f9"])


def test_a_page_elsewhere_is_an_item_when_nothing_on_the_platform_is_reported() -> None:
    text = f"Dear Sir or Madam,\n\nOur film is streamed without licence at https://streams.example/player?id=17.\n\n{STATEMENTS}"
    assert items(text) == ["https://streams.example/player?id=17"]
