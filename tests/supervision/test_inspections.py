"""Recording inspections and disposing of findings through the permits service."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.supervision.conftest import make_permits, regime
from zeren.permits.models import PermitKind
from zeren.permits.rules import Status
from zeren.supervision.models import Disposition, Result
from zeren.supervision.services import (
    disposition_record,
    inspection_task_record,
    sampling_plan_commit,
    sampling_plan_draw,
)

pytestmark = pytest.mark.django_db
VISIT = dt.date(2026, 3, 10)


@pytest.fixture
def followup(staff_a, township_a):
    make_permits(township_a, 3, kind=PermitKind.REBIRTH)
    plan = sampling_plan_commit(
        actor=staff_a, regime=regime("rebirth-followup"), period="2026-03", division=township_a
    )
    return sampling_plan_draw(actor=staff_a, plan=plan).tasks.first()


@pytest.fixture
def special(head, township_a, officer1, officer2):
    make_permits(township_a, 5)
    plan = sampling_plan_commit(actor=head, regime=regime("termination-special"), period="2026-03")
    return sampling_plan_draw(actor=head, plan=plan).tasks.first()


def test_township_staff_record_their_follow_up(staff_a, followup):
    inspection_task_record(
        actor=staff_a, task=followup, visit_date=VISIT, result=Result.CONFORMING, evidence="入户"
    )
    followup.refresh_from_db()
    assert followup.result == Result.CONFORMING and followup.assignee == staff_a


def test_another_township_cannot_record(staff_b, followup):
    with pytest.raises(PermissionDenied):
        inspection_task_record(
            actor=staff_b, task=followup, visit_date=VISIT, result=Result.CONFORMING, evidence=""
        )


def test_a_finding_needs_evidence(staff_a, followup):
    with pytest.raises(ValidationError, match="证据"):
        inspection_task_record(
            actor=staff_a, task=followup, visit_date=VISIT, result=Result.FINDING, evidence=" "
        )


def test_a_finding_of_deception_revokes_then_cancels_through_the_permits_service(officer1, special):
    inspection_task_record(
        actor=officer1,
        task=special,
        visit_date=VISIT,
        result=Result.FINDING,
        evidence="冒用他人证明",
    )
    revoke = disposition_record(
        actor=officer1,
        task=special,
        kind=Disposition.Kind.REVOKE,
        ground="deception",
        documents="隆计撤字〔2026〕3号",
        on=VISIT,
    )
    special.permit.refresh_from_db()
    assert special.permit.status == Status.REVOKED
    assert revoke.permit_event.ground == "deception" and revoke.permit_event.actor == officer1
    disposition_record(
        actor=officer1,
        task=special,
        kind=Disposition.Kind.CANCEL,
        ground="after_revocation",
        documents="隆计注字〔2026〕3号",
        on=VISIT,
    )
    special.permit.refresh_from_db()
    assert special.permit.status == Status.CANCELLED


def test_a_hospital_violation_is_referred_and_a_case_is_a_link(officer1, special):
    inspection_task_record(
        actor=officer1, task=special, visit_date=VISIT, result=Result.FINDING, evidence="无证手术"
    )
    refer = disposition_record(
        actor=officer1, task=special, kind=Disposition.Kind.REFER_HEALTH, note="某医院违规"
    )
    case = disposition_record(
        actor=officer1,
        task=special,
        kind=Disposition.Kind.OPEN_CASE,
        case_reference="隆计立〔2026〕5号",
    )
    assert refer.permit_event is None and case.case_reference == "隆计立〔2026〕5号"
    special.permit.refresh_from_db()
    assert special.permit.status == Status.GRANTED


def test_an_illegal_disposition_is_refused_and_changes_nothing(officer1, special):
    inspection_task_record(
        actor=officer1, task=special, visit_date=VISIT, result=Result.FINDING, evidence="x"
    )
    with pytest.raises(ValidationError, match="尚未届满"):
        disposition_record(
            actor=officer1,
            task=special,
            kind=Disposition.Kind.CANCEL,
            ground="expired_unused",
            documents="x",
            on=VISIT,
        )
    assert not Disposition.objects.exists()
    with pytest.raises(ValidationError, match="不适用"):
        disposition_record(
            actor=officer1, task=special, kind=Disposition.Kind.NOTIFY_DISCIPLINE, note="x"
        )


def test_a_conforming_task_needs_no_disposition(officer1, special):
    inspection_task_record(
        actor=officer1, task=special, visit_date=VISIT, result=Result.CONFORMING, evidence=""
    )
    with pytest.raises(ValidationError, match="发现问题"):
        disposition_record(actor=officer1, task=special, kind=Disposition.Kind.OPEN_CASE)


def test_an_officer_whose_certificate_lapsed_before_the_visit_cannot_record(
    officer1, officer2, special
):
    from zeren.org.models import EnforcementCertificate

    EnforcementCertificate.objects.filter(officer__user=officer2).update(
        valid_to=dt.date(2026, 3, 5)
    )
    with pytest.raises(ValidationError, match="没有有效的行政执法证"):
        inspection_task_record(
            actor=officer1, task=special, visit_date=VISIT, result=Result.CONFORMING, evidence=""
        )


def test_an_ad_hoc_task_from_a_report_gets_two_random_eligible_officers(
    head, township_a, officer1, officer2, officer_expired
):
    from zeren.supervision.services import inspection_task_draw_officers, report_submit

    permit = make_permits(township_a, 1)[0]
    report = report_submit(
        actor=head,
        channel="staff",
        kind="report",
        township=township_a,
        permit_number=permit.number,
        content="来电举报冒用证明",
    )
    assert report.handler == head and report.task.regime.code == "termination-special"
    task = inspection_task_draw_officers(actor=head, task=report.task)
    crew = set(task.crew.values_list("officer__user__username", flat=True))
    assert crew == {"officer1", "officer2"}


def test_an_ad_hoc_task_without_enough_officers_is_refused(head, township_a, officer1):
    from zeren.supervision.services import inspection_task_draw_officers, report_submit

    permit = make_permits(township_a, 1)[0]
    report = report_submit(
        actor=None,
        kind="report",
        township=township_a,
        permit_number=permit.number,
        content="举报内容若干",
    )
    with pytest.raises(ValidationError, match="可抽派的执法人员不足"):
        inspection_task_draw_officers(actor=head, task=report.task)
    assert not report.task.crew.exists()
