"""Simultaneous requests for the same thing (issue 17 findings 1-3, issue 9 point 12).

Each test releases pairs of calls together (threading.Barrier) on PostgreSQL. Every call
starts from a copy of the object loaded before the release, as two open pages would.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from tests import factories
from tests.concurrency.conftest import (
    approved_case,
    assert_one_wins,
    case_makers,
    officer,
    together,
    township_a,
    unique,
    user,
)
from tests.conftest import TOWNSHIP_B, force_login
from tests.funds.conftest import make_beneficiary
from tests.supervision.conftest import make_permits, regime
from zeren.cases import services as cases
from zeren.cases.models import Case, Step
from zeren.core.models import ChangeLog
from zeren.core.roles import Role
from zeren.funds.models import Deduction, Verification
from zeren.funds.services import OutcomeRow, campaign_open, verification_record
from zeren.org.models import Division, Section
from zeren.supervision.models import InspectionTask, Result
from zeren.supervision.services import sampling_plan_commit, sampling_plan_draw

D = dt.date.fromisoformat
PAIRS = 10

pytestmark = pytest.mark.django_db(transaction=True)


def test_ten_pairs_of_simultaneous_filings_get_twenty_distinct_numbers(committed):
    """Finding 1: two filings at once are two cases; each takes its own number, no 500."""
    _, _, file = case_makers()
    admin = user(Role.ADMIN, is_superuser=True)
    village = township_a().children.order_by("code").first()
    parties = [factories.person(actor=admin, division=village) for _ in range(2 * PAIRS)]
    outcomes = [
        together([lambda p=parties[2 * i]: file(p), lambda p=parties[2 * i + 1]: file(p)])
        for i in range(PAIRS)
    ]
    assert [e for o in outcomes for e in o.errors] == []
    assert [e for o in outcomes for e in o.refusals] == []
    numbers = [c.number for o in outcomes for c in o.results]
    assert len(numbers) == 2 * PAIRS == len(set(numbers))
    serials = sorted(int(n.removeprefix("隆计案〔2026〕").removesuffix("号")) for n in numbers)
    assert serials == list(range(serials[0], serials[0] + 2 * PAIRS))  # no gap, no repeat


def test_ten_pairs_of_simultaneous_decisions_give_one_decision_and_one_refusal(committed):
    """Issue 9, 12: one decision, one clear refusal naming who decided, one number."""
    head, filer, file = case_makers()
    outcomes = []
    decided = []
    for _ in range(PAIRS):
        case = approved_case(head, filer, file)
        pages = [Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)]
        outcomes.append(
            together(
                [
                    lambda c=c: cases.case_decide(actor=filer, case=c, decided_on=D("2026-03-19"))
                    for c in pages
                ]
            )
        )
        decided.append(case.pk)
    assert_one_wins(outcomes, message="不能作出决定")
    for pk in decided:
        case = Case.objects.get(pk=pk)
        assert case.step == Step.DECIDED and case.decision_number
        assert case.documents.filter(number=case.decision_number).count() == 1
        assert case.events.filter(action="decide").count() == 1
    numbers = {Case.objects.get(pk=pk).decision_number for pk in decided}
    assert len(numbers) == PAIRS


def test_two_simultaneous_decide_requests_through_the_api_give_no_500(committed):
    """The same over HTTP: one 200, one 400/409 with a Chinese message, one number."""
    head, filer, file = case_makers()
    case = approved_case(head, filer, file)
    clients = [Client(), Client()]
    for c in clients:
        force_login(c, filer)
    url = f"/api/cases/{case.pk}/decide/"
    body = json.dumps({"decided_on": "2026-03-19"})
    outcome = together(
        [lambda c=c: c.post(url, body, content_type="application/json") for c in clients]
    )
    assert outcome.errors == [] and outcome.refusals == []
    codes = sorted(r.status_code for r in outcome.results)
    assert codes[0] == 200 and codes[1] in (400, 409), codes
    refused = next(r for r in outcome.results if r.status_code != 200)
    assert "决定" in json.dumps(refused.json(), ensure_ascii=False)
    case.refresh_from_db()
    assert case.events.filter(action="decide").count() == 1
    assert Case.objects.filter(decision_number=case.decision_number).count() == 1


def _tasks(n: int) -> list[InspectionTask]:
    head = user(Role.HEAD, section=None)
    division = Division.objects.get(code=TOWNSHIP_B)  # test_bulk_rows draws township A's plan
    make_permits(division, n + 3)
    plan = sampling_plan_commit(
        actor=head,
        regime=regime("termination-followup"),
        period="2026-03",
        division=division,
        round=1,
    )
    plan = sampling_plan_draw(actor=head, plan=plan)
    tasks = list(plan.tasks.filter(result=Result.PENDING)[:n])
    assert len(tasks) == n
    return tasks


def test_ten_pairs_recording_one_task_give_one_result_and_one_refusal(committed):
    """Finding 2: conforming and finding at once: one wins, the other is told who and when."""
    first, second = officer(), officer()
    tasks = _tasks(PAIRS)
    outcomes = []
    for task in tasks:
        pages = [InspectionTask.objects.get(pk=task.pk) for _ in range(2)]
        calls = [
            lambda t=pages[0]: _record(first, t, Result.CONFORMING, ""),
            lambda t=pages[1]: _record(second, t, Result.FINDING, "现场发现未按规定登记"),
        ]
        outcomes.append(together(calls))
    assert_one_wins(outcomes, message="不能登记检查结果")
    content_type = ContentType.objects.get_for_model(InspectionTask)
    for task in tasks:
        logged = ChangeLog.objects.filter(content_type=content_type, object_id=str(task.pk))
        transitions = [
            row
            for row in logged.filter(action=ChangeLog.Action.UPDATE)
            if (row.before or {}).get("result") != (row.after or {}).get("result")
        ]
        assert len(transitions) == 1
        task.refresh_from_db()
        assert transitions[0].after["result"] == task.result != Result.PENDING


def _record(actor, task, result, evidence):
    from zeren.supervision.services import inspection_task_record

    return inspection_task_record(
        actor=actor, task=task, visit_date=D("2026-03-10"), result=result, evidence=evidence
    )


def test_ten_pairs_recording_one_verification_leave_no_contradiction(committed):
    """Finding 3: "confirmed" and "not received" at once: one outcome, its consequences only."""
    recorder = user(Role.TOWNSHIP, township=township_a())
    village = township_a().children.order_by("code").first()
    people = [make_beneficiary(village=village, name=unique("核查对象")) for _ in range(PAIRS)]
    campaign, _ = campaign_open(actor=None, year=2026, kind="full")
    verifications = list(
        Verification.objects.filter(campaign=campaign, beneficiary__in=people).order_by("pk")
    )
    assert len(verifications) == PAIRS
    outcomes = []
    for v in verifications:
        rows = [
            [OutcomeRow(verification_id=v.pk, outcome=Verification.Outcome.CONFIRMED)],
            [OutcomeRow(verification_id=v.pk, outcome=Verification.Outcome.NOT_RECEIVED)],
        ]
        outcomes.append(
            together(
                [lambda r=r: verification_record(actor=recorder, rows=r) for r in rows],
            )
        )
    assert_one_wins(outcomes, message="不能重复记录核查结果")
    content_type = ContentType.objects.get_for_model(Verification)
    for v in verifications:
        v.refresh_from_db()
        deductions = Deduction.objects.filter(verification=v).count()
        assert deductions == (1 if v.outcome == Verification.Outcome.NOT_RECEIVED else 0)
        recorded = [
            row
            for row in ChangeLog.objects.filter(content_type=content_type, object_id="*")
            if v.pk in (row.after or {}).get("ids", [])
        ]
        assert len(recorded) == 1


@pytest.fixture(autouse=True)
def _sections_exist(committed):
    assert Section.objects.exists()


def test_two_payments_of_the_whole_fine_at_once_record_one(committed):
    """Two clerks enter the same full payment at the same moment: one is recorded, the other
    is refused as an overpayment (the sum is read under the case's row lock)."""
    head, filer, file = case_makers()
    case = approved_case(head, filer, file)
    cases.case_decide(actor=filer, case=case, decided_on=D("2026-03-19"))
    cases.case_serve_decision(
        actor=filer,
        case=Case.objects.get(pk=case.pk),
        served_on=D("2026-03-20"),
        recipient=case.party_name,
        recipient_role="本人",
        method="直接送达",
        signature=case.party_name,
    )
    case = Case.objects.get(pk=case.pk)
    pages = [Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)]
    outcome = together(
        [
            lambda c=c: cases.case_record_payment(
                actor=filer, case=c, paid_on=D("2026-03-25"), amount=case.amount, kind="principal"
            )
            for c in pages
        ]
    )
    assert outcome.errors == []
    assert len(outcome.results) == 1 and len(outcome.refusals) == 1
    assert "超出" in outcome.refusals[0].messages[0]
    assert case.payments.count() == 1
