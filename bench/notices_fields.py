"""The intake fields `read_notice` fills from real github/dmca takedowns: show them, and score them against labels.

The sample is fixed and seeded (`random.Random("fields-20")`): for each year 2012-2025, two takedowns that use
GitHub's web form and one free-form letter (no form question), drawn only from paths that
`notice_labels.split_of` puts in `tune` (the `held` part of the element labels is never read here), never a
counter notice, retraction or reversal, never a path of the shared notices-excluded list (compared by sha256).

- `show` prints each notice's fields compactly, to compare with its text by hand
  (`git --git-dir DMCA show HEAD:PATH`).
- `score` compares them with bench/notices_fields_labels.jsonl (paths and expected field values only, no text):
  per field, `exact` (same string, or same set of URLs) and `normalised` (case, spacing, punctuation and a URL's
  trailing slash ignored; a work's description agrees when its words overlap the label's by 80% or more).
  A label of `null` expects the field left empty; an email shown only redacted expects none (`agree`).

Run: python bench/notices_fields.py show  [--dmca DIR] [--only PATH]
     python bench/notices_fields.py score [--dmca DIR] [--verbose] [--labels held1|held2|held3|FILE]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT))

import notice_labels as nl  # noqa: E402

from ipclaims.notices import read_notice  # noqa: E402

DMCA = Path("/work/.mirror/github+dmca/repo")
LABELS = ROOT / "notices_fields_labels.jsonl"
# The first held-apart fields set: 50 takedowns of the element sets 45-46 (held split), every field labelled twice
# blind with a third reader on the splits, scored once before any field rule was chosen on it (bench/notices_labels.md).
LABELS_HELD_1 = ROOT / "notices_fields_labels_held1.jsonl"
# The second: 60 takedowns of the element sets 41-44, labelled alike while the reader's field rules were being changed
# on the first, scored once after them.
LABELS_HELD_2 = ROOT / "notices_fields_labels_held2.jsonl"
# The third: 60 takedowns of the element sets 49-50 (`random.Random("fields-held-3")` over their sorted paths), labelled
# alike (22 of 660 values split, decided by a third blind reader) while the reader's field rules were being changed on
# the first two, scored once after them.
LABELS_HELD_3 = ROOT / "notices_fields_labels_held3.jsonl"
FORM = re.compile(r"Are you the copyright (owner|holder)", re.I)
SKIP = ("counter", "retraction", "reversal")
FIELDS = (
    "complainant.name",
    "complainant.organization",
    "complainant.email",
    "complainant.phone",
    "complainant.address.street",
    "complainant.relationship",
    "work.description",
    "work.urls",
    "items",
    "signature.name",
    "signature.date",
)


def _git(root: Path, *args: str, data: bytes | None = None) -> bytes:
    return subprocess.run(["git", "--git-dir", str(root), *args], input=data, capture_output=True, check=True).stdout


def texts(root: Path, paths: Sequence[str]) -> dict[str, str]:
    out = _git(root, "cat-file", "--batch", data="".join(f"HEAD:{p}\n" for p in paths).encode())
    result: dict[str, str] = {}
    pos = 0
    for p in paths:
        end = out.index(b"\n", pos)
        size = int(out[pos:end].split()[2])
        result[p] = out[end + 1 : end + 1 + size].decode("utf-8", errors="replace")
        pos = end + 1 + size + 1
    return result


def sample(root: Path) -> list[str]:
    """Two web-form takedowns and one free-form letter a year, 2012-2025, tune split only."""
    excluded = nl.excluded_hashes()
    names = _git(root, "ls-tree", "-r", "--name-only", "HEAD").decode().splitlines()
    rng = random.Random("fields-20")
    out: list[str] = []
    for year in range(2012, 2026):
        pool = sorted(
            p
            for p in names
            if p.startswith(f"{year}/")
            and p.endswith(".md")
            and not any(w in p.lower() for w in SKIP)
            and nl.path_hash(p) not in excluded
            and nl.split_of(p) == "tune"
        )
        rng.shuffle(pool)
        pool = pool[:60]
        got = texts(root, pool)
        forms = [p for p in pool if FORM.search(got[p])][:2]
        free = [p for p in pool if not FORM.search(got[p])][: 3 - len(forms)]
        out += forms + free
    assert all(nl.split_of(p) == "tune" for p in out)
    return out


def flat(fields: dict[str, Any]) -> dict[str, Any]:
    """The scored fields of a reading, flattened (`None` when absent)."""
    comp = fields.get("complainant") or {}
    works = fields.get("works") or []
    first = works[0] if works else {}
    sig = fields.get("signature") or {}
    return {
        "complainant.name": comp.get("name"),
        "complainant.organization": comp.get("organization"),
        "complainant.email": comp.get("email"),
        "complainant.phone": comp.get("phone"),
        "complainant.address.street": (comp.get("address") or {}).get("street"),
        "complainant.relationship": comp.get("relationship"),
        "work.description": first.get("description"),
        "work.urls": sorted({u for w in works for u in w.get("urls", [])}) or None,
        "items": sorted({i["url"] for i in fields.get("items") or []}) or None,
        "signature.name": sig.get("name"),
        "signature.date": sig.get("date"),
    }


def _norm(value: str) -> str:
    return re.sub(r"[^\w@+]+", " ", value.casefold()).strip()


def _norm_url(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url.strip().casefold()).rstrip("/")


_REDACTION = re.compile(r"\[\s*(?:private|redacted|removed)\s*\]", re.IGNORECASE)


def agree(field: str, expected: Any, got: Any) -> tuple[bool, bool]:
    """(exact, normalised) agreement of one field. An email the notice shows only as a redaction ("[private]", as
    github/dmca publishes every notice) expects no email: a claim keeps only an address that parses (CONTRACT.md: an
    email that does not parse is an element `deficient`), and mail that reaches the agent is never redacted."""
    if field == "complainant.email" and isinstance(expected, str) and _REDACTION.fullmatch(expected.strip()):
        expected = None
    if expected is None or got is None:
        return expected == got, expected == got
    if isinstance(expected, list):
        exact = sorted(expected) == sorted(got)
        return exact, {_norm_url(u) for u in expected} == {_norm_url(u) for u in got}
    exact = expected.strip() == str(got).strip()
    if field == "work.description":
        a, b = set(_norm(expected).split()), set(_norm(str(got)).split())
        return exact, bool(a | b) and len(a & b) / len(a | b) >= 0.8
    return exact, _norm(expected) == _norm(str(got))


def score(root: Path, verbose: bool, labels: Path = LABELS) -> None:
    rows = [json.loads(line) for line in labels.read_text(encoding="utf-8").splitlines() if line.strip()]
    if labels == LABELS:
        assert all(nl.split_of(r["path"]) == "tune" for r in rows), "a held path in the fields labels"
    got = texts(root, [r["path"] for r in rows])
    exact = dict.fromkeys(FIELDS, 0)
    normal = dict.fromkeys(FIELDS, 0)
    counted = dict.fromkeys(FIELDS, 0)
    for row in rows:
        read = flat(read_notice(got[row["path"]], kind="claim").fields)
        for name, expected in row["fields"].items():
            e, n = agree(name, expected, read[name])
            counted[name] += 1
            exact[name] += e
            normal[name] += n
            if verbose and not n:
                print(f"  {row['path']}  {name}: expected {expected!r:.160}  got {read[name]!r:.160}")
    print(f"{len(rows)} notices")
    print(f"{'field':28s} {'n':>4s} {'exact':>7s} {'normalised':>11s}")
    for name in FIELDS:
        if counted[name]:
            print(f"{name:28s} {counted[name]:4d} {exact[name] / counted[name]:7.0%} {normal[name] / counted[name]:11.0%}")
    total = sum(counted.values())
    print(f"{'all fields':28s} {total:4d} {sum(exact.values()) / total:7.1%} {sum(normal.values()) / total:11.1%}")


def show(root: Path, only: str | None) -> None:
    paths = [only] if only else sample(root)
    if only and nl.split_of(only) != "tune":
        raise SystemExit("only tune paths are read here")
    got = texts(root, paths)
    for p in paths:
        reading = read_notice(got[p], kind="claim")
        f = reading.fields
        print(f"== {p}  form={bool(FORM.search(got[p]))} regime={reading.regime}")
        for key, value in flat(f).items():
            if key == "items" and value and len(value) > 6:
                value = [*value[:6], f"... {len(value)} in all"]
            if isinstance(value, str) and len(value) > 300:
                value = value[:300] + f"... ({len(value)} chars)"
            print(f"  {key:27s} {value!r}")
        print(f"  {'rights_owner':27s} {f.get('rights_owner')!r}  relationship={(f.get('complainant') or {}).get('relationship')!r}")
        print(f"  {'works':27s} {len(f.get('works') or [])}  statements={f.get('statements')}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=("show", "score", "paths"))
    ap.add_argument("--dmca", type=Path, default=DMCA, help="bare clone of github/dmca")
    ap.add_argument("--only", help="show one (tune) path")
    ap.add_argument("--verbose", action="store_true", help="score: print every disagreement")
    ap.add_argument("--labels", type=Path, default=LABELS, help="score: a labels file (default: the tune set; held1, held2, held3)")
    args = ap.parse_args()
    if args.what == "paths":
        print("\n".join(sample(args.dmca)))
    elif args.what == "show":
        show(args.dmca, args.only)
    else:
        held = {"held1": LABELS_HELD_1, "held2": LABELS_HELD_2, "held3": LABELS_HELD_3}
        score(args.dmca, args.verbose, held.get(str(args.labels), args.labels))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
