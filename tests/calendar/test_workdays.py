"""Working-day arithmetic, worked out by hand against the State Council schedules.

2026 (per the notice): rest 1-3 Jan (work Sun 4 Jan); 15-23 Feb (work Sat 14 Feb, Sat 28 Feb);
4-6 Apr; 1-5 May (work Sat 9 May); 19-21 Jun; 25-27 Sep; 1-7 Oct (work Sun 20 Sep, Sat 10 Oct).
The start day is never counted.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from zeren.cli import main
from zeren.core import workdays
from zeren.core.audit import acting_as
from zeren.core.models import CalendarDay, CalendarYear
from zeren.core.workdays import DAYS, MONTHS, WORKING_DAYS, CalendarNotCovered

D = dt.date.fromisoformat

# (start, n, unit, roll_forward, expected, why)
EXAMPLES = [
    ("2026-09-30", 5, WORKING_DAYS, False, "2026-10-13", "国庆7天不计，10月10日(六)调休计入"),
    ("2026-09-18", 1, WORKING_DAYS, False, "2026-09-20", "9月20日(日)调休上班"),
    ("2026-02-13", 1, WORKING_DAYS, False, "2026-02-14", "2月14日(六)调休上班"),
    ("2026-02-14", 1, WORKING_DAYS, False, "2026-02-24", "春节15-23日不计"),
    ("2026-02-24", 4, WORKING_DAYS, False, "2026-02-28", "2月28日(六)调休上班，月末"),
    ("2025-12-31", 1, WORKING_DAYS, False, "2026-01-04", "跨年：元旦1-3日不计，4日(日)上班"),
    ("2026-04-30", 1, WORKING_DAYS, False, "2026-05-06", "跨月：劳动节1-5日不计"),
    ("2026-05-08", 1, WORKING_DAYS, False, "2026-05-09", "5月9日(六)调休上班"),
    ("2026-06-18", 2, WORKING_DAYS, False, "2026-06-23", "端午19-21日不计"),
    ("2026-04-03", 5, WORKING_DAYS, False, "2026-04-13", "清明4-6日及周末不计"),
    ("2026-09-24", 7, WORKING_DAYS, False, "2026-10-12", "中秋、国庆连续跨越"),
    ("2026-10-09", 1, WORKING_DAYS, False, "2026-10-10", "10月10日(六)调休上班"),
    ("2026-03-06", 1, WORKING_DAYS, False, "2026-03-09", "普通周末不计"),
    ("2026-01-30", 3, WORKING_DAYS, False, "2026-02-04", "跨月末周末"),
    ("2021-09-30", 5, WORKING_DAYS, False, "2021-10-13", "2021国庆，10月9日(六)调休上班"),
    ("2020-01-23", 3, WORKING_DAYS, False, "2020-02-05", "2020春节延长至2月2日"),
    ("2015-09-02", 1, WORKING_DAYS, False, "2015-09-06", "抗战胜利纪念日3-4日休，6日(日)上班"),
    ("2004-01-16", 1, WORKING_DAYS, False, "2004-01-17", "表内首年：1月17日(六)调休上班"),
    ("2026-09-30", 7, DAYS, False, "2026-10-07", "日历日不看节假日"),
    ("2026-09-30", 7, DAYS, True, "2026-10-08", "期满日为国庆假日，顺延"),
    ("2026-12-20", 15, DAYS, False, "2027-01-04", "纯日历日推算无需查表"),
    ("2026-01-31", 1, MONTHS, False, "2026-02-28", "月末：无对应日取当月末日"),
    ("2024-01-31", 1, MONTHS, False, "2024-02-29", "闰年2月"),
    ("2026-08-07", 2, MONTHS, True, "2026-10-08", "期满日10月7日为假日，顺延"),
    ("2025-11-30", 1, MONTHS, False, "2025-12-30", "年末"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "n", "unit", "roll", "expected", "why"), EXAMPLES)
def test_period_end_examples(start, n, unit, roll, expected, why):
    result = workdays.within_after(D(start), n, unit, roll_forward=roll)
    assert result.date == D(expected), why
    assert expected in result.arithmetic


# (event, n, unit, latest day that still leaves n units before the event)
BEFORE = [
    ("2026-10-12", 7, WORKING_DAYS, "2026-09-27"),  # 10-12, 10-10(六), 10-9, 10-8, 9-30, 9-29, 9-28
    ("2026-03-20", 7, WORKING_DAYS, "2026-03-11"),  # 20,19,18,17,16,13,12 (周五起倒数)
    ("2026-03-20", 7, DAYS, "2026-03-13"),
    ("2026-02-25", 3, WORKING_DAYS, "2026-02-13"),  # 25, 24, 14(六)
]


@pytest.mark.django_db
@pytest.mark.parametrize(("event", "n", "unit", "expected"), BEFORE)
def test_at_least_before_examples(event, n, unit, expected):
    latest = workdays.at_least_before(D(event), n, unit).date
    assert latest == D(expected)
    # The day found is the last one that works: the period from it ends on or before the event,
    # the period from the next day does not.
    cal = workdays.calendar()
    assert cal.period_end(latest, n, unit).date <= D(event)
    assert cal.period_end(latest + dt.timedelta(days=1), n, unit).date > D(event)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "n", "unit", "roll"),
    [
        ("2027-01-05", 3, WORKING_DAYS, False),  # the year itself is not entered
        ("2026-12-31", 1, WORKING_DAYS, False),  # the result would fall in 2027
        ("2026-12-20", 15, DAYS, True),  # rolling the last day needs 2027's schedule
    ],
)
def test_it_refuses_a_year_the_table_does_not_cover(start, n, unit, roll):
    with pytest.raises(CalendarNotCovered) as info:
        workdays.within_after(D(start), n, unit, roll_forward=roll)
    assert "2027年" in info.value.messages[0]
    assert "2004–2026年" in info.value.messages[0]
    assert isinstance(info.value, ValidationError)


@pytest.mark.django_db
def test_it_refuses_a_year_before_the_table():
    with pytest.raises(CalendarNotCovered, match="2003年"):
        workdays.add_working_days(D("2003-12-30"), 1)


@pytest.mark.django_db
def test_the_seed_covers_2004_to_2026_and_marks_make_up_days():
    assert list(CalendarYear.objects.values_list("year", flat=True)) == list(range(2004, 2027))
    assert CalendarDay.objects.get(date=D("2026-10-10")).kind == CalendarDay.Kind.WORK
    assert CalendarDay.objects.get(date=D("2026-10-01")).name == "国庆节"
    cal = workdays.calendar()
    assert cal.is_workday(D("2026-02-28")) and not cal.is_workday(D("2026-02-16"))


@pytest.mark.django_db
def test_an_administrator_can_add_2027_and_the_cache_follows():
    assert workdays.calendar().years == frozenset(range(2004, 2027))
    with acting_as("测试"):
        CalendarDay.objects.create(date=D("2027-01-01"), kind=CalendarDay.Kind.REST, name="元旦")
        CalendarYear.objects.create(year=2027, source="测试用安排")
    # 2026-12-31 (Thu) + 1 working day: 1 Jan 2027 is a rest day -> Mon 4 Jan.
    assert workdays.add_working_days(D("2026-12-31"), 1) == D("2027-01-04")
    CalendarYear.objects.filter(year=2027).delete()
    workdays.invalidate()
    with pytest.raises(CalendarNotCovered):
        workdays.add_working_days(D("2026-12-31"), 1)


@pytest.mark.django_db
def test_a_make_up_working_day_must_be_a_weekend_day():
    with pytest.raises(ValidationError, match="星期六或星期日"):
        CalendarDay(date=D("2027-01-06"), kind=CalendarDay.Kind.WORK).full_clean()


@pytest.mark.django_db
def test_working_days_between_counts_make_up_days():
    cal = workdays.calendar()
    assert cal.working_days_between(D("2026-09-30"), D("2026-10-13")) == 5


@pytest.mark.django_db(transaction=False)
def test_cli_prints_the_date_on_its_last_line(capsys):
    assert main(["calendar", "add", "--from", "2026-09-30", "--days", "5", "--working"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "2026-10-13"
    assert main(["calendar", "add", "--from", "2026-01-31", "--months", "1"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "2026-02-28"


@pytest.mark.django_db
def test_cli_refuses_an_uncovered_year(capsys):
    assert main(["calendar", "add", "--from", "2027-03-01", "--days", "2", "--working"]) == 2
    assert "2027年" in capsys.readouterr().err


@pytest.mark.django_db
def test_the_administrator_maintains_the_calendar_in_the_admin(admin_user):
    from tests.conftest import login

    client = login(admin_user)
    assert client.get("/admin/core/calendarday/").status_code == 200
    response = client.post(
        "/admin/core/calendarday/add/", {"date": "2027-01-01", "kind": "rest", "name": "元旦"}
    )
    assert response.status_code == 302
    assert CalendarDay.objects.filter(date=D("2027-01-01")).exists()
    refused = client.post(
        "/admin/core/calendarday/add/", {"date": "2027-01-06", "kind": "work", "name": "调休"}
    )
    assert refused.status_code == 200 and "星期六或星期日" in refused.content.decode()
    assert client.get("/admin/cases/ruleset/").status_code == 200
