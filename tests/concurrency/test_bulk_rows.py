"""Set-based writes log one bulk row with their counts; jobs log what they changed, once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType

from tests.concurrency.conftest import together, township_a, user
from tests.funds.conftest import make_beneficiary, pay_months
from tests.supervision.conftest import make_permits, regime
from zeren.core.models import ChangeLog
from zeren.core.roles import Role
from zeren.funds.models import PaymentLine
from zeren.funds.services import (
    OutcomeRow,
    campaign_open,
    payment_lines_confirm,
    verification_record,
)
from zeren.supervision import periodic
from zeren.supervision.models import InspectionTask
from zeren.supervision.services import sampling_plan_commit, sampling_plan_draw


def _bulk_rows(model, starting: str = "") -> list[ChangeLog]:
    return list(
        ChangeLog.objects.filter(
            action=ChangeLog.Action.BULK,
            content_type=ContentType.objects.get_for_model(model),
            object_repr__startswith=starting,
        ).order_by("id")
    )


@pytest.mark.django_db
def test_confirming_lines_received_writes_one_bulk_row_with_the_count(village_a):
    make_beneficiary(village=village_a, name="甲")
    make_beneficiary(village=village_a, name="乙")
    pay_months("special", 2026, range(1, 4))  # 2 people x 3 months
    lines = list(PaymentLine.objects.values_list("pk", flat=True))
    before = len(_bulk_rows(PaymentLine))
    assert payment_lines_confirm(actor=None, lines=lines) == 6
    rows = _bulk_rows(PaymentLine)[before:]
    assert [r.after["count"] for r in rows] == [6]
    assert payment_lines_confirm(actor=None, lines=lines) == 0
    assert len(_bulk_rows(PaymentLine)) == before + 1  # nothing confirmed, nothing logged


@pytest.mark.django_db
def test_a_confirmed_payment_check_logs_the_lines_it_confirms(village_a):
    paid = make_beneficiary(village=village_a, name="已发")
    pay_months("special", 2026, range(1, 4))
    campaign, _ = campaign_open(actor=None, year=2026, kind="payment")
    v = campaign.verifications.get(beneficiary=paid)
    before = len(_bulk_rows(PaymentLine))
    verification_record(actor=None, rows=[OutcomeRow(v.pk, "confirmed", "phone")])
    rows = _bulk_rows(PaymentLine)[before:]
    assert [(r.after["year"], r.after["count"]) for r in rows] == [(2026, 3)]
    assert "核查确认2026年扶助金到位 3 笔" == rows[0].object_repr


def _five_tasks_due_soon(head, township):
    make_permits(township, 7)
    plan = sampling_plan_commit(
        actor=head, regime=regime("termination-followup"), period="2026-03", division=township
    )
    return sampling_plan_draw(actor=head, plan=plan)


@pytest.mark.django_db
def test_stamping_reminders_writes_one_bulk_row_with_the_count(head, township_a):
    plan = _five_tasks_due_soon(head, township_a)
    tasks = plan.tasks.all()
    due = max(t.due_date for t in tasks)
    on = due - dt.timedelta(days=3)
    expected = InspectionTask.objects.filter(
        plan=plan, due_date__gte=on, due_date__lte=due, reminded_at__isnull=True
    ).count()
    assert expected > 0
    periodic.send_reminders(on)
    rows = _bulk_rows(InspectionTask, "到期提醒")
    assert [r.after["count"] for r in rows] == [expected]
    periodic.send_reminders(on)  # the second run stamps nothing and logs nothing
    assert len(_bulk_rows(InspectionTask, "到期提醒")) == 1


@pytest.mark.django_db(transaction=True)
def test_two_consumers_stamping_reminders_at_once_log_the_stamps_once(committed):
    head = user(Role.HEAD, section=None)
    plan = _five_tasks_due_soon(head, township_a())
    due = max(t.due_date for t in plan.tasks.all())
    on = due - dt.timedelta(days=3)
    stamped = InspectionTask.objects.filter(
        due_date__gte=on, due_date__lte=due, reminded_at__isnull=True
    ).count()
    before = len(_bulk_rows(InspectionTask, "到期提醒"))
    outcome = together([lambda: periodic.send_reminders(on), lambda: periodic.send_reminders(on)])
    assert outcome.errors == [] and outcome.refusals == []
    rows = _bulk_rows(InspectionTask, "到期提醒")[before:]
    assert [r.after["count"] for r in rows] == [stamped]


@pytest.mark.django_db(transaction=True)
def test_two_consumers_raising_alerts_at_once_log_what_exists(committed):
    """Finding 6: the effect happens once, and the logged counts add up to the rows created."""
    from tests.statistics.conftest import make_births
    from zeren.statistics.models import Alert, Threshold
    from zeren.statistics.services import alerts_record

    Threshold.objects.update(minimum_births=10)
    day = dt.date(2026, 5, 12)
    make_births(township_a().children.order_by("code").first(), boys=13, girls=10, day=day)
    alerts_before = Alert.objects.count()
    logs_before = len(_bulk_rows(Alert))
    outcome = together([lambda: alerts_record(today=day + dt.timedelta(days=1))] * 2)
    assert outcome.errors == [] and outcome.refusals == []
    created = Alert.objects.count() - alerts_before
    assert created > 0 and sorted(outcome.results) == [0, created]
    logged = [r.after["count"] for r in _bulk_rows(Alert)[logs_before:]]
    assert logged == [created]
