"""Intake's answer is rendered by `idempotency.render_plain` (pydantic-core's encoder): it must write exactly the bytes
`idempotency.render` (JSONResponse's json.dumps) writes for the values a claim's JSON can hold."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ipclaims import idempotency
from tests.conftest import Actor
from tests.legal.notices import complete_claim

# What claim JSON is made of: text (any Unicode a request may carry, control characters included), ints of any
# size, booleans, None, and lists and objects of those.
_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | _TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_TEXT, _VALUES, max_size=6))
def test_plain_values_render_alike(content: dict[str, Any]) -> None:
    assert idempotency.render_plain(content) == idempotency.render(content)


def test_the_notifiers_rates_render_alike() -> None:
    # The one float a claim's JSON holds: staff see the notifier's unfounded rate, rounded to four places.
    for decided in range(1, 400):
        for unfounded in range(decided + 1):
            content = {"notifier": {"unfounded_rate": round(unfounded / decided, 4)}}
            assert idempotency.render_plain(content) == idempotency.render(content)
    for rate in (0.0001, 0.0002, 0.0009, 0.9999, 1.0, 0.0, round(1 / 3, 4), round(1 / 9999, 4)):
        content = {"unfounded_rate": rate}
        assert idempotency.render_plain(content) == idempotency.render(content)


def test_intake_answers_render_alike(client: Any, holder: Actor, specialist: Actor) -> None:
    body = complete_claim("EU_DSA")
    body["explanation"] = 'quotes " and \\ back\\slash, tab\t, U+2028 \u2028, é, 😀, \x01'
    for actor in (holder, specialist):
        r = client.post("/api/v1/claims", json=body, headers=actor.headers)
        assert r.status_code == 201, r.text
        assert r.content == idempotency.render(json.loads(r.content))
