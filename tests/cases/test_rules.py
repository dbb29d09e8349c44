"""Legal arithmetic without a database: late fees, rule sets in force, discretion, deadlines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import chinese_calendar
import pytest
from django.core.exceptions import ValidationError

from zeren.cases import rules
from zeren.core.workdays import WorkCalendar

D = dt.date.fromisoformat
BOOKS = rules.seed_rulebooks()
LIST_SET = next(b for b in BOOKS if b.code == "list")
APL_2021 = next(b for b in BOOKS if b.code == "apl-2021")
CAL = WorkCalendar(
    rest=chinese_calendar.holidays, work=chinese_calendar.workdays, years=range(2004, 2027)
)

# (kind, principal, due, on, expected, why)
LATE_FEES = [
    ("fee", "10000", "2026-01-15", "2026-06-20", "100.00", "5个整月 × 2‰ × 10000"),
    ("fee", "10000", "2026-01-15", "2026-02-14", "0.00", "未满一个月"),
    ("fee", "10000", "2026-01-15", "2026-02-15", "20.00", "满一个月"),
    ("fee", "10000", "2026-01-31", "2026-02-28", "20.00", "1月31日起满一个月为2月28日"),
    ("fee", "12345.67", "2020-03-01", "2026-03-01", "1777.78", "72个月 × 2‰ = 14.4%"),
    ("fee", "1000", "1970-01-01", "2026-01-01", "1000.00", "672个月超过本金，以本金为限"),
    ("fine", "1000", "2026-01-15", "2026-01-25", "300.00", "10日 × 3%"),
    ("fine", "1000", "2026-01-15", "2026-03-01", "1000.00", "45日 × 3% = 1350，以本金为限"),
    ("fine", "1000", "2026-01-15", "2026-01-15", "0.00", "当日不算逾期"),
    ("fine", "333.33", "2026-01-15", "2026-01-16", "10.00", "9.9999 四舍五入"),
]


@pytest.mark.parametrize(("kind", "principal", "due", "on", "expected", "why"), LATE_FEES)
def test_late_fee_examples(kind, principal, due, on, expected, why):
    result = rules.late_fee(
        kind=kind, principal=Decimal(principal), due=D(due), on=D(on), book=APL_2021
    )
    assert result.amount == Decimal(expected), why
    assert str(result.amount) == expected  # two decimals, exact


def test_late_fee_says_its_rule_and_the_cap():
    result = rules.late_fee(
        kind="fine", principal=Decimal(1000), due=D("2026-01-15"), on=D("2026-03-01"), book=APL_2021
    )
    assert "1000.00 × 3% × 45日 = 1350.00" in result.arithmetic
    assert "以本金1000.00为限" in result.arithmetic
    assert "第七十二条" in result.source


@pytest.mark.parametrize(
    ("filed_on", "code"),
    [
        ("2004-01-01", "list"),
        ("2021-03-01", "list"),
        ("2021-07-14", "list"),
        ("2021-07-15", "apl-2021"),
        ("2026-03-02", "apl-2021"),
    ],
)
def test_the_rule_set_in_force_on_the_filing_date(filed_on, code):
    assert rules.book_in_force(BOOKS, D(filed_on)).code == code


def test_the_two_sets_differ_where_the_law_changed():
    assert (LIST_SET.get("hearing_request").value, LIST_SET.get("hearing_request").unit) == (
        "3",
        "days",
    )
    assert (APL_2021.get("hearing_request").value, APL_2021.get("hearing_request").unit) == (
        "5",
        "working_days",
    )
    assert not LIST_SET.has("decision_period") and APL_2021.has("decision_period")
    assert APL_2021.get("fee_abolition").confirmed is False  # labelled unconfirmed
    assert "未核实" in APL_2021.get("fee_abolition").citation


def _spec(basis="gains"):
    grades = {
        "mitigated": (Decimal("0"), Decimal("0.1"), ("主动消除或减轻违法行为危害后果",)),
        "lenient": (Decimal("0.1"), Decimal("0.3"), ("初次违法且危害后果轻微",)),
        "standard": (Decimal("0.3"), Decimal("0.7"), ()),
        "aggravated": (Decimal("0.7"), Decimal("1"), ("一年内再次实施同类违法行为",)),
    }
    return rules.ViolationSpec(
        code="x",
        name="非医学需要的胎儿性别鉴定",
        basis=basis,
        legal_basis="人口与计划生育法第三十六条",
        legal_min=Decimal(10000),
        legal_max=Decimal(30000),
        min_multiple=Decimal(2),
        max_multiple=Decimal(6),
        gains_threshold=Decimal(10000),
        grades=grades,
    )


# (circumstances, gains, grade, grade range)
ASSESS = [
    ([], None, "standard", ("16000.00", "24000.00")),
    (["初次违法且危害后果轻微"], None, "lenient", ("12000.00", "16000.00")),
    (["一年内再次实施同类违法行为"], None, "aggravated", ("24000.00", "30000.00")),
    (["主动消除或减轻违法行为危害后果"], None, "mitigated", ("10000.00", "12000.00")),
    (
        ["一年内再次实施同类违法行为", "初次违法且危害后果轻微"],
        None,
        "standard",
        ("16000.00", "24000.00"),
    ),
    ([], "20000", "standard", ("64000.00", "96000.00")),  # gains 20000 x 2..6 = 40000..120000
    ([], "5000", "standard", ("16000.00", "24000.00")),  # under the threshold: fixed range
]


@pytest.mark.parametrize(("circumstances", "gains", "grade", "expected"), ASSESS)
def test_discretion_ranges(circumstances, gains, grade, expected):
    result = rules.assess(
        _spec(), circumstances=circumstances, gains=Decimal(gains) if gains else None
    )
    assert result.grade == grade
    assert (str(result.grade_min), str(result.grade_max)) == expected
    assert result.legal_min <= result.grade_min <= result.grade_max <= result.legal_max


def test_it_never_leaves_the_legal_limits():
    with pytest.raises(ValidationError, match="超出法定幅度"):
        rules.assess(_spec(), circumstances=[], amount=Decimal(30001), reason="情节特别严重")
    with pytest.raises(ValidationError, match="超出法定幅度"):
        rules.assess(_spec(), circumstances=[], amount=Decimal(9999), reason="情节轻微")


def test_an_amount_outside_the_grade_needs_a_reason_and_collective_discussion():
    with pytest.raises(ValidationError, match="须书面说明理由"):
        rules.assess(_spec(), circumstances=[], amount=Decimal(26000))
    result = rules.assess(_spec(), circumstances=[], amount=Decimal(26000), reason="屡教不改")
    assert result.outside_grade and result.needs_collective


def test_a_large_amount_goes_to_the_bureau_meeting():
    result = rules.assess(
        _spec(), circumstances=[], amount=Decimal(20000), large_amount=Decimal(10000)
    )
    assert result.large_amount and result.needs_collective
    assert any("局务会议" in line for line in result.reasoning)


def test_an_unknown_circumstance_is_refused():
    with pytest.raises(ValidationError, match="没有情节"):
        rules.assess(_spec(), circumstances=["态度很好"])


def test_fee_range_follows_the_income_multiple():
    result = rules.assess(_spec("income"), circumstances=[], base_income=Decimal("15000"))
    assert (result.legal_min, result.legal_max) == (Decimal("30000.00"), Decimal("90000.00"))


def _facts(**kw):
    base = {"kind": "penalty", "filed_on": D("2026-03-02"), "act_ended_on": D("2026-02-20")}
    base.update(kw)
    return rules.CaseFacts(**base)


def _by_key(facts, book):
    return {d.key: d for d in rules.deadlines(facts, book, CAL)}


# (book, facts, key, expected due)
DEADLINES = [
    (APL_2021, {}, "limitation", "2028-02-20"),
    (APL_2021, {"serious": True}, "limitation", "2031-02-20"),
    (APL_2021, {}, "decision", "2026-05-31"),  # 03-02 + 90 days
    (APL_2021, {"decision_extension_days": 30}, "decision", "2026-06-30"),
    (APL_2021, {"notice_served_on": D("2026-03-10")}, "hearing_request", "2026-03-17"),
    (APL_2021, {"notice_served_on": D("2026-09-30")}, "hearing_request", "2026-10-13"),
    (LIST_SET, {"notice_served_on": D("2020-09-30")}, "hearing_request", "2020-10-09"),
    (APL_2021, {"hearing_on": D("2026-10-12")}, "hearing_notice", "2026-09-27"),
    (LIST_SET, {"hearing_on": D("2020-10-12")}, "hearing_notice", "2020-10-05"),
    (APL_2021, {"decided_on": D("2026-03-19")}, "service", "2026-03-30"),
    (APL_2021, {"served_on": D("2026-03-20")}, "payment", "2026-04-07"),
    (APL_2021, {"kind": "fee", "served_on": D("2026-03-20")}, "payment", "2026-04-20"),
    (APL_2021, {"closed_on": D("2026-01-31")}, "archive", "2026-02-28"),
]


@pytest.mark.parametrize(("book", "facts", "key", "expected"), DEADLINES)
def test_deadline_examples(book, facts, key, expected):
    deadline = _by_key(_facts(**facts), book)[key]
    assert deadline.last_day == D(expected)
    assert deadline.rule and deadline.source and expected in deadline.arithmetic


def test_a_court_window_before_2012_is_180_days_after_litigation():
    # Served 2011-06-10: litigation (3 months, 1989 law) ends 2011-09-10, a Saturday in the
    # Mid-autumn holiday (10-12 Sep), so 2011-09-13; + 180 days = 2012-03-11, a Sunday: 03-12.
    court = _by_key(_facts(filed_on=D("2011-05-01"), served_on=D("2011-06-10")), LIST_SET)["court"]
    assert (court.earliest, court.due) == (D("2011-09-14"), D("2012-03-12"))


def test_a_deadline_in_an_uncovered_year_is_pending_not_an_error():
    deadline = _by_key(_facts(decided_on=D("2026-12-29")), APL_2021)["service"]
    assert deadline.due is None and not deadline.error
    assert deadline.pending == "待定：2027年节假日安排未录入"
    assert deadline.bound == D("2027-01-05")  # 7 calendar days: the earliest it can be
    assert deadline.status(D("2026-12-30")) == "amber"


@pytest.mark.parametrize(
    ("due", "done", "today", "colour"),
    [
        ("2026-03-17", None, "2026-03-10", "green"),
        ("2026-03-17", None, "2026-03-14", "amber"),
        ("2026-03-17", None, "2026-03-18", "red"),
        ("2026-03-17", "2026-03-17", "2026-04-01", "green"),
        ("2026-03-17", "2026-03-18", "2026-04-01", "red"),
    ],
)
def test_deadline_colours(due, done, today, colour):
    d = rules.Deadline("k", "期限", D(due), "r", "s", "a", done_on=D(done) if done else None)
    assert d.status(D(today)) == colour


def test_an_unused_hearing_right_lapses_without_turning_red():
    d = _by_key(_facts(notice_served_on=D("2026-03-10")), APL_2021)["hearing_request"]
    assert d.status(D("2026-03-16")) == "amber"
    assert d.status(D("2026-03-18")) == "green" and d.lapsed(D("2026-03-18"))


# (book, kind, expected source: each source once, in the order first cited)
LATE_FEE_SOURCES = [
    (APL_2021, "fine", "行政处罚法第七十二条；行政强制法第四十五条"),
    (APL_2021, "fee", "社会抚养费征收管理办法第八条；行政处罚法第七十二条；行政强制法第四十五条"),
    (LIST_SET, "fine", "行政处罚法（1996）第五十一条（未核实）；行政强制法第四十五条"),
]


@pytest.mark.parametrize(("book", "kind", "expected"), LATE_FEE_SOURCES)
def test_late_fee_names_each_source_once(book, kind, expected):
    # Capped, so both the rate rule and the cap rule are cited.
    result = rules.late_fee(
        kind=kind, principal=Decimal(100), due=D("1970-01-15"), on=D("2026-03-01"), book=book
    )
    assert "本金" in result.arithmetic
    assert result.source == expected


def test_join_sources_keeps_order_and_drops_repeats():
    assert rules.join_sources(["甲；乙", "乙", "丙；甲", ""]) == "甲；乙；丙"
