"""The inbox's screen for mail with nothing of a notice in it, against every labelled real notice: none may be refused.

`ipclaims.notices.nothing_of_a_notice` keeps mail `failed` (no claim, no letter back) when the reader finds no element
of a notice in it but links off the platform, no URL on the platform and no word of a complaint about rights (spam
sent to the designated agent's address). It must never refuse a real notice, however incomplete: this reads every
labelled notice of bench/notices_labels*.jsonl from a clone of github/dmca (bench/notices.py's `Corpus`), as the
mailroom reads a message (regime and kind found by the reader), and counts those the screen would refuse, with each
one's path and reason. The exit status is 1 when any is refused.

`--without-words` also counts what the screen would refuse without its third condition (no word of a complaint), to
show how much of the margin that condition holds; `--platform-hosts` reads as a deployment with
IPCLAIMS_PLATFORM_HOSTS set (default: none, github/dmca's hosts the reader knows).

Run: python bench/notices_nonotice.py --dmca /path/to/github-dmca [--platform-hosts github.com,gist.github.com]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT))

import notice_labels as nl  # noqa: E402
from notices import Corpus  # noqa: E402

from ipclaims.notices import nothing_of_a_notice, read_notice, substance  # noqa: E402


def refused(texts: dict[str, str], hosts: frozenset[str]) -> list[tuple[str, str]]:
    out = []
    for path, text in texts.items():
        why = nothing_of_a_notice(read_notice(text, platform_hosts=hosts), None, hosts)
        if why is not None:
            out.append((path, why))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dmca", type=Path, required=True, help="local clone of github/dmca (bare git dir or checkout)")
    ap.add_argument("--platform-hosts", default="", help="comma-separated, as IPCLAIMS_PLATFORM_HOSTS (default: none)")
    ap.add_argument("--without-words", action="store_true", help="also count refusals without the complaint-word condition")
    args = ap.parse_args(argv)
    hosts = frozenset(h.strip().lower() for h in args.platform_hosts.split(",") if h.strip())
    rows = {r.path: r for f in sorted(ROOT.glob("notices_labels*.jsonl")) for r in nl.load(f)}
    texts = Corpus(args.dmca).read_many(sorted(rows))
    kinds = {k: sum(1 for r in rows.values() if r.kind == k) for k in nl.KINDS}
    found = refused(texts, hosts)
    print(f"{len(texts)} labelled notices {kinds}, platform hosts {sorted(hosts) or 'github/dmca built-in'}: {len(found)} refused")
    for path, why in found:
        print(f"  {path} ({rows[path].kind}): {why}")
    if args.without_words:
        kept = substance._COMPLAINT
        substance._COMPLAINT = re.compile(r"(?!)")  # never matches
        try:
            bare = refused(texts, hosts)
        finally:
            substance._COMPLAINT = kept
        print(f"without the complaint-word condition: {len(bare)} refused")
        for path, why in bare:
            print(f"  {path} ({rows[path].kind}): {why}")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
