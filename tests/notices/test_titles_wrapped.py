"""A work's quoted title where mail puts it: on the next line after its kind (a hard-wrapped body, a PDF's layout),
and in a script without capitals. A probe's notice in an attached PDF wrapped "my illustration" / "“Copper Fox at
Dusk”" over two lines, and another named its work "夕暮れの銅の狐": neither title was read, the work's description went
with it, and intake found the work unidentified — a deficiency letter for a notice that named its work."""

from __future__ import annotations

import pytest

from ipclaims.notices import read_notice

TAIL = (
    "It was published at https://inkmarsh.example/heron and is copied without my permission at "
    "https://platform.example/u/lifter/posts/77\n\n"
    "I have a good faith belief that this use is not authorized by the copyright owner, its agent, or the law.\n"
    "I swear, under penalty of perjury, that this notice is accurate and that I am the copyright owner.\n\n"
    "Olek Marsh, 4 Mill Lane, Leeds LS1 4AB, UK, olek@inkmarsh.example\n/s/ Olek Marsh\n"
)


def _work(opening: str) -> dict[str, object]:
    works = read_notice(opening + "\n" + TAIL).fields["works"]
    assert len(works) == 1
    return dict(works[0])


@pytest.mark.parametrize(
    ("opening", "title"),
    [
        ("I own the copyright in my drawing\n\u201cHeron in Fog\u201d, made in 2024.", "Heron in Fog"),
        ('I own the copyright in my drawing \n  "Heron in Fog", made in 2024.', "Heron in Fog"),
        ("I own the copyright in my drawing \u201c夕暮れの銅の狐\u201d, made in 2024.", "夕暮れの銅の狐"),
        ("I own the copyright in my drawing 『夕暮れの銅の狐』, made in 2024.", "夕暮れの銅の狐"),
        ("I own the copyright in my drawing 「黄昏的铜狐」, made in 2024.", "黄昏的铜狐"),
        ('I own the copyright in my drawing "שועל הנחושת", made in 2024.', "שועל הנחושת"),
    ],
    ids=["wrapped-curly", "wrapped-straight", "japanese", "japanese-brackets", "chinese-brackets", "hebrew"],
)
def test_the_title_and_the_sentence_naming_the_work_are_read(opening: str, title: str) -> None:
    work = _work(opening)
    assert work["title"] == title
    assert title in str(work["description"])


@pytest.mark.parametrize(
    "opening",
    [
        "I own the copyright in my drawing\n\n\u201cHeron in Fog\u201d is its title.",  # a paragraph apart: not one phrase
        'I own the copyright in my drawing "as is", made in 2024.',  # a quoted phrase, not a title
    ],
    ids=["paragraph-apart", "lower-case"],
)
def test_what_is_no_title_stays_none(opening: str) -> None:
    assert _work(opening).get("title") is None
