"""The hand-counted data set of tests/reports/seed.py, for every reports test."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from tests.conftest import Actor
from tests.reports.seed import Seeded, seed


@pytest.fixture
def data(session: Session, make_account: Callable[..., Actor], specialist: Actor) -> tuple[Seeded, Actor, Actor]:
    a = make_account("rights_holder", name="Notifier A")
    b = make_account("rights_holder", name="Notifier B")
    seeded = seed(session, owner_a=a.id, owner_b=b.id, staff=specialist.id)
    session.commit()
    return seeded, a, b
