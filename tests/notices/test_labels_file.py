"""The labelled github/dmca notices (bench/notices_labels.jsonl) obey their own rules, checked without a clone.

Same check as `python bench/notices.py --check`: element codes per kind, statuses, the fixed split rule, no path from
the shared notices-excluded.txt (compared by sha256), plus the floor the issue sets and a held part worth measuring.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import notice_labels as nl  # noqa: E402
import notices_sample_late  # noqa: E402


def test_labels_files_pass_the_check() -> None:
    for path in nl.LABEL_FILES:
        assert nl.check(path) == [], path.name


def test_no_notice_is_labelled_twice() -> None:
    paths = [row.path for path in nl.LABEL_FILES for row in nl.load(path)]
    assert len(paths) == len(set(paths))


def test_the_second_set_is_worth_measuring_on_its_own() -> None:
    rows = nl.load(nl.LABELS_2)
    held = [r for r in rows if r.split == "held"]
    assert len(rows) >= 150 and len(held) >= 60
    assert sum(1 for r in held for s in r.labels.values() if s != "present") >= 15


def test_the_third_set_is_a_held_part_worth_measuring() -> None:
    rows = nl.load(nl.LABELS_3)
    assert {r.split for r in rows} == {"held"}
    assert len(rows) >= 60
    assert sum(1 for r in rows for s in r.labels.values() if s != "present") >= 10


@pytest.mark.parametrize(
    ("path", "gaps"),
    [
        (nl.LABELS_4, 20),
        (nl.LABELS_5, 20),
        (nl.LABELS_6, 15),
        (nl.LABELS_7, 15),
        (nl.LABELS_8, 15),
        (nl.LABELS_9, 12),
        (nl.LABELS_10, 15),
        (nl.LABELS_11, 12),
        (nl.LABELS_12, 10),
        (nl.LABELS_13, 10),
        (nl.LABELS_14, 12),
        (nl.LABELS_15, 12),
        (nl.LABELS_16, 8),
    ],
    ids=[
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
    ],
)
def test_the_blind_held_only_sets_are_worth_measuring(path: Path, gaps: int) -> None:
    rows = nl.load(path)
    assert {r.split for r in rows} == {"held"}
    assert len(rows) >= 80 and sum(1 for r in rows if r.kind == "counter_notice") >= 8
    assert sum(1 for r in rows for s in r.labels.values() if s != "present") >= gaps


@pytest.mark.parametrize(
    ("path", "gaps", "notices"),
    [
        (nl.LABELS_17, 15, 70),
        (nl.LABELS_18, 10, 70),
        (nl.LABELS_19, 10, 70),
        (nl.LABELS_20, 8, 70),
        (nl.LABELS_21, 14, 70),
        (nl.LABELS_22, 14, 70),
        (nl.LABELS_23, 16, 70),
        (nl.LABELS_24, 8, 70),
        (nl.LABELS_25, 15, 70),
        (nl.LABELS_26, 12, 70),
        (nl.LABELS_27, 10, 70),
        # the held takedowns of the early years run out: later draws take what each year has left
        (nl.LABELS_28, 10, 68),
        (nl.LABELS_29, 16, 68),
        (nl.LABELS_30, 13, 68),
        # the late shape: 5 takedowns a year 2016-2025 and 24 free-form letters
        (nl.LABELS_31, 10, 72),
        (nl.LABELS_32, 15, 72),
        (nl.LABELS_33, 10, 72),
        (nl.LABELS_34, 15, 72),
        (nl.LABELS_35, 20, 72),
        (nl.LABELS_36, 12, 72),
        (nl.LABELS_37, 18, 72),
        (nl.LABELS_38, 20, 72),
        (nl.LABELS_39, 13, 72),
        (nl.LABELS_40, 15, 72),
        (nl.LABELS_41, 10, 72),
        (nl.LABELS_42, 20, 72),
        (nl.LABELS_43, 13, 72),
        (nl.LABELS_44, 16, 72),
        (nl.LABELS_45, 11, 72),
        (nl.LABELS_46, 10, 72),
        (nl.LABELS_47, 13, 72),
        (nl.LABELS_48, 11, 72),
        (nl.LABELS_49, 11, 72),
        (nl.LABELS_50, 11, 72),
    ],
    ids=[
        "seventeenth",
        "eighteenth",
        "nineteenth",
        "twentieth",
        "twenty-first",
        "twenty-second",
        "twenty-third",
        "twenty-fourth",
        "twenty-fifth",
        "twenty-sixth",
        "twenty-seventh",
        "twenty-eighth",
        "twenty-ninth",
        "thirtieth",
        "thirty-first",
        "thirty-second",
        "thirty-third",
        "thirty-fourth",
        "thirty-fifth",
        "thirty-sixth",
        "thirty-seventh",
        "thirty-eighth",
        "thirty-ninth",
        "fortieth",
        "forty-first",
        "forty-second",
        "forty-third",
        "forty-fourth",
        "forty-fifth",
        "forty-sixth",
        "forty-seventh",
        "forty-eighth",
        "forty-ninth",
        "fiftieth",
    ],
)
def test_the_last_sets_are_takedowns_once_the_held_counter_notices_ran_out(path: Path, gaps: int, notices: int) -> None:
    rows = nl.load(path)
    assert {r.split for r in rows} == {"held"}
    assert len(rows) >= notices and sum(1 for r in rows if r.kind == "claim") >= notices
    assert sum(1 for r in rows for s in r.labels.values() if s != "present") >= gaps


@pytest.mark.parametrize("path", [nl.LABELS_TRAIN_1, nl.LABELS_TRAIN_2], ids=["first", "second"])
def test_the_training_draws_are_tune_takedowns_with_work_gaps_to_learn_from(path: Path) -> None:
    """bench/notices_sample_train.py: tune-split only (never a held figure), takedowns, about half drawn where a
    model of the work's words doubted, so richer in work gaps than a random draw."""
    rows = nl.load(path)
    assert len(rows) >= 479 and {r.split for r in rows} == {"tune"} and {r.kind for r in rows} == {"claim"}
    assert all(nl.split_of(r.path) == "tune" for r in rows)
    assert sum(1 for r in rows if r.labels["work_identification"] != "present") >= 55


