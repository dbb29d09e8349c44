"""A licence's steps are facts: not after today, not before the licence's previous step."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.permits.conftest import grant
from zeren.permits.models import Permit
from zeren.permits.services import permit_use

pytestmark = pytest.mark.django_db


def test_a_licence_approved_tomorrow_is_refused(section_staff, holder):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="晚于今天"):
        grant(section_staff, holder, approval_date=tomorrow, valid_to=tomorrow)
    assert not Permit.objects.exists()


def test_a_use_before_the_approval_is_refused(section_staff, holder):
    permit = grant(
        section_staff,
        holder,
        approval_date=dt.date(2026, 1, 5),
        valid_from=dt.date(2025, 12, 1),
        valid_to=dt.date(2026, 12, 31),
    )
    with pytest.raises(ValidationError, match="早于批准日期2026-01-05"):
        permit_use(actor=section_staff, permit=permit, on=dt.date(2025, 12, 20))
    permit.refresh_from_db()
    assert permit.status == "granted"
