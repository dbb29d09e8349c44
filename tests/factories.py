"""Test data made through the real services (so the rules and the change log apply)."""

from __future__ import annotations

import datetime as dt
import itertools

from zeren.org.models import Division
from zeren.people.models import Person
from zeren.people.rules import make_id_number
from zeren.people.services import person_create

_sequence = itertools.count(1)


def id_number(birth: dt.date = dt.date(1990, 1, 1), area: str = "130525") -> str:
    """A fresh valid identity number (unique within the test run)."""
    n = next(_sequence)
    return make_id_number(area, birth + dt.timedelta(days=n // 1000), n % 1000)


def person(
    *, actor, division: Division, name: str = "张三", phone: str = "13812345678", **kwargs
) -> Person:
    return person_create(
        actor=actor,
        name=name,
        id_number=kwargs.pop("id_number", id_number()),
        division=division,
        phone=phone,
        address=kwargs.pop("address", "某村1号"),
    )
