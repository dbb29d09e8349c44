"""SRB and third-and-higher-order share per township and county; warnings and alerts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.statistics.conftest import make_births
from zeren.core.models import AppendOnlyError
from zeren.org.models import Division
from zeren.statistics import selectors
from zeren.statistics.models import Alert, Threshold
from zeren.statistics.services import alerts_record

DAY = dt.date(2026, 5, 10)


@pytest.fixture
def small_minimum(db):
    """Grade from 10 births so tests stay small (the seeded minimum is data, not code)."""
    Threshold.objects.update(minimum_births=10)


def by_code(rows):
    return {r.division.code: r for r in rows}


def test_ratio_and_level_per_township_and_county(
    small_minimum, village_a, village_b, township_a, township_b
):
    make_births(village_a, boys=13, girls=10, day=DAY)  # 130.00: red
    make_births(village_b, boys=21, girls=20, day=DAY, high_order=3)  # 105.00: green
    rows = by_code(selectors.indicator_rows("2026"))
    a, b = rows[township_a.code], rows[township_b.code]
    assert (a.boys, a.girls, a.srb, a.srb_level) == (13, 10, Decimal("130.00"), "red")
    assert (b.boys, b.girls, b.srb, b.srb_level) == (21, 20, Decimal("105.00"), "green")
    assert (b.high_order, b.high_order_share, b.high_order_level) == (3, Decimal("7.32"), "green")
    county = rows["130525"]
    assert (county.boys, county.girls, county.srb) == (34, 30, Decimal("113.33"))
    assert county.srb_level == "red"
    other = [
        r
        for r in rows.values()
        if r.division.code not in ("130525", a.division.code, b.division.code)
    ]
    assert other and all(r.srb is None and r.srb_level is None for r in other)


def test_no_girls_gives_no_ratio(small_minimum, village_a, township_a):
    make_births(village_a, boys=12, girls=0, day=DAY)
    row = by_code(selectors.indicator_rows("2026-05"))[township_a.code]
    assert (row.srb, row.srb_level) == (None, None)


def test_few_births_are_shown_but_not_graded(village_a, township_a):
    make_births(village_a, boys=8, girls=2, day=DAY)  # 400.00 from 10 births; minimum is 100
    row = by_code(selectors.indicator_rows("2026-Q2"))[township_a.code]
    assert row.srb == Decimal("400.00")
    assert row.reliable is False and row.srb_level is None


def test_the_period_bounds_the_births(small_minimum, village_a, township_a):
    make_births(village_a, boys=6, girls=5, day=dt.date(2026, 3, 31))
    make_births(village_a, boys=5, girls=6, day=dt.date(2026, 4, 1))
    rows = {
        p: by_code(selectors.indicator_rows(p))[township_a.code]
        for p in ("2026-Q1", "2026-Q2", "2026-03", "2026")
    }
    assert (rows["2026-Q1"].boys, rows["2026-Q1"].girls) == (6, 5)
    assert (rows["2026-Q2"].boys, rows["2026-Q2"].girls) == (5, 6)
    assert (rows["2026-03"].boys, rows["2026-03"].girls) == (6, 5)
    assert (rows["2026"].boys, rows["2026"].girls) == (11, 11)


def test_a_township_sees_only_its_own_row(
    small_minimum, staff_a, head, village_a, village_b, township_a
):
    make_births(village_a, boys=5, girls=5, day=DAY)
    make_births(village_b, boys=7, girls=5, day=DAY)
    rows = selectors.indicator_rows("2026", user=staff_a)
    assert [r.division.code for r in rows] == [township_a.code]
    assert (rows[0].boys, rows[0].girls) == (5, 5)
    codes = [r.division.code for r in selectors.indicator_rows("2026", user=head)]
    townships = Division.objects.filter(level="township").count()
    assert len(codes) == townships + 1 and codes[-1] == "130525"  # every township, then county


def test_the_indicators_are_one_grouped_query(
    small_minimum, django_assert_max_num_queries, head, village_a, village_b
):
    make_births(village_a, boys=5, girls=5, day=DAY)
    make_births(village_b, boys=7, girls=5, day=DAY)
    # permission, jurisdiction, townships, the grouped births, two thresholds, the county
    with django_assert_max_num_queries(8):
        selectors.indicator_rows("2026", user=head)


def test_thresholds_are_data_with_source_and_effective_date(small_minimum, village_a, township_a):
    srb = Threshold.objects.get(indicator="srb")
    assert (srb.green_low, srb.green_high) == (Decimal("103"), Decimal("107"))
    assert srb.source and srb.unconfirmed
    make_births(village_a, boys=12, girls=10, day=DAY)  # 120.00
    assert by_code(selectors.indicator_rows("2026"))[township_a.code].srb_level == "red"
    Threshold.objects.create(
        indicator="srb",
        effective_from=dt.date(2026, 1, 1),
        green_low=100,
        green_high=125,
        amber_low=95,
        amber_high=130,
        minimum_births=10,
        source="测试用新标准",
    )
    assert by_code(selectors.indicator_rows("2026"))[township_a.code].srb_level == "green"
    assert by_code(selectors.indicator_rows("2025"))[township_a.code].srb is None


def test_alerts_are_recorded_once_per_indicator_township_and_period(
    small_minimum, village_a, village_b, township_a
):
    make_births(village_a, boys=13, girls=10, day=DAY, high_order=5)  # 130.00, 21.74 %
    make_births(village_b, boys=10, girls=10, day=DAY)  # 100.00: amber
    first = alerts_record(today=DAY + dt.timedelta(days=1))
    keys = set(Alert.objects.values_list("indicator", "division__code", "period", "level"))
    assert ("srb", township_a.code, "2026-05", "red") in keys
    assert ("srb", township_a.code, "2026-Q2", "red") in keys
    assert ("srb", township_a.code, "2026", "red") in keys
    assert ("high_order", township_a.code, "2026", "red") in keys
    assert ("srb", village_b.parent.code, "2026", "amber") in keys
    assert not any(level == "green" for *_, level in keys)
    assert first == len(keys)
    assert alerts_record(today=DAY + dt.timedelta(days=1)) == 0  # a rerun adds nothing
    assert Alert.objects.count() == first


def test_each_new_alert_also_arrives_in_the_inbox(small_minimum, village_a, township_a):
    from zeren.core.models import Notification

    make_births(village_a, boys=13, girls=10, day=DAY)  # 130.00: red
    first = alerts_record(today=DAY + dt.timedelta(days=1))
    notes = Notification.objects.filter(kind="alert", dedupe_key__startswith="alert:srb:")
    assert notes.count() == first == Alert.objects.count()
    note = notes.get(dedupe_key=f"alert:srb:{township_a.code}:2026-05")
    assert note.division == township_a and note.recipient is None
    assert note.title == f"警报：{township_a.name} 2026-05 出生人口性别比 130.00"
    alerts_record(today=DAY + dt.timedelta(days=1))
    assert notes.count() == first


def test_unreliable_numbers_raise_no_alert(village_a):
    make_births(village_a, boys=9, girls=1, day=DAY)
    assert alerts_record(today=DAY + dt.timedelta(days=1)) == 0


def test_alerts_are_append_only(small_minimum, village_a):
    make_births(village_a, boys=13, girls=10, day=DAY)
    alerts_record(today=DAY + dt.timedelta(days=1))
    alert = Alert.objects.first()
    with pytest.raises(AppendOnlyError):
        alert.delete()


def test_the_daily_job_is_registered_in_beijing_time():
    from huey.contrib.djhuey import HUEY

    def due(moment: dt.datetime) -> set[str]:
        return {task.name for task in HUEY.read_periodic(moment)}

    assert "daily_statistics_alerts" in due(dt.datetime(2026, 5, 11, 6, 20))
    assert "daily_statistics_alerts" not in due(dt.datetime(2026, 5, 10, 22, 20))  # 06:20 UTC+8
