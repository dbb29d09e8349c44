from __future__ import annotations

import datetime as dt
import itertools

import pytest

from zeren.core.audit import acting_as
from zeren.org.models import Division
from zeren.people.models import Person
from zeren.people.rules import make_id_number
from zeren.permits.models import Permit, PermitKind
from zeren.permits.rules import Status
from zeren.supervision.models import SupervisionRegime

_numbers = itertools.count(1)
# Identity numbers here use birth dates in 1970, apart from tests/factories.py (1990).
_persons = itertools.count(1)


def make_permits(
    township: Division,
    n: int,
    *,
    kind: str = PermitKind.TERMINATION,
    approval_date: dt.date = dt.date(2026, 3, 2),
    status: str = Status.GRANTED,
) -> list[Permit]:
    """Licences in bulk (holders included) for sampling tests."""
    village = township.children.order_by("code").first()
    persons = []
    for _ in range(n):
        i = next(_persons)
        number = make_id_number(
            "130525", dt.date(1970, 1, 1) + dt.timedelta(days=i // 1000), i % 1000
        )
        persons.append(
            Person(
                name=f"对象{i}",
                id_number=number,
                birth_date=dt.date(1970, 1, 1),
                sex="F",
                division=village,
            )
        )
    with acting_as("测试"):
        for p in persons:
            p.save()
        return [
            Permit.objects.create(
                kind=kind,
                number=f"P{next(_numbers):06d}",
                holder=p,
                township=township,
                village=village,
                approval_date=approval_date,
                valid_from=approval_date,
                valid_to=approval_date + dt.timedelta(days=365),
                status=status,
            )
            for p in persons
        ]


def regime(code: str) -> SupervisionRegime:
    return SupervisionRegime.objects.get(code=code)


@pytest.fixture
def county(db) -> Division:
    return Division.objects.get(level=Division.Level.COUNTY)
