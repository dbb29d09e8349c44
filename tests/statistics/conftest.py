"""Fixtures for statistics: female mothers, births in bulk, spreadsheets built in memory."""

from __future__ import annotations

import datetime as dt
import io
import itertools

import pytest
import xlsxwriter

# Case files walked to closing, for the file-review assessment item.
from tests.cases.conftest import (  # noqa: F401
    _fresh_calendar,
    file_case,
    officers,
    party,
    sex_identification,
    walk,
)
from zeren.core.audit import acting_as
from zeren.org.models import Division
from zeren.people.models import Person
from zeren.people.rules import make_id_number
from zeren.statistics.models import Birth

# Mothers here are born in 1985 with even sequence numbers (female), apart from other apps.
_mothers = itertools.count(1)


def female_id(birth: dt.date = dt.date(1985, 1, 1)) -> str:
    n = next(_mothers)
    return make_id_number("130525", birth + dt.timedelta(days=n // 400), (n % 400) * 2)


def make_mother(village: Division, name: str = "王芳") -> Person:
    number = female_id()
    birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    with acting_as("测试"):
        return Person.objects.create(
            name=name, id_number=number, birth_date=birth, sex="F", division=village
        )


def make_births(
    village: Division, *, boys: int, girls: int, day: dt.date, high_order: int = 0
) -> list[Birth]:
    """``boys`` + ``girls`` births on ``day``, each to a new mother; ``high_order`` of them third."""
    rows = []
    for i in range(boys + girls):
        rows.append(
            Birth(
                mother=make_mother(village),
                sex="M" if i < boys else "F",
                birth_date=day,
                birth_order=3 if i < high_order else 1,
                township_id=village.parent_id,
                village=village,
                source="测试",
            )
        )
    return Birth.objects.bulk_create(rows)


def sheet(rows: list[list[object]]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = book.add_worksheet()
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, (int, float)):
                ws.write_number(r, c, value)
            else:
                ws.write_string(r, c, str(value))
    book.close()
    return out.getvalue()


HEADER = ["母亲身份证号", "母亲姓名", "婴儿性别", "出生日期", "孩次", "乡镇", "村", "来源"]


@pytest.fixture
def mother_a(village_a) -> Person:
    return make_mother(village_a, "王芳")


@pytest.fixture
def mother_b(village_b) -> Person:
    return make_mother(village_b, "赵敏")
