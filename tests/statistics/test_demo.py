"""Demo births: mothers are demo persons, one township deliberately out of range, idempotent."""

from __future__ import annotations

import random

from django.utils import timezone

from tests.statistics.conftest import make_mother
from zeren.org.models import Division
from zeren.statistics import demo, selectors
from zeren.statistics.models import Alert, Birth


def test_the_demo_shows_one_township_out_of_range(db):
    villages = list(Division.objects.filter(level="village").order_by("code"))
    for village in villages:
        for _ in range(70):
            make_mother(village)
    messages: list[str] = []
    demo.load(random.Random(7), messages.append)
    assert Birth.objects.exists()
    assert not Birth.objects.exclude(mother__sex="F").exists()
    rows = selectors.indicator_rows(str(timezone.localdate().year - 1))
    levels = {r.division.code: r.srb_level for r in rows if r.division.level == "township"}
    assert list(levels.values()).count("red") == 1, levels
    assert Alert.objects.filter(level="red").exists()
    assert "性别比偏高" in messages[0]
    count = Birth.objects.count()
    demo.load(random.Random(7), messages.append)
    assert Birth.objects.count() == count and messages[-1] == "演示出生登记：已存在"
