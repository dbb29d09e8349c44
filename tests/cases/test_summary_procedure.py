"""The summary procedure (简易程序): a small fine decided and handed over on the spot."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import login
from zeren.cases import selectors, services
from zeren.cases.models import Case, CaseDocument, CaseEvent, Payment, Step, Violation

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def nothing_written() -> bool:
    return not Case.objects.exists() and not CaseEvent.objects.exists()


def test_a_fine_within_the_threshold_is_decided_and_served_on_the_spot(decide_on_spot, officer1):
    case = decide_on_spot()
    assert (case.procedure, case.step, case.rule_set.code) == ("summary", Step.SERVED, "apl-2021")
    assert case.amount == Decimal("200.00")
    assert case.decision_number == "隆计当罚〔2026〕1号"
    # Handing the decision over is its service; the fine is due 15 days later
    # (Sat 2026-04-04 is a Qingming rest day, rolled to Tue 2026-04-07).
    assert (case.decided_on, case.served_on, case.service_method) == (
        D("2026-03-20"),
        D("2026-03-20"),
        "当场交付",
    )
    assert case.due_on == D("2026-04-07")
    assert case.filing_approved_by is None
    doc = case.documents.get()
    assert (doc.form, doc.number) == (CaseDocument.Form.DECISION_ON_SPOT, case.decision_number)
    assert doc.data["officer_certificates"] == "officer1（冀执-0001）"
    assert "不超过200元（行政处罚法第五十一条）" in doc.data["summary_basis"]
    assert "李四当场签收" in doc.data["receipt"]
    assert "第五十二条第三款" in doc.data["summary_basis"]  # reported for the record
    event = case.events.get()
    assert event.action == "decide_on_spot" and "出示执法证officer1（冀执-0001）" in event.summary


def test_an_organisation_may_be_fined_up_to_its_threshold(decide_on_spot):
    case = decide_on_spot(
        person=None,
        organisation_name="某诊所",
        organisation_code="91130525MA0000000X",
        legal_representative="王五",
        signature="王五",
        amount=Decimal("3000"),
    )
    assert case.service_recipient == "王五" and case.service_recipient_role == "法定代表人"


# (overrides, the reason given)
REFUSALS = [
    ({"amount": Decimal("200.01")}, "罚款200.01元超过简易程序上限：对公民处200元以下罚款"),
    (
        {
            "person": None,
            "organisation_name": "某诊所",
            "legal_representative": "王五",
            "amount": Decimal("3000.01"),
        },
        "对法人或其他组织处3000元以下罚款方可当场作出",
    ),
    ({"facts_certain": False}, "当场处罚须违法事实确凿"),
    ({"amount": Decimal("20")}, "超出法定幅度50.00～5000.00元"),
    ({"reasons": " "}, "须告知当事人作出处罚的事实、理由和依据"),
    ({"statement": ""}, "须听取当事人的陈述申辩"),
    ({"signature": ""}, "决定书须由当事人签收"),
    ({"officers": []}, "请指定当场作出决定的执法人员"),
    ({"recipient_role": "邻居"}, "签收人身份应为：本人、同住成年家属"),
]


@pytest.mark.parametrize(("overrides", "reason"), REFUSALS)
def test_it_refuses_with_the_reason_and_writes_nothing(decide_on_spot, overrides, reason):
    with pytest.raises(ValidationError, match=reason.replace("(", r"\(")):
        decide_on_spot(**overrides)
    assert nothing_written()


def test_it_refuses_without_a_legal_basis(decide_on_spot, small_fine):
    Violation.objects.filter(pk=small_fine.pk).update(legal_basis="")
    small_fine.refresh_from_db()
    with pytest.raises(ValidationError, match="没有载明法定依据，不得当场处罚"):
        decide_on_spot(violation=small_fine)
    assert nothing_written()


def test_it_refuses_an_invalid_certificate(decide_on_spot, officer1, officer_expired):
    with pytest.raises(ValidationError, match="officer_old在2026-03-20没有有效的行政执法证"):
        decide_on_spot(officers=[officer1.officer, officer_expired.officer])
    assert nothing_written()


def test_the_list_rule_set_has_no_summary_procedure(decide_on_spot):
    # Decided 2021-07-14, the day before the 2021 law: the list's rule set applies.
    with pytest.raises(ValidationError, match="适用的“责任清单规则”没有简易程序"):
        decide_on_spot(decided_on=D("2021-07-14"), act_date=D("2021-07-14"))
    case = decide_on_spot(decided_on=D("2021-07-15"), act_date=D("2021-07-15"))
    assert case.rule_set.code == "apl-2021"


def test_a_fee_is_never_decided_on_the_spot(decide_on_spot, out_of_policy_birth):
    with pytest.raises(ValidationError, match="简易程序只适用于行政处罚"):
        decide_on_spot(violation=out_of_policy_birth)


def test_a_seed_violation_with_a_large_minimum_cannot_go_summary(
    decide_on_spot, sex_identification
):
    with pytest.raises(ValidationError, match="超过简易程序上限"):
        decide_on_spot(violation=sex_identification, amount=Decimal("10000"))


def test_no_second_fine_for_the_same_act(decide_on_spot):
    first = decide_on_spot()
    with pytest.raises(ValidationError, match=f"已在案件{first.number}中给予行政处罚"):
        decide_on_spot(amount=Decimal("100"))
    assert Case.objects.count() == 1


def test_township_staff_may_not_decide_on_the_spot(decide_on_spot, staff_a):
    with pytest.raises(PermissionDenied):
        decide_on_spot(actor=staff_a)


# (reported on, on time?) The report is due 3 working days after Fri 2026-03-20: Wed 03-25.
REPORTS = [("2026-03-20", True), ("2026-03-25", True), ("2026-03-26", False)]


@pytest.mark.parametrize(("reported_on", "on_time"), REPORTS)
def test_the_decision_is_reported_for_the_record_within_the_rule(
    decide_on_spot, officer1, reported_on, on_time
):
    case = decide_on_spot()
    report = next(d for d in selectors.case_deadlines(case) if d.key == "summary_report")
    assert report.due == D("2026-03-25")
    assert "第五十二条第三款" in report.source and "（未核实）" in report.source
    assert "2026-03-20起算（当日不计）后第3个工作日" in report.arithmetic
    services.case_report_summary(actor=officer1, case=case, reported_on=D(reported_on))
    case.refresh_from_db()
    assert case.summary_reported_on == D(reported_on)
    assert ("逾期" in case.events.last().summary) is not on_time
    with pytest.raises(ValidationError, match="已于"):
        services.case_report_summary(actor=officer1, case=case, reported_on=D(reported_on))


def test_a_general_case_is_not_reported(file_case, officer1):
    with pytest.raises(ValidationError, match="只有当场作出的处罚决定需要备案"):
        services.case_report_summary(actor=officer1, case=file_case(), reported_on=D("2026-03-03"))


def test_it_is_paid_closed_after_the_report_and_archived(decide_on_spot, officer1):
    case = decide_on_spot()
    services.case_record_payment(
        actor=officer1,
        case=case,
        paid_on=D("2026-03-23"),
        amount=Decimal(200),
        kind=Payment.Kind.PRINCIPAL,
    )
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="尚未报所属行政机关备案，不能结案"):
        services.case_close(actor=officer1, case=case, closed_on=D("2026-03-23"), summary="缴清")
    services.case_report_summary(actor=officer1, case=case, reported_on=D("2026-03-23"))
    case.refresh_from_db()
    services.case_close(actor=officer1, case=case, closed_on=D("2026-03-24"), summary="缴清")
    case.refresh_from_db()
    services.case_archive(actor=officer1, case=case, archived_on=D("2026-03-30"))
    case.refresh_from_db()
    assert case.step == Step.ARCHIVED
    catalogue = case.documents.get(form=CaseDocument.Form.CATALOGUE)
    assert catalogue.data["entries"][0]["title"] == "当场处罚决定书"


# -- the staff page and the API ------------------------------------------------------------
def spot_form(party, township, officer, violation, **overrides) -> dict:
    data = {
        "party_kind": "person",
        "id_number": party.id_number,
        "violation": violation.pk,
        "facts": "当场查实的轻微违法行为",
        "facts_certain": "on",
        "act_date": "2026-03-20",
        "township": township.pk,
        "officers": [officer.pk],
        "decided_on": "2026-03-20",
        "place": "某村村委会",
        "reasons": "违法事实确凿",
        "statement": "放弃陈述申辩",
        "amount": "150",
        "recipient_role": "本人",
        "signature": "李四",
    }
    data.update(overrides)
    return data


def test_the_on_the_spot_page(officer1, party, township_a, small_fine, staff_a):
    client = login(officer1)
    page = client.get("/staff/cases/on-the-spot/").content.decode()
    assert "当场处罚（简易程序）" in page and 'id="on-spot"' in page
    assert "/staff/cases/on-the-spot/" in client.get("/staff/cases/").content.decode()
    data = spot_form(party, township_a, officer1.officer, small_fine)
    r = client.post("/staff/cases/on-the-spot/", {**data, "amount": "250"})
    body = r.content.decode()
    assert r.status_code == 200 and "超过简易程序上限" in body and "未作任何记录" in body
    assert nothing_written()
    r = client.post("/staff/cases/on-the-spot/", data)
    assert r.status_code == 302, r.content.decode()
    case = Case.objects.get()
    assert r["Location"] == f"/staff/cases/{case.pk}/"
    detail = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "简易程序（当场处罚）" in detail and "尚未备案" in detail
    assert "当场处罚决定备案" in detail and "/act/summary-report/" in detail
    r = client.post(f"/staff/cases/{case.pk}/act/summary-report/", {"on": "2026-03-23"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.summary_reported_on == D("2026-03-23")
    assert login(staff_a).get("/staff/cases/on-the-spot/").status_code == 403


def test_on_the_spot_through_the_api(officer1, party, township_a, small_fine, officer_expired):
    client = login(officer1)
    body = {
        "violation": small_fine.code,
        "township": township_a.code,
        "officers": [officer1.officer.pk],
        "decided_on": "2026-03-20",
        "place": "某村村委会",
        "act_date": "2026-03-20",
        "facts": "当场查实",
        "facts_certain": True,
        "reasons": "违法事实确凿",
        "statement": "无异议",
        "amount": "200",
        "person": party.pk,
        "signature": "李四",
    }

    def post(path, data):
        return client.post(f"/api/cases/{path}", data, content_type="application/json")

    r = post("on-the-spot/", {**body, "officers": [officer_expired.officer.pk]})
    assert r.status_code == 400 and "没有有效的行政执法证" in r.content.decode()
    r = post("on-the-spot/", body)
    assert r.status_code == 201, r.content
    case = r.json()
    assert (case["procedure"], case["step"], case["due_on"]) == ("summary", "served", "2026-04-07")
    assert r.json()["document"]["form"] == "decision_on_spot"
    r = post(f"{case['id']}/summary-report/", {"on": "2026-03-24"})
    assert r.status_code == 200 and r.json()["summary_reported_on"] == "2026-03-24"


# -- penalty kinds in the summary procedure (Administrative Penalty Law 2021 Arts. 9, 51) ---
def test_a_warning_is_allowed_on_the_spot_and_leaves_nothing_to_pay(decide_on_spot, officer1):
    case = decide_on_spot(penalty_kind="warning", amount=None)
    assert (case.procedure, case.penalty_kind, case.amount, case.due_on) == (
        "summary",
        "warning",
        None,
        None,
    )
    doc = case.documents.get()
    assert doc.data["penalty_kind"] == "警告" and "予以警告" in doc.data["summary_basis"]
    keys = {d.key for d in selectors.case_deadlines(case)}
    assert "payment" not in keys and "court" not in keys
    assert {"review", "litigation", "summary_report"} <= keys
    # Nothing to pay, so it closes once reported for the record.
    services.case_report_summary(actor=officer1, case=case, reported_on=D("2026-03-21"))
    services.case_close(actor=officer1, case=case, closed_on=D("2026-03-22"), summary="已警告")
    case.refresh_from_db()
    assert case.step == Step.CLOSED


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"penalty_kind": "confiscation"}, "简易程序只能当场给予警告或者限额以下罚款"),
        ({"penalty_kind": "licence"}, "请按普通程序立案"),
        ({"penalty_kind": "warning", "amount": Decimal("50")}, "警告不处罚款"),
    ],
)
def test_other_kinds_are_refused_on_the_spot(decide_on_spot, overrides, reason):
    with pytest.raises(ValidationError) as info:
        decide_on_spot(**overrides)
    assert reason in info.value.messages[0]
    assert nothing_written()
