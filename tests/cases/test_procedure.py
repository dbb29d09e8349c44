"""The nine steps: each guarded transition, its refusals with reasons, and the case events."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests import factories
from zeren.cases import selectors, services
from zeren.cases.models import Case, CaseDocument, Payment, Recusal, Step

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


# -- rule set by filing date ---------------------------------------------------------------
def test_a_case_filed_before_2021_07_15_runs_on_the_list_set(file_case):
    case = file_case(filed_on=D("2021-03-01"), act_date=D("2020-12-01"))
    assert case.rule_set.code == "list"
    services.case_record_investigation(
        actor=case.handler,
        case=case,
        form=CaseDocument.Form.INQUIRY,
        on=D("2021-03-02"),
        subject="证人王五",
        content="……",
        signatories=["王五"],
        recorded_by=list(case.officers.all()),
    )
    services.case_serve_notice(
        actor=case.handler,
        case=case,
        served_on=D("2021-03-05"),
        reasons="事实清楚",
        circumstances=[],
        amount=Decimal(20000),
    )
    hearing = {d.key: d for d in selectors.case_deadlines(case)}["hearing_request"]
    # Three calendar days after Fri 5 March: Mon 8 March.
    assert hearing.due == D("2021-03-08")
    assert "行政处罚法（1996）第四十二条" in hearing.source and hearing.version == "1996-10-01起"
    assert "decision" not in {d.key for d in selectors.case_deadlines(case)}


def test_a_case_filed_after_runs_on_the_2021_set(file_case, walk):
    case = walk(file_case(filed_on=D("2026-03-02")), "notified")
    assert case.rule_set.code == "apl-2021"
    deadlines = {d.key: d for d in selectors.case_deadlines(case)}
    # Five working days after Tue 10 March 2026: Tue 17 March.
    assert deadlines["hearing_request"].due == D("2026-03-17")
    assert "第六十四条" in deadlines["hearing_request"].source
    assert deadlines["decision"].due == D("2026-05-31")


def test_a_case_filed_on_2021_07_15_runs_on_the_2021_set(file_case):
    case = file_case(filed_on=D("2021-07-15"), act_date=D("2021-07-01"))
    assert case.rule_set.code == "apl-2021"


# -- refusals ------------------------------------------------------------------------------
def test_it_refuses_filing_beyond_the_limitation_period(file_case):
    with pytest.raises(ValidationError) as info:
        file_case(act_date=D("2023-01-10"))
    message = info.value.messages[0]
    assert "已超过处罚时效" in message and "2025-01-10" in message
    assert Case.objects.count() == 0


def test_a_continuing_act_runs_from_its_end(file_case):
    case = file_case(act_date=D("2023-01-10"), act_end_date=D("2025-06-01"))
    assert case.pk


def test_it_refuses_one_officer(file_case, officer1):
    with pytest.raises(ValidationError, match=r"执法人员不得少于两人.*只有1人"):
        file_case(officers=[officer1.officer])


def test_it_refuses_an_expired_certificate(file_case, officer1, officer_expired):
    with pytest.raises(ValidationError, match=r"officer_old.*没有有效的行政执法证"):
        file_case(officers=[officer1.officer, officer_expired.officer])


def test_it_refuses_filing_without_a_head_approval(file_case, officer2):
    with pytest.raises(ValidationError, match="负责人批准"):
        file_case(approved_by=officer2)


def test_it_refuses_a_late_hearing_request(file_case, walk):
    case = walk(file_case(), "notified")
    with pytest.raises(ValidationError) as info:
        services.case_request_hearing(actor=case.handler, case=case, requested_on=D("2026-03-18"))
    assert "听证申请逾期" in info.value.messages[0]
    assert "2026-03-17" in info.value.messages[0]
    services.case_request_hearing(actor=case.handler, case=case, requested_on=D("2026-03-17"))
    case.refresh_from_db()
    assert case.step == Step.HEARING


def test_it_refuses_a_hearing_date_too_soon(file_case, walk, hearing_chair):
    case = walk(file_case(), "notified")
    services.case_request_hearing(actor=case.handler, case=case, requested_on=D("2026-03-16"))
    case.refresh_from_db()
    with pytest.raises(ValidationError) as info:
        services.case_schedule_hearing(
            actor=case.handler,
            case=case,
            notice_on=D("2026-03-18"),
            hearing_on=D("2026-03-25"),
            place="局会议室",
            chair=hearing_chair,
        )
    # 7 working days before Wed 25 March: 25,24,23,20,19,18,17 -> notify by Mon 16 March.
    assert "听证日期过近" in info.value.messages[0]
    assert "2026-03-16" in info.value.messages[0]
    services.case_schedule_hearing(
        actor=case.handler,
        case=case,
        notice_on=D("2026-03-18"),
        hearing_on=D("2026-03-30"),
        place="局会议室",
        chair=hearing_chair,
    )


def test_the_hearing_chair_must_not_be_an_investigator(file_case, walk, officer2):
    case = walk(file_case(), "notified")
    services.case_request_hearing(actor=case.handler, case=case, requested_on=D("2026-03-16"))
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="非本案调查人员"):
        services.case_schedule_hearing(
            actor=case.handler,
            case=case,
            notice_on=D("2026-03-17"),
            hearing_on=D("2026-04-30"),
            place="局会议室",
            chair=officer2,
        )


def test_it_refuses_serving_an_unapproved_decision(file_case, walk):
    case = walk(file_case(), "stated")
    with pytest.raises(ValidationError, match="未经负责人审批，不得送达"):
        services.case_serve_decision(
            actor=case.handler,
            case=case,
            served_on=D("2026-03-20"),
            recipient="李四",
            recipient_role="本人",
            method="直接送达",
            signature="李四",
        )


def test_it_refuses_a_second_fine_for_the_same_act_and_names_the_earlier_case(file_case, walk):
    first = walk(file_case(), "approved")
    second = walk(file_case(), "stated")
    with pytest.raises(ValidationError) as info:
        walk(second, "approved")
    assert first.number in info.value.messages[0]
    assert "不得再次处罚" in info.value.messages[0]


def test_it_refuses_a_fee_case_for_a_birth_after_the_abolition_date(file_case, out_of_policy_birth):
    with pytest.raises(ValidationError) as info:
        file_case(
            kind="fee",
            violation=out_of_policy_birth,
            act_date=D("2021-07-18"),
            birth_date=D("2021-07-21"),
            filed_on=D("2021-07-19"),
        )
    assert "2021-07-20" in info.value.messages[0] and "不得立案征收" in info.value.messages[0]
    assert "未核实" in info.value.messages[0]


# (filed on, birth, refused?) The repeal date (2021-07-20, configurable) bars every filing
# from that day on, whatever the birth date; before it, a birth before the cut-over is filed.
FEE_FILINGS = [
    ("2021-07-19", "2020-05-01", False),
    ("2021-07-20", "2020-05-01", True),
    ("2026-03-02", "2020-05-01", True),
    ("2026-03-02", "2015-01-01", True),
]


@pytest.mark.parametrize(("filed_on", "birth", "refused"), FEE_FILINGS)
def test_no_fee_case_is_filed_on_or_after_the_repeal_date(
    file_case, out_of_policy_birth, filed_on, birth, refused
):
    def file():
        return file_case(
            kind="fee",
            violation=out_of_policy_birth,
            act_date=D(birth),
            birth_date=D(birth),
            filed_on=D(filed_on),
        )

    if refused:
        with pytest.raises(ValidationError) as info:
            file()
        assert "停止征收" in info.value.messages[0] and "不论子女出生日期" in info.value.messages[0]
        assert not Case.objects.filter(kind="fee").exists()
    else:
        assert file().kind == "fee"


def test_recusal_must_be_decided_before_the_notice(file_case, walk, officer2, head, officer1):
    case = file_case()
    services.case_declare_recusal(
        actor=officer1,
        case=case,
        officer=officer2.officer,
        declared_by="当事人",
        on=D("2026-03-03"),
        reason="与当事人系亲属",
    )
    walk(case, "investigated")  # the investigation goes on meanwhile
    with pytest.raises(ValidationError, match="回避申请尚未决定"):
        walk(case, "notified")
    recusal = Recusal.objects.get(case=case)
    with pytest.raises(PermissionDenied):
        services.case_decide_recusal(
            actor=officer1, recusal=recusal, granted=True, on=D("2026-03-06")
        )
    services.case_decide_recusal(actor=head, recusal=recusal, granted=True, on=D("2026-03-06"))
    # Granted: officer2 leaves the case, which now has only one officer.
    with pytest.raises(ValidationError, match="不得少于两人"):
        walk(case, "notified")


def test_approval_waits_for_the_hearing_period(file_case, walk, head):
    case = walk(file_case(), "stated")
    with pytest.raises(ValidationError, match="期满前不得审批"):
        services.case_approve(
            actor=head,
            case=case,
            approved_on=D("2026-03-17"),
            collective_on=D("2026-03-17"),
            collective_minutes="同意",
            legal_review_on=D("2026-03-17"),
            legal_review_opinion="同意",
        )


def test_a_large_amount_needs_collective_discussion_and_legal_review(file_case, walk, head):
    case = walk(file_case(), "stated")
    with pytest.raises(ValidationError, match=r"较大数额.*集体讨论"):
        services.case_approve(actor=head, case=case, approved_on=D("2026-03-18"))
    with pytest.raises(ValidationError, match="法制审核"):
        services.case_approve(
            actor=head,
            case=case,
            approved_on=D("2026-03-18"),
            collective_on=D("2026-03-18"),
            collective_minutes="局务会议讨论同意",
        )


def test_an_officer_cannot_approve(file_case, walk, officer1):
    case = walk(file_case(), "stated")
    with pytest.raises(PermissionDenied):
        services.case_approve(actor=officer1, case=case, approved_on=D("2026-03-18"))


def test_township_staff_cannot_file_in_another_township(staff_b, township_a, file_case, head):
    with pytest.raises(PermissionDenied):
        file_case(actor=staff_b)


# -- the whole story -----------------------------------------------------------------------
def test_the_nine_steps_each_record_an_event_and_a_document(file_case, walk, officer1, head):
    case = walk(file_case(), "served")
    assert case.step == Step.SERVED
    assert case.decision_number == "隆计罚决〔2026〕1号"
    # Fine of 14,000 served Fri 20 March: 15 days end Sat 4 April (Qingming) -> Tue 7 April.
    assert case.due_on == D("2026-04-07")
    # Unpaid: reminder after the due date, court no sooner than the litigation period's end.
    services.case_serve_reminder(actor=officer1, case=case, served_on=D("2026-04-20"))
    case.refresh_from_db()
    late = services.case_late_fee(case, D("2026-04-20"))
    assert late.amount == Decimal("5460.00")  # 14000 x 3% x 13 days
    with pytest.raises(ValidationError, match="尚未到可以申请强制执行的日期2026-09-21"):
        services.case_apply_court(actor=officer1, case=case, applied_on=D("2026-06-01"))
    services.case_record_payment(
        actor=officer1,
        case=case,
        paid_on=D("2026-04-21"),
        amount=Decimal(14000),
        kind=Payment.Kind.PRINCIPAL,
    )
    case.refresh_from_db()
    services.case_close(actor=officer1, case=case, closed_on=D("2026-04-22"), summary="已缴清")
    case.refresh_from_db()
    services.case_archive(actor=officer1, case=case, archived_on=D("2026-05-08"))
    case.refresh_from_db()
    assert case.step == Step.ARCHIVED
    actions = list(case.events.values_list("action", flat=True))
    assert actions == [
        "file",
        "interview",
        "notice",
        "statement",
        "approve",
        "decide",
        "serve",
        "reminder",
        "payment",
        "close",
        "archive",
    ]
    assert all(e.actor_name for e in case.events.all())
    forms = list(case.documents.order_by("sequence").values_list("form", flat=True))
    assert forms == [
        "filing",
        "interview",
        "notice",
        "approval",
        "decision_penalty",
        "service",
        "reminder",
        "closure",
        "catalogue",
    ]
    catalogue = case.documents.get(form="catalogue")
    assert [e["sequence"] for e in catalogue.data["entries"]] == list(range(1, 9))


def test_service_to_an_organisation_needs_its_representative(file_case, walk, officer1, head):
    case = walk(
        file_case(
            person=None,
            organisation_name="某某诊所",
            legal_representative="赵六",
            organisation_code="92130525MA0000000X",
        ),
        "decided",
    )
    with pytest.raises(ValidationError, match="法定代表人"):
        services.case_serve_decision(
            actor=officer1,
            case=case,
            served_on=D("2026-03-20"),
            recipient="前台",
            recipient_role="本人",
            method="直接送达",
            signature="前台",
        )
    services.case_serve_decision(
        actor=officer1,
        case=case,
        served_on=D("2026-03-20"),
        recipient="赵六",
        recipient_role="法定代表人",
        method="直接送达",
        signature="赵六",
    )


def test_the_court_window_under_the_2021_set(file_case, walk, officer1, monkeypatch):
    case = walk(file_case(), "served")
    # The application is dated 2026-12-21: let the facts' clock stand after it.
    from zeren.core import facts

    monkeypatch.setattr(facts, "local_today", lambda: D("2027-01-15"))
    with pytest.raises(ValidationError, match="催告书"):
        services.case_apply_court(actor=officer1, case=case, applied_on=D("2026-10-01"))
    services.case_serve_reminder(actor=officer1, case=case, served_on=D("2026-04-20"))
    case.refresh_from_db()
    # Served 2026-03-20: litigation ends 09-20 (a make-up working Sunday); + 3 months =
    # 12-20, a Sunday, rolled to Monday 12-21 (Civil Code Art. 203).
    with pytest.raises(ValidationError, match="已超过申请法院强制执行的期限2026-12-21"):
        services.case_apply_court(actor=officer1, case=case, applied_on=D("2026-12-22"))
    services.case_apply_court(actor=officer1, case=case, applied_on=D("2026-12-21"))


def test_a_decision_after_90_days_needs_an_extension(file_case, walk, officer1, head):
    case = walk(file_case(), "approved")
    with pytest.raises(ValidationError, match="作出决定的期限2026-05-31"):
        services.case_decide(actor=officer1, case=case, decided_on=D("2026-06-10"))
    services.case_extend_decision(
        actor=head, case=case, days=30, reason="案情复杂", on=D("2026-05-20")
    )
    services.case_decide(actor=officer1, case=case, decided_on=D("2026-06-10"))


def test_nothing_is_written_when_a_step_is_refused(file_case, walk):
    case = walk(file_case(), "notified")
    events = case.events.count()
    with pytest.raises(ValidationError):
        services.case_request_hearing(actor=case.handler, case=case, requested_on=D("2026-03-30"))
    case.refresh_from_db()
    assert case.events.count() == events and case.step == Step.NOTIFIED


def test_a_person_party_is_a_registered_person(file_case, admin_user, village_a):
    other = factories.person(actor=admin_user, division=village_a, name="王二")
    case = file_case(person=other)
    assert case.party_name == "王二"


def test_case_events_and_payments_cannot_be_rewritten(file_case, walk, officer1):
    """The case's story is a record: neither code nor SQL may change or delete it."""
    from django.db import DatabaseError, IntegrityError, connection, transaction

    from zeren.core.models import AppendOnlyError

    case = walk(file_case(), "served")
    services.case_record_payment(
        actor=officer1,
        case=case,
        paid_on=D("2026-04-01"),
        amount=Decimal(100),
        kind=Payment.Kind.PRINCIPAL,
    )
    assert case.events.exists() and Payment.objects.filter(case=case).exists()
    for table in ("cases_caseevent", "cases_payment"):
        for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
            with (
                pytest.raises((DatabaseError, IntegrityError)),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(statement)
    event = case.events.first()
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_the_limitation_of_an_act_before_2021_follows_the_lighter_old_law(file_case):
    # Act 2020-03-01 harming health: the 1996 law gave 2 years (to 2022-03-01); the 2021 law's
    # 5 years would be heavier for the party, so a filing on 2022-06-01 is refused (Art. 37).
    with pytest.raises(ValidationError) as info:
        file_case(act_date=D("2020-03-01"), filed_on=D("2022-06-01"), serious=True)
    message = info.value.messages[0]
    assert "2022-03-01" in message and "第三十七条" in message
    assert Case.objects.count() == 0
    # An act after 2021-07-15 gets the 5 years.
    assert file_case(act_date=D("2021-08-01"), filed_on=D("2024-06-03"), serious=True).pk
