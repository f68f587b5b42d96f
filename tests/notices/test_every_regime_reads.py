"""Every regime and kind reads any text, however short, into a judgement of each of its elements (the fuzzer found
a trademark pattern that could not compile: a 500 on the first trademark notice)."""

from __future__ import annotations

import pytest

from ipclaims.legal import REGIMES
from ipclaims.notices import read_notice


@pytest.mark.parametrize("regime", REGIMES)
@pytest.mark.parametrize("kind", [None, "claim", "counter_notice"])
@pytest.mark.parametrize("text", ["0", "Infringing use without permission of our mark at https://shop.example/x"])
def test_every_regime_and_kind_judges_every_element(regime: str, kind: str | None, text: str) -> None:
    if kind == "counter_notice" and regime in ("EU_DSA", "TM_POLICY"):
        with pytest.raises(ValueError, match="no statutory counter-notice"):  # the API answers it with a 422
            read_notice(text, regime=regime, kind=kind)
        return
    reading = read_notice(text, regime=regime, kind=kind)
    assert reading.regime == regime
    codes = [j.code for j in reading.judgements]
    assert codes and len(codes) == len(set(codes))
    assert all(j.status in ("present", "missing", "deficient") for j in reading.judgements)
