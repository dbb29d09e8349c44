"""Payment by instalments: the plan's rules, the API action, the page, and the late fee."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import login
from zeren.cases import rules, services
from zeren.cases.models import Payment

D = dt.date.fromisoformat
APL_2021 = next(b for b in rules.seed_rulebooks() if b.code == "apl-2021")


def plan(*pairs: str) -> list[tuple[dt.date, Decimal]]:
    """plan("2026-05-01 7000", ...) -> [(date, amount), ...]"""
    return [(D(p.split()[0]), Decimal(p.split()[1])) for p in pairs]


# -- the arithmetic (no database) ----------------------------------------------------------
# (kind, schedule, principal payments, on, expected, worked example)
SCHEDULE_LATE_FEES = [
    (
        "fine",
        plan("2026-05-01 7000", "2026-06-01 7000"),
        [],
        "2026-05-01",
        "0.00",
        "第1期到期当日不算逾期",
    ),
    (
        "fine",
        plan("2026-05-01 7000", "2026-06-01 7000"),
        [],
        "2026-05-11",
        "2100.00",
        "第1期逾期10日：7000 × 3% × 10 = 2100；第2期未到期",
    ),
    (
        "fine",
        plan("2026-05-01 7000", "2026-06-01 7000"),
        plan("2026-05-05 3000"),
        "2026-05-11",
        "1560.00",
        "第1期：05-05缴的3000逾期4日 = 360；未缴4000逾期10日 = 1200；合计1560",
    ),
    (
        "fine",
        plan("2026-05-01 7000", "2026-06-01 7000"),
        [],
        "2026-06-11",
        "9100.00",
        "第1期41日 = 8610，以本金7000为限；第2期10日 = 2100；合计9100",
    ),
    (
        "fine",
        plan("2026-05-01 7000", "2026-06-01 7000"),
        plan("2026-05-01 7000", "2026-06-01 7000"),
        "2026-06-11",
        "0.00",
        "每期按期缴清，不加处罚款",
    ),
    (
        "fine",
        plan("2026-05-01 7000", "2026-06-01 7000"),
        plan("2026-05-01 10000"),
        "2026-06-11",
        "1200.00",
        "多缴的3000抵第2期；第2期余4000逾期10日 = 1200",
    ),
    (
        "fine",
        plan("2026-05-01 7000", "2026-06-01 7000"),
        plan("2026-05-20 3000"),
        "2026-05-11",
        "2100.00",
        "计算日以后的缴款不计：第1期7000逾期10日 = 2100",
    ),
    (
        "fee",
        plan("2026-01-15 5000", "2026-03-15 5000"),
        [],
        "2026-06-20",
        "80.00",
        "第1期5个整月：5000 × 2‰ × 5 = 50；第2期3个整月：5000 × 2‰ × 3 = 30",
    ),
    (
        "fee",
        plan("2026-01-15 5000", "2026-03-15 5000"),
        plan("2026-04-16 5000"),
        "2026-06-20",
        "60.00",
        "第1期04-16缴清，逾期3个整月 = 30；第2期3个整月 = 30",
    ),
    (
        "fine",
        plan("2026-01-15 1000"),
        [],
        "2026-01-25",
        "300.00",
        "一次缴纳（无分期）与原算法相同：1000 × 3% × 10 = 300",
    ),
]


@pytest.mark.parametrize(
    ("kind", "schedule", "payments", "on", "expected", "why"), SCHEDULE_LATE_FEES
)
def test_late_fee_on_a_payment_schedule(kind, schedule, payments, on, expected, why):
    result = rules.schedule_late_fee(
        kind=kind, schedule=schedule, payments=payments, on=D(on), book=APL_2021
    )
    assert str(result.amount) == expected, why


def test_the_late_fee_on_a_missed_instalment_shows_its_arithmetic():
    result = rules.schedule_late_fee(
        kind="fine",
        schedule=plan("2026-05-01 7000", "2026-06-01 7000"),
        payments=plan("2026-05-05 3000"),
        on=D("2026-06-11"),
        book=APL_2021,
    )
    assert result.arithmetic == (
        "第1期（2026-05-01到期）：2026-05-05缴纳的3000.00 × 3% × 4日 = 360.00，"
        "未缴的4000.00 × 3% × 41日 = 4920.00，超过本金，以本金4000.00为限；"
        "第2期（2026-06-01到期）：未缴的7000.00 × 3% × 10日 = 2100.00；合计 6460.00"
    )
    assert result.amount == Decimal("6460.00")
    assert result.source == "行政处罚法第七十二条；行政强制法第四十五条"


def test_payments_settle_the_oldest_instalment_first():
    shares = rules.allocate(
        plan("2026-05-01 7000", "2026-06-01 7000"), plan("2026-05-20 5000", "2026-05-02 4000")
    )
    assert [[(s.amount, s.paid_on) for s in row] for row in shares] == [
        [(Decimal(4000), D("2026-05-02")), (Decimal(3000), D("2026-05-20"))],
        [(Decimal(2000), D("2026-05-20")), (Decimal(5000), None)],
    ]
    assert rules.overdue(
        plan("2026-05-01 7000", "2026-06-01 7000"), plan("2026-05-20 5000"), D("2026-06-02")
    ) == [(D("2026-05-01"), Decimal(2000)), (D("2026-06-01"), Decimal(7000))]


# -- the service ---------------------------------------------------------------------------
REFUSED_PLANS = [
    (
        ["2026-05-01 7000", "2026-06-01 6000"],
        "各期金额之和应等于应缴金额14000.00元（现为13000.00元）",
    ),
    (["2026-06-01 7000", "2026-05-01 7000"], "第2期应缴日期2026-05-01应晚于第1期2026-06-01"),
    (["2026-05-01 7000", "2026-05-01 7000"], "第2期应缴日期2026-05-01应晚于第1期2026-05-01"),
    (["2026-04-01 7000", "2026-06-01 7000"], "第1期应缴日期2026-04-01应晚于批准日期2026-04-01"),
    (["2026-05-01 14000"], "至少分为两期"),
    (["2026-05-01 14001", "2026-06-01 -1"], "第2期金额-1元应大于零"),
    (["2026-05-01 7000.001", "2026-06-01 6999.999"], "最多两位小数"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("lines", "reason"), REFUSED_PLANS)
def test_a_plan_that_does_not_add_up_or_is_out_of_order_is_refused(
    file_case, walk, head, lines, reason
):
    case = walk(file_case(), "served")  # fine 14,000 due 2026-04-07
    with pytest.raises(ValidationError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        services.case_set_instalments(actor=head, case=case, plan=plan(*lines), on=D("2026-04-01"))
    case.refresh_from_db()
    assert case.instalments.count() == 0 and case.due_on == D("2026-04-07")


@pytest.mark.django_db
def test_a_plan_asked_after_the_payment_period_is_refused(file_case, walk, head):
    case = walk(file_case(), "served")
    with pytest.raises(ValidationError, match="应在缴纳期限2026-04-07内提出"):
        services.case_set_instalments(
            actor=head,
            case=case,
            plan=plan("2026-05-01 7000", "2026-06-01 7000"),
            on=D("2026-04-08"),
        )


@pytest.mark.django_db
def test_a_missed_instalment_runs_late_from_its_own_day(file_case, walk, head, officer1):
    case = walk(file_case(), "served")
    services.case_set_instalments(
        actor=head, case=case, plan=plan("2026-05-01 7000", "2026-06-01 7000"), on=D("2026-04-01")
    )
    case.refresh_from_db()
    assert case.due_on == D("2026-06-01")
    assert "第1期2026-05-01缴7000.00元" in case.events.last().summary
    # The payment deadline follows the approved plan.
    payment = next(d for d in services.selectors.case_deadlines(case) if d.key == "payment")
    assert payment.due == D("2026-06-01") and "最后一期应缴日" in payment.arithmetic
    assert services.case_late_fee(case, D("2026-05-01")) is None
    assert services.case_late_fee(case, D("2026-05-11")).amount == Decimal("2100.00")
    services.case_record_payment(
        actor=officer1,
        case=case,
        paid_on=D("2026-05-05"),
        amount=Decimal(3000),
        kind=Payment.Kind.PRINCIPAL,
    )
    assert services.case_late_fee(case, D("2026-05-11")).amount == Decimal("1560.00")
    # The reminder may be served once an instalment is missed; it states the late fee.
    doc = services.case_serve_reminder(actor=officer1, case=case, served_on=D("2026-05-11"))
    assert doc.data["late_fee"] == "1560.00"
    assert doc.data["late_fee_arithmetic"].startswith("第1期（2026-05-01到期）：")
    assert "2026-05-05缴纳的3000.00 × 3% × 4日 = 360.00" in doc.data["late_fee_arithmetic"]


# -- the API and the page ------------------------------------------------------------------
@pytest.mark.django_db
def test_instalments_through_the_api(file_case, walk, head, officer1, staff_b):
    case = walk(file_case(), "served")
    url = f"/api/cases/{case.pk}/instalments/"
    body = {
        "on": "2026-04-01",
        "plan": [
            {"due_on": "2026-05-01", "amount": "7000"},
            {"due_on": "2026-06-01", "amount": "7000"},
        ],
    }

    def post(user, data):
        return login(user).post(url, data, content_type="application/json")

    assert post(officer1, body).status_code == 403  # approving instalments is the head's
    assert post(staff_b, body).status_code in (403, 404)  # another township
    wrong = {**body, "plan": list(reversed(body["plan"]))}
    r = post(head, wrong)
    assert r.status_code == 400
    assert "第2期应缴日期2026-05-01应晚于第1期2026-06-01" in r.content.decode()
    assert post(head, {"on": "2026-04-01", "plan": []}).status_code == 400
    r = post(head, body)
    assert r.status_code == 200, r.content
    assert r.json()["instalments"] == [
        {"due_on": "2026-05-01", "amount": "7000.00"},
        {"due_on": "2026-06-01", "amount": "7000.00"},
    ]
    assert r.json()["due_on"] == "2026-06-01"


@pytest.mark.django_db
def test_the_instalment_form_shows_the_refusal_and_the_late_fee(file_case, walk, head):
    case = walk(file_case(), "served")
    client = login(head)
    url = f"/staff/cases/{case.pk}/act/instalments/"
    r = client.post(url, {"on": "2026-04-01", "plan": "2026-06-01 7000\n2026-05-01 7000"})
    assert "第2期应缴日期2026-05-01应晚于第1期2026-06-01" in r.content.decode()
    assert case.instalments.count() == 0
    r = client.post(url, {"on": "2026-04-01", "plan": "2026-05-01 7000\n2026-06-01 7000"})
    assert r.status_code == 302
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "分期：2026-05-01 应缴 7000.00 元" in page
