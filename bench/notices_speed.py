"""How long `read_notice` takes on a takedown listing 2,000 URLs (goal: under a second), and on a plain notice.

    .venv/bin/python bench/notices_speed.py [--urls 2000] [--repeat 5]

Prints the best and median wall time of each; the machine's load makes single runs noisy, so it repeats.
"""

from __future__ import annotations

import argparse
import statistics
import time

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


def timed(fn: object, repeat: int) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        runs.append(time.perf_counter() - started)
    return min(runs), statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--urls", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
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
        best, median = timed(fn, args.repeat)
        print(f"{label:45s} best {best * 1000:8.1f} ms  median {median * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
