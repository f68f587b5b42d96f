"""The receipt time staff may set on the import page has the bound a message's own `Date` is taken within: the date
the page shows (a sender's clock running ahead) is accepted as it is; further ahead, or before 1970, is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ipclaims import notices
from ipclaims.errors import Unprocessable
from ipclaims.mailroom import owners, reading

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def _message(date: str) -> notices.Message:
    raw = f"From: a@b.example\nTo: agent@platform.example\nSubject: notice\nDate: {date}\n\nhttps://github.com/x/y\n"
    return notices.parse_message(raw.encode())


@pytest.mark.parametrize("ahead", [timedelta(0), timedelta(minutes=5), timedelta(hours=2), timedelta(hours=23, minutes=59)])
def test_a_date_the_mailroom_takes_is_a_time_staff_may_keep(ahead: timedelta) -> None:
    shown = reading.received_at(_message((NOW + ahead).strftime("%a, %d %b %Y %H:%M:%S +0000")), NOW)
    assert shown == NOW + ahead  # the message's own Date, ahead of now as its sender's clock was
    assert owners.check_received(shown, NOW) == shown


@pytest.mark.parametrize(
    "value", [NOW + timedelta(days=1, minutes=1), datetime(2999, 1, 1, tzinfo=UTC), datetime(1969, 12, 31, 23, 59, tzinfo=UTC)]
)
def test_further_ahead_or_before_1970_is_refused(value: datetime) -> None:
    with pytest.raises(Unprocessable):
        owners.check_received(value, NOW)
