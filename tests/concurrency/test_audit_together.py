"""No write without its change-log row (issue 17, finding 4 and point 3).

With every INSERT into the change log refused by the database (a trigger that raises, the
equivalent of revoking INSERT from the application's role), each write endpoint of the pages
and the API, and each set-based service and job, must leave the data as it was.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from tests import factories
from tests.concurrency.conftest import approved_case, case_makers
from tests.conftest import force_login
from tests.funds.conftest import make_beneficiary, pay_months
from tests.supervision.conftest import make_permits, regime
from zeren.cases.models import Case
from zeren.catalogue.models import Duty
from zeren.catalogue.services import draft_for, list_draft_start
from zeren.core import transitions
from zeren.core.models import ChangeLog
from zeren.funds.models import PaymentBatch, PaymentLine, Verification
from zeren.funds.services import campaign_open, payment_batch_create, payment_lines_confirm
from zeren.people.models import Person
from zeren.supervision import periodic
from zeren.supervision.models import InspectionTask, Result
from zeren.supervision.services import sampling_plan_commit, sampling_plan_draw

pytestmark = pytest.mark.django_db

REFUSE = {
    "postgresql": [
        "CREATE FUNCTION zeren_test_refuse_log() RETURNS trigger AS $$ BEGIN "
        "RAISE EXCEPTION 'change log INSERT revoked (test)'; END; $$ LANGUAGE plpgsql;",
        "CREATE TRIGGER core_changelog_refused BEFORE INSERT ON core_changelog "
        "FOR EACH ROW EXECUTE FUNCTION zeren_test_refuse_log();",
    ],
    "sqlite": [
        "CREATE TRIGGER core_changelog_refused BEFORE INSERT ON core_changelog "
        "BEGIN SELECT RAISE(ABORT, 'change log INSERT revoked (test)'); END;",
    ],
}


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    force_login(client, user)
    return client


def _state(model, pk: int, *fields: str) -> tuple:
    return tuple(model._base_manager.filter(pk=pk).values_list(*fields).get())


def test_every_write_endpoint_commits_nothing_without_its_log_row(
    admin_user, village_a, township_a, head
):
    person = factories.person(actor=admin_user, division=village_a, name="原名")
    draft = draft_for(admin_user.department) or list_draft_start(
        actor=admin_user, department=admin_user.department
    )
    duty = Duty.objects.filter(version=draft).order_by("pk").first()
    batch = payment_batch_create(actor=None, program="special", period_of=dt.date(2026, 2, 1))
    make_beneficiary(village=village_a)
    batch = payment_batch_create(actor=None, program="special", period_of=dt.date(2026, 3, 1))
    _, filer, file = case_makers()
    case = approved_case(head, filer, file)
    make_permits(township_a, 3)
    plan = sampling_plan_commit(
        actor=head, regime=regime("termination-followup"), period="2026-03", division=township_a
    )
    task = sampling_plan_draw(actor=head, plan=plan).tasks.first()
    pay_months("special", 2025, range(1, 3))
    campaign, _ = campaign_open(actor=None, year=2026, kind="full")
    verification = Verification.objects.filter(campaign=campaign).first()
    lines = list(PaymentLine.objects.filter(confirmed_at__isnull=True).values_list("pk", flat=True))
    people_before = Person.objects.count()
    log_before = ChangeLog.objects.count()

    admin = _client(admin_user)
    officer = _client(filer)
    version = transitions.version_of(person)
    attempts: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = [
        (
            "页面：登记相对人",
            lambda: admin.post(
                "/staff/persons/new/",
                {
                    "name": "新人",
                    "id_number": factories.id_number(),
                    "division": village_a.pk,
                    "phone": "",
                    "address": "",
                },
            ),
            lambda: Person.objects.count(),
        ),
        (
            "页面：修改相对人",
            lambda: admin.post(
                f"/staff/persons/{person.pk}/edit/",
                {
                    "name": "改名",
                    "phone": "",
                    "address": "新址",
                    "division": village_a.pk,
                    "version": version,
                },
            ),
            lambda: _state(Person, person.pk, "address", "updated_at"),
        ),
        (
            "页面：编辑清单草稿条目",
            lambda: admin.post(
                f"/staff/list/draft/duty/{duty.pk}/",
                {
                    "number": duty.number,
                    "text": duty.text + "（改）",
                    "version": transitions.version_of(duty),
                },
            ),
            lambda: _state(Duty, duty.pk, "text", "updated_at"),
        ),
        (
            "接口：登记相对人",
            lambda: admin.post(
                "/api/persons/",
                {"name": "接口人", "id_number": factories.id_number(), "division": village_a.code},
                content_type="application/json",
            ),
            lambda: Person.objects.count(),
        ),
        (
            "接口：修改相对人",
            lambda: admin.patch(
                f"/api/persons/{person.pk}/",
                {"address": "接口新址"},
                content_type="application/json",
                headers={"if-match": f'"v{version}"'},
            ),
            lambda: _state(Person, person.pk, "address", "updated_at"),
        ),
        (
            "接口：作出处罚决定",
            lambda: officer.post(
                f"/api/cases/{case.pk}/decide/",
                json.dumps({"decided_on": "2026-03-19"}),
                content_type="application/json",
            ),
            lambda: (_state(Case, case.pk, "step", "decision_number"), case.documents.count()),
        ),
        (
            "页面：确认发放",
            lambda: admin.post(f"/staff/funds/batches/{batch.pk}/issue/", {}),
            lambda: _state(PaymentBatch, batch.pk, "status", "issued_on"),
        ),
        (
            "接口：记录核查结果",
            lambda: admin.post(
                "/api/funds/verifications/record/",
                [{"id": verification.pk, "outcome": "confirmed"}],
                content_type="application/json",
            ),
            lambda: _state(Verification, verification.pk, "outcome", "recorded_at"),
        ),
        (
            "服务：登记检查结果",
            lambda: _service(
                "zeren.supervision.services",
                "inspection_task_record",
                actor=head,
                task=InspectionTask.objects.get(pk=task.pk),
                visit_date=dt.date(2026, 3, 10),
                result=Result.CONFORMING,
                evidence="",
            ),
            lambda: _state(InspectionTask, task.pk, "result", "visit_date"),
        ),
        (
            "服务：批量确认到位",
            lambda: payment_lines_confirm(actor=None, lines=lines),
            lambda: PaymentLine.objects.filter(confirmed_at__isnull=True).count(),
        ),
        (
            "定时任务：到期提醒",
            lambda: periodic.send_reminders(dt.date(2026, 3, 25), days=30),
            lambda: InspectionTask.objects.filter(reminded_at__isnull=False).count(),
        ),
    ]
    before = {name: probe() for name, _, probe in attempts}
    with connection.cursor() as cursor:
        for sql in REFUSE[connection.vendor]:
            cursor.execute(sql)
    answers = {}
    for name, act, _ in attempts:
        try:
            answers[name] = getattr(act(), "status_code", "无异常")
        except Exception as exc:  # the service refused: that is the point
            answers[name] = type(exc).__name__
    after = {name: probe() for name, _, probe in attempts}
    assert after == before, answers
    assert Person.objects.count() == people_before
    # Every endpoint did try to write (each failed on its log row, not on validation).
    assert all(a not in (200, 201, 302, "无异常") for a in answers.values()), answers
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TRIGGER core_changelog_refused"
            + (" ON core_changelog" if connection.vendor == "postgresql" else "")
        )
    assert ChangeLog.objects.count() == log_before


def _service(module: str, name: str, **kwargs: Any) -> Any:
    import importlib

    return getattr(importlib.import_module(module), name)(**kwargs)
