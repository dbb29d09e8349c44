"""Every periodic job, run by two consumers at once, takes effect once and logs it once.

Issue 17, finding 6 and point 3: a job logs what it actually changed (the count of its own
statement), so two workers running the same job at the same moment log the effect once
between them. test_bulk_rows.py covers the reminders and the birth-statistics alerts; this
file covers the other jobs of the schedule (``*/jobs.py``): lapsed licences, expired
certificates, case deadline notices, the monthly re-birth bulletin, the under-target alerts
and the monthly drawing of sampling plans.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType

from tests import factories
from tests.concurrency.conftest import (
    approved_case,
    case_makers,
    together,
    township_a,
    user,
)
from tests.supervision.conftest import make_permits
from zeren.cases.services import deadlines_notify
from zeren.certificates.models import Certificate, CertificateType
from zeren.certificates.services import certificate_issue, certificate_register, certificates_expire
from zeren.core.models import ChangeLog, Notification
from zeren.core.roles import Role
from zeren.permits.models import Permit, PermitKind, Status
from zeren.permits.services import permits_expire_lapsed
from zeren.supervision import periodic
from zeren.supervision.models import SamplingPlan

pytestmark = pytest.mark.django_db(transaction=True)


def _log_rows(model, action: str = ChangeLog.Action.BULK, since: int = 0) -> list[ChangeLog]:
    return list(
        ChangeLog.objects.filter(
            content_type=ContentType.objects.get_for_model(model), action=action, id__gt=since
        ).order_by("id")
    )


def _last_log_id() -> int:
    row = ChangeLog.objects.order_by("-id").first()
    return row.id if row else 0


def _twice(job) -> list:
    outcome = together([job, job])
    assert outcome.errors == [] and outcome.refusals == []
    return outcome.results


def test_two_workers_expiring_lapsed_licences_log_them_once(committed):
    on = dt.date(2021, 1, 1)
    make_permits(township_a(), 6, approval_date=dt.date(2019, 6, 1))  # valid to 2020-05-31
    lapsed = Permit.objects.filter(status=Status.GRANTED, valid_to__lt=on).count()
    since = _last_log_id()
    results = _twice(lambda: permits_expire_lapsed(actor="定时任务", on=on))
    assert lapsed >= 6 and sorted(results) == [0, lapsed]
    assert [r.after["count"] for r in _log_rows(Permit, since=since)] == [lapsed]
    assert not Permit.objects.filter(status=Status.GRANTED, valid_to__lt=on).exists()


def test_two_workers_expiring_certificates_log_them_once(committed):
    admin = user(Role.ADMIN, is_superuser=True)
    village = township_a().children.order_by("code").first()
    migrant = CertificateType.objects.get(code="migrant")
    for _ in range(4):
        cert = certificate_register(
            actor=admin,
            type=migrant,
            holder=factories.person(actor=admin, division=village),
            spouse=None,
            facts={"marital_status": "已婚", "children": "1", "destination": "北京市朝阳区"},
            applied_on=dt.date(2026, 3, 1),
        )
        certificate_issue(actor=admin, certificate=cert, on=dt.date(2026, 3, 2))
    on = dt.date(2099, 1, 1)
    due = Certificate.objects.filter(status="valid", expires_on__lt=on).count()
    since = _last_log_id()
    results = _twice(lambda: certificates_expire(actor="定时任务", on=on))
    assert due >= 4 and sorted(results) == [0, due]
    assert [r.after["count"] for r in _log_rows(Certificate, since=since)] == [due]


def test_two_workers_sending_case_deadline_notices_log_them_once(committed):
    head, filer, file = case_makers()
    approved_case(head, filer, file)
    since = _last_log_id()
    before = Notification.objects.count()
    results = _twice(lambda: deadlines_notify(today=dt.date(2026, 12, 1)))
    created = Notification.objects.count() - before
    assert created > 0 and sorted(results) == [0, created]
    assert [r.after["created"] for r in _log_rows(Notification, since=since)] == [created]


def test_two_workers_publishing_the_monthly_bulletin_send_it_once(committed):
    make_permits(township_a(), 2, kind=PermitKind.REBIRTH, approval_date=dt.date(2032, 4, 3))
    results = _twice(lambda: periodic.publish_rebirth_bulletins(dt.date(2032, 5, 1)))
    # The inbox is not an audited table: each bulletin is one notification, sent once.
    notices = Notification.objects.filter(
        kind=Notification.Kind.BULLETIN, dedupe_key__endswith=":2032-04"
    )
    assert notices.count() == sum(results) > 0
    assert notices.values("dedupe_key").distinct().count() == notices.count()


def test_two_workers_raising_under_target_alerts_raise_each_once(committed):
    on = dt.date(2026, 3, 29)  # three days before the end of March
    results = _twice(lambda: periodic.raise_alerts(on))
    alerts = Notification.objects.filter(
        kind=Notification.Kind.ALERT,
        dedupe_key__startswith="alert:",
        dedupe_key__endswith=":2026-03",
    )
    assert alerts.count() == sum(results)


def test_two_workers_drawing_the_monthly_plans_draw_each_once(committed):
    make_permits(township_a(), 4, approval_date=dt.date(2033, 5, 20))
    on = dt.date(2033, 6, 1)
    results = _twice(lambda: periodic.draw_due_plans(on))
    plans = SamplingPlan.objects.filter(period="2033-06")
    drawn = plans.filter(status=SamplingPlan.Status.DRAWN).count()
    assert sum(r["drawn"] for r in results) == drawn
    assert sum(r["failed"] for r in results) == 0 or drawn == 0
    # Each plan was drawn once: one change-log transition to "drawn" per plan.
    content_type = ContentType.objects.get_for_model(SamplingPlan)
    for plan in plans.filter(status=SamplingPlan.Status.DRAWN):
        rows = ChangeLog.objects.filter(content_type=content_type, object_id=str(plan.pk))
        to_drawn = [
            r
            for r in rows
            if (r.after or {}).get("status") == "drawn" != (r.before or {}).get("status")
        ]
        assert len(to_drawn) == 1
