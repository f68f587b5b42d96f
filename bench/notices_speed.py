"""How long `read_notice` takes on a takedown listing 2,000 URLs (goal: under a second), and on a plain notice; with
`--large`, on notices of 0.5, 1 and 2 MB (MAX_TEXT_CHARS is 2,000,000) of three shapes, per MB, so that growth faster
than the text's length shows.

    .venv/bin/python bench/notices_speed.py [--urls 2000] [--repeat 5]
    .venv/bin/python bench/notices_speed.py --large [--repeat 2]

Prints the best and median wall time of each; the machine's load makes single runs noisy, so it repeats. The large
shapes: a list of URL lines whose paths hold words the reader looks for ("game", "images"); the web form repeated,
each copy answering with ten URLs (thousands of answers and URLs); a letter with its statements repeated (thousands
of sworn and good-faith sentences). A reader that is linear prints about the same s/MB at each size.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import time
from collections.abc import Callable

from ipclaims.notices import parse_message, read_notice

NOTICE = """Dear agent,

Our studio wrote the game "Lantern Keep"; the original is at https://lanternkeep.example.com/source.
The following copies infringe it:
{urls}

I have a good faith belief that this use is not authorized by the copyright owner, its agent, or the law.
I swear, under penalty of perjury, that the information in this notification is accurate and that I am authorized to
act on behalf of the owner.
Email: rights@lanternkeep.example.com

Sincerely,
Jonas Pike
"""

FORM = (
    "**Are you the copyright holder or authorized to act on the copyright owner's behalf?**\n\nYes, I am the copyright holder.\n\n"
    "**Please provide a detailed description of the original copyrighted work that has allegedly been infringed. If possible, "
    "include a URL to where it is posted online.**\n\nOur game Lantern Keep, sold at https://lanternkeep.example.com/store/{i}.\n\n"
    "**What files should be taken down? Please provide URLs for each file, or if the entire repository, the repository's "
    "URL.**\n\n{urls}\n\n"
    "**I have a good faith belief that use of the copyrighted materials described above on the infringing web pages "
    "is not authorized by the copyright owner, or its agent, or the law.**\n\n"
    "**I swear, under penalty of perjury, that the information in this notification is accurate and that I am the "
    "copyright owner, or am authorized to act on behalf of the owner, of an exclusive right that is allegedly infringed.**\n\n"
    "**Please type your full legal name below to sign this request.**\n\nJonas Pike\n\n"
)

LETTER = (
    'Dear agent,\n\nOur studio wrote the game "Lantern Keep {i}"; the original is at https://lanternkeep.example.com/games/{i}. '
    "A copy of it was posted without permission at https://github.com/pirate-{i}/lantern-copy and we ask you to remove it.\n\n"
    "I have a good faith belief that this use is not authorized by the copyright owner, its agent, or the law. "
    "I swear, under penalty of perjury, that the information in this notification is accurate and that I am authorized to "
    "act on behalf of the owner.\n\nSincerely,\nJonas Pike\n\n"
)


def _url(i: int, j: int = 0) -> str:
    return f"https://github.com/mirror-{i // 50}/pack-{i}-{j}/blob/main/src/game/images/app.js"


def large(shape: str, size: int) -> str:
    """A notice of `shape` ("urls", "form" or "letter") of at most `size` characters: whole copies or URL lines only."""
    head, tail = NOTICE.split("{urls}") if shape == "urls" else ("", "")
    parts = [head]
    length, i = len(head) + len(tail), 0
    while True:
        if shape == "form":
            part = FORM.format(i=i, urls="\n".join(_url(i, j) for j in range(10)))
        elif shape == "letter":
            part = LETTER.format(i=i)
        else:
            part = ("\n" if i else "") + _url(i)
        if length + len(part) > size:
            return "".join([*parts, tail])
        parts.append(part)
        length += len(part)
        i += 1


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return min(runs), statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--urls", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=None, help="runs of each reading (default 5; 2 with --large)")
    parser.add_argument("--large", action="store_true", help="notices of 0.5, 1 and 2 MB of three shapes, time per MB")
    args = parser.parse_args()
    if args.large:
        repeat = args.repeat or 2
        for shape in ("urls", "form", "letter"):
            for mb in (0.5, 1.0, 2.0):
                text = large(shape, int(mb * 1_000_000))
                best, median = timed(functools.partial(read_notice, text), repeat)
                label = f"read_notice, {shape}, {mb:g} MB"
                print(f"{label:45s} best {best:6.2f} s  median {median:6.2f} s  {best / mb:5.2f} s per MB", flush=True)
        return
    repeat = args.repeat or 5
    urls = "\n".join(f"https://github.com/mirror-{i // 50}/pack-{i}/blob/main/file{i}.txt" for i in range(args.urls))
    big = NOTICE.format(urls=urls)
    small = NOTICE.format(urls="https://github.com/pirate-dev/lantern-copy")
    reading = read_notice(big)
    assert len(reading.fields["items"]) == args.urls, len(reading.fields["items"])
    eml = (
        b"From: Jonas Pike <rights@lanternkeep.example.com>\r\nTo: agent@platform.example\r\nSubject: notice\r\n"
        b"Date: Tue, 03 Nov 2026 09:15:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + big.encode()
    )
    for label, fn in (
        (f"read_notice, {args.urls} URLs", lambda: read_notice(big)),
        (f"parse_message + read_notice, {args.urls} URLs", lambda: read_notice(parse_message(eml).text)),
        ("read_notice, one URL", lambda: read_notice(small)),
    ):
        best, median = timed(fn, repeat)
        print(f"{label:45s} best {best * 1000:8.1f} ms  median {median * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
