"""Strike farming (DOMAIN.md §6): strikes from notifiers with a high unfounded rate are marked and do not count
toward a termination review, which is only ever a recommendation to a human (17 U.S.C. § 512(i))."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.conftest import Actor
from tests.review.flows import decide, submit

N = 0


def against(client: Any, notifier: Actor, staff: Actor, uploader: str, outcome: str) -> dict[str, Any]:
    global N
    N += 1
    claim = submit(client, notifier, items=[{"url": f"https://video.example.com/watch?v=sf{N}", "uploader": uploader, "work": 0}])
    return decide(client, staff, claim, 0, outcome)


def strikes(client: Any, staff: Actor, uploader: str) -> dict[str, Any]:
    r = client.get(f"/api/v1/uploaders/{uploader}/strikes", headers=staff.headers)
    assert r.status_code == 200, r.text
    return r.json()


def test_strikes_from_a_notifier_with_a_high_unfounded_rate_are_marked_and_not_counted(
    client: Any, holder: Actor, specialist: Actor, make_account: Callable[..., Actor]
) -> None:
    farmer = make_account("rights_holder", name="Farmer", email="f@farmer.example")
    for i in range(5):  # five unfounded notices against others: 5 of 7 decided items unfounded once it strikes twice
        against(client, farmer, specialist, f"someone-{i}", "no_action")
    farmed = [against(client, farmer, specialist, "target", "removed")["reference"] for _ in range(2)]
    honest = [against(client, holder, specialist, "target", "removed")["reference"] for _ in range(2)]
    seen = strikes(client, specialist, "target")
    assert seen["strikes"] == 4 and sorted(seen["claims"]) == sorted(farmed + honest)
    assert seen["threshold"] == 3 and seen["counted"] == 2
    assert sorted(m["reference"] for m in seen["marked"]) == sorted(farmed)
    assert all(m["notifier_id"] == farmer.id and m["unfounded_rate"] > 0.5 for m in seen["marked"])
    assert seen["recommendation"] is None  # four strikes, but two are farmed: no termination review
    honest.append(against(client, holder, specialist, "target", "removed")["reference"])
    seen = strikes(client, specialist, "target")
    assert seen["counted"] == 3 and seen["recommendation"]["needs_human"] is True
    assert seen["recommendation"]["action"] == "review_for_termination"


def test_a_notifier_with_few_decisions_is_not_marked(client: Any, holder: Actor, specialist: Actor, set_env: Callable[..., None]) -> None:
    against(client, holder, specialist, "other", "no_action")
    against(client, holder, specialist, "target2", "removed")
    seen = strikes(client, specialist, "target2")
    assert seen["marked"] == [] and seen["counted"] == 1  # 1 of 2 unfounded, below the minimum of decided items
    set_env(IPCLAIMS_STRIKE_FARMING_MIN_DECIDED="2", IPCLAIMS_STRIKE_FARMING_UNFOUNDED_RATE="0.4")
    seen = strikes(client, specialist, "target2")
    assert [m["notifier_id"] for m in seen["marked"]] == [holder.id] and seen["counted"] == 0
