"""Funds facts: a termination or suspension is not dated after today or before the
entitlement started; a repayment is not dated after today."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.funds.conftest import make_beneficiary
from zeren.funds.services import beneficiary_suspend, beneficiary_terminate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "why"),
    [("tomorrow", "晚于今天"), (dt.date(2024, 12, 31), "早于享受起始日期2025-01-01")],
)
def test_a_termination_or_suspension_must_be_a_possible_date(admin_user, village_a, day, why):
    b = make_beneficiary(village=village_a, start_date=dt.date(2025, 1, 1))
    if day == "tomorrow":
        day = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match=why):
        beneficiary_terminate(actor=admin_user, beneficiary=b, reason="death", event_date=day)
    with pytest.raises(ValidationError, match=why):
        beneficiary_suspend(actor=admin_user, beneficiary=b, reason="changed", event_date=day)
    b.refresh_from_db()
    assert b.status == "active"