def test_enough_notices_and_gaps_in_each_split() -> None:
    rows = nl.load()
    assert len(rows) >= 150
    held = [r for r in rows if r.split == "held"]
    assert len(held) >= 60
    assert sum(1 for r in rows if r.kind == "counter_notice") >= 25
    for split in nl.SPLITS:
        gaps = [s for r in rows if r.split == split for s in r.labels.values() if s != "present"]
        assert len(gaps) >= 10, split


def _line(**overrides: object) -> str:
    path = "2019/01/2019-01-01-example.md"
    row: dict[str, object] = {
        "path": path,
        "kind": "claim",
        "regime": "US_DMCA",
        "split": nl.split_of(path),
        "labels": {code: "present" for code in nl.codes_for("claim")},
        "notes": {},
    }
    row.update(overrides)
    return json.dumps(row)


def test_a_valid_line_passes() -> None:
    assert nl.check_lines([_line()], set()) == []


@pytest.mark.parametrize(
    ("overrides", "needle"),
    [
        ({"kind": "takedown"}, "kind"),
        ({"regime": "EU_DSA"}, "regime"),
        ({"split": "test"}, "split"),
        ({"labels": {code: "present" for code in nl.codes_for("counter_notice")}}, "labels must be exactly"),
        ({"labels": {**{c: "present" for c in nl.codes_for("claim")}, "signature": "partial"}}, "status"),
        ({"notes": {"mistake_statement": "why"}}, "unknown code"),
        ({"notes": {"signature": "x" * 500}}, "short line"),
        ({"path": "/abs/path.md"}, "bad path"),
    ],
)
def test_each_kind_of_mistake_is_reported(overrides: dict[str, object], needle: str) -> None:
    problems = nl.check_lines([_line(**overrides)], set())
    assert problems and needle in problems[0]


def test_excluded_path_and_duplicate_are_reported() -> None:
    path = "2019/01/2019-01-01-example.md"
    problems = nl.check_lines([_line(), _line()], {nl.path_hash(path)})
    assert any("notices-excluded" in p for p in problems)
    assert any("duplicate" in p for p in problems)


def test_split_rule_is_the_documented_one() -> None:
    # sha256 last hex digit: 0-7 tune, 8-f held (bench/notices_labels.md)
    assert nl.split_of("a") == ("tune" if int(nl.path_hash("a")[-1], 16) < 8 else "held")
    splits = {nl.split_of(f"x{i}") for i in range(40)}
    assert splits == {"tune", "held"}


def test_score_counts_agreement_and_gaps_caught() -> None:
    codes = nl.codes_for("claim")
    labels = {c: "present" for c in codes} | {"signature": "deficient", "contact_information": "missing"}
    row = nl.Labelled("p.md", "claim", "tune", labels, {})
    perfect = nl.score([row], {"p.md": dict(labels)})
    assert (perfect.agreement, perfect.caught) == (100.0, 100.0)
    all_present = nl.score([row], {"p.md": {c: "present" for c in codes}})
    assert all_present.caught == 0.0
    assert all_present.agreement == pytest.approx(100 * 4 / 6)
    assert all_present.agreement == all_present.baseline_agreement
    # missing read as deficient is not caught exactly; an absent judgement counts as a disagreement
    off = nl.score(
        [row],
        {
            "p.md": {c: "present" for c in codes if c != "good_faith_statement"}
            | {"signature": "deficient", "contact_information": "deficient"}
        },
    )
    assert off.gaps_caught == 1 and off.caught == 50.0
    assert ("p.md", "good_faith_statement", "present", "absent") in off.disagreements
    assert off.false_alarms == 1


def test_a_dropped_draw_is_not_labelled() -> None:
    # bench/notices_sample_late.py keeps the draws that were not notices out of the labels (not replaced)
    labelled = {row.path for path in nl.LABEL_FILES for row in nl.load(path)}
    for n, dropped in notices_sample_late.DROPPED.items():
        assert notices_sample_late.LABEL_FILES[n] in nl.LABEL_FILES
        assert not set(dropped) & labelled
