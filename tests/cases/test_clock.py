"""The legal clock: each rule's dated versions, roll-forward past holidays, service, the court.

Every expected date below is worked out by hand from the statute and the State Council's
holiday notice of that year (the working is in the comment of each row), not from the code.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from zeren.cases import rules
from zeren.core.workdays import WorkCalendar

D = dt.date.fromisoformat
BOOKS = rules.seed_rulebooks()
LIST_SET = next(b for b in BOOKS if b.code == "list")
APL_2021 = next(b for b in BOOKS if b.code == "apl-2021")
TIMELINE = rules.seed_timeline()
# The package's table with the one correction the data migration makes (2005-12-31 worked).
CAL = WorkCalendar(
    rest=chinese_calendar.holidays,
    work=[*chinese_calendar.workdays, D("2005-12-31")],
    years=range(2004, 2027),
)


def _facts(**kw) -> rules.CaseFacts:
    base = {"kind": "penalty", "filed_on": D("2026-03-02"), "act_ended_on": D("2026-02-20")}
    base.update(kw)
    return rules.CaseFacts(**base)


def _deadline(key: str, book=APL_2021, cal=CAL, **facts) -> rules.Deadline:
    found = {d.key: d for d in rules.deadlines(_facts(**facts), book, cal, TIMELINE)}
    return found[key]


# -- version boundaries ---------------------------------------------------------------------
# (why, facts, key, last day (法定届满日), version)
BOUNDARIES = [
    # 2012-01-01, Administrative Compulsory Law Art. 53 (court window by its first day).
    (
        "served 2011-06-10: 3 months (1989 law) = 2011-09-10, Sat in Mid-autumn 10-12 Sep, "
        "rolled to 09-13; window starts 2011-09-14, before 2012: 180 days = 2012-03-11 (Sun) "
        "→ 2012-03-12",
        {"served_on": D("2011-06-10")},
        "court",
        "2012-03-12",
        "2000-03-10起",
    ),
    (
        "served 2011-10-10: litigation 3 months = 2012-01-10 (Tue, working); review 60 days = "
        "2011-12-09; window starts 2012-01-11, Art. 53: 3 months after 01-10 = 2012-04-10 (Tue)",
        {"served_on": D("2011-10-10")},
        "court",
        "2012-04-10",
        "2012-01-01起",
    ),
    # 2015-05-01, Administrative Litigation Law Art. 46 (1989 Art. 39 before).
    (
        "served 2014-09-01: 3 months = 2014-12-01 (Mon), lapsed before 2015-05-01",
        {"served_on": D("2014-09-01")},
        "litigation",
        "2014-12-01",
        "1990-10-01起",
    ),
    (
        "served 2015-03-02: 3 months would end 2015-06-02, still running on 05-01, so the "
        "new 6 months: 2015-09-02 (Wed, working; 3-5 Sep were holidays)",
        {"served_on": D("2015-03-02")},
        "litigation",
        "2015-09-02",
        "2015-05-01起",
    ),
    (
        "served 2015-05-01: 6 months = 2015-11-01, a Sunday → 2015-11-02",
        {"served_on": D("2015-05-01")},
        "litigation",
        "2015-11-02",
        "2015-05-01起",
    ),
    # 2021-07-15, Administrative Penalty Law 2021 (hearing request, service, by start day).
    (
        "notice 2021-07-14: 1996 law 3 days = 07-17 (Sat) → 07-19 (Mon)",
        {"notice_served_on": D("2021-07-14")},
        "hearing_request",
        "2021-07-19",
        "1996-10-01起",
    ),
    (
        "notice 2021-07-15: 2021 law 5 working days: 16, 19, 20, 21, 22 → 07-22",
        {"notice_served_on": D("2021-07-15")},
        "hearing_request",
        "2021-07-22",
        "2021-07-15起",
    ),
    (
        "decided 2021-07-14: 1996 law 7 days = 07-21 (Wed)",
        {"decided_on": D("2021-07-14")},
        "service",
        "2021-07-21",
        "1996-10-01起",
    ),
    (
        "decided 2021-07-15: 7 working days: 16, 19, 20, 21, 22, 23, 26 → 07-26",
        {"decided_on": D("2021-07-15")},
        "service",
        "2021-07-26",
        "2021-07-15起",
    ),
    # 2022-01-01, Civil Procedure Law Art. 95 (publication deemed served after 30 days).
    (
        "published 2021-12-31: 60 days → deemed served 2022-03-01",
        {"served_on": D("2021-12-31"), "service_method": "公告送达"},
        "service_deemed",
        "2022-03-01",
        "1991-04-09起",
    ),
    (
        "published 2022-01-01: 30 days → deemed served 2022-01-31",
        {"served_on": D("2022-01-01"), "service_method": "公告送达"},
        "service_deemed",
        "2022-01-31",
        "2022-01-01起",
    ),
    (
        "published 2022-01-01, deemed 01-31: fine payment 15 days = 2022-02-15 (Tue, working)",
        {"served_on": D("2022-01-01"), "service_method": "公告送达"},
        "payment",
        "2022-02-15",
        "2021-07-15起",
    ),
    (
        "published 2021-12-31, deemed 03-01: fine payment 15 days = 2022-03-16 (Wed)",
        {"served_on": D("2021-12-31"), "service_method": "公告送达"},
        "payment",
        "2022-03-16",
        "2021-07-15起",
    ),
]


@pytest.mark.parametrize(
    ("why", "facts", "key", "expected", "version"), BOUNDARIES, ids=[b[0][:40] for b in BOUNDARIES]
)
def test_each_rule_version_applies_from_its_own_date(why, facts, key, expected, version):
    deadline = _deadline(key, **facts)
    assert deadline.last_day == D(expected), why
    assert deadline.version == version
    assert deadline.source and deadline.arithmetic


def test_a_2019_case_is_not_told_the_lists_180_days():
    # Served 2019-03-11: litigation 6 months = 2019-09-11 (Wed); review 60 days = 05-10.
    # Art. 53: 3 months after 09-11 = 2019-12-11 (Wed). The list's 180 days would say 2020-03-09.
    court = _deadline("court", book=LIST_SET, served_on=D("2019-03-11"))
    assert court.due == D("2019-12-11")
    assert "行政强制法第五十三条" in court.source


def test_a_2014_case_is_told_three_months_of_litigation():
    litigation = _deadline("litigation", book=LIST_SET, served_on=D("2014-06-03"))
    # 3 months = 2014-09-03 (Wed).
    assert litigation.due == D("2014-09-03") and "三十九条" in litigation.source


# -- substance: the lighter law ----------------------------------------------------------
# (act, decided or filed, serious, limitation's last day, words in the recorded choice)
LIMITATION = [
    # Act 2020-03-01 (1996 law: 2 years); filed 2022-06-01 under the 2021 law (5 years for
    # serious harm): the old law is lighter, so 2 years → 2022-03-01; recorded as a choice.
    ("2020-03-01", "2022-06-01", True, "2022-03-01", "行为时规定不重于现行规定"),
    # Act after 2021-07-15: the 2021 law, 5 years, no choice to record.
    ("2021-08-01", "2022-06-01", True, "2026-08-01", ""),
    # Not serious: 2 years under both laws, nothing to choose.
    ("2020-03-01", "2021-09-01", False, "2022-03-01", ""),
]


@pytest.mark.parametrize(("act", "filed", "serious", "expected", "choice"), LIMITATION)
def test_the_limitation_follows_the_act_unless_the_later_law_is_lighter(
    act, filed, serious, expected, choice
):
    deadline = _deadline("limitation", act_ended_on=D(act), filed_on=D(filed), serious=serious)
    assert deadline.due == D(expected)
    if choice:
        assert choice in deadline.choice and "第三十七条" in deadline.choice
    else:
        assert deadline.choice == ""


# -- roll-forward at Spring Festival and National Day -----------------------------------
# (why, facts, key, expected last day)
ROLL_FORWARD = [
    (
        "fine served 2026-02-01: 15 days = 02-16, in Spring Festival 15-23 Feb → 02-24 (Tue)",
        {"served_on": D("2026-02-01")},
        "payment",
        "2026-02-24",
    ),
    (
        "fee served 2024-01-11: 30 days = 02-10, Spring Festival 10-17 Feb; 18 Feb (Sun) was a "
        "make-up working day → 2024-02-18",
        {"kind": "fee", "served_on": D("2024-01-11")},
        "payment",
        "2024-02-18",
    ),
    (
        "served 2025-08-17: litigation 6 months = 2026-02-17, Spring Festival → 02-24",
        {"served_on": D("2025-08-17")},
        "litigation",
        "2026-02-24",
    ),
    (
        "fine served 2025-09-16: 15 days = 10-01, National Day 1-8 Oct → 2025-10-09 (Thu)",
        {"served_on": D("2025-09-16")},
        "payment",
        "2025-10-09",
    ),
    (
        "served 2026-04-01: litigation 6 months = 10-01, National Day 1-7 Oct → 2026-10-08",
        {"served_on": D("2026-04-01")},
        "litigation",
        "2026-10-08",
    ),
    (
        "served 2026-04-01: review 60 days = 05-31 (Sun) → 2026-06-01",
        {"served_on": D("2026-04-01")},
        "review",
        "2026-06-01",
    ),
]


@pytest.mark.parametrize(
    ("why", "facts", "key", "expected"), ROLL_FORWARD, ids=[r[0][:40] for r in ROLL_FORWARD]
)
def test_periods_ending_on_a_holiday_roll_to_the_next_working_day(why, facts, key, expected):
    deadline = _deadline(key, **facts)
    assert deadline.due == D(expected), why
    assert "顺延至" in deadline.arithmetic


def test_the_reminder_wait_counts_working_days():
    # Reminder served 2026-09-28 (Mon): 10 working days, skipping 1-7 Oct and counting the
    # make-up Saturday 10 Oct: 29, 30 Sep, 8, 9, 10, 12, 13, 14, 15, 16 Oct → 10-16, so the
    # earliest application is 2026-10-17 (litigation lapsed 10-08).
    court = _deadline("court", served_on=D("2026-04-01"), reminder_served_on=D("2026-09-28"))
    assert court.earliest == D("2026-10-17")


# -- the worked example of the issue, point 3 ---------------------------------------------
def test_court_window_worked_example_is_pending_until_2027_is_entered():
    # Served 2026-04-01; litigation ends 2026-10-01, a holiday → 2026-10-08; review lapsed
    # 2026-06-01; the reminder (2026-09-01) waited 10 working days by 09-15. Earliest
    # application 2026-10-09; last day 3 months after 10-08 = 2027-01-08, in a year not entered.
    court = _deadline("court", served_on=D("2026-04-01"), reminder_served_on=D("2026-09-01"))
    assert court.earliest == D("2026-10-09")
    assert court.due is None
    assert court.pending == "待定：2027年节假日安排未录入"
    assert court.bound == D("2027-01-08")
    assert court.as_dict()["pending"] == "待定：2027年节假日安排未录入"


def test_court_window_is_recomputed_once_the_year_is_entered():
    # A hypothetical 2027 table with 1-3 Jan off: 2027-01-08 (Fri) is a working day.
    cal = WorkCalendar(
        rest=[*chinese_calendar.holidays, D("2027-01-01")],
        work=chinese_calendar.workdays,
        years=range(2004, 2028),
    )
    court = _deadline(
        "court", cal=cal, served_on=D("2026-04-01"), reminder_served_on=D("2026-09-01")
    )
    assert (court.earliest, court.due, court.pending) == (D("2026-10-09"), D("2027-01-08"), "")


# -- service methods and the bureau's own targets -------------------------------------------
@pytest.mark.parametrize(
    ("method", "recorded", "payment"),
    [
        ("直接送达", "2026-03-20", "2026-04-07"),  # 15 days = 04-04, Qingming 4-6 Apr → 04-07
        ("留置送达", "2026-03-20", "2026-04-07"),
        ("邮寄送达", "2026-03-20", "2026-04-07"),  # the day on the receipt
        ("委托送达", "2026-03-20", "2026-04-07"),
        ("公告送达", "2026-03-20", "2026-05-06"),  # deemed 04-19; + 15 = 05-04 (holiday) → 05-06
    ],
)
def test_the_deemed_service_day_drives_later_deadlines(method, recorded, payment):
    deadline = _deadline("payment", served_on=D(recorded), service_method=method)
    assert deadline.due == D(payment)


def test_the_lists_stricter_figure_is_the_suggested_day_beside_the_legal_one():
    # Decided 2026-03-19 (Thu): the law 7 working days = 03-30; the list 7 days = 03-26.
    service = _deadline("service", decided_on=D("2026-03-19"))
    assert (service.due, service.legal_due) == (D("2026-03-26"), D("2026-03-30"))
    assert service.as_dict()["legal_due"] == "2026-03-30"
    assert "建议办理日" in service.arithmetic and "法定届满日" in service.arithmetic
    # Past the bureau's target but not the law: amber, not red.
    assert service.status(D("2026-03-27")) == "amber"
    assert service.status(D("2026-03-31")) == "red"
