from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import person
from zeren.permits.models import PermitKind
from zeren.permits.services import permit_grant


@pytest.fixture
def holder(staff_a, village_a):
    return person(actor=staff_a, division=village_a, name="持证甲")


@pytest.fixture
def holder_b(staff_b, village_b):
    return person(actor=staff_b, division=village_b, name="持证乙")


def grant(actor, holder, *, number="隆再字001", kind=PermitKind.REBIRTH, **kwargs):
    kwargs.setdefault("approval_date", dt.date(2026, 1, 5))
    kwargs.setdefault("valid_to", dt.date(2026, 12, 31))
    return permit_grant(actor=actor, kind=kind, number=number, holder=holder, **kwargs)


@pytest.fixture
def rebirth(section_staff, holder):
    return grant(section_staff, holder)
